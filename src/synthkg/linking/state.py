"""The resumable state of a link run: the matches of every finished batch.

A batch is named by a hash of the endpoint, the kind and the papers' IRIs, titles and
identifiers, so a rerun skips exactly the batches whose papers have not changed. The file
is rewritten atomically after each batch; it lives outside ``data/`` (``build/`` by default).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from synthkg.errors import InputError
from synthkg.export import write_bytes_atomic

STATE_VERSION = 1


@dataclass(frozen=True)
class Match:
    """One paper matched with one entity of the other graph."""

    paper: str
    target: str
    method: str  # "arxiv", "doi" or "title"
    value: str  # the identifier or title that matched


@dataclass
class RunState:
    path: Path
    batches: dict[str, list[Match]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> RunState:
        if not path.is_file():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("version") != STATE_VERSION:
                return cls(path)  # an older layout: start again
            batches = {
                key: [Match(**item) for item in items] for key, items in raw["batches"].items()
            }
        except (ValueError, KeyError, TypeError) as error:
            raise InputError(f"{path}: not a link state file ({error}); remove it") from None
        return cls(path, batches)

    def finish(self, key: str, matches: list[Match]) -> None:
        """Record a finished batch and save at once."""
        self.batches[key] = matches
        self.save()

    def save(self) -> None:
        content = {
            "version": STATE_VERSION,
            "batches": {
                key: [asdict(m) for m in matches] for key, matches in sorted(self.batches.items())
            },
        }
        text = json.dumps(content, indent=1, sort_keys=True) + "\n"
        write_bytes_atomic(self.path, text.encode("utf-8"))


def batch_key(endpoint: str, kind: str, papers: list[tuple[str, ...]]) -> str:
    """The name of a batch: it changes whenever the batch's papers do."""
    digest = hashlib.sha256()
    for part in (endpoint, kind, *("\x1f".join(p) for p in papers)):
        digest.update(part.encode("utf-8") + b"\x1e")
    return digest.hexdigest()[:24]
