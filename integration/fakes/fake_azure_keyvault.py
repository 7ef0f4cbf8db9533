#!/usr/bin/env python3
"""A fake Azure Key Vault data plane (secrets) plus a fake Azure AD token endpoint and IMDS, over HTTPS on
127.0.0.1 (tests only).

Usage: fake_azure_keyvault.py PORT CERT_PEM KEY_PEM
Key Vault: every /secrets and /deletedsecrets call needs `Authorization: Bearer <issued token>`; without one the
answer is 401 with `WWW-Authenticate: Bearer authorization="https://127.0.0.1:PORT/<tenant>",
resource="https://vault.azure.net"`, as Key Vault's challenge protocol does. Any api-version is accepted (it must be
present). PUT /secrets/{name} {"value"}, GET /secrets/{name}[/{version}], DELETE /secrets/{name} (soft delete:
the name then answers 409 ObjectIsDeletedButRecoverable to PUT until purged), GET/DELETE /deletedsecrets/{name}.
Names must match ^[0-9a-zA-Z-]{1,127}$.
Keys: POST /keys/{name}/{version}/encrypt|decrypt {"alg": "RSA-OAEP-256", "value": base64url} → {"kid", "value"}
(one RSA key per name, made on first use); their challenge names the vault's own host as resource, so strict
challenge verification passes against 127.0.0.1. Errors use Key Vault's {"error": {"code", "message"}} shape.
AAD: POST /<tenant>/oauth2/v2.0/token with client_credentials (client_secret "fake-secret", or client_assertion
"fake-federated-token") and a scope ending in /.default. IMDS: GET /metadata/identity/oauth2/token with Metadata: true.
GET /__stats → {"token_grants", "unauthenticated"}
"""
import base64
import http.server
import json
import re
import secrets
import ssl
import sys
import threading
import time
import urllib.parse

PORT = int(sys.argv[1])
TENANT = "72f988bf-fake-tenant"
LOCK = threading.Lock()
SECRETS, DELETED, TOKENS, KEYS = {}, {}, set(), {}
STATS = {"token_grants": 0, "unauthenticated": 0}
BASE = f"https://127.0.0.1:{PORT}"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, obj=None, headers=None):
        body = b"" if obj is None else json.dumps(obj).encode()
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if obj is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def kv_error(self, status, code, message):
        self.reply(status, {"error": {"code": code, "message": message}})

    def issue(self):
        tok = "eyJ0eXAi.fake." + secrets.token_hex(16)
        with LOCK:
            TOKENS.add(tok)
            STATS["token_grants"] += 1
        return {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": tok}

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/__stats":
            with LOCK:
                return self.reply(200, dict(STATS))
        m = re.fullmatch(r"/([^/]+)/oauth2/v2\.0/token", url.path)
        if m and self.command == "POST":
            form = dict(urllib.parse.parse_qsl(raw.decode()))
            ok_secret = form.get("client_secret") == "fake-secret"
            ok_assert = (form.get("client_assertion") == "fake-federated-token" and
                         form.get("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            if m.group(1) != TENANT or form.get("grant_type") != "client_credentials" or not form.get("client_id") \
                    or not form.get("scope", "").endswith("/.default") or not (ok_secret or ok_assert):
                return self.reply(401, {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."})
            return self.reply(200, self.issue())
        if url.path == "/metadata/identity/oauth2/token" and self.command == "GET":
            if self.headers.get("Metadata") != "true" or not query.get("resource"):
                return self.reply(400, {"error": "invalid_request"})
            t = self.issue()
            t["expires_in"] = str(t["expires_in"])  # IMDS sends strings
            t["resource"] = query["resource"]
            return self.reply(200, t)
        km = re.fullmatch(r"/keys/([0-9a-zA-Z-]+)/([^/]*)/(encrypt|decrypt)", url.path)
        m = re.fullmatch(r"/(secrets|deletedsecrets)/([^/]+)(?:/([^/]*))?", url.path)
        if not m and not km:
            return self.kv_error(404, "NotFound", "not found")
        auth = self.headers.get("Authorization", "")
        with LOCK:
            authed = auth.startswith("Bearer ") and auth[7:] in TOKENS
            if not authed:
                STATS["unauthenticated"] += 1
        if not authed:
            resource = "https://127.0.0.1" if km else "https://vault.azure.net"
            challenge = f'Bearer authorization="{BASE}/{TENANT}", resource="{resource}"'
            return self.reply(401, {"error": {"code": "Unauthorized", "message": "AKV10000: Request is missing a Bearer or PoP token."}},
                              {"WWW-Authenticate": challenge})
        if "api-version" not in query:
            return self.kv_error(400, "BadParameter", "The 'api-version' query parameter is missing.")
        if km:
            return self.key_op(km.group(1), km.group(3), json.loads(raw or b"{}"))
        kind, name, version = m.groups()
        if not re.fullmatch(r"[0-9a-zA-Z-]{1,127}", name):
            return self.kv_error(400, "BadParameter", "The request URI contains an invalid name: " + name)
        with LOCK:
            if kind == "secrets" and self.command == "PUT":
                if name in DELETED:
                    return self.kv_error(409, "Conflict", f"Secret {name} is currently in a deleted but recoverable state.")
                body = json.loads(raw or b"{}")
                if not isinstance(body.get("value"), str):
                    return self.kv_error(400, "BadParameter", "Property 'value' is required.")
                ver = secrets.token_hex(16)
                entry = SECRETS.setdefault(name, [])
                bundle = {"value": body["value"], "id": f"{BASE}/secrets/{name}/{ver}",
                          "attributes": {"enabled": True, "created": int(time.time()), "updated": int(time.time()), "recoveryLevel": "Recoverable+Purgeable"}}
                if "contentType" in body:
                    bundle["contentType"] = body["contentType"]
                entry.append(bundle)
                return self.reply(200, bundle)
            if kind == "secrets" and self.command == "GET":
                versions = SECRETS.get(name)
                if not versions:
                    return self.kv_error(404, "SecretNotFound", f"A secret with (name/id) {name} was not found in this key vault.")
                found = versions[-1] if not version else next((v for v in versions if v["id"].endswith("/" + version)), None)
                if found is None:
                    return self.kv_error(404, "SecretNotFound", f"A secret with (name/id) {name}/{version} was not found in this key vault.")
                return self.reply(200, found)
            if kind == "secrets" and self.command == "DELETE":
                versions = SECRETS.pop(name, None)
                if not versions:
                    return self.kv_error(404, "SecretNotFound", f"A secret with (name/id) {name} was not found in this key vault.")
                DELETED[name] = versions
                out = {k: v for k, v in versions[-1].items() if k != "value"}
                out.update(recoveryId=f"{BASE}/deletedsecrets/{name}", deletedDate=int(time.time()))
                return self.reply(200, out)
            if kind == "deletedsecrets" and self.command == "GET":
                if name not in DELETED:
                    return self.kv_error(404, "SecretNotFound", f"Deleted Secret not found: {name}")
                return self.reply(200, {"recoveryId": f"{BASE}/deletedsecrets/{name}", "id": DELETED[name][-1]["id"]})
            if kind == "deletedsecrets" and self.command == "DELETE":
                if DELETED.pop(name, None) is None:
                    return self.kv_error(404, "SecretNotFound", f"Deleted Secret not found: {name}")
                return self.reply(204)
        return self.kv_error(405, "MethodNotAllowed", "method not allowed")

    def key_op(self, name, op, body):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding, rsa
        with LOCK:
            key = KEYS.setdefault(name, rsa.generate_private_key(public_exponent=65537, key_size=2048))
        if body.get("alg") != "RSA-OAEP-256":
            return self.kv_error(400, "BadParameter", "Unsupported algorithm.")
        oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
        b64d = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
        b64e = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
        try:
            data = b64d(body["value"])
            out = key.public_key().encrypt(data, oaep) if op == "encrypt" else key.decrypt(data, oaep)
        except Exception:
            return self.kv_error(400, "BadParameter", "Decryption failed.")
        return self.reply(200, {"kid": f"{BASE}/keys/{name}/v1", "value": b64e(out)})

    do_GET = do_PUT = do_POST = do_DELETE = handle_any


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    server.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.serve_forever()
