"""Extraction: events, actors, attribution and claims from a parsed article."""

from __future__ import annotations

from .events import extract_events

__all__ = ["extract_events"]
