"""The gate's runs that measure a full gazetteer: pins with `gazetteer` files, the
shared cache they are loaded into, and `evaluate check` handing that cache to the run.

No index is built here: `load_files` is replaced by a recorder (loading itself is
tested in test_gazetteer_load.py).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from frontwatch import evaluate_cli
from frontwatch import evaluate_gate as gate
from frontwatch.cli import main
from frontwatch.errors import InputError
from frontwatch.places import manage
from frontwatch.places.manage import LoadResult
from frontwatch.settings import Settings

GAZ = ["gaz/settlements.csv", "gaz/hromadas.csv"]


def pins_dict(**run: Any) -> dict[str, Any]:
    base = {"name": "places/acled-full", "evaluation": "places", "format": "acled",
            "gold": "acled.csv", "since": "2022-01-01", "country": None, "limit": None,
            "gazetteer": GAZ, "pins": {"within_5km": 0.7}}
    base.update(run)
    return {"about": "doc", "tolerance": 0.02, "jobs": 2, "runs": [base]}


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[Path], Path]]:
    calls: list[tuple[list[Path], Path]] = []

    def fake(paths: list[Path], settings: Settings, **_: Any) -> LoadResult:
        calls.append((list(paths), settings.cache_path))
        return LoadResult()

    monkeypatch.setattr(manage, "load_files", fake)
    return calls


def _files(folder: Path, text: str = "x") -> Path:
    for g in GAZ:
        (folder / g).parent.mkdir(parents=True, exist_ok=True)
        (folder / g).write_text(f"{g}:{text}", encoding="utf-8")
    return folder


def test_gazetteer_files_round_trip_and_resolve_beside_the_pins_file(tmp_path: Path) -> None:
    pins = gate.pins_from_dict(pins_dict())
    (run,) = pins.runs
    assert run.gazetteer == tuple(GAZ)
    assert gate.pins_to_dict(pins) == pins_dict()
    assert run.gazetteer_paths(tmp_path) == [(tmp_path / g).resolve() for g in GAZ]
    # A run without files writes no key, so the existing pins file reads back unchanged.
    plain = pins_dict()
    del plain["runs"][0]["gazetteer"]
    assert gate.pins_to_dict(gate.pins_from_dict(plain)) == plain
    # --update keeps the files.
    new = gate.updated(pins, {"places/acled-full": {"within_5km": 0.81234}})
    assert new.runs[0].gazetteer == tuple(GAZ) and new.runs[0].pins == {"within_5km": 0.8123}


@pytest.mark.parametrize(("change", "message"), [
    ({"gazetteer": "settlements.csv"}, "list of file paths"),
    ({"gazetteer": [""]}, "list of file paths"),
    ({"evaluation": "events", "pins": None}, "only a places run"),
])
def test_gazetteer_validation(change: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        gate.pins_from_dict(pins_dict(**change))


def test_the_cache_is_named_by_content(tmp_path: Path) -> None:
    a = _files(tmp_path / "a")
    b = _files(tmp_path / "b")
    c = _files(tmp_path / "c", "changed")
    key = [Path(g) for g in GAZ]
    cache_a = gate.gazetteer_cache([a / k for k in key])
    assert cache_a.parent == Path(tempfile.gettempdir())
    assert cache_a.name.startswith("frontwatch-gate-")
    assert gate.gazetteer_cache([b / k for k in key]) == cache_a  # same bytes, elsewhere
    assert gate.gazetteer_cache([c / k for k in key]) != cache_a
    with pytest.raises(InputError, match="gazetteer file"):
        gate.gazetteer_cache([tmp_path / "missing.csv"])


def test_run_settings_load_the_files_into_that_cache(
    tmp_path: Path, loads: list[tuple[list[Path], Path]]
) -> None:
    base = _files(tmp_path)
    settings = Settings(cache_dir=str(tmp_path / "user-cache"))
    plain = gate.pins_from_dict(pins_dict(gazetteer=[])).runs[0]
    assert gate.run_settings(plain, base, settings) is settings
    assert loads == []
    run = gate.pins_from_dict(pins_dict()).runs[0]
    got = gate.run_settings(run, base, settings)
    files = run.gazetteer_paths(base)
    assert got.cache_path == gate.gazetteer_cache(files)
    assert got.min_population == settings.min_population  # only the cache changes
    assert loads == [(files, got.cache_path)]


def test_a_file_that_does_not_load_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bad(paths: list[Path], settings: Settings, **_: Any) -> LoadResult:
        return LoadResult(errors=(InputError("x.csv", "unrecognised CSV header"),))

    monkeypatch.setattr(manage, "load_files", bad)
    run = gate.pins_from_dict(pins_dict()).runs[0]
    with pytest.raises(InputError, match="unrecognised"):
        gate.run_settings(run, _files(tmp_path), Settings())


def test_cli_check_measures_a_gazetteer_run_on_its_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loads: list[tuple[list[Path], Path]]
) -> None:
    seen: dict[str, Path] = {}

    def fake(gold: Path, fmt: str, *, settings: Settings, **kw: Any) -> dict[str, Any]:
        seen[gold.name] = settings.cache_path
        return {"n": 10, "within_5km": 0.7}

    monkeypatch.setattr(evaluate_cli, "places_summary", fake)
    bench = _files(tmp_path / "bench")
    d = pins_dict()
    d["runs"].append({**d["runs"][0], "name": "places/acled", "gold": "plain.csv",
                      "gazetteer": []})
    pins_file = bench / "pins.json"
    pins_file.write_text(json.dumps(d), encoding="utf-8")
    res = CliRunner().invoke(main, ["--config", str(_config(tmp_path)), "evaluate", "check",
                                    "--pins", str(pins_file)])
    assert res.exit_code == 0, res.output
    files = gate.pins_from_dict(d).runs[0].gazetteer_paths(bench)
    assert seen["acled.csv"] == gate.gazetteer_cache(files)
    assert seen["plain.csv"] == tmp_path / "user-cache"
    assert len(loads) == 1


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "frontwatch.toml"
    path.write_text(f'cache_dir = "{tmp_path / "user-cache"}"\n', encoding="utf-8")
    return path
