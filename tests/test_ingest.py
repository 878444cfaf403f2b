"""Tests for frontwatch.ingest: paths in, Articles or one-line InputErrors out."""

from __future__ import annotations

import codecs
import os
import random
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pytest

from frontwatch import ingest
from frontwatch.encoding import decode_bytes
from frontwatch.errors import InputError
from frontwatch.ingest import (
    ArticleMeta,
    html_to_article,
    iter_paths,
    load_meta,
    read_path,
    read_paths,
)
from frontwatch.records import Article, article_id_for
from frontwatch.settings import Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SETTINGS = Settings()

UKRAINIAN = (
    "Українські сили просуваються поблизу Бахмута, заявила заступниця міністра оборони "
    "Ганна Маляр у Телеграмі. Ворог атакує на північному фланзі, їжак ґанок єнот."
)
RUSSIAN = (
    "Российские войска продолжают наступление у Бахмута, сообщили в Министерстве обороны. "
    "Противник атакует на северном фланге, бои идут весь день."
)
ENGLISH = "Russian troops shelled Kherson overnight, the regional governor said on Tuesday."


def one(results: Iterable[Article | InputError]) -> Article | InputError:
    items = list(results)
    assert len(items) == 1, items
    return items[0]


def article(
    path: Path, settings: Settings = SETTINGS, meta: dict[str, ArticleMeta] | None = None
) -> Article:
    result = one(read_path(path, settings, meta))
    assert isinstance(result, Article), result
    return result


def error(path: Path, settings: Settings = SETTINGS) -> InputError:
    result = one(read_path(path, settings))
    assert isinstance(result, InputError), result
    assert "\n" not in result.reason
    return result


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# ------------------------------------------------------------------------ txt + meta


def test_txt_with_sidecar_meta() -> None:
    meta = load_meta(FIXTURES / "meta.jsonl")
    got = article(FIXTURES / "story.txt", meta=meta)
    assert got.name == "story.txt"
    assert got.path == str(FIXTURES / "story.txt")
    assert got.published == date(2022, 11, 29)
    assert got.outlet == "Test Wire"
    assert got.language == "en"
    assert got.title == "Kherson shelled"
    assert got.text.startswith("Russian troops shelled Kherson")
    assert "\n\nTwo people were wounded" in got.text
    assert got.id == article_id_for(got.text)


def test_txt_without_meta_has_no_metadata() -> None:
    got = article(FIXTURES / "story.txt")
    assert (got.published, got.outlet, got.url, got.title) == (None, None, None, None)


def test_meta_matches_relative_path_most_specific_first(tmp_path: Path) -> None:
    a = write(tmp_path, "a/x.txt", ENGLISH)
    b = write(tmp_path, "b/x.txt", ENGLISH + " More.")
    sidecar = write(
        tmp_path,
        "meta.jsonl",
        '{"file": "x.txt", "published": "2023-01-01"}\n'
        '{"file": "./b/x.txt", "published": "2023-02-02"}\n',
    )
    meta = load_meta(sidecar)
    assert article(a, meta=meta).published == date(2023, 1, 1)
    assert article(b, meta=meta).published == date(2023, 2, 2)


def test_load_meta_lists_bad_line_numbers(tmp_path: Path) -> None:
    sidecar = write(
        tmp_path,
        "meta.jsonl",
        '{"file": "a.txt", "published": "2023-01-01"}\n'
        "{oops\n"
        '{"published": "2023-01-01"}\n'
        "\n"
        '{"file": "b.txt", "published": "not a date"}\n'
        '{"file": "c.txt", "outlet": 7}\n',
    )
    with pytest.raises(InputError) as info:
        load_meta(sidecar)
    reason = info.value.reason
    for line_no in ("2 (invalid JSON)", "3 (no 'file')", "5 (", "6 ("):
        assert line_no in reason
    assert "1 (" not in reason


def test_load_meta_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_meta(tmp_path / "nope.jsonl")


def test_load_meta_datetime_and_blank_fields(tmp_path: Path) -> None:
    sidecar = write(
        tmp_path,
        "m.jsonl",
        '{"file": "a.txt", "published": "2023-07-17T09:30:00Z", '
        '"outlet": "  ", "language": null}\n',
    )
    assert load_meta(sidecar) == {"a.txt": ArticleMeta(published=date(2023, 7, 17))}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-07-17", date(2023, 7, 17)),
        ("2023-07-17T23:30:00+03:00", date(2023, 7, 17)),
        ("2023-07-17T09:30:00Z", date(2023, 7, 17)),
        ("Mon, 17 Jul 2023 09:30:00 GMT", date(2023, 7, 17)),
        ("2023-02-30", None),
        ("yesterday-ish", None),
        ("", None),
    ],
)
def test_private_date_fallback(text: str, expected: date | None) -> None:
    assert ingest._parse_date(text) == expected


def test_meta_dates_use_shared_parser_when_present(tmp_path: Path) -> None:
    if ingest._external_date_parser() is None:
        pytest.skip("frontwatch.dates.parse_published is not available")
    sidecar = write(tmp_path, "m.jsonl", '{"file": "a.txt", "published": "July 17, 2023"}\n')
    assert load_meta(sidecar)["a.txt"].published == date(2023, 7, 17)


def test_meta_dates_fall_back_to_iso(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "_external_date_parser", lambda: None)
    sidecar = write(tmp_path, "m.jsonl", '{"file": "a.txt", "published": "2023-07-17"}\n')
    assert load_meta(sidecar)["a.txt"].published == date(2023, 7, 17)
    write(tmp_path, "m.jsonl", '{"file": "a.txt", "published": "July 17, 2023"}\n')
    with pytest.raises(InputError, match="not a date"):
        load_meta(sidecar)


# ---------------------------------------------------------------------------- HTML


def test_html_fixture_main_text_and_metadata() -> None:
    got = article(FIXTURES / "article.html")
    assert got.name == "article.html"
    assert got.path == str(FIXTURES / "article.html")
    assert "Ukrainian forces were making steady advances" in got.text
    assert "under control" in got.text
    for boilerplate in ("Subscribe now", "Menu Search Login", "All rights reserved"):
        assert boilerplate not in got.text
    assert "\n\nOn the northern flank" in got.text
    assert got.title == "Ukrainian forces advance near Bakhmut"
    assert got.published == date(2023, 7, 17)
    assert got.outlet == "Kyiv Daily"
    assert got.language == "en"
    assert got.url == "https://kyivdaily.example/war/bakhmut-advance"


def test_html_sidecar_wins_over_page_metadata() -> None:
    meta = load_meta(FIXTURES / "meta.jsonl")
    got = article(FIXTURES / "article.html", meta=meta)
    assert got.published == date(2023, 7, 18)
    assert got.outlet == "Sidecar Outlet"
    assert got.title == "Ukrainian forces advance near Bakhmut"  # not in the sidecar


def test_html_to_article_direct_with_url() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    got = html_to_article(html, "x.html", SETTINGS, url="https://other.example/a")
    assert got.url == "https://other.example/a"
    assert got.path is None


def test_html_without_main_text_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.html", "<html><head><title>T</title></head><body></body></html>")
    assert "no main text" in error(path).reason


def test_html_nav_only_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "nav.htm", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert isinstance(one(read_path(path, SETTINGS)), InputError)


def test_html_declared_cp1251(tmp_path: Path) -> None:
    html = (
        '<html lang="uk"><head><meta charset="windows-1251"></head><body><article>'
        f"<p>{UKRAINIAN}</p><p>{UKRAINIAN}</p></article></body></html>"
    )
    got = article(write(tmp_path, "uk.html", html.encode("cp1251")))
    assert UKRAINIAN in got.text
    assert got.language == "uk"


# --------------------------------------------------------------------------- JSONL


def test_jsonl_good_and_broken_lines() -> None:
    path = FIXTURES / "articles.jsonl"
    results = list(read_path(path, SETTINGS))
    by_line = {str(r.path).rsplit(":", 1)[1]: r for r in results}
    assert sorted(by_line, key=int) == ["1", "2", "3", "4", "6", "7", "8", "9"]

    first = by_line["1"]
    assert isinstance(first, Article)
    assert first.name == "https://example.org/a"
    assert first.url == "https://example.org/a"
    assert (first.published, first.outlet, first.title) == (
        date(2023, 5, 1),
        "Example News",
        "Depot hit",
    )

    sixth = by_line["6"]
    assert isinstance(sixth, Article)
    assert sixth.name == "articles.jsonl#6"
    assert sixth.published == date(2023, 10, 12)

    eighth = by_line["8"]
    assert isinstance(eighth, Article)
    assert eighth.name == "isw-0001"
    assert "Kreminna" in eighth.text

    reasons = {k: r.reason for k, r in by_line.items() if isinstance(r, InputError)}
    assert "invalid JSON" in reasons["2"]
    assert "no 'text' or 'html'" in reasons["3"]
    assert "'text' must be a string" in reasons["4"]
    assert "not a JSON object" in reasons["7"]
    assert "not a date" in reasons["9"]
    assert all(r.path == f"{path}:{k}" for k, r in by_line.items() if isinstance(r, InputError))


def test_jsonl_sidecar_file_is_skipped() -> None:
    assert list(read_path(FIXTURES / "meta.jsonl", SETTINGS)) == []


def test_jsonl_text_wins_over_html(tmp_path: Path) -> None:
    path = write(tmp_path, "b.jsonl", f'{{"text": "{ENGLISH}", "html": "<p>other</p>"}}\n')
    assert article(path).text == ENGLISH


def test_jsonl_crlf_and_utf8_bom(tmp_path: Path) -> None:
    line = f'{{"text": "{ENGLISH}"}}'
    path = write(tmp_path, "c.jsonl", codecs.BOM_UTF8 + f"{line}\r\n{line}\r\n".encode())
    results = list(read_path(path, SETTINGS))
    assert [type(r) for r in results] == [Article, Article]


# --------------------------------------------------------------------------- paths


def test_folder_recursion_order_and_filters(tmp_path: Path) -> None:
    for name in (
        "b.txt",
        "a.html",
        "sub/z.txt",
        "sub/deeper/c.jsonl",
        "A.TXT",
        "m.htm",
        "skip.pdf",
        "notes.md",
        ".hidden.txt",
        ".git/x.txt",
        "sub/.cache/y.txt",
    ):
        write(tmp_path, name, ENGLISH)
    got = [p.relative_to(tmp_path).as_posix() for p in iter_paths([tmp_path])]
    assert got == ["A.TXT", "a.html", "b.txt", "m.htm", "sub/deeper/c.jsonl", "sub/z.txt"]
    assert [p.name for p in iter_paths([tmp_path])] == [p.name for p in iter_paths([tmp_path])]


def test_iter_paths_keeps_argument_order_and_dedupes(tmp_path: Path) -> None:
    b = write(tmp_path, "d/b.txt", ENGLISH)
    a = write(tmp_path, "d/a.txt", ENGLISH)
    got = list(iter_paths([b, tmp_path / "d", a]))
    assert got == [b, a]


def test_unknown_extension_given_explicitly_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "x.pdf", ENGLISH)
    assert list(iter_paths([path])) == []


def test_missing_path_raises_at_call_time(tmp_path: Path) -> None:
    good = write(tmp_path, "a.txt", ENGLISH)
    with pytest.raises(InputError, match="no such file"):
        iter_paths([good, tmp_path / "missing"])
    with pytest.raises(InputError, match="no such file"):
        read_paths([tmp_path / "missing"], SETTINGS)


def test_read_paths_mixes_articles_and_errors(tmp_path: Path) -> None:
    write(tmp_path, "1.txt", ENGLISH)
    write(tmp_path, "2.txt", b"")
    write(tmp_path, "3.txt", RUSSIAN)
    results = list(read_paths([tmp_path], SETTINGS))
    assert [type(r).__name__ for r in results] == ["Article", "InputError", "Article"]


def test_unsupported_suffix_via_read_path(tmp_path: Path) -> None:
    assert "unsupported" in error(write(tmp_path, "x.doc", ENGLISH)).reason


# ------------------------------------------------------------------------------ ids


def test_same_text_same_id(tmp_path: Path) -> None:
    a = article(write(tmp_path, "a.txt", ENGLISH))
    b = article(write(tmp_path, "sub/b.txt", ENGLISH))
    assert a.id == b.id
    assert a.id == article(write(tmp_path, "a.txt", ENGLISH)).id  # re-ingesting


def test_whitespace_and_invisible_differences_same_id(tmp_path: Path) -> None:
    base = "Russian troops shelled Kherson.\n\nTwo people were wounded, officials said."
    variants = [
        base,
        base.replace("\n", "\r\n"),
        "  " + base.replace(" ", "  ") + "\n\n\n",
        base.replace("\n\n", "\n \n\t\n"),
        base.replace("Kherson", "Kher\u200bson").replace("Two", "\ufeffTwo"),
        base.replace(" ", "\u00a0"),
    ]
    ids = {article(write(tmp_path, f"v{i}.txt", v)).id for i, v in enumerate(variants)}
    assert len(ids) == 1


def test_text_is_cleaned(tmp_path: Path) -> None:
    raw = (
        "Line one\x07 with a bell.\r\nLine\x00 two\u200d.\x0cPage two\t tab.   \r\n\n\n\n" + ENGLISH
    )
    got = article(write(tmp_path, "c.txt", raw))
    assert got.text == "Line one with a bell.\nLine two.\nPage two\t tab.\n\n" + ENGLISH


# ------------------------------------------------------------------------ bad input


def test_empty_file(tmp_path: Path) -> None:
    assert error(write(tmp_path, "e.txt", b"")).reason == "empty file"


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "empty" in error(write(tmp_path, "w.txt", b" \n\t\r\n ")).reason


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    assert "binary" in error(write(tmp_path, "img.txt", data)).reason


def test_mostly_control_characters_is_binary(tmp_path: Path) -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 14, 15, 16, 17]) * 20 + b"some text"
    assert "binary" in error(write(tmp_path, "ctl.txt", data)).reason


def test_oversize_file_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "big.txt", ENGLISH * 10)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    settings = Settings(max_file_bytes=100)
    reason = error(path, settings).reason
    assert "too large" in reason and "max_file_bytes=100" in reason


def test_short_text_refused(tmp_path: Path) -> None:
    reason = error(write(tmp_path, "s.txt", "Too short.")).reason
    assert "too short (10 characters, minimum 20)" in reason


def test_long_text_truncated_at_paragraph(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    paragraphs = [f"Paragraph {i} says something about the front line." for i in range(10)]
    settings = Settings(max_article_chars=200)
    got = article(write(tmp_path, "l.txt", "\n\n".join(paragraphs)), settings)
    assert len(got.text) <= 200
    assert got.text.endswith(".")
    assert got.text == "\n\n".join(paragraphs[: got.text.count("\n\n") + 1])
    assert got.id == article_id_for(got.text)
    assert "truncated" in caplog.text


def test_far_too_long_text_refused(tmp_path: Path) -> None:
    settings = Settings(max_article_chars=100)
    reason = error(write(tmp_path, "huge.txt", "word " * 400), settings).reason
    assert "too long" in reason


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "locked.txt", ENGLISH)
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        path.chmod(0)
        try:
            assert "permission denied" in error(path).reason
        finally:
            path.chmod(0o644)

    # Root reads anything, so simulate the failure as well.
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    assert error(path).reason == "cannot read: permission denied"


def test_unexpected_exception_becomes_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("parser blew up\nbadly")

    monkeypatch.setattr(ingest, "html_to_article", explode)
    got = error(write(tmp_path, "x.html", "<p>whatever text is here</p>"))
    assert got.reason == "unexpected error: RuntimeError: parser blew up badly"


def test_random_bytes_never_crash(tmp_path: Path) -> None:
    rng = random.Random(1234)
    for i in range(30):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600)))
        for suffix in (".txt", ".html", ".jsonl"):
            path = write(tmp_path, f"r{i}{suffix}", data)
            for result in read_path(path, SETTINGS):
                assert isinstance(result, Article | InputError)


def test_mangled_html_and_jsonl_never_crash(tmp_path: Path) -> None:
    # Truncated and spliced copies of valid input reach the parsers, unlike random bytes.
    rng = random.Random(99)
    sources = {
        ".html": (FIXTURES / "article.html").read_bytes(),
        ".jsonl": (FIXTURES / "articles.jsonl").read_bytes(),
    }
    for i in range(15):
        for suffix, data in sources.items():
            cut = rng.randrange(1, len(data))
            noise = bytes(rng.randrange(32, 127) for _ in range(rng.randrange(0, 40)))
            mangled = data[:cut] + noise + data[rng.randrange(cut, len(data)) :]
            for result in read_path(write(tmp_path, f"m{i}{suffix}", mangled), SETTINGS):
                assert isinstance(result, Article | InputError)


# ------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (UKRAINIAN, "cp1251"),
        (RUSSIAN, "cp1251"),
        (UKRAINIAN, "koi8-u"),
        (UKRAINIAN, "utf-16"),  # Python writes a BOM
        (UKRAINIAN, "utf-8-sig"),
        (UKRAINIAN, "utf-32"),
        (ENGLISH, "utf-16-le"),  # no BOM
        (ENGLISH, "utf-16-be"),
        ("Les forces ukrainiennes progressent près de Bakhmout, a déclaré la ministre.", "cp1252"),
    ],
)
def test_decoding(tmp_path: Path, text: str, encoding: str) -> None:
    got = article(write(tmp_path, "enc.txt", text.encode(encoding)))
    assert got.text == text
    assert got.id == article_id_for(text)


def test_decode_bytes_raises_for_binary() -> None:
    rng = random.Random(7)
    with pytest.raises(ValueError, match="binary"):
        decode_bytes(b"\x00\x01\x02\x03 header\x00\x00")
    with pytest.raises(ValueError):
        decode_bytes(bytes(rng.randrange(1, 256) for _ in range(3000)))


def test_decode_bytes_plain_utf8() -> None:
    assert decode_bytes("Бахмут — Bakhmut".encode()) == "Бахмут — Bakhmut"


# ---------------------------------------------------------------------------- seeds


def test_shared_seeds_with_meta() -> None:
    seeds = SHARED / "seeds"
    if not (seeds / "meta.jsonl").is_file():
        pytest.skip(f"shared seeds not found at {seeds}")
    meta = load_meta(seeds / "meta.jsonl")
    results = list(read_paths([seeds], SETTINGS, meta))
    articles = [r for r in results if isinstance(r, Article)]
    assert len(articles) == len(results) == 5
    assert {a.name: a.published for a in articles} == {
        "000_85e8204afbaaccfa.txt": date(2023, 7, 17),
        "001_60a0dfe90ae2334c.txt": date(2023, 3, 31),
        "002_5560a4c548090309.txt": date(2022, 12, 27),
        "003_c5269be5e394adb3.txt": date(2022, 9, 10),
        "004_badd188a384b6117.txt": date(2023, 2, 8),
    }
    assert [a.name for a in articles] == sorted(a.name for a in articles)
    assert articles[2].outlet == "The Kyiv Independent"
    assert all(a.language == "en" and len(a.id) == 16 for a in articles)
