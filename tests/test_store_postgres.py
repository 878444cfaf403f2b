"""PostgresStore against a real PostgreSQL server (tests/pg_support.py finds or starts
one; without one these tests skip, saying why).

The backend-neutral behaviour tests of tests/test_store.py run here again, unchanged,
with this module's `store` fixture; below them come what only a server can show:
migrations, full-text search, concurrent writers, and the command line end to end.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import random
import re
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontwatch.cli import main
from frontwatch.errors import ConfigError, StoreError
from frontwatch.records import Article, ArticleResult, Cleaned, Event
from frontwatch.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    MemoryStore,
    SQLiteStore,
    Store,
    open_store,
)
from frontwatch.store.postgres import PostgresStore
from frontwatch.store.schema_pg import PG_MIGRATIONS, TABLES, VERSION_TABLE
from pg_support import PgServer, pg_server  # noqa: F401 - pg_server is a fixture
from test_store import (  # noqa: F401 - imported tests run here against PostgreSQL
    BAKHMUT,
    INJECTIONS,
    filled,
    make_result,
    second_result,
    test_ambiguous_prefix_and_name,
    test_article_with_minimal_metadata,
    test_closed_store_raises,
    test_counts,
    test_duplicate_event_id_across_articles_rolls_back,
    test_empty_result,
    test_events_ordered_by_date_name_evidence,
    test_failure_mid_save_leaves_nothing,
    test_filter_semantics,
    test_filters,
    test_get_article_by_id_prefix_and_name,
    test_inconsistent_result_refused,
    test_injection_in_filters_matches_nothing,
    test_injection_in_lookups_matches_nothing,
    test_interrupt_mid_save_rolls_back_and_propagates,
    test_is_a_store,
    test_mentions_and_claims_by_article,
    test_place_upsert_updates_earlier_events,
    test_save_and_round_trip,
    test_save_is_idempotent,
    test_save_many,
)

TESTS = Path(__file__).parent
ROOT = TESTS.parent


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def shared_url(pg_server: PgServer) -> str:  # noqa: F811
    """One migrated schema for the behaviour tests, emptied before each of them."""
    url = pg_server.fresh_url("shared")
    PostgresStore(url).close()
    return url


def _truncate(url: str) -> None:
    # DELETE, not TRUNCATE: on tables this small it is ten times faster (TRUNCATE makes
    # new files for every table and index). TABLES lists children first.
    with psycopg.connect(url) as conn:
        for table in TABLES:
            conn.execute(f"DELETE FROM {table}")


@pytest.fixture
def store(shared_url: str) -> Iterator[Store]:
    _truncate(shared_url)
    s = PostgresStore(shared_url)
    yield s
    s.close()


@pytest.fixture
def fresh(pg_server: PgServer) -> str:  # noqa: F811
    """A URL naming a new, empty schema: a database nobody has opened yet."""
    return pg_server.fresh_url()


def _sql(url: str, query: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(query, params)
        return cur.fetchall() if cur.description else []


def _article(aid: str, name: str, body: str, *, title: str | None = None,
             extra: str = "") -> ArticleResult:
    """A bare article: `extra` is boilerplate in the raw text only, so that two articles
    can share a cleaned text (near-duplicates) under different ids."""
    art = Article(id=aid, name=name, text=body + extra, title=title, outlet="Test Wire")
    return ArticleResult(art, Cleaned(body))


STORY = (
    "Russian forces shelled Kupiansk on 12 March 2024, the Ukrainian General Staff said. "
    "Ukrainian troops repelled an assault near Robotyne on 13 March 2024, according to the "
    "regional governor. Drones struck an oil depot in Belgorod on 14 March 2024, Russian "
    "officials said, and two people were injured."
)
OTHER_STORY = (
    "Heavy rain flooded the lower districts of Kherson on Tuesday, and volunteers evacuated "
    "residents by boat while the city council asked for generators, blankets, drinking water "
    "and medicine from donors across the region and abroad during the long night."
)


# --------------------------------------------------------------------------- text values


# Lone surrogates cannot be encoded, and PostgreSQL text cannot hold NUL (see below).
_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(evidence=_text, name=_text, surface=_text, low=st.floats(allow_nan=False))
def test_round_trip_any_text(shared_url: str, evidence: str, name: str, surface: str,
                             low: float) -> None:
    r = make_result()
    ev = replace(r.events[0], evidence=evidence,
                 location=replace(r.events[0].location, surface=surface,
                                  place=replace(BAKHMUT, name=name or "x")))
    claim = replace(r.claims[0], low=low)
    r = replace(r, mentions=(), events=(ev,), claims=(claim,))
    _truncate(shared_url)
    with PostgresStore(shared_url) as s:
        s.save(r)
        assert s.events() == [ev]
        assert s.claims() == [claim]


def test_injection_text_is_stored_verbatim(store: Store) -> None:
    r = make_result()
    evil = "Robert'); DROP TABLE events;-- %_ \"\\ ✓ $1 :name %(x)s"
    ev = replace(r.events[0], evidence=evil, notes=evil, actor1=evil)
    store.save(replace(r, article=replace(r.article, name=evil), events=(ev,)))
    assert store.events() == [ev]
    got = store.get_article(evil)
    assert got is not None and got.article.name == evil


def test_nul_in_text_is_refused_whole(store: Store) -> None:
    # SQLite keeps a NUL; PostgreSQL text cannot. Ingest drops NULs before this point,
    # so here it is a clear error and, as for any failed save, nothing is stored.
    r = make_result()
    bad = replace(r, events=(replace(r.events[0], notes="a\x00b"), *r.events[1:]))
    with pytest.raises(StoreError, match=r"could not store article .*NUL"):
        store.save(bad)
    assert store.counts()["articles"] == 0
    assert not store.has_article("\x00") and store.get_article("x\x00") is None


# --------------------------------------------------------------------------- migrations


def test_fresh_database_is_migrated_once(fresh: str, caplog: pytest.LogCaptureFixture) -> None:
    assert len(PG_MIGRATIONS) == len(MIGRATIONS) == SCHEMA_VERSION
    with caplog.at_level(logging.INFO, logger="frontwatch.store"):
        with PostgresStore(fresh) as s:
            s.save(make_result())
        first = [r.getMessage() for r in caplog.records if "migrating" in r.getMessage()]
        caplog.clear()
        with PostgresStore(fresh) as s:  # reopening changes nothing
            assert s.counts()["articles"] == 1
            assert s.save(make_result()) is False
        again = [r.getMessage() for r in caplog.records if "migrating" in r.getMessage()]
    assert len(first) == SCHEMA_VERSION and again == []
    assert _sql(fresh, f"SELECT version FROM {VERSION_TABLE}") == [(SCHEMA_VERSION,)]
    tables = {r[0] for r in _sql(fresh, "SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = current_schema()")}
    assert tables == {*TABLES, VERSION_TABLE}
    indexes = dict(_sql(fresh, "SELECT indexname, indexdef FROM pg_indexes "
                               "WHERE schemaname = current_schema()"))
    assert "USING gin (search_vector)" in str(indexes["articles_search"])
    for name in ("events_event_date", "events_geonameid", "events_side1",
                 "events_sub_event_type", "mentions_geonameid", "articles_band0"):
        assert name in indexes


def test_upgrade_from_an_older_version_keeps_rows(fresh: str) -> None:
    # A database left at version 3 by an older frontwatch, holding one article.
    with psycopg.connect(fresh, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {VERSION_TABLE} (version INTEGER NOT NULL)")
        conn.execute(f"INSERT INTO {VERSION_TABLE} VALUES (3)")
        for script in PG_MIGRATIONS[:3]:
            conn.execute(script)
        conn.execute(
            "INSERT INTO articles (id, name, title, raw_text, cleaned_text, ingested_at) "
            "VALUES ('old0000000000001', 'old.txt', 'Pokrovsk direction', %s, %s, "
            "'2024-01-01T00:00:00+00:00')", (STORY, STORY))
    with PostgresStore(fresh) as s:
        got = s.get_article("old.txt")
        assert got is not None and got.cleaned.text == STORY
        # V4's generated search column covers rows that existed before it.
        assert [h.article_id for h in s.search("Kupiansk")] == ["old0000000000001"]
        assert s.save(make_result())
        assert next(a.id for a in s.articles()) == "old0000000000001"
    assert _sql(fresh, f"SELECT version FROM {VERSION_TABLE}") == [(SCHEMA_VERSION,)]


def test_processes_opening_a_fresh_database_at_once(fresh: str) -> None:
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            PostgresStore(fresh).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _sql(fresh, f"SELECT version FROM {VERSION_TABLE}") == [(SCHEMA_VERSION,)]


def test_foreign_database_is_refused(fresh: str) -> None:
    _sql(fresh, "CREATE TABLE articles (x int)")
    with pytest.raises(StoreError, match="not a frontwatch one"):
        PostgresStore(fresh)
    assert _sql(fresh, "SELECT to_regclass('events')") == [(None,)]  # nothing added


def test_newer_schema_is_refused(fresh: str) -> None:
    PostgresStore(fresh).close()
    _sql(fresh, f"UPDATE {VERSION_TABLE} SET version = version + 1")
    with pytest.raises(StoreError, match="newer"):
        PostgresStore(fresh)


def test_open_store_dispatches_urls(shared_url: str) -> None:
    _truncate(shared_url)
    rest = shared_url.split("://", 1)[1]
    for scheme in ("postgresql", "postgres", "postgresql+psycopg", "PostgreSQL"):
        s = open_store(f"  {scheme}://{rest}")
        assert isinstance(s, PostgresStore) and isinstance(s, Store)
        assert s.counts()["articles"] == 0
        s.close()


def test_messages_never_show_the_password(pg_server: PgServer) -> None:  # noqa: F811
    url = pg_server.url.replace("frontwatch@", "frontwatch:s3cret@")
    s = open_store(url)  # trust authentication: the password is sent and ignored
    assert "s3cret" not in s.db and s.db.startswith("postgresql://frontwatch@")
    s.close()
    with pytest.raises(StoreError, match="closed") as info:
        s.events()
    assert "s3cret" not in str(info.value)


def test_indexes_serve_the_filters(store: Store) -> None:
    assert isinstance(store, PostgresStore)
    store.conn.execute("SET enable_seqscan = off")  # a tiny table: force the planner's hand
    try:
        plan = " ".join(r["QUERY PLAN"] for r in store.conn.execute(
            "EXPLAIN SELECT * FROM events WHERE lower(sub_event_type) = lower(%s)", ("x",)))
        assert "events_sub_event_type" in plan
        plan = " ".join(r["QUERY PLAN"] for r in store.conn.execute(
            "EXPLAIN SELECT id FROM articles WHERE search_vector @@ to_tsquery('simple', %s)",
            ("x",)))
        assert "articles_search" in plan
    finally:
        store.conn.execute("RESET enable_seqscan")


# --------------------------------------------------------------------------- crash safety


def test_killed_process_leaves_no_half_article(shared_url: str) -> None:
    # The process dies mid-save, as on kill -9: the server rolls the transaction back.
    _truncate(shared_url)
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(TESTS)!r})
        from test_store import make_result, second_result
        from frontwatch.store.postgres import PostgresStore
        s = PostgresStore({shared_url!r})
        s.save(make_result())
        original = PostgresStore._write_events
        def die(self, result):
            original(self, result)
            os._exit(9)
        PostgresStore._write_events = die
        s.save(second_result())
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert proc.returncode == 9, proc.stderr.decode()
    with PostgresStore(shared_url) as s:
        assert [a.id for a in s.articles()] == [make_result().article.id]
        assert s.counts() == {"articles": 1, "events": 4, "mentions": 3, "claims": 2,
                              "places": 4, "boilerplate": 2}
        assert s.save(second_result())


# --------------------------------------------------------------------------- near-duplicates


def _dup_family() -> list[ArticleResult]:
    return [
        _article("dup0000000000001", "wire.txt", STORY),
        _article("dup0000000000002", "copy.txt", STORY, extra="\nRead more: Kyiv news\n"),
        _article("dup0000000000003", "other.txt", OTHER_STORY),
        _article("dup0000000000004", "copy2.txt", STORY, extra="\nAdvertisement\n"),
    ]


def test_near_duplicates_marked_as_sqlite_does(store: Store, tmp_path: Path) -> None:
    results = _dup_family()
    expected = {"dup0000000000002": "dup0000000000001", "dup0000000000004": "dup0000000000001"}
    with SQLiteStore(str(tmp_path / "fw.db")) as lite:
        for s in (store, lite, MemoryStore()):
            s.save_many(results)
            assert s.duplicates() == expected, type(s).__name__


# --------------------------------------------------------------------------- search


def _search_corpus() -> list[ArticleResult]:
    return [
        make_result(),
        second_result(),
        _article("srch000000000001", "kherson.txt", OTHER_STORY, title="Kherson floods"),
        _article("srch000000000002", "kupiansk.txt", STORY, title="Shelling in the north"),
    ]


@pytest.fixture
def searchable(store: Store, tmp_path: Path) -> Iterator[list[Store]]:
    """The same articles in PostgreSQL, SQLite and memory."""
    with SQLiteStore(str(tmp_path / "fw.db")) as lite:
        stores = [store, lite, MemoryStore()]
        for s in stores:
            s.save_many(_search_corpus())
        yield stores


@pytest.mark.parametrize("query", [
    "Bakhmut", "bakhmut avdiivka", "advanced bakh", "Kherson", "kherson floods", "Test Wire",
    "ISW", "kupi", "Russian", "generators blankets", "missing words", "", "  ...  ",
])
def test_search_finds_the_same_articles_on_every_backend(
        searchable: list[Store], query: str) -> None:
    found = [{h.article_id for h in s.search(query)} for s in searchable]
    assert found[0] == found[1] == found[2], query


def test_search_hits_and_snippets(searchable: list[Store]) -> None:
    pg = searchable[0]
    hits = pg.search("generators")
    assert [(h.article_id, h.name, h.title) for h in hits] == [
        ("srch000000000001", "kherson.txt", "Kherson floods")]
    assert "\x02generators\x03" in hits[0].snippet
    assert "\x02Bakhmut\x03" in pg.search("bakhmut")[0].snippet
    # A title hit outranks a body-only hit; ties go in ingest order.
    assert pg.search("kherson")[0].article_id == "srch000000000001"
    assert [h.article_id for h in pg.search("shelled")] == ["srch000000000002"]
    both = [h.article_id for h in pg.search("russian")]
    assert len(both) == 3
    assert [h.article_id for h in pg.search("russian", limit=1, offset=1)] == both[1:2]
    assert pg.search("russian", limit=0) == [] and pg.search("russian", offset=9) == []
    with pytest.raises(ValueError):
        pg.search("russian", limit=-1)


SEARCH_INJECTIONS = [
    *INJECTIONS,
    "'; DROP TABLE articles; --",
    "bakhmut' | '",
    "bakhmut:* | !x & (y",
    "\\' OR 1=1",
    "%(x)s %s $1",
    "a" * 300,
]


@pytest.mark.parametrize("bad", SEARCH_INJECTIONS)
def test_search_is_injection_safe(searchable: list[Store], bad: str) -> None:
    pg = searchable[0]
    before = pg.counts()
    found = pg.search(bad)
    assert {h.article_id for h in found} == {h.article_id for h in searchable[1].search(bad)}
    assert pg.counts() == before and len(pg.events()) == 8


def test_search_operators_are_plain_words(searchable: list[Store]) -> None:
    pg = searchable[0]
    plain = [h.article_id for h in pg.search("Bakhmut")]
    assert len(plain) == 2
    assert [h.article_id for h in pg.search("Bakhmut & | ! :* ( ) '")] == plain
    assert pg.search("Bakhmut | Kherson") == []  # both words required, no OR


# --------------------------------------------------------------------------- concurrency


def _race_results() -> list[ArticleResult]:
    """Twelve articles with events and claims, two of them near-copies of a third."""
    out = [make_result(f"race{i:012d}", f"race-{i}.html", shift=i % 5) for i in range(9)]
    return [*out, *_dup_family()[:3]]


def test_concurrent_writers_store_each_article_once(shared_url: str, tmp_path: Path) -> None:
    _truncate(shared_url)
    # The results travel pickled: the writers import frontwatch's store only, so they
    # start fast and all race on the same rows.
    batch = tmp_path / "results.pickle"
    batch.write_bytes(pickle.dumps(_race_results()))
    start = time.time() + 1.0  # every writer starts saving at the same moment
    script = textwrap.dedent(
        f"""
        import pickle, random, sys, time
        from frontwatch.store.postgres import PostgresStore
        with open({str(batch)!r}, "rb") as fh:
            results = pickle.load(fh)
        random.Random(int(sys.argv[1])).shuffle(results)
        s = PostgresStore({shared_url!r})
        time.sleep(max(0.0, {start!r} - time.time()))
        print(sum(s.save(r) for r in results))
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(seed)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for seed in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    results = _race_results()
    # Every article saved by exactly one writer; the others were told "already stored".
    assert sum(int(out) for out, _ in outs) == len(results)
    with PostgresStore(shared_url) as s:
        counts = s.counts()
        assert counts["articles"] == len(results)
        assert counts["events"] == sum(len(r.events) for r in results)
        assert counts["claims"] == sum(len(r.claims) for r in results)
        assert sorted(e.event_id for e in s.events()) == sorted(
            e.event_id for r in results for e in r.events)
        # The near-copy and its original were saved one after the other (band locks):
        # whichever came second is marked, never both, never neither.
        dups = s.duplicates()
        assert len(dups) == 1
        ((copy, original),) = dups.items()
        assert {copy, original} == {"dup0000000000001", "dup0000000000002"}
        seqs = {r["id"]: r["seq"] for r in s.conn.execute("SELECT id, seq FROM articles")}
        assert seqs[original] < seqs[copy]


# --------------------------------------------------------------------------- command line


ARTICLES = {
    "kupiansk.txt": "Russian forces shelled Kupiansk on 12 March 2024, the Ukrainian General "
                    "Staff said.\n",
    "robotyne.txt": "Ukrainian troops repelled an assault near Robotyne on 13 March 2024, "
                    "according to the regional governor.\n",
    "belgorod.txt": "Drones struck an oil depot in Belgorod on 14 March 2024, Russian officials "
                    "said, and two people were injured.\n",
    "story.txt": STORY.replace(". ", ".\n\n") + "\n",
    "story-copy.txt": STORY.replace(". ", ".\n\n") + "\n\nRead more: Kyiv prepares for winter\n",
    "kherson.txt": OTHER_STORY + "\n",
}


def _frontwatch(db: str, *args: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-c", "from frontwatch.cli import main; main()", "--db", db, *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTWATCH_")}
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _export(db: str) -> list[dict[str, object]]:
    res = CliRunner().invoke(main, ["--db", db, "export", "--what", "events"])
    assert res.exit_code == 0, res.output
    return [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]


def _pairs(dups: dict[str, str]) -> set[frozenset[str]]:
    return {frozenset(p) for p in dups.items()}


_NEW = re.compile(r"ingested (\d+) new article")


@pytest.mark.slow
def test_three_ingests_at_once_store_one_copy(fresh: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    # One batch per process: each processes every article, then all three race to save.
    procs = [_frontwatch(fresh, "ingest", str(folder), "--jobs", "1", "--no-progress")
             for _ in range(3)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    said = [_NEW.search(out) for out, _ in outs]
    assert all(said), outs
    with PostgresStore(fresh) as pg:
        counts = pg.counts()
        events = pg.events()
        names = {a.id: a.name for a in pg.articles()}
        dups = pg.duplicates()
    # Each article stored by exactly one process (the others were told it was stored).
    assert sum(int(m.group(1)) for m in said if m) == counts["articles"] == len(ARTICLES)
    assert sorted(names.values()) == sorted(ARTICLES)
    # No event twice: not by id, and not as the same statement under another id.
    keys = [(e.article_id, e.evidence_start, e.location.start, e.sub_event_type) for e in events]
    assert len(events) == counts["events"] == len(set(keys)) == len({e.event_id for e in events})
    assert {names[e.article_id] for e in events} >= {"kupiansk.txt", "belgorod.txt", "story.txt"}
    assert {frozenset(names[i] for i in pair) for pair in _pairs(dups)} == {
        frozenset({"story.txt", "story-copy.txt"})}


def _strip(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in r.items() if k not in ("event_id", "article_id")} for r in rows]


@pytest.mark.slow
def test_examples_end_to_end_match_sqlite(fresh: str, tmp_path: Path) -> None:
    reference = str(tmp_path / "ref.db")
    args = ("ingest", "examples", "--meta", "examples/meta.jsonl", "--jobs", "1",
            "--no-progress")
    procs = [_frontwatch(fresh, *args), _frontwatch(reference, *args)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    assert outs[0][0] == outs[1][0] and "ingested 10 new article(s)" in outs[0][0]
    pg_rows, lite_rows = _export(fresh), _export(reference)
    assert len(pg_rows) > 10
    assert _strip(pg_rows) == _strip(lite_rows)
    assert pg_rows == lite_rows  # ids are content hashes: equal too
    runner = CliRunner()
    for cmd in (["events"], ["events", "--side", "russia", "--place", "kharkiv"], ["report"],
                ["report", "--by", "direction"], ["control"], ["fused"], ["articles"],
                ["export", "--what", "claims"], ["export", "--what", "control"],
                ["export", "--what", "mentions", "--format", "csv"],
                ["articles", "--languages"]):
        got = [runner.invoke(main, ["--db", db, *cmd]) for db in (fresh, reference)]
        assert got[0].exit_code == got[1].exit_code == 0, (cmd, got[0].output)
        assert got[0].stdout == got[1].stdout, cmd
    secret = fresh.replace("frontwatch@", "frontwatch:s3cret@")  # trust auth ignores it
    info = runner.invoke(main, ["--db", secret, "info"])
    assert info.exit_code == 0 and "s3cret" not in info.output
    assert info.stdout.startswith("database: postgresql://frontwatch@127.0.0.1:")
    assert info.stdout.splitlines()[1:] == runner.invoke(
        main, ["--db", reference, "info"]).stdout.splitlines()[1:]


# --------------------------------------------------------------------------- what refuses


def test_api_and_notebook_refuse_postgres_plainly() -> None:
    import frontwatch
    from frontwatch.api.queries import Reader

    url = "postgresql://u:s3cret@127.0.0.1:1/db"
    for opener in (Reader, frontwatch.open):
        with pytest.raises(ConfigError, match="SQLite") as info:
            opener(url)
        assert "s3cret" not in str(info.value)


def test_language_counts_on_postgres(store: Store, tmp_path: Path) -> None:
    from frontwatch.query import language_counts

    results = [make_result(), replace(second_result(), article=replace(
        second_result().article, language="uk")), _article("lang000000000001", "x", STORY)]
    with SQLiteStore(str(tmp_path / "fw.db")) as lite:
        for s in (store, lite):
            s.save_many(results)
        assert language_counts(store) == language_counts(lite) == {"en": 1, "uk": 1, None: 1}


def _events_of(results: list[ArticleResult]) -> list[Event]:
    return [e for r in results for e in r.events]


def test_shuffled_saves_give_the_same_event_order(store: Store, tmp_path: Path) -> None:
    results = _race_results()
    random.Random(7).shuffle(results)
    with SQLiteStore(str(tmp_path / "fw.db")) as lite:
        for s in (store, lite):
            s.save_many(results)
        assert store.events() == lite.events()
    assert sorted(e.event_id for e in store.events()) == sorted(
        e.event_id for e in _events_of(results))


def test_fetch_state_persists_and_upserts(shared_url: str) -> None:
    from frontwatch.follow import FeedRecord, PostgresFollowState, UrlRecord, follow_state

    _truncate(shared_url)
    evil = "https://a.example/'; DROP TABLE feeds; --"
    with PostgresStore(shared_url) as s:
        state = follow_state(s)
        assert isinstance(state, PostgresFollowState)
        state.record_url(UrlRecord(evil, "failed", reason="HTTP 500", attempts=1))
        state.record_url(UrlRecord(evil, "stored", article_id="abc", etag='"e"', attempts=2))
        state.record_feed(FeedRecord("https://a.example/feed", "A", '"f"', None))
        state.record_feed(FeedRecord("https://a.example/feed", "A2", None, "Tue"))
    with PostgresStore(shared_url) as s:
        state = follow_state(s)
        assert state.url(evil) == UrlRecord(evil, "stored", article_id="abc", etag='"e"',
                                            attempts=2)
        assert state.url("https://a.example/none") is None
        assert state.feed("https://a.example/feed") == FeedRecord(
            "https://a.example/feed", "A2", None, "Tue")
        assert _sql(shared_url, "SELECT count(*) FROM fetched_urls") == [(1,)]
