"""Exceptions that carry a clear message and the exit code the CLI reports."""

from __future__ import annotations


class SynthKGError(Exception):
    """A failure the user can act on; the message says what went wrong."""

    exit_code = 2


class InputError(SynthKGError):
    """A file or argument that cannot be read or understood (exit code 2)."""


class ConformanceError(SynthKGError):
    """Data that breaks the SHACL shapes (exit code 1)."""

    exit_code = 1


class WriteRefused(Exception):
    """A curator's write that is not applied; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
