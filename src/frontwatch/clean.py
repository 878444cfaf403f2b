"""Remove the boilerplate that sits inside article bodies.

Scrapers hand us the article text with the page's furniture still in it: ad markers,
"Read more" blocks with other stories' headlines, newsletter and donation appeals, photo
credits, author boxes, comment forms, navigation crumbs and video teasers. Every line of
that which survives is a candidate for the extraction stage, and a teaser headline such as
"Russians shell Kharkiv" would become an event of an article that never reported it.

The text is split into units (one per non-empty line; a block is a run of lines separated
by single newlines) and each unit is classified in two steps:

1. Context-free: the unit alone matches a family of markers (exact short crumbs,
   "Read more: <title>" labels, appeal phrases, credit lines, crumb rows of short segments
   such as "Outlet · Section" or "By X | date | 7 min read", site notices).
2. Structural: header lines open zones ("Read more" / "Related articles" -> teaser titles
   and truncated snippets until the article is clearly back; "Video" -> the paragraph up
   to "Show More"; "Dear reader," -> the appeal; an author header -> the bio), an author
   bio or a comment prompt ends the article, and title-like lines after the last body
   sentence are teasers once boilerplate shows the article has ended.

Classification is repeated on what is left until nothing more is removed, which is what
makes `clean` idempotent: cleaning the output again sees exactly the units of the last
pass. Everything is linear per unit and units longer than `_LONG_UNIT` characters are
treated as prose without running any pattern, so hostile input cannot make it slow.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from . import clean_patterns as cp
from .records import Cleaned, Removed

log = logging.getLogger(__name__)

AD = "ad marker"
READ_MORE = "read-more teaser"
RELATED = "related-articles teaser"
APPEAL = "newsletter/app appeal"
DONATION = "donation appeal"
PHOTO = "photo credit"
AUTHOR = "author box"
COMMENT = "comment prompt"
NAV = "navigation"
VIDEO = "video teaser"
COPYRIGHT = "copyright notice"
AFTER_END = "after article end"
REASONS: tuple[str, ...] = (
    AD, READ_MORE, RELATED, APPEAL, DONATION, PHOTO, AUTHOR, COMMENT, NAV, VIDEO,
    COPYRIGHT, AFTER_END,
)

# Roles a unit can play in the structural rules.
_TEASER_HDR = "teaser-header"
_VIDEO_HDR = "video-header"
_DONATION_HDR = "donation-header"
_AUTHOR_HDR = "author-header"
_CLOSER = "closer"
_MEDIA = "media-crumb"
_END = "article-end"

# No boilerplate unit is this long; skipping the patterns for longer units bounds the work.
_LONG_UNIT = 3000
# Exact-marker patterns only ever describe short crumbs.
_MAX_KEY = 160
# A loop guard: real text converges in one or two passes.
_MAX_PASSES = 8

_ZERO_WIDTH = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad"), None
)
_EDGE = " \t-–—_|•·*#>»«›‹<[](){}:;,.!?\"'“”‘’„/\\=+~…▶►▷⏵"
_CLOSING = " \t\"'“”‘’»)]}*"
_QUOTES = frozenset("“”\"«»„")
_CREDIT_SEP = frozenset("/|•·—–-([,:;.»")


def _rx(pattern: str) -> re.Pattern[str]:
    # Patterns run on casefolded text, and IGNORECASE would slow every search down.
    return re.compile(pattern)


# ----------------------------------------------------------------- exact short crumbs
# Each pattern must match the whole edge-stripped, lower-cased unit.
_KEY_RULES: tuple[tuple[re.Pattern[str], str, str | None], ...] = (
    (_rx(
        r"advertisements?|advertising|advert|ads?|sponsored(?: (?:content|post|story|stories|"
        r"links?|by .{1,60}))?|promoted(?: (?:content|stories|links?))?|paid (?:content|post|"
        r"partnership|promotion)|partner (?:content|stories)|(?:the )?(?:story|article|text) "
        r"continues (?:below|after)(?: (?:this|the))? (?:advertisement|ad)|continue reading "
        r"(?:below|after)(?: (?:this|the))? (?:advertisement|ad)|advertisements? ?[-–—:|·•]? ?"
        r"(?:scroll|continue|story)(?: .{0,60})?|scroll (?:down )?to continue(?: reading)?|"
        r"реклама|anzeige|publicidad|publicité"
    ), AD, None),
    (_rx(r"show (?:more|less)|see (?:more|less)|read less|load more|view more|expand|collapse"),
     NAV, _CLOSER),
    (_rx(
        r"(?:article|featured|cover|main|header|hero|lead|top) (?:image|photo|picture)|images?|"
        r"photos?|pictures?|thumbnail|avatar|(?:photo )?gallery|video thumbnail|illustration|"
        r"illustrative (?:image|photo)"
    ), NAV, _MEDIA),
    (_rx(
        r"videos?|watch(?: now| more| also| video| the video| live)?|videos? of the day|"
        r"featured videos?|latest videos?|most watched|play video|now playing|related videos?|"
        r"video player is loading.{0,40}|live ?stream|see (?:the )?video|в[иі]део"
    ), NAV, _VIDEO_HDR),
    (_rx(
        r"read (?:more|also|next|further)(?: (?:on|about) (?:this|it|the topic|the subject))?|"
        r"also read|see also|more on (?:this|that|the topic|the subject)(?: (?:story|topic|"
        r"subject|issue))?|more about (?:this|the topic)|read the full (?:story|article)|"
        r"continue reading|full story|читайте (?:також|также|тоже)|дивіться також|"
        r"смотрите также|leia mais|lee también|lire aussi"
    ), READ_MORE, _TEASER_HDR),
    (_rx(
        r"related(?: (?:articles?|stories|story|news|posts?|content|coverage|links?|reading|"
        r"topics?|items?))?|recommended(?: (?:for you|articles|stories|reading|news|content))?|"
        r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|(?:what|more) to read next|"
        r"further reading|editor['’]?s['’]? (?:picks?|choice)|don['’]?t miss(?: this)?|"
        r"in case you missed it|most (?:read|popular|viewed|shared|commented)(?: (?:news|"
        r"stories|articles))?|popular(?: (?:now|articles|stories|news|posts))?|trending(?: "
        r"(?:now|stories|news|articles))?|top (?:stories|news)|(?:latest|more) (?:news|stories|"
        r"articles|headlines|coverage)|more from(?: the)? [\w.'’&-]+(?: [\w.'’&-]+){0,3}|"
        r"(?:other|similar) (?:articles|stories|news|posts)|по теме|за темою|новини по темі|"
        r"похожие новости"
    ), RELATED, _TEASER_HDR),
    (cp.TEASER_HDR_RX, RELATED, _TEASER_HDR),
    (cp.AUTHOR_KEY_RX, AUTHOR, None),
    (cp.COOKIE_KEY_RX, NAV, None),
    (_rx(
        r"dear (?:readers?|friends|subscribers?|visitors?)|(?:a )?(?:note|message|letter) "
        r"(?:to|for) (?:our )?readers|a (?:note|message) from (?:the|our) editors?|"
        r"to our readers"
    ), DONATION, _DONATION_HDR),
    (_rx(
        r"support (?:us|our (?:work|journalism|newsroom|reporting|mission))|donate(?: now| "
        r"today| here)?|become an? (?:member|patron|supporter|subscriber|donor)|"
        r"make a donation|subscribe and support.{0,60}"
    ), DONATION, None),
    (_rx(
        r"about (?:the )?authors?|(?:the )?authors?|[\w.'’&-]+(?: [\w.'’&-]+){0,5} news ?desk|"
        r"(?:the )?editorial (?:team|staff|board)"
    ), AUTHOR, _AUTHOR_HDR),
    (_rx(
        r"(?:additional )?(?:reporting|writing|editing|compiled|translated|translation|edited|"
        r"reported|written|produced|posted) by .{1,150}|(?:author|authors|autor|by)\s?: "
        r".{1,60}"
    ), AUTHOR, None),
    (_rx(
        r"(?:leave|post|add|write|submit)(?: a| your)? (?:comment|reply)(?: cancel reply)?|"
        r"comments are closed|"
        r"join the (?:discussion|conversation)"
    ), COMMENT, _END),
    (_rx(
        r"(?:show|view|load|read|hide)(?: all| the)? comments?|comments?(?: \(\d+\)| \d+)?|"
        r"\d+ (?:comments?|replies)|no comments(?: yet)?|reply|cancel reply|post comment|"
        r"submit comment|(?:name|e-?mail|website|comment)(?: ?\*| \(required\))?"
    ), COMMENT, None),
    (_rx(r"(?:©|\(c\)|copyright) ?.{0,150}|all rights reserved.{0,80}"), COPYRIGHT, None),
    (_rx(
        r"news ?feed|live ?feed|live updates|menu|home|skip to (?:main )?content|back to top|"
        r"share(?: (?:this|the)(?: (?:article|story|post|page|video))?)?(?: on [\w ]{1,20})?|"
        r"shares?|"
        r"\d+ shares?|tweet|e-?mail|print|copy(?: link)?|link copied|listen(?: to (?:this|the) "
        r"(?:article|story))?|\d+ ?(?:min|mins|minutes?) (?:read|reading|to read)|reading time"
        r" ?:? ?\d+ ?(?:min|mins|minutes?)|(?:next|previous|prev) (?:article|story|post)|next|"
        r"previous|prev|up next|breaking(?: news)?|latest|loading|like this|like(?: loading)?|"
        r"follow(?: us)?|our standards ?: .{0,100}|"
        r"subscribe|sign in|log in|register|facebook|twitter|x|telegram|whatsapp|linkedin|"
        r"reddit|pinterest|viber|flipboard|messenger|tags|tags? ?: .{0,150}|topics ?: .{0,150}|"
        r"categor(?:y|ies) ?: .{0,150}|filed under ?:? .{0,150}|posted in .{0,150}|"
        r"tagged(?: with)? .{0,150}|home ?[>/»›|] .{0,150}|click here.{0,80}|tap here.{0,80}"
    ), NAV, None),
)

# ------------------------------------------------------- labelled one-line teasers
# A dash is a separator only with a space beside it: "Ad-hoc", "Related-party" are words.
_SEP = r"(?: ?[:|>»›→] ?| [-–—] ?|[-–—] )\S"
_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_rx(r"(?:sponsored|promoted|advertisement|ad|partner content|paid content)" + _SEP), AD),
    (cp.AUDIO_LABEL_RX, VIDEO),
    (_rx(r"(?:watch|video|watch video|videos? of the day|watch live)" + _SEP), VIDEO),
    (_rx(
        r"(?:read (?:more|also|next)|also read|see also|more on (?:this|that)(?: story| topic)?"
        r"|читайте (?:також|также))" + _SEP
    ), READ_MORE),
    (_rx(r"(?:related(?: (?:article|story|news|coverage))?|recommended)" + _SEP), RELATED),
)
# An all-capitals label needs no colon to be a label.
_CAPS_LABELS: tuple[tuple[str, str], ...] = (
    ("READ MORE ", READ_MORE), ("READ ALSO ", READ_MORE), ("ALSO READ ", READ_MORE),
    ("SEE ALSO ", READ_MORE), ("RELATED ", RELATED), ("WATCH ", VIDEO), ("SPONSORED ", AD),
)
# A teaser snippet that ends in its own link.
_LINK_TAILS = ("read more", "continue reading", "read the full story", "read the full article",
               "read full story", "read full article")

# ------------------------------------------------------------------- phrase families
_COMMENT_RX = _rx(
    r"your (?:e-?mail|email address) (?:address )?will not be (?:published|shared)|"
    r"required fields are (?:marked|indicated)|save my name,? e-?mail|you must be (?:logged|"
    r"signed) in to (?:post|leave) a comment|comments are (?:closed|moderated)|to (?:leave|post)"
    r" a comment|(?:comment|commenting|community) (?:policy|guidelines)|this site uses akismet|"
    r"notify me of (?:new|follow-up) (?:posts|comments)"
)
# Only a newsroom speaking of itself: "I am a writer" or "we are a team of volunteers" open
# many a blog post or column, and a bio ends the article.
_FIRST_PERSON_BIO_RX = _rx(
    r"(?:we are|we['’]re) (?:the |a |an |part of the )?(?:[\w'’-]+ ){0,4}?(?:news team|"
    r"newsroom|news desk|editorial (?:team|staff|board)|journalists|reporters|editors|"
    r"correspondents)\b"
)
_THIRD_PERSON_BIO_RX = re.compile(
    r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3} (?:is|was|has been|covers|writes|reports)\b"
)
_BIO_WORD_RX = _rx(
    r"\b(?:reporter|journalist|correspondent|editor|writer|columnist|producer|photographer|"
    r"photojournalist|analyst|contributor|freelancer?|author|newsroom|covers)\b"
)
_CONTACT_RX = _rx(r"@\w|\be-?mail\b|\bfollow (?:him|her|them)\b|\btwitter\b|\bcontact\b")
_CONTRIBUTED_RX = _rx(r"\bcontributed (?:to this (?:report|story|article)|reporting)\b")
_ATTRIBUTION_RX = _rx(r"\b(?:said|says|told|according to|stated|wrote|reported)\b")

_NEWS_RX = _rx(
    r"\b(?:follow|find|join|like|friend) us\b|\bjoin our\b|\bfollow our\b|\bfollow (?:[\w'’.-]+ )"
    r"{0,3}coverage\b|\bfollow [\w'’. ]{1,40}?"
    r" on (?:twitter|x|facebook|telegram|instagram|youtube|tiktok|google news|whatsapp|linkedin|"
    r"threads)\b|\bsubscribe (?:to (?:our|us|my)|now|today|here|for free)\b|\bsubscribe to "
    r"[\w'’. ]{1,40}?(?:channel|newsletter|podcast|feed|alerts|updates|digest)\b|\bsign up "
    r"(?:here|now|today)\b|\bsign up (?:for|to) (?:our|the|a)(?: [\w'’-]+){0,4} (?:newsletter|"
    r"briefing|digest|alerts|updates|emails?)\b|\b(?:our|free|daily|weekly) newsletters?\b|"
    r"\byour inbox\b|\b(?:download|install|get) (?:our|the)(?: [\w'’.-]+){0,3} (?:app|"
    r"application)\b|\bdownload our\b|\bgoogle news\b|\bapp store\b|\bgoogle play\b|\bfor the "
    r"latest (?:headlines|news|updates)\b|\bstay (?:up to date|updated|informed|tuned|connected)"
    r"\b|\bturn on (?:push )?notifications\b|\bnever miss\b|\bbreaking news alerts?\b"
)
_DONATE_STRONG_RX = _rx(
    r"\bsupport (?:our|independent|quality|free|ukrainian) (?:[\w-]+ )?(?:journalism|media|press"
    r"|newsroom|reporting|work)\b|\bsupport us\b|\bbecome an? (?:member|patron|supporter|"
    r"subscriber|donor|sponsor)\b|\bmake a (?:donation|contribution)\b|\b(?:one-time|monthly|"
    r"recurring) (?:donation|contribution|gift)\b|\bdonate (?:now|today|here|to us|to our)\b|"
    r"\bplease (?:donate|consider (?:donating|supporting|subscribing))\b|\bpatreon\b|"
    r"\bbuy me a coffee\b|\bko-fi\b|\bour journalism\b|\bdear readers?\b|\bhelp us (?:keep|"
    r"continue|stay|remain)\b|\breader[- ](?:funded|supported)\b"
)
_DONATE_WEAK_RX = _rx(
    r"\b(?:donat\w*|contribut\w*|financ\w*|support\w*|subscri\w*|members?(?:hip)?|free press|"
    r"independent (?:journalism|media|press|voice)|journalism|paywall|free of charge|our "
    r"(?:readers|community|work|newsroom|reporting|journalists)|community of readers|your "
    r"(?:support|help|contribution))\b"
)


@dataclass(frozen=True, slots=True)
class _Feat:
    """What the rules need to know about one unit, computed once per distinct line."""

    words: int
    truncated: bool  # a short "..."-cut snippet
    sentence: bool  # ends like prose, or too long to be a title
    title: bool  # short, no closing full stop: a headline or a subheading
    strong: bool  # a paragraph that is clearly article prose
    reason: str | None  # context-free classification
    role: str | None
    donation: int  # strong appeal phrases ("become a member", "support our journalism")
    bio: bool  # reads like an author's bio or contact line
    listed: bool  # a bulleted or numbered list item, or a line ending in ":"

    @property
    def body(self) -> bool:
        return self.sentence and not self.truncated


_PROSE = _Feat(10**6, False, True, False, True, None, None, 0, False, False)


def _normalise(text: str) -> str:
    # NFKC folds the "…", full-width colons and no-break spaces that scrapers leave in.
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).casefold()
    return " ".join(text.split())


def _key_rule(key: str) -> tuple[str | None, str | None]:
    if not key or len(key) > _MAX_KEY:
        return None, None
    for rx, reason, role in _KEY_RULES:
        if rx.fullmatch(key):
            return reason, role
    return None, None


def _inline_rule(text: str, key: str, words: int) -> str | None:
    if words > 60:
        return None
    if words <= 40:
        for rx, reason in _INLINE_RULES:
            if rx.match(key):
                return reason
        stripped = text.lstrip(_EDGE)
        for label, reason in _CAPS_LABELS:
            if stripped.startswith(label) and words > 2:
                return reason
    for tail in _LINK_TAILS:
        if key.endswith(tail):
            before = key[: -len(tail)].rstrip()
            # "... says Kyiv. Read more" is a link; "we read more" is prose.
            if before and before[-1] in ".!?|»›>-–—([:":
                return READ_MORE
    return None


def _is_photo_credit(norm: str, words: int) -> bool:
    if words > 60:
        return False
    m = cp.CREDIT_MARK_RX.search(norm)
    if m:
        prefix = norm[: m.start()].rstrip()
        if not prefix or prefix[-1] in _CREDIT_SEP:
            # "Photo: X / AFP", "Bakhmut/ Photo: X", or a caption closed by its credit.
            if len(prefix.split()) <= 8 and words <= 40:
                return True
            if len(norm[m.end():].split()) <= 12:
                return True
    if "http" in norm or "www." in norm:
        return False  # a link's slashes are not a credit's
    if norm.endswith((")", "]")):
        inner = norm[max(norm.rfind("("), norm.rfind("[")) + 1 : -1]
        if cp.AGENCY_CREDIT_RX.search(inner):
            return True
    return words <= 12 and not norm.endswith(".") and (
        "©" in norm or bool(cp.AGENCY_CREDIT_RX.search(norm))
    )


def _byline(text: str, words: int) -> bool:
    """'By Tom Balmforth and Pavel Polityuk': capitalised names after a leading 'By'."""
    if words > 10 or not text.startswith("By ") or text.rstrip().endswith((".", "!", "?")):
        return False
    tokens = text[3:].replace(",", " ").split()
    return bool(tokens) and all(t[0].isupper() or t in cp.BYLINE_WORDS for t in tokens)


def _row_rule(text: str, words: int) -> str | None:
    """A crumb row of short segments ("Outlet · Section", "By X | date | 7 min read",
    "Share   Tweet", "date | Section | Views: 1 204"); a row of dates alone is kept."""
    if words > 25 or len(text) > _MAX_KEY:
        return None
    segs = [seg for seg in cp.SEG_SPLIT_RX.split(text) if seg.strip(_EDGE)]
    if len(segs) < 2 or (len(segs) < 3 and not cp.STRONG_SEP_RX.search(text)):
        return None
    found: set[str] = set()
    for seg in segs:
        key = _normalise(seg).strip(_EDGE)
        if cp.is_date_segment(key):
            continue
        if _byline(seg.strip(), len(key.split())):
            found.add(AUTHOR)
        elif (cp.CRUMB_SEG_RX.fullmatch(key) or cp.is_label_segment(seg.strip(_EDGE))
              or _key_rule(key)[0] in (NAV, AD, COMMENT, AUTHOR)):
            found.add(NAV)
        else:
            return None
    return AUTHOR if AUTHOR in found else (NAV if found else None)


def _has(norm: str, stems: tuple[str, ...]) -> bool:
    # Substring tests are far cheaper than a failed search of a many-branch pattern, and
    # nearly every unit is prose that fails them all.
    return any(stem in norm for stem in stems)


_COMMENT_STEMS = ("comment", "mail", "required", "akismet", "notify me", "save my name")
_CREDIT_STEMS = ("photo", "image", "picture", "pic", "illustrat", "foto", "фото", "credit",
                 "video", "footage", "(", "[", "©", "/", " via ")
_DONATE_STEMS = ("support", "donat", "member", "subscri", "journalism", "patreon", "coffee",
                 "ko-fi", "reader", "contribut", "financ", "free press", "paywall", "help us",
                 "patron", "sponsor", "independent", "our ", "your ")
_LISTED_RX = re.compile(r"(?:[-•*–—·▪►✓]|\d{1,2}[.)]) ")
_SOURCE_LABELS = ("source:", "sources:", "джерело:", "источник:")
_CONTACT_STEMS = ("@", "mail", "follow", "twitter", "contact")
_COPYRIGHT_PHRASES = ("all rights reserved", "may not be published", "may not be reproduced",
                      "may not be redistributed", "may not be rewritten")
_NEWS_STEMS = ("follow", "join ", "like us", "friend us", "subscri", "sign up", "newsletter",
               "inbox", " app", "google", "the latest", "stay ", "notification", "never miss",
               "breaking news")


def _donation_strong(norm: str) -> int:
    if not _has(norm, _DONATE_STEMS):
        return 0
    return len(set(_DONATE_STRONG_RX.findall(norm))) + len(set(cp.APPEAL_EXTRA_RX.findall(norm)))


@lru_cache(maxsize=1024)
def _appeal_words(text: str) -> int:
    """Weak appeal vocabulary ("support", "members", "free press"): enough to keep a
    "Dear reader," zone going, never enough on its own."""
    if len(text) > _LONG_UNIT:
        return 0
    return len(set(_DONATE_WEAK_RX.findall(_normalise(text))))


def _phrase_rule(text: str, norm: str, words: int, strong: int) -> tuple[str | None, str | None]:
    if words <= 50 and _has(norm, _COMMENT_STEMS) and _COMMENT_RX.search(norm):
        return COMMENT, _END
    if words <= 30 and _has(norm, cp.NOTICE_STEMS) and cp.COMMENT_PROMPT_RX.search(norm):
        return COMMENT, _END
    if words <= 50 and _has(norm, cp.NOTICE_STEMS) and cp.NOTICE_RX.search(norm):
        return NAV, None
    if words <= 80 and _FIRST_PERSON_BIO_RX.match(norm):
        return AUTHOR, _END
    if _byline(text, words) or (
        words <= 30 and "contributed" in norm and _CONTRIBUTED_RX.search(norm)
    ):
        return AUTHOR, None
    if words <= 40 and _has(norm, _COPYRIGHT_PHRASES):
        return COPYRIGHT, None
    if words <= 60 and _has(norm, _CREDIT_STEMS) and _is_photo_credit(norm, words):
        return PHOTO, None
    # A reported statement ("the minister said allies must support our army") needs more.
    if (strong and words <= 150 and (strong >= 2 or not _ATTRIBUTION_RX.search(norm))
            and strong * 2 + _appeal_words(text) >= 3):
        return DONATION, None
    if (words <= 50 and _has(norm, _NEWS_STEMS) and not _QUOTES.intersection(norm)
            and (_NEWS_RX.search(norm) or cp.NEWS_EXTRA_RX.search(norm))
            and not _ATTRIBUTION_RX.search(norm)):
        return APPEAL, None
    return None, None


def _end_bio(text: str, norm: str, words: int) -> bool:
    """'Journalist at X. Writes about ...', 'Jane Doe is a senior editor at X, covering ...'."""
    return words <= 60 and (bool(cp.ROLE_BIO_RX.fullmatch(norm))
                            or bool(cp.NAMED_BIO_RX.match(text)))


@lru_cache(maxsize=4096)
def _features(text: str) -> _Feat:
    if len(text) > _LONG_UNIT:
        return _PROSE
    norm = _normalise(text)
    key = norm.strip(_EDGE)
    words = len(norm.split())
    end = norm.rstrip(_CLOSING)
    truncated = end.endswith("..") and words <= 60
    sentence = not truncated and (end.endswith((".", "!")) or words >= 26)
    # "Source: General Staff" closes many Ukrainian articles and names who says so.
    title = (not sentence and not truncated and 0 < words <= 25
             and not norm.startswith(_SOURCE_LABELS))
    donation = _donation_strong(norm) if words <= 200 else 0
    reason, role = _key_rule(key)
    if reason is None:
        reason = _inline_rule(text, key, words)
    if reason is None:
        reason = _row_rule(text, words)
    if reason is None:
        reason, role = _phrase_rule(text, norm, words, donation)
    bio = words <= 80 and (
        bool(_FIRST_PERSON_BIO_RX.match(norm))
        or (bool(_THIRD_PERSON_BIO_RX.match(text)) and bool(_BIO_WORD_RX.search(norm)))
        or (words <= 30 and _has(norm, _CONTACT_STEMS) and bool(_CONTACT_RX.search(norm)))
        or _end_bio(text, norm, words)
    )
    return _Feat(
        words=words, truncated=truncated, sentence=sentence, title=title,
        strong=sentence and words >= 20, reason=reason, role=role,
        donation=donation, bio=bio, listed=bool(_LISTED_RX.match(text)) or end.endswith(":"),
    )


# ------------------------------------------------------------------ structural rules


class _Pass:
    """One classification pass over the units still present."""

    def __init__(self, texts: list[str], blanks: list[bool]) -> None:
        self.n = n = len(texts)
        self.texts = texts
        self.blanks = blanks  # a blank line precedes unit i
        self.feats = [_features(t) for t in texts]
        self.marks: list[str | None] = [f.reason for f in self.feats]
        # Suffix facts on the context-free marks, so that every zone lookahead is O(1).
        self.strong_from = [False] * (n + 1)  # an unmarked prose paragraph at or after i
        self.clear_from = [True] * (n + 1)  # nothing but boilerplate at or after i
        for i in range(n - 1, -1, -1):
            unmarked = self.marks[i] is None
            self.strong_from[i] = self.strong_from[i + 1] or (unmarked and self.feats[i].strong)
            self.clear_from[i] = self.clear_from[i + 1] and not unmarked
        self.prose_before = [0] * (n + 1)  # unmarked prose paragraphs before i
        self.short_before = [0] * (n + 1)  # unmarked short sentences before i
        for i in range(n):
            feat, unmarked = self.feats[i], self.marks[i] is None
            self.prose_before[i + 1] = self.prose_before[i] + (unmarked and feat.strong)
            short = unmarked and feat.sentence and not feat.strong
            self.short_before[i + 1] = self.short_before[i] + short
        self.ended = False
        # How far each kind of zone has already been scanned: a run of headers must not
        # rescan the same stretch once per header.
        self.reach: dict[str, int] = {}
        self.protected = self._headline()

    def _headline(self) -> int:
        """The first content unit is the headline, unless a teaser header came before it."""
        for i, reason in enumerate(self.marks):
            if self.feats[i].role == _TEASER_HDR:
                return -1
            if reason is None:
                return i
        return -1

    def _mark(self, i: int, reason: str) -> bool:
        if self.marks[i] is None and i != self.protected:
            self.marks[i] = reason
            return True
        return False

    def run(self) -> list[str | None]:
        for i, feat in enumerate(self.feats):
            if feat.role == _TEASER_HDR and feat.reason is not None:
                self._teaser_zone(i, feat.reason)
            elif feat.role == _VIDEO_HDR:
                self._video_zone(i)
            elif feat.role == _DONATION_HDR:
                self._donation_zone(i)
            elif feat.role == _AUTHOR_HDR:
                self._author_zone(i)
        self._masthead()
        self._closing_bio()
        self._cards()
        self._hard_end()
        self._tail()
        return self.marks

    def _masthead(self) -> None:
        """Right under the headline, a lone short title-case label is the outlet's name or a
        section ("RusVestnik International"), not the article's."""
        for i in range(self.protected + 1 if self.protected >= 0 else self.n, self.n):
            if self.marks[i] is not None:
                continue
            if self.feats[i].words < 2 or not cp.is_label_segment(self.texts[i]):
                return
            self._mark(i, NAV)

    def _closing_bio(self) -> None:
        """The last unmarked unit, with only furniture after it, is the author's bio when it
        reads like one ("Jane Doe is a senior editor at ..."); a name line above it goes too."""
        i = self.n - 1
        while i >= 0 and self.marks[i] is not None:
            i -= 1
        if i < 0 or self.prose_before[i] < 2:
            return
        text = self.texts[i]
        if not _end_bio(text, _normalise(text), self.feats[i].words):
            return
        self._mark(i, AUTHOR)
        if i > 0 and self.marks[i - 1] is None and cp.is_label_segment(self.texts[i - 1]):
            self._mark(i - 1, AUTHOR)

    def _zone_start(self, kind: str, h: int) -> int:
        return max(h + 1, self.reach.get(kind, 0))

    def _teaser_zone(self, h: int, reason: str) -> None:
        """Titles, "..."-snippets and the one-sentence deks under titles belong to the zone;
        other furniture inside it does not end it; prose does."""
        # In an article of long paragraphs, short sentences with no prose after them are
        # teasers too; in an article of short paragraphs they are the article.
        long_form = self.prose_before[h] > self.short_before[h]
        j = self._zone_start(_TEASER_HDR, h)
        after_title = False
        while j < self.n:
            feat = self.feats[j]
            if self.marks[j] is None:
                if feat.title or feat.truncated:
                    after_title = feat.title
                elif after_title and feat.words <= 30 and self._teaser_follows(j + 1):
                    after_title = False
                elif not (long_form and feat.words < 20 and not self.strong_from[j]):
                    break
            self._mark(j, reason)
            j += 1
        self.reach[_TEASER_HDR] = j

    def _teaser_follows(self, j: int) -> bool:
        """The end, furniture, or another title or snippet comes at unit j."""
        return j >= self.n or self.marks[j] is not None or self.feats[j].title or (
            self.feats[j].truncated
        )

    def _video_zone(self, h: int) -> None:
        n = self.n
        content: list[int] = []
        closer = -1
        j = h + 1
        words = 0
        while j < n:
            if self.feats[j].role == _CLOSER:
                closer = j
                break
            if self.marks[j] is not None or len(content) == 3 or words > 300:
                break
            content.append(j)
            words += self.feats[j].words
            j += 1
        # Without a closer the content is a teaser only if furniture surrounds it: the header
        # follows other page furniture (not an inline ad or credit) and nothing but furniture
        # follows the content. Otherwise it may be the article's last paragraphs.
        inside_furniture = h > 0 and self.marks[h - 1] not in (None, AD, PHOTO)
        if closer >= 0 or (inside_furniture and self.clear_from[j]):
            self.marks[h] = VIDEO
            for k in content:
                self._mark(k, VIDEO)
            if closer >= 0:
                self.marks[closer] = VIDEO
        elif content and self.feats[content[0]].title and self.feats[content[0]].words <= 15:
            self.marks[h] = VIDEO
            self._mark(content[0], VIDEO)

    def _donation_zone(self, h: int) -> None:
        j = self._zone_start(_DONATION_HDR, h)
        while j < self.n:
            feat = self.feats[j]
            appeal = feat.words <= 200 and (feat.donation or _appeal_words(self.texts[j]))
            if self.marks[j] is None and not appeal:
                break
            self._mark(j, DONATION)
            j += 1
        self.reach[_DONATION_HDR] = j

    def _author_zone(self, h: int) -> None:
        # The bio sits right under the header, past at most an avatar or a date crumb.
        for j in range(h + 1, min(h + 5, self.n)):
            if self.marks[j] is not None:
                continue
            if not self.feats[j].bio:
                return
            if self._mark(j, AUTHOR):
                self._end_after(j, needed=2)

    def _cards(self) -> None:
        """A teaser card: a block (lines without blank lines between) holding a media crumb
        ("Article image", "Avatar") and otherwise only titles."""
        n = self.n
        i = 0
        while i < n:
            j = i + 1
            while j < n and not self.blanks[j]:
                j += 1
            block = range(i, j)
            if any(self.feats[k].role == _MEDIA for k in block) and all(
                self.marks[k] is not None or self.feats[k].title or self.feats[k].truncated
                for k in block
            ):
                for k in block:
                    self._mark(k, RELATED)
            i = j

    def _end_after(self, i: int, needed: int) -> None:
        """Everything after unit i is page furniture, if an article came before it (a bio
        or a comment count above the lede does not end anything)."""
        if self.ended or self.prose_before[i] < needed:
            return
        self.ended = True
        for k in range(i + 1, self.n):
            self._mark(k, AFTER_END)

    def _hard_end(self) -> None:
        # A comment form or an author's bio closes the article.
        for i, feat in enumerate(self.feats):
            if self.ended:
                return
            if feat.role == _END and self.marks[i] is not None:
                self._end_after(i, needed=1 if feat.reason == COMMENT else 2)

    def _tail(self) -> None:
        """After the last prose paragraph, titles and snippets are teasers once any furniture
        shows that the article is over."""
        last = -1
        for i in range(self.n - 1, -1, -1):
            if self.marks[i] is None and self.feats[i].body:
                last = i
                break
        tail = range(last + 1, self.n)
        if not any(self.marks[k] is not None for k in tail):
            return
        for k in tail:
            feat = self.feats[k]
            # A bulleted "what we know" list or a line introducing one is the article's.
            if (feat.title or feat.truncated) and not feat.listed:
                self._mark(k, RELATED)


# ------------------------------------------------------------------------ the API


_LINE_RX = re.compile(r"[^\n]+")
_VISIBLE_RX = re.compile(r"[^\s\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")


@dataclass(slots=True)
class _Units:
    """The non-empty lines of a text, as parallel lists: millions of tiny objects would
    make a hostile input of short lines slow."""

    starts: list[int]  # offsets of the stripped line in the input text
    ends: list[int]
    texts: list[str]
    blanks: list[bool]  # a blank line (or the start of the text) precedes it


def _units(text: str) -> _Units:
    units = _Units([], [], [], [])
    prev_end = 0
    for m in _LINE_RX.finditer(text):
        line = m.group()
        # A line of only zero-width characters is an empty line for every purpose.
        if not _VISIBLE_RX.search(line):
            continue
        stripped = line.strip()
        start = m.start() + len(line) - len(line.lstrip())
        units.blanks.append(not units.texts or text.count("\n", prev_end, start) >= 2)
        prev_end = start + len(stripped)
        units.starts.append(start)
        units.ends.append(prev_end)
        units.texts.append(stripped)
    return units


# Reference markers of scraped reports and wikis: "claim.[24] ISW assesses", "said[3]".
_CITATION = re.compile(r"\[\d{1,3}\](?:\s*\[\d{1,3}\])*")
_NBSP = re.compile(r"[\u00a0\u202f\u2007]")


def _inline(line: str) -> str:
    """Inline clutter out of a kept line: citation markers go (leaving a space where one
    ended a sentence, so the next sentence is one), no-break spaces become spaces."""
    line = _NBSP.sub(" ", line)
    return _CITATION.sub(lambda m: " " if m.end() < len(line) and
                         not line[m.end()].isspace() else "", line)


def clean(text: str) -> Cleaned:
    """Remove the boilerplate inside an article's text.

    The kept lines are joined by a blank line, or by a single newline where they were
    adjacent lines of one block. `Removed` blocks are runs of adjacent lines removed for
    the same reason; their offsets point into `text`. Never raises; a text that is only
    boilerplate gives an empty `Cleaned.text`.
    """
    units = _units(text)
    texts, blanks = units.texts, units.blanks
    alive = list(range(len(texts)))
    reasons: dict[int, str] = {}
    for _ in range(_MAX_PASSES):
        marks = _Pass([texts[i] for i in alive], [blanks[i] for i in alive]).run()
        if not any(marks):
            break
        kept: list[int] = []
        gap = False
        for i, mark in zip(alive, marks, strict=True):
            if mark is not None:
                reasons[i] = mark
                gap = True
                continue
            # Removing a line between two kept ones leaves a paragraph break in the output.
            blanks[i] = blanks[i] or gap
            gap = False
            kept.append(i)
        alive = kept
    else:
        log.warning("boilerplate cleaning did not converge in %d passes", _MAX_PASSES)

    parts: list[str] = []
    for i in alive:
        if parts:
            parts.append("\n\n" if blanks[i] else "\n")
        parts.append(_inline(texts[i]))

    removed: list[Removed] = []
    run_start = run_end = -1
    for i in sorted(reasons):
        if run_start >= 0 and i == run_end + 1 and reasons[i] == reasons[run_start]:
            run_end = i
            continue
        if run_start >= 0:
            removed.append(_removed(text, units, run_start, run_end, reasons[run_start]))
        run_start = run_end = i
    if run_start >= 0:
        removed.append(_removed(text, units, run_start, run_end, reasons[run_start]))
    if removed:
        log.debug("removed %d boilerplate blocks", len(removed))
    return Cleaned(text="".join(parts).strip(), removed=tuple(removed))


def _removed(text: str, units: _Units, first: int, last: int, reason: str) -> Removed:
    start, end = units.starts[first], units.ends[last]
    return Removed(start=start, end=end, text=text[start:end], reason=reason)


def explain(cleaned: Cleaned, width: int = 100) -> str:
    """One line per removed block, `reason: text`, for `frontwatch show --boilerplate`."""
    lines: list[str] = []
    for block in cleaned.removed:
        flat = " ".join(block.text.split())
        if len(flat) > width:
            flat = flat[: width - 1].rstrip() + "…"
        lines.append(f"{block.reason}: {flat}")
    return "\n".join(lines)
