"""The Settings a subcommand runs with, for command modules that `cli` imports at start
(they cannot import `cli` back)."""

from __future__ import annotations

from typing import Any

import click

from .settings import Settings


def context_settings(ctx: click.Context, **overrides: Any) -> Settings:
    """The root command's Settings (defaults when run without it), with `overrides`."""
    settings = getattr(ctx.find_root().obj, "settings", None)
    base = settings if isinstance(settings, Settings) else Settings()
    return base.with_overrides(**overrides) if overrides else base
