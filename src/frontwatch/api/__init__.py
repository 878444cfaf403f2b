"""frontwatch's read-only HTTP API and map page: `create_app(db)`, `serve(...)`."""

from __future__ import annotations

from .app import create_app, serve

__all__ = ["create_app", "serve"]
