"""frontwatch: war news in, a sourced, geocoded, dated event database out."""

from __future__ import annotations

__version__ = "0.1.0"
