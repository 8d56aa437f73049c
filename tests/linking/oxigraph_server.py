"""A real second SPARQL server for the link tests: ``oxigraph serve`` on a loopback port,
loaded with a small Wikidata-shaped graph, plus a flaky proxy in front of it."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from loopback import free_port

OXIGRAPH = Path(sys.executable).with_name("oxigraph")

# Item -> (arXiv ID, DOI, English title); the shapes Wikidata uses (P818, P356, P1476).
WIKIDATA_ITEMS = {
    "Q901": ("2401.00001", None, "Growing Data from Nothing"),
    "Q902": (None, "10.1109/TVCG.2025.12345", "A Journal Study of Model Collapse"),
    "Q903": (None, None, "Seeds And Sprouts: Synthetic Data From A Handful Of Examples"),
    "Q904": (None, None, "Twin titles"),
    "Q905": (None, None, "Twin Titles"),
    "Q906": ("1999.99999", None, "A paper we do not have"),
}


def wikidata_graph() -> str:
    """N-Triples of the Wikidata-shaped test graph."""
    wd, wdt = "http://www.wikidata.org/entity/", "http://www.wikidata.org/prop/direct/"
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    lines = []
    for item, (arxiv, doi, title) in WIKIDATA_ITEMS.items():
        lines.append(f"<{wd}{item}> <{wdt}P31> <{wd}Q13442814> .")
        lines.append(f'<{wd}{item}> <{wdt}P1476> "{title}"@en .')
        lines.append(f'<{wd}{item}> <{label}> "{title}"@en .')
        if arxiv:
            lines.append(f'<{wd}{item}> <{wdt}P818> "{arxiv}" .')
        if doi:
            lines.append(f'<{wd}{item}> <{wdt}P356> "{doi}" .')
    return "\n".join(lines) + "\n"


@dataclass
class OxigraphServer:
    location: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def load(self, data: Path) -> None:
        subprocess.run(
            [str(OXIGRAPH), "load", "--location", str(self.location), "--file", str(data)],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(OXIGRAPH),
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=1):
                    return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("oxigraph serve did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class FlakyProxy:
    """Answers the first ``failures`` requests with 503, then forwards to ``target``."""

    def __init__(self, target: str, failures: int) -> None:
        self.failures = failures
        self.seen = 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                proxy.seen += 1
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if proxy.seen <= proxy.failures:
                    self.send_response(503)
                    self.end_headers()
                    return
                request = urllib.request.Request(target, data=body, headers=dict(self.headers))
                with urllib.request.urlopen(request, timeout=10) as answer:
                    payload = answer.read()
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.headers["Content-Type"])
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/query"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
