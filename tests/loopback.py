"""Helpers for tests that run real servers on the loopback interface (the benchmark's own)."""

from __future__ import annotations

from bench.loopback import free_port

__all__ = ["free_port"]
