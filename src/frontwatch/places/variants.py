"""Spelling variants and clipped stems of Ukrainian settlement names.

GeoNames lists many spellings, but war news uses more: Russian-style transliteration
(Avdeevka, Gorlovka), older Ukrainian romanisations (Avdiyivka, Sloviansk / Slovyansk)
and machine translation that clips the adjective of a town ("Kupyan direction" from
"Куп'янський напрямок"). Both generators work on normalised keys (lower case ASCII
for the Latin names that matter) and are deliberately small: each variant becomes a
key of the automaton for every Ukrainian settlement.
"""

from __future__ import annotations

import re

# One substitution each; a name gets every single rule applied, then every rule again
# on those results, so two independent differences (ia/ya and -ivka/-evka) are covered.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        # Ukrainian ia/iu/ie against the older ya/yu/ye and German-style ja/ju.
        (r"(?<=[a-z])ia", "ya"),
        (r"(?<=[a-z])ya", "ia"),
        (r"(?<=[a-z])ja", "ya"),
        (r"(?<=[a-z])iu", "yu"),
        (r"(?<=[a-z])yu", "iu"),
        (r"(?<=[a-z])ie", "ye"),
        (r"(?<=[a-z])ye", "ie"),
        # Ukrainian ї written yi, iy, ii or plain i.
        (r"iyi", "ii"),
        (r"ii(?=[a-z])", "iyi"),
        (r"(?<=[a-z])yi(?=[a-z])", "i"),
        (r"(?<=[a-z])yi(?=[a-z])", "ii"),
        # Ukrainian й after a vowel and before a consonant: i in the 2010 romanisation,
        # y in older ones (Mykhailivka / Mykhaylivka, Maiorsk / Mayorsk).
        (r"(?<=[aeou])i(?=[bcdfghklmnprstvz])", "y"),
        (r"(?<=[aeou])y(?=[bcdfghklmnprstvz])", "i"),
        # Russian-style endings of -ivka villages: Avdiivka / Avdeevka / Avdeyevka.
        (r"iivka\b", "eevka"),
        (r"iivka\b", "eyevka"),
        (r"(?<=[a-z])ivka\b", "ovka"),
        (r"(?<=[a-z])ivka\b", "evka"),
        (r"(?<=[a-z])ivka\b", "yevka"),
        # Ukrainian i for Russian o in a closed syllable: Novopil / Novopol,
        # Krasnopillia / Krasnopolye.
        (r"(?<=[a-z])pil\b", "pol"),
        (r"(?<=[a-z])pill(?:ia|ya)\b", "polye"),
        # Ukrainian h for Russian g (Krasna Hora / Krasnaya Gora), and kh spelt h.
        (r"(?<![kzsc])h", "g"),
        (r"kh", "h"),
        (r"shch", "sch"),  # Shchastia / Schastia
        # Adjectival endings: -skyi / -skyy / -skiy / -sky; -ske / -skoye.
        (r"(?<=[a-z])(?:yi|yy|iy)\b", "y"),
        (r"(?<=[a-z])(?:yi|yy|y)\b", "iy"),
        (r"(?<=sk)e\b", "oye"),
        (r"(?<=[a-z])ne\b", "noye"),
        (r"(?<=[a-z])([oe])ve\b", r"\1vo"),  # Shestakove / Shestakovo
        # Russian feminine adjectives: Krasna Hora / Krasnaya Gora, Nova / Novaya.
        (r"\b([a-z]+[nvlrk])a (?=[a-z])", r"\1aya "),
        # Russian-style y -> i throughout (Zhytomyr / Zhitomir).
        (r"(?<=[a-z])y(?=[a-z])", "i"),
    )
)

MAX_VARIANTS = 16
MIN_VARIANT_LEN = 5


def spelling_variants(key: str) -> set[str]:
    """Other spellings of a normalised Latin name key (the key itself excluded)."""
    if not key.isascii() or len(key) < MIN_VARIANT_LEN:
        return set()
    first: list[str] = []
    for pattern, repl in _RULES:
        v = pattern.sub(repl, key)
        if v != key and v not in first:
            first.append(v)
    out: list[str] = list(first)
    for v in first:
        for pattern, repl in _RULES:
            w = pattern.sub(repl, v)
            if w != key and w not in out:
                out.append(w)
            if len(out) >= MAX_VARIANTS * 4:
                break
    # Prefer the single-rule variants: they are the spellings actually seen.
    return set(out[:MAX_VARIANTS])


# Suffixes a machine translation drops from the adjective it derives from a town name,
# longest first so -ivka is tried before -ka. The stem keeps the -iv of -ivka
# (Avdiivka -> Avdiiv, Marinka -> Marin, Kupyansk -> Kupyan).
_STEM_SUFFIXES = ("ske", "sk", "ka", "ne", "na", "e")
# The Russian-style adjective a stem can also appear as (Kupyansky, Avdeevskoye).
_ADJ_ENDINGS = ("sky", "skyi", "skiy", "sk", "ske", "skoye", "skoe", "ska")
MIN_STEM_LEN = 4


def clipped_stems(key: str) -> set[str]:
    """The clipped and adjectival forms of a normalised Latin settlement name.

    These are only ever accepted before a direction/area word, so a stem that is also
    an ordinary word costs nothing elsewhere.
    """
    if not key.isascii():
        return set()
    out: set[str] = set()
    for suffix in _STEM_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= MIN_STEM_LEN:
            stem = key[: -len(suffix)]
            out.add(stem)
            if not stem.endswith("s"):
                out.update(stem + end for end in _ADJ_ENDINGS)
            break
    # A full name also takes an adjectival ending (Bakhmutsky, Liman -> Limansky).
    if len(key) >= MIN_STEM_LEN and not key.endswith(("sk", "ka", "e", "a")):
        out.update(key + end for end in _ADJ_ENDINGS[:4])
    out.discard(key)
    return {s for s in out if len(s) >= MIN_STEM_LEN}
