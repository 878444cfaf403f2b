"""Shared set-up for the atheris harnesses (README.md, "Reliability" / "Bad input")."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

# The harnesses run from a checkout: import frontwatch from src/ even when the venv has
# no editable install of it.
SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))


def quiet() -> None:
    """Warnings about truncated or refused input are expected by the thousand here."""
    logging.disable(logging.CRITICAL)


def scratch_file(suffix: str) -> Path:
    """Where this process writes an input as a file: RAM when there is a /dev/shm. The
    caller deletes it after each input, because libFuzzer ends the process with exit(),
    and no cleanup code of ours runs after that."""
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    folder = base / "frontwatch-fuzz"
    folder.mkdir(exist_ok=True)
    return folder / f"input-{os.getpid()}{suffix}"


def run(test_one_input: Callable[[bytes], None]) -> None:
    """Fuzz `test_one_input` with libFuzzer's command line (sys.argv)."""
    import atheris

    quiet()
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
