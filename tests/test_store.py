"""Store behaviour: every behaviour test runs against MemoryStore and SQLiteStore."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontwatch.errors import StoreError
from frontwatch.records import (
    Article,
    ArticleResult,
    Claim,
    Cleaned,
    Event,
    Mention,
    Place,
    Removed,
    Source,
)
from frontwatch.store import (
    MIGRATIONS,
    EventFilter,
    MemoryStore,
    SQLiteStore,
    Store,
    open_store,
)

BAKHMUT = Place(
    geonameid=712451,
    name="Bakhmut",
    latitude=48.5956,
    longitude=38.0003,
    country="UA",
    kind="settlement",
    admin1_code="UA.05",
    admin1="Donetsk",
    admin2="Bakhmutskyi Raion",
    population=72310,
    feature_code="PPLA2",
)
AVDIIVKA = Place(
    geonameid=713174,
    name="Avdiivka",
    latitude=48.1394,
    longitude=37.7497,
    country="UA",
    kind="settlement",
    admin1_code="UA.05",
    admin1="Donetsk",
    population=31940,
    feature_code="PPL",
)
BELGOROD = Place(
    geonameid=578072,
    name="Belgorod",
    latitude=50.6107,
    longitude=36.5802,
    country="RU",
    kind="settlement",
    admin1_code="RU.09",
    admin1="Belgorod Oblast",
    population=356402,
    feature_code="PPLA",
)
DONETSK_OBLAST = Place(
    geonameid=709716,
    name="Donetsk Oblast",
    latitude=48.0,
    longitude=37.8,
    country="UA",
    kind="region",
    admin1_code="UA.05",
    admin1="Donetsk",
    feature_code="ADM1",
)

ISW = Source("ISW", "think_tank", relayed_by=None)
BLOGGER = Source("Rybar", "military_blogger", channel="Telegram", quote=True, relayed_by="ISW")
GENSTAFF = Source("Ukrainian General Staff", "ukraine_gov", channel="Facebook")


def _mention(place: Place, surface: str, start: int, **kw: object) -> Mention:
    return Mention(surface, start, start + len(surface), place, 1, 0.9, **kw)  # type: ignore[arg-type]


def _event(aid: str, name: str, n: int, place: Place, **kw: object) -> Event:
    fields: dict[str, object] = {
        "event_id": f"{aid}-e{n}",
        "article_id": aid,
        "article": name,
        "event_date": date(2024, 2, 10),
        "time_precision": 1,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Military Forces of Russia (2000-)",
        "side1": "russia",
        "location": _mention(place, place.name, 10 * n),
        "evidence": f'Sentence {n} about {place.name}, with a comma and "quotes".',
        "evidence_start": 100 * n,
        "evidence_end": 100 * n + 50,
        "actor2": "Military Forces of Ukraine (2019-)",
        "side2": "ukraine",
        "movement": "advance",
        "modality": "claimed",
        "fatalities": None,
        "sources": (BLOGGER, ISW),
        "notes": "",
    }
    fields.update(kw)
    return Event(**fields)  # type: ignore[arg-type]


def make_result(
    aid: str = "a1b2c3d4e5f60001", name: str = "isw-2024-02-10.html", shift: int = 0
) -> ArticleResult:
    text = "Russian forces advanced near Bakhmut. Subscribe now! Fighting in Avdiivka."
    article = Article(
        id=aid,
        name=name,
        text=text,
        title="Russian Offensive Campaign Assessment",
        url=f"https://example.org/{name}",
        outlet="ISW",
        published=date(2024, 2, 10),
        language="en",
        path=f"/data/{name}",
    )
    cleaned = Cleaned(
        text="Russian forces advanced near Bakhmut. Fighting in Avdiivka.",
        removed=(Removed(38, 53, "Subscribe now! ", "donation appeal"), Removed(0, 0, "", "x")),
    )
    mentions = (
        _mention(BAKHMUT, "Bakhmut", 29, qualifier="near"),
        _mention(AVDIIVKA, "Avdiivka", 50),
        _mention(DONETSK_OBLAST, "Donetsk Oblast", 70),
    )
    events = (
        _event(aid, name, 1, BAKHMUT, event_date=date(2024, 2, 9 + shift)),
        # Same date and evidence_start as the next one: insertion order must hold.
        _event(aid, name, 2, AVDIIVKA, event_date=date(2024, 2, 10 + shift), evidence_start=150),
        _event(
            aid,
            name,
            3,
            BAKHMUT,
            event_date=date(2024, 2, 10 + shift),
            evidence_start=150,
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            side1="ukraine",
            actor1="Military Forces of Ukraine (2019-)",
            actor2=None,
            side2=None,
            movement=None,
            modality="reported",
            fatalities=3,
            sources=(GENSTAFF,),
            time_precision=2,
            notes="n",
        ),
        _event(aid, name, 4, BELGOROD, event_date=None, time_precision=None, sources=()),
    )
    claims = (
        Claim(
            claim_id=f"{aid}-c1",
            article_id=aid,
            article=name,
            kind="casualties",
            evidence="Russia lost 300 soldiers.",
            evidence_start=5,
            evidence_end=30,
            side="russia",
            low=300.0,
            high=350.5,
            unit="people",
            killed_or_injured=True,
            valid_from=date(2024, 2, 1),
            valid_to=date(2024, 2, 9),
            as_of=date(2024, 2, 10),
            date_precision=1,
            modality="claimed",
            sources=(GENSTAFF,),
        ),
        Claim(
            claim_id=f"{aid}-c2",
            article_id=aid,
            article=name,
            kind="control",
            evidence="Russia holds Avdiivka.",
            evidence_start=40,
            evidence_end=62,
            place=AVDIIVKA,
            holder="russia",
            background=True,
        ),
    )
    return ArticleResult(article, cleaned, mentions, events, claims)


def second_result() -> ArticleResult:
    return make_result("ffee00112233aabb", "kyiv-independent-0211.html", shift=1)


@pytest.fixture(params=["memory", "sqlite-memory", "sqlite-file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s: Store
    if request.param == "memory":
        s = MemoryStore()
    elif request.param == "sqlite-memory":
        s = open_store(":memory:")
    else:
        s = open_store(str(tmp_path / "fw.db"))
    yield s
    s.close()


def _sorted_events(*results: ArticleResult) -> list[Event]:
    evs = [(e, r, i) for r in results for i, e in enumerate(r.events)]
    return [
        e
        for e, _, _ in sorted(
            evs,
            key=lambda t: (
                t[0].event_date is None,
                t[0].event_date or date.min,
                t[0].article,
                t[0].evidence_start,
                results.index(t[1]),
                t[2],
            ),
        )
    ]


# --------------------------------------------------------------------------- saving


def test_is_a_store(store: Store) -> None:
    assert isinstance(store, Store)


def test_save_and_round_trip(store: Store) -> None:
    r = make_result()
    assert not store.has_article(r.article.id)
    assert store.save(r) is True
    assert store.has_article(r.article.id)
    assert store.events() == list(r.events)
    assert store.claims() == list(r.claims)
    assert [m.mention for m in store.mentions()] == list(r.mentions)
    assert {(m.article_id, m.article) for m in store.mentions()} == {(r.article.id, r.article.name)}
    stored = store.get_article(r.article.id)
    assert stored is not None
    assert stored.article == r.article
    assert stored.cleaned == r.cleaned
    assert stored.ingested_at[:4].isdigit() and "T" in stored.ingested_at
    assert list(store.articles()) == [r.article]


def test_counts(store: Store) -> None:
    assert store.counts() == dict.fromkeys(
        ("articles", "events", "mentions", "claims", "places", "boilerplate"), 0
    )
    store.save(make_result())
    assert store.counts() == {
        "articles": 1,
        "events": 4,
        "mentions": 3,
        "claims": 2,
        "places": 4,
        "boilerplate": 2,
    }


def test_save_is_idempotent(store: Store) -> None:
    r = make_result()
    assert store.save(r)
    before = store.counts()
    assert store.save(r) is False
    # Same id, different content: still the stored article wins, nothing changes.
    assert store.save(replace(r, events=r.events[:1])) is False
    assert store.counts() == before
    assert store.events() == list(r.events)


def test_save_many(store: Store) -> None:
    a, b = make_result(), second_result()
    assert store.save_many([a, b, a]) == 2
    assert store.save_many(iter([a, b])) == 0
    assert [x.id for x in store.articles()] == [a.article.id, b.article.id]
    assert store.events() == _sorted_events(a, b)


def test_events_ordered_by_date_name_evidence(store: Store) -> None:
    a, b = second_result(), make_result()
    store.save_many([a, b])
    got = store.events()
    assert got == _sorted_events(a, b)
    dated = [e.event_date for e in got if e.event_date is not None]
    assert dated == sorted(dated)
    assert got[-1].event_date is None and got[-2].event_date is None  # undated last


def test_place_upsert_updates_earlier_events(store: Store) -> None:
    store.save(make_result())
    renamed = replace(BAKHMUT, name="Artemivsk", population=1)
    b = second_result()
    b = replace(
        b,
        mentions=(_mention(renamed, "Artemivsk", 1),),
        events=tuple(
            replace(e, location=replace(e.location, place=renamed))
            if e.location.place.geonameid == BAKHMUT.geonameid
            else e
            for e in b.events
        ),
    )
    store.save(b)
    assert store.counts()["places"] == 4
    names = {e.location.place.name for e in store.events(EventFilter(place="712451"))}
    assert names == {"Artemivsk"}
    # Digits past any 64-bit integer are searched as text, never bound as an integer.
    assert store.events(EventFilter(place="9" * 40)) == []


def test_empty_result(store: Store) -> None:
    r = make_result()
    bare = ArticleResult(r.article, Cleaned(r.article.text))
    assert store.save(bare)
    assert store.events() == [] and store.claims() == [] and list(store.mentions()) == []
    got = store.get_article(r.article.id)
    assert got is not None and got.cleaned == Cleaned(r.article.text)


def test_article_with_minimal_metadata(store: Store) -> None:
    art = Article.from_text("Some text about nothing at all.", "stdin")
    assert store.save(ArticleResult(art, Cleaned(art.text)))
    assert list(store.articles()) == [art]


# --------------------------------------------------------------------------- atomicity

STEPS = [
    "_write_article",
    "_write_boilerplate",
    "_write_places",
    "_write_mentions",
    "_write_events",
    "_write_claims",
]


@pytest.mark.parametrize("step", STEPS)
def test_failure_mid_save_leaves_nothing(
    store: Store, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_result()
    store.save(first)
    before = store.counts()
    second = second_result()
    # A place only the failing article has: its upsert must roll back too.
    kharkiv = Place(706483, "Kharkiv", 49.98, 36.25, "UA", "settlement", admin1="Kharkiv")
    second = replace(second, mentions=(*second.mentions, _mention(kharkiv, "Kharkiv", 90)))
    original = getattr(type(store), step)

    def fail(*args: object) -> None:
        original(store, *args)  # the step's rows are written, then it dies
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, step, fail)
    with pytest.raises(StoreError, match="disk on fire"):
        store.save(second)
    monkeypatch.undo()
    assert not store.has_article(second.article.id)
    assert store.counts() == before
    assert store.events() == list(first.events)
    assert store.claims() == list(first.claims)
    assert store.get_article(second.article.id) is None
    # And the store is usable: the same article saves cleanly afterwards.
    assert store.save(second)
    assert store.counts()["articles"] == 2


def test_interrupt_mid_save_rolls_back_and_propagates(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "_write_events", interrupt)
    with pytest.raises(KeyboardInterrupt):
        store.save(make_result())
    monkeypatch.undo()
    assert store.counts()["articles"] == 0
    assert store.save(make_result())


def test_duplicate_event_id_across_articles_rolls_back(store: Store) -> None:
    a = make_result()
    store.save(a)
    b = second_result()
    clash = replace(b.events[0], event_id=a.events[0].event_id)
    b = replace(b, events=(clash, *b.events[1:]))
    with pytest.raises(StoreError):
        store.save(b)
    assert not store.has_article(b.article.id)
    assert store.counts()["events"] == len(a.events)


@pytest.mark.parametrize("part", ["event", "claim", "dup_event", "dup_claim", "empty_id"])
def test_inconsistent_result_refused(store: Store, part: str) -> None:
    r = make_result()
    if part == "event":
        r = replace(r, events=(replace(r.events[0], article_id="other"),))
    elif part == "claim":
        r = replace(r, claims=(replace(r.claims[0], article_id="other"),))
    elif part == "dup_event":
        r = replace(r, events=(r.events[0], r.events[0]))
    elif part == "dup_claim":
        r = replace(r, claims=(r.claims[0], r.claims[0]))
    else:
        r = replace(r, article=replace(r.article, id=""), events=(), claims=())
    with pytest.raises(StoreError):
        store.save(r)
    assert store.counts()["articles"] == 0


def test_closed_store_raises(store: Store) -> None:
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        store.events()
    with pytest.raises(StoreError, match="closed"):
        store.save(make_result())


# --------------------------------------------------------------------------- lookups


def test_get_article_by_id_prefix_and_name(store: Store) -> None:
    r = make_result()
    store.save(r)
    aid = r.article.id
    for key in (aid, aid[:6], aid[:10].upper(), r.article.name):
        got = store.get_article(key)
        assert got is not None and got.article.id == aid, key
    assert store.get_article(aid[:5]) is None  # too short to trust
    assert store.get_article("nope") is None
    assert store.get_article("") is None


def test_ambiguous_prefix_and_name(store: Store) -> None:
    a = make_result("abcdef0000000001", "same.html")
    b = make_result("abcdef0000000002", "same.html", shift=1)
    store.save_many([a, b])
    assert store.get_article("abcdef") is None
    assert store.get_article("same.html") is None  # two articles of that name
    got = store.get_article("abcdef0000000002")
    assert got is not None and got.article == b.article
    # A filter, unlike get_article, may stand for several articles.
    assert len(store.events(EventFilter(article="same.html"))) == 8
    assert store.events(EventFilter(article="abcdef")) == []


def test_mentions_and_claims_by_article(store: Store) -> None:
    a, b = make_result(), second_result()
    store.save_many([a, b])
    assert len(list(store.mentions())) == 6
    assert [m.mention for m in store.mentions(b.article.name)] == list(b.mentions)
    assert [m.article_id for m in store.mentions(b.article.id[:8])] == [b.article.id] * 3
    assert store.claims(a.article.id) == list(a.claims)
    assert store.claims() == [*a.claims, *b.claims]
    assert list(store.mentions("missing")) == [] and store.claims("missing") == []


# --------------------------------------------------------------------------- filters


@pytest.fixture
def filled(store: Store) -> Store:
    store.save_many([make_result(), second_result()])
    return store


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (EventFilter(place="712451"), 4),
        (EventFilter(place=" 712451 "), 4),
        (EventFilter(place="999"), 0),
        (EventFilter(place="bakh"), 4),
        (EventFilter(place="BAKHMUT"), 4),
        (EventFilter(place="donetsk"), 6),  # admin1
        (EventFilter(place="belgorod oblast"), 2),
        (EventFilter(side="ukraine"), 2),
        (EventFilter(side="Russia"), 6),
        (EventFilter(type="battles"), 6),
        (EventFilter(type="Shelling/Artillery/Missile Attack"), 2),
        (EventFilter(type="Explosions/Remote violence"), 2),
        (EventFilter(since=date(2024, 2, 10)), 5),
        (EventFilter(until=date(2024, 2, 9)), 1),
        (EventFilter(since=date(2024, 2, 10), until=date(2024, 2, 10)), 3),
        (EventFilter(article="isw-2024-02-10.html"), 4),
        (EventFilter(article="ffee00112233aabb"), 4),
        (EventFilter(article="ffee0011"), 4),
        (EventFilter(place="bakhmut", side="ukraine", type="shelling/artillery/missile attack"), 2),
        (EventFilter(limit=3), 3),
        (EventFilter(limit=0), 0),
        (EventFilter(offset=6), 2),
        (EventFilter(limit=2, offset=7), 1),
    ],
)
def test_filters(filled: Store, flt: EventFilter, expected: int) -> None:
    got = filled.events(flt)
    assert len(got) == expected
    everything = filled.events()
    # Filtered results keep the global order.
    assert got == [e for e in everything if e in got]


def test_filter_semantics(filled: Store) -> None:
    assert {e.location.place.geonameid for e in filled.events(EventFilter(place="bakh"))} == {
        BAKHMUT.geonameid
    }
    assert {e.side1 for e in filled.events(EventFilter(side="ukraine"))} == {"ukraine"}
    # Undated events never match a date bound.
    dated = filled.events(EventFilter(since=date(2000, 1, 1)))
    assert len(dated) == 6 and all(e.event_date is not None for e in dated)
    assert filled.events(EventFilter(offset=2, limit=3)) == filled.events()[2:5]


def test_filter_rejects_negative_paging() -> None:
    with pytest.raises(ValueError):
        EventFilter(limit=-1)
    with pytest.raises(ValueError):
        EventFilter(offset=-1)


INJECTIONS = [
    "'; DROP TABLE events; --",
    "' OR '1'='1",
    '" OR ""="',
    "1 OR 1=1",
    "%",
    "_",
    "%' --",
    "x') UNION SELECT * FROM articles --",
    "712451 OR 1=1",
    "\x00",
    "ffee00%",
    "Robert'); DROP TABLE articles;--",
]


@pytest.mark.parametrize("bad", INJECTIONS)
@pytest.mark.parametrize("field", ["place", "side", "type", "article"])
def test_injection_in_filters_matches_nothing(filled: Store, field: str, bad: str) -> None:
    before = filled.counts()
    kwargs: dict[str, Any] = {field: bad}
    assert filled.events(EventFilter(**kwargs)) == []
    assert filled.counts() == before
    assert len(filled.events()) == 8


@pytest.mark.parametrize("bad", INJECTIONS)
def test_injection_in_lookups_matches_nothing(filled: Store, bad: str) -> None:
    before = filled.counts()
    assert filled.get_article(bad) is None
    assert not filled.has_article(bad)
    assert list(filled.mentions(bad)) == []
    assert filled.claims(bad) == []
    assert filled.counts() == before


def test_injection_text_is_stored_verbatim(store: Store) -> None:
    r = make_result()
    evil = "Robert'); DROP TABLE events;-- %_ \"\x00 ✓"
    ev = replace(r.events[0], evidence=evil, notes=evil, actor1=evil)
    store.save(replace(r, article=replace(r.article, name=evil), events=(ev,)))
    assert store.events() == [ev]
    got = store.get_article(evil)
    assert got is not None and got.article.name == evil


# --------------------------------------------------------------------------- SQLite only


def test_sqlite_persists_across_reopen(tmp_path: Path) -> None:
    db = str(tmp_path / "fw.db")
    r = make_result()
    with SQLiteStore(db) as s:
        s.save(r)
    with SQLiteStore(db) as s:
        assert s.events() == list(r.events)
        assert s.claims() == list(r.claims)
        assert s.save(r) is False


def test_sqlite_killed_process_leaves_no_half_article(tmp_path: Path) -> None:
    # An exception is the polite case; here the process dies mid-save, as on kill -9.
    db = tmp_path / "fw.db"
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_store import make_result, second_result
        from frontwatch.store import SQLiteStore
        s = SQLiteStore({str(db)!r})
        s.save(make_result())
        original = SQLiteStore._write_events
        def die(self, result):
            original(self, result)
            os._exit(9)
        SQLiteStore._write_events = die
        s.save(second_result())
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert proc.returncode == 9, proc.stderr.decode()
    with SQLiteStore(str(db)) as s:
        assert [a.id for a in s.articles()] == [make_result().article.id]
        assert s.counts()["events"] == 4 and s.counts()["places"] == 4
        assert s.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert s.save(second_result())


def test_sqlite_schema_and_pragmas(tmp_path: Path) -> None:
    db = tmp_path / "fw.db"
    SQLiteStore(str(db)).close()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {
            "articles",
            "boilerplate",
            "places",
            "mentions",
            "events",
            "event_sources",
            "claims",
            "claim_sources",
        } <= tables
        idx = {
            (r[0], r[1])
            for r in conn.execute("SELECT tbl_name, name FROM sqlite_master WHERE type='index'")
        }
        for table, col in [
            ("events", "event_date"),
            ("events", "geonameid"),
            ("events", "side1"),
            ("events", "sub_event_type"),
            ("mentions", "geonameid"),
        ]:
            assert (table, f"{table}_{col}") in idx
    finally:
        conn.close()
    s = SQLiteStore(str(db))
    assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    s.close()


def test_sqlite_filter_uses_index(tmp_path: Path) -> None:
    with SQLiteStore(str(tmp_path / "fw.db")) as s:
        plan = s.conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM events WHERE sub_event_type = ?", ("x",)
        ).fetchall()
        assert any("events_sub_event_type" in str(tuple(r)) for r in plan)


def test_open_store_missing_dir(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "nope" / "fw.db"))


def test_open_store_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        open_store(str(tmp_path))


def test_open_store_not_sqlite(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("this is not a database, just some text that is long enough\n" * 20)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        open_store(str(bad))


def test_open_store_foreign_sqlite(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE articles (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a frontwatch one"):
        open_store(str(other))


def test_open_store_newer_schema(tmp_path: Path) -> None:
    db = tmp_path / "fw.db"
    SQLiteStore(str(db)).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(str(db))


def test_open_store_empty_file_is_fine(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    with SQLiteStore(str(db)) as s:
        assert s.counts()["articles"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://user:s3cret@127.0.0.1:1/db",
        "postgres://u:s3cret@127.0.0.1:1/d",
        "postgresql+psycopg://u:s3cret@127.0.0.1:1/d?password=s3cret",
    ],
)
def test_open_store_postgres_unreachable_hides_password(url: str) -> None:
    # Port 1 refuses at once: the URL goes to PostgresStore, and its message names the
    # server without the password (tests/test_store_postgres.py covers a real server).
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match="cannot connect to postgres") as info:
        open_store(url)
    assert "s3cret" not in str(info.value)


def test_open_store_other_urls(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unsupported"):
        open_store("mysql://u:p@h/d")
    with pytest.raises(StoreError, match="no database"):
        open_store("  ")
    s = open_store(":memory:")
    assert isinstance(s, SQLiteStore)
    s.close()


def test_sqlite_two_connections_see_each_other(tmp_path: Path) -> None:
    db = str(tmp_path / "fw.db")
    with SQLiteStore(db) as a, SQLiteStore(db) as b:
        a.save(make_result())
        assert b.has_article(make_result().article.id)
        assert b.save(make_result()) is False


# --------------------------------------------------------------------------- properties

# Lone surrogates cannot be encoded to UTF-8 for SQLite, and no decoded text has them.
_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evidence=_text, name=_text, surface=_text, low=st.floats(allow_nan=False))
def test_round_trip_any_text(evidence: str, name: str, surface: str, low: float) -> None:
    r = make_result()
    ev = replace(
        r.events[0], evidence=evidence, location=replace(r.events[0].location, surface=surface)
    )
    claim = replace(r.claims[0], low=low)
    place = replace(BAKHMUT, name=name or "x")
    ev = replace(ev, location=replace(ev.location, place=place))
    r = replace(r, mentions=(), events=(ev,), claims=(claim,))
    for s in (MemoryStore(), SQLiteStore(":memory:")):
        with s:
            s.save(r)
            assert s.events() == [ev]
            assert s.claims() == [claim]
