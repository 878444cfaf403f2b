"""Offline language identification and the English-only analysis gate (frontwatch.lang)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from frontwatch.cli import main
from frontwatch.lang import (
    analysed,
    describe_not_analysed,
    detect,
    detect_language,
    normalise_code,
    not_analysed,
    resolve_language,
    with_language,
)
from frontwatch.lang_cli import not_analysed_note
from frontwatch.records import Article

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

UK = ("Російські війська обстріляли Бахмут і Костянтинівку, повідомив Генштаб ЗСУ. "
      "Бої тривають біля Авдіївки на Донеччині. За словами речника, ворог також "
      "атакував Харків.")
RU = ("Российские войска обстреляли Бахмут, сообщил Генштаб. Бои продолжаются под "
      "Авдеевкой. По словам представителя, это уже третья атака на Харьков за эту неделю.")
EN = ("Russian forces shelled Bakhmut and Kostiantynivka on Sunday, the General Staff said. "
      "Fighting continues near Avdiivka, and the enemy also attacked Kharkiv.")


@pytest.mark.parametrize(("text", "lang"), [
    (EN, "en"),
    (UK, "uk"),
    (RU, "ru"),
    ("Die russischen Truppen haben die Stadt eingenommen, und die Ukraine hat nicht "
     "reagiert, sagte der Sprecher der Armee.", "de"),
    ("Les forces russes ont pris la ville et les troupes ukrainiennes se sont retirées "
     "dans la nuit, selon le porte-parole.", "fr"),
    ("Wojska rosyjskie zajęły miasto, a ukraińskie siły wycofały się na zachód, jak "
     "podał sztab, który nie jest pewny.", "pl"),
    ("Расійскія войскі абстралялі горад. Баі ў раёне Бахмута працягваюцца ўвесь дзень.",
     "be"),
    ("Ρωσικές δυνάμεις βομβάρδισαν την πόλη κατά τη διάρκεια της νύχτας.", "el"),
])
def test_detects_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_english_with_a_cyrillic_quote_is_english() -> None:
    text = EN + " A Telegram post read: «Бахмут наш», which officials denied in a statement."
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", ["", "Russian forces captured Bakhmut.", "12 34 56 ---",
                                  "Bakhmut Avdiivka Marinka Kreminna Svatove Lyman"])
def test_too_little_evidence_is_undetermined(text: str) -> None:
    assert detect(text).language is None
    assert analysed(detect(text).language)  # undetermined is analysed, not dropped


def test_every_example_is_english() -> None:
    for path in sorted(EXAMPLES.glob("*.txt")):
        assert detect_language(path.read_text(encoding="utf-8")) == "en", path.name


@pytest.mark.parametrize(("declared", "code"), [
    ("en-US", "en"), ("EN", "en"), ("uk_UA", "uk"), ("ua", "uk"), ("Russian", "ru"),
    ("", None), (None, None), ("12", None),
])
def test_normalise_code(declared: str | None, code: str | None) -> None:
    assert normalise_code(declared) == code


def test_declared_language_wins_unless_the_script_contradicts_it() -> None:
    assert resolve_language(None, UK) == "uk"
    assert resolve_language("ru", UK) == "ru"  # same script: metadata wins
    assert resolve_language("en", UK) == "uk"  # a template's lang="en" over Cyrillic
    assert resolve_language("de", EN) == "de"
    assert resolve_language("uk", EN) == "en"
    art = Article.from_text(UK, "x.txt")
    assert with_language(art).language == "uk"
    done = with_language(art, "")
    assert done is art


def test_not_analysed_counts_and_note() -> None:
    counts: dict[str | None, int] = {"en": 5, None: 2, "uk": 3, "ru": 1}
    skipped = not_analysed(counts)
    assert skipped == {"uk": 3, "ru": 1}
    assert describe_not_analysed(skipped) == "4 articles (uk 3, ru 1)"
    note = not_analysed_note(counts)
    assert "4 articles (uk 3, ru 1)" in note and "--language uk" in note
    assert not_analysed_note({"en": 3, None: 1}) == ""


def test_pipeline_stores_places_but_no_events_for_ukrainian() -> None:
    from frontwatch.pipeline import process
    from frontwatch.settings import Settings

    result = process(Article.from_text(UK, "uk.txt"), Settings())
    assert result.article.language == "uk"
    assert result.events == () and result.claims == ()
    assert "Bakhmut" in {m.place.name for m in result.mentions}


@pytest.fixture(scope="module")
def mixed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "uk.txt").write_text(UK * 2, encoding="utf-8")
    (folder / "ru.txt").write_text(RU * 2, encoding="utf-8")
    (folder / "en.txt").write_text((EXAMPLES / "01_kramatorsk_station_strike.txt")
                                   .read_text(encoding="utf-8"), encoding="utf-8")
    db = folder / "t.db"
    res = CliRunner().invoke(main, ["--db", str(db), "ingest", str(folder)])
    assert res.exit_code == 0, res.output
    return db


def test_articles_by_language(mixed_db: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["--db", str(mixed_db), "articles", "--language", "uk"])
    assert res.exit_code == 0
    assert [line.split()[-1] for line in res.output.splitlines()] == ["uk.txt"]
    res = runner.invoke(main, ["--db", str(mixed_db), "articles", "--language", "UK-ua"])
    assert [line.split()[-1] for line in res.output.splitlines()] == ["uk.txt"]
    res = runner.invoke(main, ["--db", str(mixed_db), "articles", "--languages"])
    lines = dict(line.split(None, 1) for line in res.output.splitlines())
    assert lines["en"] == "1"
    assert lines["uk"].startswith("1") and "not analysed" in lines["uk"]
    assert lines["ru"].startswith("1") and "not analysed" in lines["ru"]
    res = runner.invoke(main, ["--db", str(mixed_db), "articles"])
    assert len(res.output.splitlines()) == 3


def test_report_says_what_was_not_analysed(mixed_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["--db", str(mixed_db), "report"])
    assert res.exit_code == 0
    assert "## Articles not analysed" in res.output
    assert "2 articles (ru 1, uk 1)" in res.output
    out = tmp_path / "r.md"
    res = runner.invoke(main, ["--db", str(mixed_db), "report", "-o", str(out)])
    assert res.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Situation report") and "2 articles (ru 1, uk 1)" in text


def test_non_english_mentions_are_exported(mixed_db: Path) -> None:
    res = CliRunner().invoke(main, ["--db", str(mixed_db), "export", "--what", "mentions"])
    assert res.exit_code == 0
    assert '"article": "uk.txt"' in res.output and '"name": "Bakhmut"' in res.output
