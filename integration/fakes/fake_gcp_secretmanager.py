#!/usr/bin/env python3
"""A fake of Google Secret Manager's REST API (v1) plus an OAuth token endpoint, on 127.0.0.1 (for tests only).

Usage: fake_gcp_secretmanager.py PORT SERVICE_ACCOUNT_JSON [SUBJECT_TOKEN]
Also a Cloud KMS subset: POST /v1/projects/*/locations/*/keyRings/*/cryptoKeys/*:encrypt {"plaintext": b64} →
{"name", "ciphertext": b64}, and :decrypt {"ciphertext": b64} → {"plaintext": b64} (AES-GCM under a per-key secret).
Follows the public REST reference: secrets.create (POST .../secrets?secretId=), secrets.addVersion
(POST .../secrets/{id}:addVersion), versions.access (GET .../versions/{v}:access; `latest` allowed), versions.get,
secrets.get, secrets.delete, for both projects/*/secrets and projects/*/locations/*/secrets. Payloads are base64 in
`payload.data` with a decimal-string `dataCrc32c`. Errors use Google's JSON error shape.
POST /token: OAuth 2.0 token endpoint: jwt-bearer grants (RS256 assertion verified against the service account's
key: iss, aud, scope, exp), refresh_token grants, and STS token-exchange grants (subject_token must equal
SUBJECT_TOKEN). API calls need `Authorization: Bearer <issued token>`.
GET /__stats → {"token_grants": n, "api_calls": n}
"""
import base64
import http.server
import json
import re
import secrets
import sys
import threading
import time
import urllib.parse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

PORT = int(sys.argv[1])
SA = json.load(open(sys.argv[2]))
SUBJECT = sys.argv[3] if len(sys.argv) > 3 else None
PUBLIC = serialization.load_pem_private_key(SA["private_key"].encode(), None).public_key()
LOCK = threading.Lock()
SECRETS = {}  # name -> {"secret": {...}, "versions": [{"name", "state", "data"}]}
KMS_KEYS = {}  # crypto key resource name -> 32-byte AES key (created on first use)
TOKENS = set()
STATS = {"token_grants": 0, "api_calls": 0}


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def now_rfc3339():
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def error(self, code, status, message):
        self.reply(code, {"error": {"code": code, "message": message, "status": status}})

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    # --- OAuth token endpoint -------------------------------------------------------------------------------
    def token(self, raw):
        form = dict(urllib.parse.parse_qsl(raw.decode()))
        grant = form.get("grant_type")
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            try:
                h, p, s = form["assertion"].split(".")
                header, claims = json.loads(b64url_decode(h)), json.loads(b64url_decode(p))
                assert header["alg"] == "RS256"
                PUBLIC.verify(b64url_decode(s), (h + "." + p).encode(), padding.PKCS1v15(), hashes.SHA256())
                assert claims["iss"] == SA["client_email"] and claims["aud"] == SA["token_uri"]
                assert "https://www.googleapis.com/auth/cloud-platform" in claims["scope"].split()
                assert claims["iat"] <= time.time() + 60 < claims["exp"] + 60
            except Exception:
                return self.reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        elif grant == "refresh_token":
            if form.get("refresh_token") != "fake-refresh-token" or form.get("client_secret") != "fake-client-secret":
                return self.reply(400, {"error": "invalid_grant", "error_description": "Bad Request"})
        elif grant == "urn:ietf:params:oauth:grant-type:token-exchange":
            if SUBJECT is None or form.get("subject_token") != SUBJECT or not form.get("audience"):
                return self.reply(400, {"error": "invalid_grant", "error_description": "bad subject token"})
        else:
            return self.reply(400, {"error": "unsupported_grant_type"})
        tok = "ya29.fake-" + secrets.token_hex(16)
        with LOCK:
            TOKENS.add(tok)
            STATS["token_grants"] += 1
        return self.reply(200, {"access_token": tok, "expires_in": 3599, "token_type": "Bearer"})

    # --- Secret Manager -------------------------------------------------------------------------------------
    def handle_api(self, method):
        raw = self.body()
        url = urllib.parse.urlparse(self.path)
        if url.path == "/token" and method == "POST":
            return self.token(raw)
        if url.path == "/__stats":
            with LOCK:
                return self.reply(200, dict(STATS))
        auth = self.headers.get("Authorization", "")
        with LOCK:
            ok = auth.startswith("Bearer ") and auth[7:] in TOKENS
            STATS["api_calls"] += 1
        if not ok:
            return self.error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token.")
        km = re.fullmatch(r"/v1/(projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/:]+):(encrypt|decrypt)", url.path)
        if km and method == "POST":
            return self.kms(km.group(1), km.group(2), json.loads(raw or b"{}"))
        m = re.fullmatch(r"/v1/(projects/[^/]+(?:/locations/[^/]+)?)/secrets(?:/([^/:]+))?(?:/versions/([^/:]+))?(?::(\w+))?", url.path)
        if not m:
            return self.error(404, "NOT_FOUND", "Requested entity was not found.")
        parent, sid, version, verb = m.groups()
        query = dict(urllib.parse.parse_qsl(url.query))
        with LOCK:
            if sid is None and method == "POST":  # secrets.create
                sid = query.get("secretId", "")
                if not re.fullmatch(r"[A-Za-z0-9_-]{1,255}", sid):
                    return self.error(400, "INVALID_ARGUMENT", "Invalid secret id.")
                name = f"{parent}/secrets/{sid}"
                if name in SECRETS:
                    return self.error(409, "ALREADY_EXISTS", f"Secret [{name}] already exists.")
                spec = json.loads(raw or b"{}")
                if "/locations/" not in parent and "replication" not in spec:
                    return self.error(400, "INVALID_ARGUMENT", "Replication policy is required.")
                secret = {"name": name, "createTime": now_rfc3339(), "etag": '"1"'}
                if "replication" in spec:
                    secret["replication"] = spec["replication"]
                SECRETS[name] = {"secret": secret, "versions": []}
                return self.reply(200, secret)
            name = f"{parent}/secrets/{sid}"
            entry = SECRETS.get(name)
            if entry is None:
                return self.error(404, "NOT_FOUND", f"Secret [{name}] not found or has no versions.")
            if version is None and verb == "addVersion" and method == "POST":
                payload = json.loads(raw or b"{}").get("payload", {})
                data = base64.b64decode(payload.get("data", ""))
                if "dataCrc32c" in payload and int(payload["dataCrc32c"]) != crc32c(data):
                    return self.error(400, "INVALID_ARGUMENT", "Checksum mismatch.")
                v = {"name": f"{name}/versions/{len(entry['versions']) + 1}", "createTime": now_rfc3339(), "state": "ENABLED"}
                entry["versions"].append(dict(v, data=data))
                return self.reply(200, v)
            if version is None and verb is None and method == "GET":
                return self.reply(200, entry["secret"])
            if version is None and verb is None and method == "DELETE":
                del SECRETS[name]
                return self.reply(200, {})
            if version is not None:
                live = [v for v in entry["versions"] if v["state"] == "ENABLED"]
                if version == "latest":
                    found = live[-1] if live else None
                else:
                    found = next((v for v in entry["versions"] if v["name"].endswith("/" + version)), None)
                if found is None:
                    return self.error(404, "NOT_FOUND", f"Secret Version [{name}/versions/{version}] not found.")
                meta = {k: found[k] for k in ("name", "createTime", "state")}
                if verb == "access" and method == "GET":
                    return self.reply(200, {"name": found["name"], "payload": {
                        "data": base64.b64encode(found["data"]).decode(), "dataCrc32c": str(crc32c(found["data"]))}})
                if verb is None and method == "GET":
                    return self.reply(200, meta)
        return self.error(404, "NOT_FOUND", "Requested entity was not found.")

    def kms(self, name, verb, body):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        with LOCK:
            key = KMS_KEYS.setdefault(name, AESGCM.generate_key(bit_length=256))
        try:
            if verb == "encrypt":
                nonce = secrets.token_bytes(12)
                ct = nonce + AESGCM(key).encrypt(nonce, base64.b64decode(body["plaintext"]), name.encode())
                return self.reply(200, {"name": name + "/cryptoKeyVersions/1", "ciphertext": base64.b64encode(ct).decode()})
            ct = base64.b64decode(body["ciphertext"])
            pt = AESGCM(key).decrypt(ct[:12], ct[12:], name.encode())
            return self.reply(200, {"plaintext": base64.b64encode(pt).decode()})
        except Exception:
            return self.error(400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid.")

    def do_GET(self):
        self.handle_api("GET")

    def do_POST(self):
        self.handle_api("POST")

    def do_DELETE(self):
        self.handle_api("DELETE")


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    server.daemon_threads = True
    server.serve_forever()
