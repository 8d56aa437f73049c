"""HTTP Basic and Digest authentication (RFC 7617, RFC 7616) for guarded store endpoints.

Virtuoso guards its update and Graph Store endpoints (``/sparql-auth``,
``/sparql-graph-crud-auth``) with Digest; other stores use Basic. The server's challenge
chooses the scheme. After the first challenge the answer is sent with every request (a
Digest answer with the next nonce count), so a batch load costs no extra round trip per
request.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import threading
from dataclasses import dataclass, field

_PARAM = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')
_HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """The scheme (lower case) and parameters of a ``WWW-Authenticate`` header."""
    scheme, _, rest = header.strip().partition(" ")
    params = {
        name.lower(): quoted if quoted or not bare else bare
        for name, quoted, bare in _PARAM.findall(rest)
    }
    return scheme.lower(), params


@dataclass
class Credentials:
    """A user name and password, answering Basic or Digest challenges."""

    user: str
    password: str = field(repr=False)
    _scheme: str = ""
    _digest: dict[str, str] = field(default_factory=dict, repr=False)
    _count: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def chosen(self) -> bool:
        """Whether a challenge has chosen the scheme yet."""
        return bool(self._scheme)

    def answer(self, challenge: str, method: str, uri: str) -> dict[str, str]:
        """The ``Authorization`` header for a challenge; empty for a scheme not supported."""
        scheme, params = parse_challenge(challenge)
        with self._lock:
            if scheme == "basic":
                self._scheme = "basic"
            elif scheme == "digest" and params.get("nonce"):
                self._scheme, self._digest, self._count = "digest", params, 0
            else:
                return {}
        return self.preemptive(method, uri)

    def preemptive(self, method: str, uri: str) -> dict[str, str]:
        """The header for the scheme already chosen by a challenge (none before one)."""
        with self._lock:
            if self._scheme == "basic":
                token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
                return {"Authorization": f"Basic {token}"}
            if self._scheme != "digest":
                return {}
            self._count += 1
            return {"Authorization": self._digest_header(method, uri, self._count)}

    def _digest_header(self, method: str, uri: str, count: int) -> str:
        params = self._digest
        algorithm = params.get("algorithm", "MD5").upper()
        digest = _HASHES.get(algorithm.removesuffix("-SESS"), hashlib.md5)

        def h(text: str) -> str:
            return digest(text.encode()).hexdigest()

        realm, nonce = params.get("realm", ""), params["nonce"]
        cnonce = os.urandom(8).hex()
        nc = f"{count:08x}"
        secret = h(f"{self.user}:{realm}:{self.password}")
        if algorithm.endswith("-SESS"):
            secret = h(f"{secret}:{nonce}:{cnonce}")
        qops = [q.strip() for q in params.get("qop", "").split(",") if q.strip()]
        target = h(f"{method}:{uri}")
        fields = {"username": self.user, "realm": realm, "nonce": nonce, "uri": uri}
        if "auth" in qops:
            fields["response"] = h(f"{secret}:{nonce}:{nc}:{cnonce}:auth:{target}")
            extra = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            fields["response"] = h(f"{secret}:{nonce}:{target}")
            extra = ""
        if "opaque" in params:
            fields["opaque"] = params["opaque"]
        quoted = ", ".join(f'{name}="{value}"' for name, value in fields.items())
        return f"Digest {quoted}, algorithm={algorithm}{extra}"


def credentials_from(user: str | None, password: str | None) -> Credentials | None:
    """Credentials when a user is given (the password may be empty)."""
    return Credentials(user, password or "") if user else None
