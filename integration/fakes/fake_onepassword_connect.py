#!/usr/bin/env python3
"""A fake 1Password Connect server (tests only, HTTP on 127.0.0.1).

Usage: fake_onepassword_connect.py PORT TOKEN VAULT_NAME...
Follows the Connect API: GET /v1/vaults[?filter=name eq "…"], GET /v1/vaults/{id},
GET /v1/vaults/{v}/items[?filter=title eq "…"] (summaries without fields), GET/PUT/PATCH/DELETE
/v1/vaults/{v}/items/{i}, POST /v1/vaults/{v}/items. PATCH takes RFC 6902 operations on /fields,
/fields/{id} and /fields/{id}/value. Every call needs `Authorization: Bearer TOKEN` (else 401). Errors are
{"status": n, "message": "…"}. GET /__items → every item with its fields (test inspection, no auth).
"""
import http.server
import json
import re
import secrets
import string
import sys
import threading
import time
import urllib.parse

PORT, TOKEN = int(sys.argv[1]), sys.argv[2]
LOCK = threading.Lock()


def new_id():
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(26))


VAULTS = {new_id(): {"name": n, "items": {}} for n in sys.argv[3:]}


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def parse_filter(q, attr):
    f = urllib.parse.parse_qs(q).get("filter", [None])[0]
    if f is None:
        return None
    m = re.fullmatch(attr + r' eq "((?:[^"\\]|\\.)*)"', f)
    if not m:
        raise ValueError(f)
    return re.sub(r"\\(.)", r"\1", m.group(1))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, obj=None):
        body = b"" if obj is None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def err(self, status, message):
        self.reply(status, {"status": status, "message": message})

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        url = urllib.parse.urlparse(self.path)
        if url.path == "/__items":
            with LOCK:
                return self.reply(200, [dict(i, vault_name=v["name"]) for v in VAULTS.values() for i in v["items"].values()])
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.err(401, "Invalid token signature")
        with LOCK:
            if url.path == "/v1/vaults" and self.command == "GET":
                try:
                    name = parse_filter(url.query, "name")
                except ValueError:
                    return self.err(400, "Invalid filter")
                return self.reply(200, [{"id": k, "name": v["name"], "type": "USER_CREATED"}
                                        for k, v in VAULTS.items() if name is None or v["name"] == name])
            m = re.fullmatch(r"/v1/vaults/([^/]+)(/items(?:/([^/]+))?)?", url.path)
            if not m:
                return self.err(404, "Not found")
            vid, items_part, iid = m.groups()
            vault = VAULTS.get(vid)
            if vault is None:
                return self.err(404, f"Invalid Vault UUID provided: {vid}")
            if not items_part:
                return self.reply(200, {"id": vid, "name": vault["name"]})
            items = vault["items"]
            if iid is None and self.command == "GET":
                try:
                    title = parse_filter(url.query, "title")
                except ValueError:
                    return self.err(400, "Invalid filter")
                return self.reply(200, [{k: v for k, v in i.items() if k not in ("fields", "sections")}
                                        for i in items.values() if title is None or i["title"] == title])
            if iid is None and self.command == "POST":
                item = json.loads(raw)
                if item.get("vault", {}).get("id") != vid or not item.get("category"):
                    return self.err(400, "Invalid item")
                item["id"] = new_id()
                item["createdAt"] = item["updatedAt"] = now()
                item["version"] = 1
                for f in item.get("fields", []):
                    f.setdefault("id", new_id())
                items[item["id"]] = item
                return self.reply(200, item)
            item = items.get(iid)
            if item is None:
                return self.err(404, f"Invalid Item UUID provided: {iid}")
            if self.command == "GET":
                return self.reply(200, item)
            if self.command == "DELETE":
                del items[iid]
                return self.reply(204)
            if self.command == "PUT":
                new = json.loads(raw)
                new["id"], new["version"], new["updatedAt"] = iid, item["version"] + 1, now()
                items[iid] = new
                return self.reply(200, new)
            if self.command == "PATCH":
                fields = item.setdefault("fields", [])
                for op in json.loads(raw):
                    path = op.get("path", "")
                    pm = re.fullmatch(r"/fields(?:/([^/]+)(/value)?)?", path)
                    if not pm:
                        return self.err(400, "Invalid patch path")
                    fid, is_value = pm.groups()
                    if fid is None and op["op"] == "add":
                        f = dict(op["value"])
                        f.setdefault("id", new_id())
                        fields.append(f)
                        continue
                    target = next((f for f in fields if f["id"] == fid), None)
                    if target is None:
                        return self.err(400, "Invalid field id")
                    if op["op"] == "remove" and not is_value:
                        fields.remove(target)
                    elif op["op"] in ("replace", "add") and is_value:
                        target["value"] = op["value"]
                    else:
                        return self.err(400, "Unsupported patch operation")
                item["version"] += 1
                item["updatedAt"] = now()
                return self.reply(200, item)
        return self.err(405, "Method not allowed")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    server.daemon_threads = True
    server.serve_forever()
