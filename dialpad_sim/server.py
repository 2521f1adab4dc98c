"""Serve the simulator over real HTTP on localhost, in a daemon thread.

A threaded ``http.server`` speaking HTTP/1.1 with keep-alive (every answer carries a
Content-Length), quiet (no log line per request), and able to drop a connection without an
answer for the dropped-connection fault.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
import urllib.error
import urllib.request
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import unquote

from .app import DropConnection, RequestLog, SimulatorApp
from .faults import Faults, RateLimiter
from .generate import generate

DEFAULT_PORT = 8765


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "DialpadSimulator/1.0"
    sys_version = ""
    # An idle keep-alive connection is closed after this many seconds.
    timeout = 120

    def setup(self):
        super().setup()
        # Headers and body go out in one write, but keep small answers from waiting on Nagle.
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        self.server.track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (ConnectionError, socket.timeout):
            self.close_connection = True

    def _serve(self):
        length = self.headers.get("Content-Length")
        try:
            length = int(length) if length else 0
        except ValueError:
            length = 0
        body = self.rfile.read(length) if length > 0 else b""
        path, _, query = self.path.partition("?")
        headers = {}
        for name, value in self.headers.items():
            headers["-".join(part.capitalize() for part in name.split("-"))] = value
        app: SimulatorApp = self.server.app
        try:
            response = app.handle(self.command, _decode_path(path), query, headers, body)
        except DropConnection:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        reason = HTTPStatus(response.status).phrase
        lines = [f"HTTP/1.1 {response.status} {reason}",
                 f"Server: {self.server_version}",
                 f"Date: {formatdate(usegmt=True)}"]
        lines.extend(f"{name}: {value}" for name, value in response.headers)
        if self.headers.get("Connection", "").lower() == "close":
            lines.append("Connection: close")
            self.close_connection = True
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + (b"" if self.command == "HEAD" else response.body))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve


def _decode_path(raw: str) -> str:
    return unquote(raw)


class _ThreadingServer(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True
    # Keep-alive connections would make server_close() wait for idle clients forever.
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, app: SimulatorApp):
        self.app = app
        self._connections: set = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self):
        # HTTPServer.server_bind() resolves the host's FQDN, which can be slow; skip it.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port

    def track(self, conn, alive: bool) -> None:
        with self._connections_lock:
            (self._connections.add if alive else self._connections.discard)(conn)

    def close_connections(self) -> None:
        with self._connections_lock:
            conns = list(self._connections)
            self._connections.clear()
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class SimulatorServer:
    """A Dialpad API simulator on a real port: ``start()``, use ``base_url``, ``stop()``.

    ``state``, ``requests``, ``faults`` are live: change them from a test and the next request
    sees it. ``reset()`` brings back a freshly generated org and clears the rest.
    """

    def __init__(self, org: str = "demo", seed: int = 1, api_key: str = "sim-key",
                 page_size: int = 100, rate_limit_per_minute: int | None = None,
                 host: str = "127.0.0.1", port: int = 0, *, spec_path=None,
                 record_requests: bool = True, deliver_events: bool = False):
        self.org = org
        self.seed = seed
        self.host = host
        self.port = port
        self.state = generate(org, seed)
        self.requests = RequestLog()
        self.faults = Faults(seed)
        self.rate_limiter = RateLimiter(rate_limit_per_minute)
        self.app = SimulatorApp(self.state, api_key=api_key, page_size=page_size,
                                faults=self.faults, rate_limiter=self.rate_limiter,
                                requests=self.requests, spec_path=spec_path,
                                record=record_requests)
        self.app.events.deliver = deliver_events
        self._httpd: _ThreadingServer | None = None
        self._thread: threading.Thread | None = None

    # --- settings forwarded to the app ---

    @property
    def api_key(self) -> str:
        return self.app.api_key

    @api_key.setter
    def api_key(self, value: str) -> None:
        self.app.api_key = value

    @property
    def page_size(self) -> int:
        return self.app.page_size

    @page_size.setter
    def page_size(self, value: int) -> None:
        self.app.page_size = int(value)

    @property
    def events(self):
        """The events on their way to the registered webhooks (``events.deliver = True``
        to send them; see dialpad_sim.events)."""
        return self.app.events

    @property
    def outside(self):
        """Changes made outside the API, each with its event (dialpad_sim.outside)."""
        return self.app.outside

    @property
    def scopes(self) -> set | None:
        return self.app.scopes

    @scopes.setter
    def scopes(self, value) -> None:
        """The API key's OAuth scopes (None: every scope)."""
        self.app.scopes = None if value is None else set(value)

    @property
    def rate_limit_per_minute(self) -> int | None:
        return self.rate_limiter.per_minute

    def set_rate_limit(self, per_minute: int | None) -> None:
        """Allow at most per_minute requests in any rolling 60 s (None: no limit)."""
        self.rate_limiter.set(per_minute)

    # --- lifecycle ---

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the simulator is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> "SimulatorServer":
        if self._httpd is not None:
            return self
        self._httpd = _ThreadingServer((self.host, self.port), self.app)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        name=f"dialpad-sim:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self.app.events.stop()
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def reset(self, org: str | None = None, seed: int | None = None) -> None:
        """Regenerate the org; clear recorded requests, faults and the rate-limit window;
        event delivery off with nothing queued, every scope granted.

        Requests still being handled (a slow fault a client gave up on) finish first, so a
        late write never lands in the fresh org.
        """
        self.org = org or self.org
        self.seed = self.seed if seed is None else seed
        self.faults.reset()
        self.app.clear_hooks()
        self.app.wait_until_idle()
        self.app.events.reset()
        self.app.scopes = None
        self.state.load(generate(self.org, self.seed))
        self.requests.clear()
        self.rate_limiter.clear()

    def after_answer(self, match, action, *, once=True):
        """See SimulatorApp.after_answer."""
        self.app.after_answer(match, action, once=once)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def __repr__(self):
        where = f"{self.host}:{self.port}" if self._httpd else "stopped"
        return f"SimulatorServer(org={self.org!r}, seed={self.seed}, {where})"


def wait_until_ready(url: str, timeout: float = 10.0) -> None:
    """Wait until an HTTP server answers at ``url`` (any status); TimeoutError otherwise.

    For a simulator started as a subprocess: ``wait_until_ready("http://127.0.0.1:8765")``.
    """
    deadline = time.monotonic() + timeout
    probe = url.rstrip("/") + "/api/v2/company"
    last_error = None
    while True:
        try:
            with urllib.request.urlopen(probe, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answered (401 without a key): it is up
        except (urllib.error.URLError, OSError) as exc:
            last_error = exc
        if time.monotonic() >= deadline:
            raise TimeoutError(f"no simulator answering at {url} after {timeout} s "
                               f"({last_error})")
        time.sleep(0.05)
