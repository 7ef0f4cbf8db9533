#!/usr/bin/env python3
"""A fake JFrog Artifactory (tests only, HTTP on 127.0.0.1): one generic local repository's files.

Usage: fake_artifactory.py PORT TOKEN REPO
Follows the Artifactory REST API for generic repositories under the /artifactory context path:
  GET /artifactory/{repo}/{path}  "Retrieve Artifact": the file's bytes (application/octet-stream), 404 with
                                  {"errors": [{"status": 404, "message": "File not found."}]} when missing;
  PUT /artifactory/{repo}/{path}  "Deploy Artifact": stores the body, 201 with {"repo", "path", "downloadUri", …}.
Every call needs `Authorization: Bearer TOKEN` (Artifactory access tokens); otherwise 401 with
{"errors": [{"status": 401, "message": "Bad credentials"}]}, as with anonymous access disabled. An unknown
repository is 400 {"errors": [{"status": 400, "message": "Repository … not found"}]}.
GET /__stats → {"requests": n, "unauthorized": n} (test inspection, no auth).
"""
import http.server
import json
import sys
import threading
import urllib.parse

PORT, TOKEN, REPO = int(sys.argv[1]), sys.argv[2], sys.argv[3]
LOCK = threading.Lock()
FILES = {}
STATS = {"requests": 0, "unauthorized": 0}


def errors(status, message):
    return status, {"errors": [{"status": status, "message": message}]}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def target(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if not path.startswith("/artifactory/"):
            return None, None
        repo, _, rest = path[len("/artifactory/"):].partition("/")
        return repo, rest

    def authorized(self):
        with LOCK:
            STATS["requests"] += 1
        if self.headers.get("Authorization") == "Bearer " + TOKEN:
            return True
        with LOCK:
            STATS["unauthorized"] += 1
        self.reply(*errors(401, "Bad credentials"))
        return False

    def do_GET(self):
        if self.path == "/__stats":
            with LOCK:
                return self.reply(200, dict(STATS))
        if not self.authorized():
            return
        repo, path = self.target()
        if repo != REPO:
            return self.reply(*errors(400, f"Repository {repo} not found"))
        with LOCK:
            data = FILES.get(path)
        if data is None:
            return self.reply(*errors(404, "File not found."))
        self.reply(200, data, "application/octet-stream")

    def do_PUT(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if not self.authorized():
            return
        repo, path = self.target()
        if repo != REPO:
            return self.reply(*errors(400, f"Repository {repo} not found"))
        with LOCK:
            FILES[path] = body
        uri = f"http://127.0.0.1:{PORT}/artifactory/{repo}/{path}"
        self.reply(201, {"repo": repo, "path": "/" + path, "downloadUri": uri, "uri": uri, "size": str(len(body))})


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
