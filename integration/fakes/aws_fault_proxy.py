#!/usr/bin/env python3
"""A tiny reverse proxy in front of moto that injects AWS-style faults (stdlib only, 127.0.0.1 only).

Usage: aws_fault_proxy.py LISTEN_PORT UPSTREAM_URL
Control (not counted):  POST /__fault  body = mode     GET /__count  → number of proxied requests
                        POST /__reset  (count := 0, mode := none)
Modes: none | throttle | throttle-first:N | 500 | delay:SECONDS | reset | malformed | huge:MB
"""
import http.client
import http.server
import json
import socket
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

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, status, body, headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _control(self, body):
        if self.path == "/__fault":
            with LOCK:
                STATE["mode"] = body.decode().strip() or "none"
            return self._send(200, b"ok")
        if self.path == "/__reset":
            with LOCK:
                STATE["mode"] = "none"
                STATE["count"] = 0
            return self._send(200, b"ok")
        if self.path == "/__count":
            with LOCK:
                return self._send(200, str(STATE["count"]).encode())
        return self._send(404, b"")

    def _forward(self, method, body):
        conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=30)
        headers = {k: v for k, v in self.headers.items()}
        conn.request(method, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        hdrs = {k: v for k, v in resp.getheaders() if k.lower() not in ("content-length", "transfer-encoding", "connection")}
        conn.close()
        self._send(resp.status, data, hdrs)

    def _handle(self, method):
        body = self._body()
        if self.path.startswith("/__"):
            return self._control(body)
        with LOCK:
            STATE["count"] += 1
            n = STATE["count"]
            mode = STATE["mode"]
        aws_json = {"Content-Type": "application/x-amz-json-1.1"}
        if mode == "throttle" or (mode.startswith("throttle-first:") and n <= int(mode.split(":")[1])):
            err = {"__type": "ThrottlingException", "message": "Rate exceeded " + SENTINEL}
            return self._send(400, json.dumps(err).encode(), dict(aws_json, **{"x-amzn-ErrorType": "ThrottlingException"}))
        if mode == "500":
            err = {"__type": "InternalServerError", "message": "injected " + SENTINEL}
            return self._send(500, json.dumps(err).encode(), aws_json)
        if mode.startswith("delay:"):
            time.sleep(float(mode.split(":")[1]))
        elif mode == "reset":
            # Abort with a TCP RST: SO_LINGER with a zero timeout, then close.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        elif mode == "malformed":
            return self._send(200, ('{"Parameter": {"Name": "x", "Value": "' + SENTINEL).encode(), aws_json)
        elif mode.startswith("huge:"):
            size = int(mode.split(":")[1]) * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
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
            return
        try:
            self._forward(method, body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
