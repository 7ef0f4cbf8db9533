#!/usr/bin/env python3
"""A small reverse proxy that injects HTTP faults in front of a service (stdlib only, 127.0.0.1 only).

Usage: fault_proxy.py LISTEN_PORT UPSTREAM_URL [aws|http]
  aws:  injected errors are AWS JSON protocol bodies ({"__type": …}, application/x-amz-json-1.1), as moto answers;
  http: generic JSON error bodies ({"errors": […]}), for Vault, GCP, Azure, 1Password and the like (default).
  An https upstream (a fake with a test CA) is reached without verifying its certificate.
Control (not counted):  POST /__fault  body = mode     GET /__count  -> proxied requests
                        POST /__reset  (count := 0, mode := none)
Modes: none | throttle | throttle-first:N (AWS ThrottlingException, HTTP 400) | 429 | 429-first:N (Retry-After: 0)
       | 500 | delay:SECONDS | reset (TCP RST) | malformed (truncated JSON) | huge:MB
Every injected body carries a sentinel, so tests can check that errors never echo a body.
"""
import http.client
import http.server
import json
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse

STATE = {"mode": "none", "count": 0}
LOCK = threading.Lock()
UPSTREAM = urllib.parse.urlparse(sys.argv[2])
FLAVOR = sys.argv[3] if len(sys.argv) > 3 else "http"
SENTINEL = "leaky-sentinel-value-0xC0FFEE"
AWS_JSON = {"Content-Type": "application/x-amz-json-1.1"}
PLAIN_JSON = {"Content-Type": "application/json"}


def first(mode, name, count):
    """Whether `mode` is NAME, or NAME-first:N with this request among the first N."""
    if mode == name:
        return True
    prefix = name + "-first:"
    return mode.startswith(prefix) and count <= int(mode[len(prefix):])


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body, headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _control(self, body):
        with LOCK:
            if self.path == "/__fault":
                STATE["mode"] = body.decode().strip() or "none"
            elif self.path == "/__reset":
                STATE.update(mode="none", count=0)
            elif self.path == "/__count":
                return self._send(200, str(STATE["count"]).encode())
            else:
                return self._send(404, b"")
        return self._send(200, b"ok")

    def _error(self, status, aws_type, headers=None):
        if FLAVOR == "aws":
            body = json.dumps({"__type": aws_type, "message": "injected " + SENTINEL}).encode()
            return self._send(status, body, dict(AWS_JSON, **(headers or {})))
        return self._send(status, ('{"errors":["injected ' + SENTINEL + '"]}').encode(), dict(PLAIN_JSON, **(headers or {})))

    def _huge(self, megabytes):
        size = megabytes * 1024 * 1024
        self.send_response(200)
        self.send_header("Content-Type", (AWS_JSON if FLAVOR == "aws" else PLAIN_JSON)["Content-Type"])
        self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"A" * 65536
        sent = 0
        try:
            while sent < size:
                self.wfile.write(chunk[: min(len(chunk), size - sent)])
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def _forward(self, body):
        if UPSTREAM.scheme == "https":
            conn = http.client.HTTPSConnection(
                UPSTREAM.hostname, UPSTREAM.port, timeout=30, context=ssl._create_unverified_context())
        else:
            conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=30)
        conn.request(self.command, self.path, body=body or None, headers=dict(self.headers.items()))
        resp = conn.getresponse()
        data = resp.read()
        skip = ("content-length", "transfer-encoding", "connection")
        hdrs = {k: v for k, v in resp.getheaders() if k.lower() not in skip}
        conn.close()
        self._send(resp.status, data, hdrs)

    def _handle(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if self.path.startswith("/__"):
            return self._control(body)
        with LOCK:
            STATE["count"] += 1
            count, mode = STATE["count"], STATE["mode"]
        if first(mode, "throttle", count):
            err = {"__type": "ThrottlingException", "message": "Rate exceeded " + SENTINEL}
            return self._send(400, json.dumps(err).encode(), dict(AWS_JSON, **{"x-amzn-ErrorType": "ThrottlingException"}))
        if first(mode, "429", count):
            return self._error(429, "TooManyRequestsException", {"Retry-After": "0"})
        if mode == "500":
            return self._error(500, "InternalServerError")
        if mode.startswith("delay:"):
            time.sleep(float(mode.split(":")[1]))
        elif mode == "reset":
            # Abort with a TCP RST: SO_LINGER with a zero timeout, then close.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        elif mode == "malformed":
            if FLAVOR == "aws":
                return self._send(200, ('{"Parameter": {"Name": "x", "Value": "' + SENTINEL).encode(), AWS_JSON)
            return self._send(200, ('{"data": {"data": {"value": "' + SENTINEL).encode(), PLAIN_JSON)
        elif mode.startswith("huge:"):
            return self._huge(int(mode.split(":")[1]))
        try:
            self._forward(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_LIST = _handle


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
