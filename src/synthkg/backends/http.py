"""A small HTTP client for SPARQL endpoints: one kept-alive connection per thread.

The standard library is enough here and keeps the server free of extra dependencies. Each
thread (a gunicorn worker thread, a benchmark client) reuses its own connection, so a
query over loopback costs one round trip and no TCP handshake. Stores that guard their
update endpoints (Virtuoso's ``/sparql-auth``) are reached with HTTP Basic or Digest
authentication (``synthkg.backends.auth``).
"""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from synthkg.backends.auth import Credentials
from synthkg.errors import InputError


class EndpointTimeout(Exception):
    """The endpoint did not answer within the time limit."""


class EndpointUnavailable(Exception):
    """The endpoint could not be reached or closed the connection."""


@dataclass(frozen=True)
class Reply:
    """An HTTP answer from the endpoint, read completely."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names


class HttpEndpoint:
    """Requests to one URL (its path and query string kept) over per-thread connections."""

    def __init__(self, url: str, credentials: Credentials | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(f"{url}: not an http(s) URL")
        self.url = url
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._local = threading.local()
        self.credentials = credentials

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            conn = kind(self._host, self._port, timeout=timeout)
            self._local.conn = conn
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = None

    def request(
        self,
        method: str,
        params: dict[str, str | list[str]] | None = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
        path: str | None = None,
    ) -> Reply:
        """Send one request and read the whole answer; retried once on a stale connection."""
        target = path or self.path
        if params:
            query = urlencode(params, doseq=True)
            target += ("&" if "?" in target else "?") + query
        if body and self.credentials is not None and not self.credentials.chosen:
            # A guarded endpoint answers 401 before it reads a body and closes the
            # connection under a large one: learn its challenge with a bodiless HEAD first.
            probe = self._send("HEAD", target, None, {}, timeout)
            if probe.status == 401:
                self.credentials.answer(probe.headers.get("www-authenticate", ""), "HEAD", target)
        reply = self._send(method, target, body, headers or {}, timeout)
        if reply.status == 401 and self.credentials is not None:
            # The challenge names the scheme (Basic or Digest): answer it once.
            challenge = reply.headers.get("www-authenticate", "")
            answer = self.credentials.answer(challenge, method, target)
            if answer:
                reply = self._send(method, target, body, {**(headers or {}), **answer}, timeout)
        return reply

    def _send(
        self, method: str, target: str, body: bytes | None, headers: dict[str, str], timeout: float
    ) -> Reply:
        if self.credentials is not None:
            headers = {**self.credentials.preemptive(method, target), **headers}
        for attempt in (1, 2):
            conn = self._connection(timeout)
            try:
                conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except TimeoutError as failure:
                self._drop()
                raise EndpointTimeout(f"{self.url}: no answer within {timeout:g} s") from failure
            except (http.client.HTTPException, ConnectionError, OSError) as failure:
                self._drop()
                # Queries and INSERT DATA are idempotent, so one retry is safe.
                if attempt == 2:
                    raise EndpointUnavailable(f"{self.url}: {failure}") from failure
                continue
            if response.getheader("Connection", "").lower() == "close":
                self._drop()
            return Reply(
                response.status,
                response.getheader("Content-Type", ""),
                data,
                {k.lower(): v for k, v in response.getheaders()},
            )
        raise EndpointUnavailable(self.url)  # not reached

    def close(self) -> None:
        """Close this thread's connection."""
        self._drop()
