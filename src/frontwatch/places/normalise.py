"""Name keys: the one form under which every toponym is indexed and looked up.

The gazetteer side (`normalise_name`) and the text side (`tokenise`) must agree
character for character, or an indexed name can never be found in an article: both
drop apostrophes and diacritics, casefold, and treat every non-word character as a
word break.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Apostrophes and the quote marks transliterations use for the Ukrainian soft sign and
# apostrophe (Kup”yans’k, Mar'inka): they are dropped, not turned into a break, so that
# "Mar'inka" and "Marinka" share a key.
APOSTROPHES = "'’ʼ`´‘ʻ′″”“\""

# Letters that Unicode does not decompose into base + mark but that readers treat as
# plain Latin letters (Polish ł, Nordic ø, Turkish ı ...).
_FOLD = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ħ": "h",
        "ŀ": "l",
    }
)

_NON_WORD = re.compile(r"[\W_]+")
_APOSTROPHE_RE = re.compile("[" + APOSTROPHES + "]")
# NFD puts the accents of Latin and Cyrillic letters in this block.
_COMBINING = re.compile(r"[\u0300-\u036f\u0483-\u0489]")

# A word of an article: letters/digits (plus stray combining marks of decomposed
# text), possibly joined by apostrophes, as in Mar'inka or Kup’yans’k.
TOKEN_RE = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f])+(?:[" + APOSTROPHES + r"](?:[^\W_]|[\u0300-\u036f])+)*"
)

# Scripts a name may be written in to be indexed: Latin (with extensions) and Cyrillic.
_OTHER_SCRIPT = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u0400-\u052f\u2010-\u2027]")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def normalise_name(s: str) -> str:
    """The lookup key of a name: casefolded, no diacritics or apostrophes, words
    separated by single spaces (hyphens and other punctuation are breaks)."""
    s = _APOSTROPHE_RE.sub("", s.casefold())
    if not s.isascii():
        s = _COMBINING.sub("", unicodedata.normalize("NFD", s.translate(_FOLD)))
    return _NON_WORD.sub(" ", s).strip()


@lru_cache(maxsize=65536)
def normalise_token(token: str) -> str:
    """`normalise_name` of one article word, memoised: articles repeat their words."""
    return normalise_name(token)


def usable_name(name: str) -> bool:
    """Whether an alternate name is worth indexing: Latin or Cyrillic script only.

    All-lower-case Latin alternates in GeoNames are romanisations of names in other
    scripts (Chinese, Korean, Arabic ...); English text never writes a toponym that
    way, and they add thousands of keys that collide with ordinary words.
    """
    if len(name) < 3 or _OTHER_SCRIPT.search(name):
        return False
    # Short all-capital alternates are airport and station codes (KBP, ISW, HRK).
    if len(name) <= 4 and name.isupper():
        return False
    if _CYRILLIC.search(name):
        return True
    return name != name.lower()


def is_cyrillic(s: str) -> bool:
    """True when every letter of `s` is Cyrillic (and there is at least one)."""
    return bool(_CYRILLIC.search(s)) and not _LATIN_LETTER.search(s)


class Tokens:
    """The words of a text: parallel lists of offsets into it, keys and whether each
    is capitalised (or Cyrillic, which counts as capitalised)."""

    __slots__ = ("caps", "ends", "keys", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.keys: list[str] = []
        self.caps: list[bool] = []

    def __len__(self) -> int:
        return len(self.keys)


def tokenise(text: str) -> Tokens:
    """The words of `text` with their keys; a trailing possessive 's is not part of
    the word (Kyiv's -> Kyiv)."""
    out = Tokens()
    starts, ends, keys, caps = out.starts, out.ends, out.keys, out.caps
    for m in TOKEN_RE.finditer(text):
        surface = m.group()
        start = m.start()
        if surface.isascii() and surface.isalnum():
            # The common case, without the general machinery.
            starts.append(start)
            ends.append(start + len(surface))
            keys.append(surface.lower())
            caps.append(surface[0].isupper())
            continue
        if len(surface) > 3 and surface[-2] in APOSTROPHES and surface[-1] in "sS":
            surface = surface[:-2]
        key = normalise_token(surface)
        if not key:
            continue
        starts.append(start)
        ends.append(start + len(surface))
        keys.append(key)
        caps.append(surface[0].isupper() or is_cyrillic(surface))
    return out
