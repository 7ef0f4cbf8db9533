#!/usr/bin/env python3
"""A small reverse proxy that injects generic HTTP faults in front of any JSON service (stdlib only, 127.0.0.1).

Usage: http_fault_proxy.py LISTEN_PORT UPSTREAM_URL   (an https upstream, such as a fake with a test CA, is
                                                      reached without verifying its certificate)
Control (not counted):  POST /__fault  body = mode     GET /__count  -> proxied requests
                        POST /__reset  (count := 0, mode := none)
Modes: none | 429 | 429-first:N | 500 | delay:SECONDS | reset | malformed | huge:MB
Every injected body carries a sentinel, so tests can check that errors never echo a body.
"""
import http.client
import http.server
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
SENTINEL = "leaky-sentinel-value-0xC0FFEE"


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

    def _handle(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if self.path.startswith("/__"):
            with LOCK:
                if self.path == "/__fault":
                    STATE["mode"] = body.decode().strip() or "none"
                elif self.path == "/__reset":
                    STATE.update(mode="none", count=0)
                elif self.path == "/__count":
                    return self._send(200, str(STATE["count"]).encode())
            return self._send(200, b"ok")
        with LOCK:
            STATE["count"] += 1
            count, mode = STATE["count"], STATE["mode"]
        js = {"Content-Type": "application/json"}
        err = ('{"errors":["injected ' + SENTINEL + '"]}').encode()
        if mode == "429" or (mode.startswith("429-first:") and count <= int(mode.split(":")[1])):
            return self._send(429, err, dict(js, **{"Retry-After": "0"}))
        if mode == "500":
            return self._send(500, err, js)
        if mode.startswith("delay:"):
            time.sleep(float(mode.split(":")[1]))
        elif mode == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        elif mode == "malformed":
            return self._send(200, ('{"data": {"data": {"value": "' + SENTINEL).encode(), js)
        elif mode.startswith("huge:"):
            size = int(mode.split(":")[1]) * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            try:
                sent = 0
                while sent < size:
                    self.wfile.write(b"A" * 65536)
                    sent += 65536
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        try:
            if UPSTREAM.scheme == "https":
                conn = http.client.HTTPSConnection(
                    UPSTREAM.hostname, UPSTREAM.port, timeout=30, context=ssl._create_unverified_context())
            else:
                conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=30)
            conn.request(self.command, self.path, body=body or None, headers=dict(self.headers.items()))
            resp = conn.getresponse()
            data = resp.read()
            hdrs = {k: v for k, v in resp.getheaders() if k.lower() not in ("content-length", "transfer-encoding", "connection")}
            conn.close()
            self._send(resp.status, data, hdrs)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_LIST = _handle


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
