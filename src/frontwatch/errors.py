"""Typed errors. The CLI maps them to one-line messages and exit codes."""

from __future__ import annotations


class FrontwatchError(Exception):
    """Base class: anything the user can act on."""

    exit_code = 1


class ConfigError(FrontwatchError):
    exit_code = 2


class InputError(FrontwatchError):
    """One input file or record cannot be read; the batch goes on."""

    exit_code = 3

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ModelError(FrontwatchError):
    """The spaCy pipeline or the gazetteer cannot be loaded."""

    exit_code = 4


class StoreError(FrontwatchError):
    exit_code = 5


class NotFoundError(FrontwatchError):
    exit_code = 6


class FetchError(FrontwatchError):
    """A URL was not fetched: refused by policy (robots.txt, scheme, size, type,
    redirects) or failed (HTTP error, timeout). `kind` names the reason's class."""

    exit_code = 7

    def __init__(self, url: str, reason: str, kind: str = "error",
                 status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.kind = kind
        self.status = status


class FeedError(InputError):
    """A feed document (RSS, Atom, JSON Feed, sitemap) cannot be parsed."""
