#!/usr/bin/env python3
"""A fake GitHub REST API for Actions secrets (tests only, HTTP on 127.0.0.1).

Usage: fake_github_api.py PORT TOKEN OWNER/REPO [ENVIRONMENT...]
Follows the documented endpoints (API version 2022-11-28) for one repository and its environments:
  GET    /repos/{owner}/{repo}/actions/secrets/public-key          → {"key_id", "key"} (base64 X25519 public key)
  GET    /repos/{owner}/{repo}/actions/secrets[?per_page&page]     → {"total_count", "secrets": [{name, created_at, updated_at}]}
  GET    /repos/{owner}/{repo}/actions/secrets/{name}              → {name, created_at, updated_at}, 404 when missing
  PUT    /repos/{owner}/{repo}/actions/secrets/{name}              body {"encrypted_value", "key_id"}: 201 created, 204 updated
  DELETE /repos/{owner}/{repo}/actions/secrets/{name}              → 204, 404 when missing
and the same under /repos/{owner}/{repo}/environments/{environment}/secrets for each environment. The value must be
a libsodium sealed box to the current public key (checked by opening it); a wrong key_id or a box that does not
open is 422, as are names outside [A-Za-z_][A-Za-z0-9_]* or starting with GITHUB_. Every call needs
`Authorization: Bearer TOKEN` (or `token TOKEN`); otherwise 401 {"message": "Bad credentials"}. An unknown repository
or environment is 404 {"message": "Not Found"}.
GET /__secrets → {"repo": {name: plaintext}, "<environment>": {…}} (test inspection, no auth).
"""
import base64
import http.server
import json
import re
import sys
import threading
import time
import urllib.parse

from nacl.public import PrivateKey, SealedBox

PORT, TOKEN, REPO = int(sys.argv[1]), sys.argv[2], sys.argv[3]
LOCK = threading.Lock()
SCOPES = {}
for scope in ["repo"] + sys.argv[4:]:
    key = PrivateKey.generate()
    SCOPES[scope] = {"key": key, "key_id": f"{abs(hash(bytes(key.public_key))) % 10**18}", "secrets": {}}
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route(self):
        """(scope, rest) for /repos/REPO/actions/secrets[/…] or /repos/REPO/environments/ENV/secrets[/…]."""
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        prefix = f"/repos/{REPO}/"
        if not path.startswith(prefix):
            return None, None
        rest = path[len(prefix):]
        m = re.fullmatch(r"actions/secrets(/.*)?", rest)
        if m:
            return "repo", (m.group(1) or "")[1:]
        m = re.fullmatch(r"environments/([^/]+)/secrets(/.*)?", rest)
        if m and m.group(1) in SCOPES and m.group(1) != "repo":
            return m.group(1), (m.group(2) or "")[1:]
        return None, None

    def authorized(self):
        auth = self.headers.get("Authorization", "")
        if auth in ("Bearer " + TOKEN, "token " + TOKEN):
            return True
        self.reply(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
        return False

    def do_GET(self):
        if self.path == "/__secrets":
            with LOCK:
                return self.reply(200, {s: {n: v["value"] for n, v in d["secrets"].items()} for s, d in SCOPES.items()})
        if not self.authorized():
            return
        scope, name = self.route()
        if scope is None:
            return self.reply(404, {"message": "Not Found"})
        d = SCOPES[scope]
        with LOCK:
            if name == "public-key":
                return self.reply(200, {"key_id": d["key_id"], "key": base64.b64encode(bytes(d["key"].public_key)).decode()})
            if name == "":
                q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                per, page = int(q.get("per_page", ["30"])[0]), int(q.get("page", ["1"])[0])
                items = [{"name": n, "created_at": v["created"], "updated_at": v["updated"]} for n, v in sorted(d["secrets"].items())]
                return self.reply(200, {"total_count": len(items), "secrets": items[(page - 1) * per: page * per]})
            v = d["secrets"].get(name.upper())
            if v is None:
                return self.reply(404, {"message": "Not Found"})
            return self.reply(200, {"name": name.upper(), "created_at": v["created"], "updated_at": v["updated"]})

    def do_PUT(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if not self.authorized():
            return
        scope, name = self.route()
        if scope is None or name in ("", "public-key"):
            return self.reply(404, {"message": "Not Found"})
        if not NAME.match(name) or name.upper().startswith("GITHUB_"):
            return self.reply(422, {"message": "Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_), and cannot start with GITHUB_."})
        d = SCOPES[scope]
        try:
            doc = json.loads(body)
            if doc.get("key_id") != d["key_id"]:
                return self.reply(422, {"message": "Bad key_id"})
            value = SealedBox(d["key"]).decrypt(base64.b64decode(doc["encrypted_value"])).decode()
        except Exception:
            return self.reply(422, {"message": "Invalid request.\n\nencrypted_value is not a sealed box for this key."})
        with LOCK:
            old = d["secrets"].get(name.upper())
            stamp = now()
            d["secrets"][name.upper()] = {"value": value, "created": old["created"] if old else stamp, "updated": stamp}
        self.reply(204 if old else 201, None if old else {})

    def do_DELETE(self):
        if not self.authorized():
            return
        scope, name = self.route()
        if scope is None:
            return self.reply(404, {"message": "Not Found"})
        with LOCK:
            if SCOPES[scope]["secrets"].pop(name.upper(), None) is None:
                return self.reply(404, {"message": "Not Found"})
        self.reply(204)


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
