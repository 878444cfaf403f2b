"""The CI gate over the evaluations: pinned scores that must not drop.

A pins file (the repository's is `benchmarks/eval_pins.json`) lists runs. Each run names
an evaluation (`places` or `events`), a gold format, the gold file (a path relative to
the pins file, or absolute) and its filters (`since`, `country`, `limit`), and pins the
scores that run gave when the pins were last written:

    {"tolerance": 0.02, "jobs": 2,
     "runs": [{"name": "events/acled", "evaluation": "events", "format": "acled",
               "gold": "../../shared/data/events/acled_dev.csv",
               "since": "2022-01-01", "country": null, "limit": null,
               "pins": {"sub_event_accuracy": 0.81, ...}}]}

A places run may also name gazetteer files (`"gazetteer": ["../../shared/data/gazetteer/
settlements.csv", ...]`, relative like `gold`): the run then measures the full
gazetteer instead of cities500 alone. The files are loaded into a cache directory of
their own under the system's temporary directory, named by a digest of their content,
so every run naming the same files shares one index and a later gate reuses it (the
first build takes some 40 s; an unchanged one opens in about a second).

`frontwatch evaluate check --pins FILE` runs every run with exactly those settings and
fails when any score falls more than `tolerance` (absolute: 0.02 is 2 points) below its
pin; `--update` rewrites the pins from the scores of this run. Settings and pins live in
one file so that they cannot drift apart. Like trafilatura's benchmark gate, it catches
regressions; it does not ask for the issue's targets, which the reports print.

Everything here is a pure function of its arguments except `load_pins`/`save_pins`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

from .errors import InputError
from .settings import Settings

log = logging.getLogger(__name__)

DEFAULT_TOLERANCE = 0.02
EVALUATIONS = ("places", "events")

# The scores a new run pins when it names none of its own.
DEFAULT_PINNED: dict[tuple[str, str], tuple[str, ...]] = {
    ("places", "acled"): ("coverage", "within_5km", "within_25km", "admin1_accuracy"),
    ("places", "cir"): ("coverage", "within_5km", "within_25km", "admin1_accuracy"),
    ("places", "ucdp"): ("coverage", "within_5km", "within_25km", "admin1_accuracy"),
    ("events", "acled"): ("coverage", "event_type_accuracy", "sub_event_accuracy",
                          "sub_event_macro_f1", "actor1_side_accuracy", "actor2_side_accuracy",
                          "actor1_exact", "date_exact", "date_within_precision",
                          "fatalities_exact", "fatalities_within_20pct", "source_overlap"),
    ("events", "ucdp"): ("coverage", "date_exact", "date_within_window",
                         "deaths_within_range", "deaths_exact", "source_overlap"),
}

Status = Literal["ok", "up", "DROP", "MISSING"]


@dataclass(frozen=True, slots=True)
class Run:
    """One evaluation with fixed settings, and its pinned scores."""

    name: str
    evaluation: str
    fmt: str
    gold: str
    since: date | None = None
    country: str | None = None
    limit: int | None = None
    pins: Mapping[str, float | None] | None = None
    gazetteer: tuple[str, ...] = ()  # gazetteer files to load first (places runs)

    def gold_path(self, base: Path) -> Path:
        return _resolved(self.gold, base)

    def gazetteer_paths(self, base: Path) -> list[Path]:
        return [_resolved(g, base) for g in self.gazetteer]

    def pinned_keys(self) -> tuple[str, ...]:
        if self.pins:
            return tuple(self.pins)
        return DEFAULT_PINNED[(self.evaluation, self.fmt)]


@dataclass(frozen=True, slots=True)
class Pins:
    runs: tuple[Run, ...]
    tolerance: float = DEFAULT_TOLERANCE
    jobs: int = 2
    about: str = ""  # free text kept across --update (JSON has no comments)


@dataclass(frozen=True, slots=True)
class Verdict:
    run: str
    key: str
    pin: float | None
    score: float | None
    status: Status


def _resolved(path: str, base: Path) -> Path:
    p = Path(path)
    return p if p.is_absolute() else (base / p).resolve()


def _gazetteer(r: Mapping[str, Any], name: str, where: str) -> tuple[str, ...]:
    files = r.get("gazetteer") or []
    if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
        raise InputError(where, f"{name}: gazetteer must be a list of file paths")
    if files and r.get("evaluation") != "places":
        raise InputError(where, f"{name}: only a places run takes gazetteer files")
    return tuple(files)


def _date(value: Any, where: str) -> date | None:
    if value in (None, "", "all"):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(where, f"since: not a YYYY-MM-DD date: {value!r}") from exc


def pins_from_dict(data: Mapping[str, Any], where: str = "<pins>") -> Pins:
    """Validated pins; a malformed file is an InputError naming what is wrong."""
    runs = []
    raw_runs = data.get("runs")
    if not isinstance(raw_runs, list) or not raw_runs:
        raise InputError(where, "no runs")
    for i, r in enumerate(raw_runs):
        name = str(r.get("name") or f"run {i}")
        evaluation, fmt = r.get("evaluation"), r.get("format")
        if (evaluation, fmt) not in DEFAULT_PINNED:
            raise InputError(where, f"{name}: unknown evaluation/format {evaluation}/{fmt}")
        if not r.get("gold"):
            raise InputError(where, f"{name}: no gold file")
        limit = r.get("limit")
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise InputError(where, f"{name}: limit must be a positive integer")
        pins = r.get("pins")
        if pins is not None and not isinstance(pins, dict):
            raise InputError(where, f"{name}: pins must be an object")
        runs.append(Run(name=name, evaluation=str(evaluation), fmt=str(fmt), gold=str(r["gold"]),
                        since=_date(r.get("since"), where), country=r.get("country"),
                        limit=limit, pins=pins, gazetteer=_gazetteer(r, name, where)))
    names = [r.name for r in runs]
    if len(set(names)) != len(names):
        raise InputError(where, "run names must be unique")
    return Pins(tuple(runs), float(data.get("tolerance", DEFAULT_TOLERANCE)),
                int(data.get("jobs", 2)), str(data.get("about", "")))


def pins_to_dict(pins: Pins) -> dict[str, Any]:
    return {
        **({"about": pins.about} if pins.about else {}),
        "tolerance": pins.tolerance,
        "jobs": pins.jobs,
        "runs": [{"name": r.name, "evaluation": r.evaluation, "format": r.fmt, "gold": r.gold,
                  "since": r.since.isoformat() if r.since else None, "country": r.country,
                  "limit": r.limit,
                  **({"gazetteer": list(r.gazetteer)} if r.gazetteer else {}),
                  "pins": dict(r.pins or {})} for r in pins.runs],
    }


def load_pins(path: Path) -> Pins:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(str(path), "not a JSON object")
    return pins_from_dict(data, str(path))


def save_pins(path: Path, pins: Pins) -> None:
    path.write_text(json.dumps(pins_to_dict(pins), indent=2) + "\n", encoding="utf-8")


def gazetteer_cache(files: Sequence[Path]) -> Path:
    """The cache directory for a gazetteer of `files`: under the temporary directory,
    named by their content, so that it is built once and shared."""
    h = hashlib.sha256()
    for f in files:
        try:
            h.update(hashlib.sha256(f.read_bytes()).digest())
        except OSError as exc:
            raise InputError(str(f), f"gazetteer file: {exc.strerror or exc}") from exc
    return Path(tempfile.gettempdir()) / f"frontwatch-gate-{h.hexdigest()[:16]}"


def run_settings(run: Run, base: Path, settings: Settings) -> Settings:
    """The settings `run` is measured with: `settings` itself, or, for a run that names
    gazetteer files, the same pointed at a cache where those files are loaded (and
    loaded now if they are not yet)."""
    if not run.gazetteer:
        return settings
    from .places.manage import load_files

    files = run.gazetteer_paths(base)
    cached = replace(settings, cache_dir=str(gazetteer_cache(files)))
    result = load_files(files, cached)
    if result.errors:
        raise result.errors[0]
    if result.build_seconds is not None:
        log.info("%s: gazetteer index built in %.0f s", run.name, result.build_seconds)
    return cached


def compare(run: Run, scores: Mapping[str, Any], tolerance: float) -> list[Verdict]:
    """Each pinned score against this run's: DROP when it fell more than `tolerance`
    below the pin (or is gone), "up" when it rose by more than `tolerance` (time to
    re-pin), else ok."""
    out = []
    for key in run.pinned_keys():
        pin = (run.pins or {}).get(key)
        raw = scores.get(key)
        score = float(raw) if isinstance(raw, int | float) else None
        status: Status
        if pin is None:
            status = "ok" if score is None else "up"
        elif score is None:
            status = "MISSING"
        elif score < pin - tolerance - 1e-9:
            status = "DROP"
        elif score > pin + tolerance + 1e-9:
            status = "up"
        else:
            status = "ok"
        out.append(Verdict(run.name, key, pin, score, status))
    return out


def failed(verdicts: Sequence[Verdict]) -> bool:
    return any(v.status in ("DROP", "MISSING") for v in verdicts)


def updated(pins: Pins, scores: Mapping[str, Mapping[str, Any]]) -> Pins:
    """The pins with each run's pinned scores replaced by this run's (rounded to 4 places)."""
    runs = []
    for r in pins.runs:
        got = scores.get(r.name, {})
        new = {}
        for key in r.pinned_keys():
            v = got.get(key)
            new[key] = round(float(v), 4) if isinstance(v, int | float) else None
        runs.append(replace(r, pins=new))
    return Pins(tuple(runs), pins.tolerance, pins.jobs, pins.about)


def render_verdicts(verdicts: Sequence[Verdict], tolerance: float) -> str:
    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.1f}%"

    lines = [f"{'run':<16} {'score':<26} {'pin':>7} {'now':>7} {'change':>7}  status"]
    for v in verdicts:
        change = "" if v.pin is None or v.score is None else f"{100 * (v.score - v.pin):+.1f}"
        lines.append(f"{v.run:<16} {v.key:<26} {pct(v.pin):>7} {pct(v.score):>7} "
                     f"{change:>7}  {v.status}")
    drops = [v for v in verdicts if v.status in ("DROP", "MISSING")]
    ups = [v for v in verdicts if v.status == "up"]
    lines.append(f"gate: {'FAILED' if drops else 'passed'} ({len(drops)} score(s) more than "
                 f"{100 * tolerance:.0f} points below pin"
                 + (f"; {len(ups)} above: re-pin with --update" if ups else "") + ")")
    return "\n".join(lines)
