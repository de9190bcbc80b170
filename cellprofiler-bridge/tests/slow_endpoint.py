"""A slow network in front of the AWS emulator: a loopback HTTP proxy that forwards every request to
moto and holds chosen ones (S3 uploads, SQS sends) for a while, one at a time. A stand-in for a real
slow link, which loopback cannot produce: it lets a test press Cancel while files are still uploading,
or while tasks are still being sent, without depending on how fast this machine is."""

import http.client
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "expect"}


class SlowEndpoint:
    """`slow(method, path, headers)` says whether a request is held `delay` seconds (one at a time)."""

    def __init__(self, target, slow, delay):
        self.target = urllib.parse.urlparse(target)
        self.slow = slow
        self.delay = delay
        self.held = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self):
                body = self.body()
                if endpoint.slow(self.command, self.path, self.headers):
                    with endpoint.held:
                        time.sleep(endpoint.delay)
                upstream = http.client.HTTPConnection(endpoint.target.hostname, endpoint.target.port, timeout=120)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                self.send_response(answer.status, answer.reason)
                head = self.command == "HEAD"
                for k, v in answer.getheaders():
                    if k.lower() not in HOP_BY_HOP and (head or k.lower() != "content-length"):
                        self.send_header(k, v)
                if not head:
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                upstream.close()

            def body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0], 16)
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass  # trailers
                            return b"".join(chunks)
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else None

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def uploads(method, path, headers):
    """S3 PutObject (path style: PUT /bucket/key)."""
    return method == "PUT" and path.count("/") >= 2


def task_sends(method, path, headers):
    """SQS SendMessageBatch (JSON protocol)."""
    return headers.get("X-Amz-Target", "").endswith("SendMessageBatch")
