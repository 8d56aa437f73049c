"""A small SPARQL client: POSTed queries, a per-request timeout, and retries with
exponential back-off on server errors (5xx, 429) and failed connections."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from synthkg import __version__
from synthkg.errors import SynthKGError

RESULTS_JSON = "application/sparql-results+json"


class EndpointError(SynthKGError):
    """The other graph's endpoint failed (after the retries) or answered nonsense."""


@dataclass
class SparqlClient:
    endpoint: str
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 0.5  # seconds before the first retry; doubled for each next one
    requests: int = 0  # how many HTTP requests were sent (for reports and tests)

    def select(self, query: str) -> list[dict[str, str]]:
        """The bindings of a SELECT query, each variable as its value's text."""
        body = self._post(query)
        try:
            bindings = json.loads(body)["results"]["bindings"]
        except (ValueError, KeyError, TypeError) as error:
            raise EndpointError(f"{self.endpoint}: not a SPARQL JSON result: {error}") from None
        return [{name: cell["value"] for name, cell in row.items()} for row in bindings]

    def _post(self, query: str) -> bytes:
        data = urllib.parse.urlencode({"query": query}).encode("utf-8")
        headers = {
            "Accept": RESULTS_JSON,
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": f"synthkg/{__version__} (synthkg link)",
        }
        attempt = 0
        while True:
            attempt += 1
            self.requests += 1
            request = urllib.request.Request(self.endpoint, data=data, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as error:
                retryable = error.code >= 500 or error.code == 429
                why = f"HTTP {error.code} {error.reason}"
                if not retryable:
                    detail = error.read(500).decode("utf-8", "replace").strip()
                    raise EndpointError(f"{self.endpoint}: {why}: {detail}") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                why = str(getattr(error, "reason", error))
            if attempt > self.retries:
                raise EndpointError(
                    f"{self.endpoint}: {why} (gave up after {attempt} attempts)"
                ) from None
            time.sleep(self.backoff * 2 ** (attempt - 1))
