"""`frontwatch.open(db)`: read-only typed queries and optional DataFrames (frontwatch.query)."""

from __future__ import annotations

import sqlite3
import sys
import types
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import frontwatch
from frontwatch.cli import main
from frontwatch.errors import StoreError
from frontwatch.export import EVENT_KEYS
from frontwatch.fuse.control import Timeline
from frontwatch.query import ArticleInfo, Frontwatch, PandasMissing, Records
from frontwatch.records import Claim, Event
from frontwatch.store import EventFilter, SQLiteStore

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
UK = ("Російські війська обстріляли Бахмут і Костянтинівку, повідомив Генштаб ЗСУ. "
      "Бої тривають біля Авдіївки на Донеччині. За словами речника, ворог також "
      "атакував Харків. ") * 2


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("q")
    for name in ("04_robotyne_daily_brief.txt", "01_kramatorsk_station_strike.txt"):
        (folder / name).write_text((EXAMPLES / name).read_text(encoding="utf-8"),
                                   encoding="utf-8")
    (folder / "uk.txt").write_text(UK, encoding="utf-8")
    path = folder / "t.db"
    res = CliRunner().invoke(main, ["--db", str(path), "ingest", str(folder),
                                    "--meta", str(EXAMPLES / "meta.jsonl")])
    assert res.exit_code == 0, res.output
    return path


@pytest.fixture()
def fw(db: Path) -> Any:
    with frontwatch.open(db) as handle:
        yield handle


def test_events_are_typed_and_filterable(fw: Frontwatch, db: Path) -> None:
    with SQLiteStore(str(db)) as store:
        expected = store.events()
        bakhmut = store.events(EventFilter(place="Bakhmut"))
    events = fw.events()
    assert isinstance(events, Records) and events == expected and events
    assert all(isinstance(e, Event) for e in events)
    assert fw.events(place="Bakhmut") == bakhmut
    assert fw.events(EventFilter(place="Bakhmut")) == bakhmut
    dated = [e.event_date for e in events if e.event_date]
    first = min(dated)
    since = fw.events(since=first.isoformat())
    assert since and all(e.event_date and e.event_date >= first for e in since)
    assert fw.events(until=date(1990, 1, 1)) == []
    assert len(fw.events(limit=2)) == 2


def test_claims_mentions_and_control(fw: Frontwatch) -> None:
    claims = fw.claims()
    assert claims and all(isinstance(c, Claim) for c in claims)
    kinds = {c.kind for c in claims}
    kind = next(iter(kinds))
    assert all(c.kind == kind for c in fw.claims(kind=kind))
    mentions = fw.mentions()
    assert any(m.article == "uk.txt" and m.mention.place.name == "Bakhmut" for m in mentions)
    timelines = fw.control()
    assert timelines and all(isinstance(t, Timeline) for t in timelines)
    name = timelines[0].place.name
    one = fw.control(name)
    assert [t.place.name for t in one] == [name] and one[0].intervals
    assert fw.control(str(one[0].place.geonameid)) == one
    day = next(iv.start or iv.end for iv in one[0].intervals if iv.start or iv.end)
    assert one[0] in fw.control(as_of=day)
    assert fw.fused()


def test_articles_and_languages(fw: Frontwatch) -> None:
    arts = fw.articles()
    assert sorted(a.name for a in arts) == ["01_kramatorsk_station_strike.txt",
                                            "04_robotyne_daily_brief.txt", "uk.txt"]
    assert all(isinstance(a, ArticleInfo) for a in arts)
    uk = fw.articles(language="uk")
    assert [a.name for a in uk] == ["uk.txt"]
    assert not uk[0].analysed and uk[0].events == 0 and uk[0].mentions > 0
    assert all(a.analysed for a in fw.articles(language="en"))
    assert sum(a.events for a in arts) == len(fw.events())
    assert fw.languages() == {"en": 2, "uk": 1}
    assert fw.counts()["articles"] == 3
    stored = fw.article("uk.txt")
    assert stored is not None and stored.article.language == "uk"


def test_read_only(fw: Frontwatch, tmp_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError):
        fw.store.conn.execute("DELETE FROM articles")
    with pytest.raises(StoreError):
        frontwatch.open(tmp_path / "missing.db")


def test_frames_without_pandas(fw: Frontwatch, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas → ImportError
    with pytest.raises(PandasMissing, match="pip install pandas"):
        fw.events().to_pandas()
    with pytest.raises(ImportError):
        fw.claims_frame()


class _FakeFrame:
    def __init__(self, rows: list[dict[str, object]], columns: list[str]) -> None:
        self.rows, self.columns = rows, columns

    @classmethod
    def from_records(cls, rows: list[dict[str, object]]) -> _FakeFrame:
        return cls(rows, list(rows[0]) if rows else [])


def test_frames_with_a_pandas_stand_in(fw: Frontwatch, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("pandas")
    fake.DataFrame = lambda columns: _FakeFrame([], columns)  # type: ignore[attr-defined]
    fake.DataFrame.from_records = _FakeFrame.from_records  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pandas", fake)
    frame = fw.events_frame(place="Orikhiv")
    assert frame.columns[: len(EVENT_KEYS)] == list(EVENT_KEYS)
    assert frame.rows and {r["location"] for r in frame.rows} == {"Orikhiv"}
    empty = fw.events_frame(until=date(1990, 1, 1))
    assert empty.rows == [] and empty.columns == list(EVENT_KEYS)
    control = fw.control_frame("Orikhiv")
    assert control.rows and {r["name"] for r in control.rows} == {"Orikhiv"}
    arts = fw.to_pandas("articles")
    assert {r["name"] for r in arts.rows} >= {"uk.txt"}
    assert {"language", "analysed", "events", "fetched_at"} <= set(arts.columns)
    with pytest.raises(ValueError):
        fw.to_pandas("nope")


def test_real_pandas(fw: Frontwatch) -> None:
    pd = pytest.importorskip("pandas")
    df = fw.events_frame()
    assert isinstance(df, pd.DataFrame) and len(df) == len(fw.events())
