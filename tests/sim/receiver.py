"""A webhook receiver for the simulator's event tests: a real HTTP server on localhost that
keeps what it was sent and answers what the test says."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt


class Receiver:
    """`received` holds (content type, body) of each POST; `answers` is a list of statuses
    to answer in turn (then 200); `hold` (a threading.Event) delays every answer until set."""

    def __init__(self):
        self.received = []
        self.answers = []
        self.hold = None
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.arrived:
                    receiver.received.append((self.headers.get("Content-Type"), body))
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.arrived.notify_all()
                if receiver.hold is not None:
                    receiver.hold.wait(10)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count, timeout=10):
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.received) >= count, timeout):
                raise AssertionError(f"{count} deliveries expected, {len(self.received)} came")
        return self.received[:count]

    def events(self, secret=None):
        """The received bodies as events: verified JWTs with `secret`, else plain JSON."""
        import json

        if secret is None:
            return [json.loads(body) for _, body in self.received]
        return [jwt.decode(body, secret, algorithms=["HS256"]) for _, body in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
