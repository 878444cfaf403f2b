"""Pattern tables for the boilerplate cleaner that describe page-header and page-footer
furniture: crumb rows made of short segments, site notices and end-of-article bios.

All patterns run on casefolded, NFKC-normalised text unless said otherwise.
"""

from __future__ import annotations

import re

# A crumb row: segments joined by a middle dot, a bar, a bullet, an angle quote, a spaced
# dash or slash, or the wide gaps a scraper leaves between buttons.
SEG_SPLIT_RX = re.compile(r"\s*[·|•›»]\s*|\s+[—–/>-]\s+|\s{2,}")
# Rows joined by dashes alone must have three segments: "Kupiansk – Lyman" is a subheading.
STRONG_SEP_RX = re.compile(r"[·|•›»]|\S\s{2,}\S")

# One segment of a crumb row that is a page element rather than a label.
CRUMB_SEG_RX = re.compile(
    r"(?:views?|reads?|просмотров|переглядів|просмотры|перегляди) ?:? ?\d[\d ,.]*k?|"
    r"\d[\d ,.]*k? (?:views|reads|просмотров|переглядів)|"
    r"\(?\d{1,2}:\d{2}(?::\d{2})?\)?|"  # a clip's duration
    r"\d+ ?(?:min|mins|minutes?)(?: (?:read|reading|to read|listen|watch))?|"
    r"(?:reading|listening) time ?:? ?\d+ ?(?:min|mins|minutes?)|"
    r"download(?: (?:the|as|in))? (?:pdf|report|full report|map)|(?:print|save|bookmark)"
    r"(?: (?:this|the) (?:article|page|story))?|"
    r"(?:listen|audio|podcast)(?: (?:to|now))?(?: (?:this|the) (?:article|story|episode))?|"
    r"(?:live|analysis|opinion|explainer|exclusive|breaking|update[sd]?|comment|feature)"
)

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_DATE_WORDS = frozenset((
    _MONTHS + " monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri "
    "sat sun updated published posted last modified on at am pm a.m. p.m. utc gmt cet cest eet "
    "eest msk kyiv moscow time local"
).split())
_DATE_TOKEN_RX = re.compile(r"[\d./:-]+(?:st|nd|rd|th|h)?")


def is_date_segment(seg: str) -> bool:
    """'04.07.2022, 09:12', 'Updated 12:40', 'Thursday 12 October 2023': a date or a time."""
    tokens = seg.replace(",", " ").replace("(", " ").replace(")", " ").split()
    digits = False
    for tok in tokens:
        if _DATE_TOKEN_RX.fullmatch(tok):
            digits = digits or any(c.isdigit() for c in tok)
        elif tok not in _DATE_WORDS:
            return False
    return digits


_LABEL_SMALL = frozenset(("of", "and", "the", "&", "in", "on", "for", "de", "la", "le", "a"))


def is_label_segment(seg: str, max_words: int = 4) -> bool:
    """'Baltic Mirror', 'Conflict Monitoring Programme', 'Europe': a short title-case label
    (run on the original, not the casefolded text)."""
    words = seg.split()
    if not 0 < len(words) <= max_words or not words[0][0].isupper():
        return False
    if any(c in seg for c in ".!?:;,\"“”«»()"):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w in _LABEL_SMALL for w in words)


# Lower-case words a byline may hold: "By Jane Doe and John Roe", "By Northwire staff".
BYLINE_WORDS = frozenset(("and", "&", "de", "van", "von", "in", "staff", "reporters", "team",
                          "correspondent", "correspondents", "desk", "bureau", "newsroom"))

# Audio and podcast labels: "Listen: <episode>", "Podcast – <title>".
AUDIO_LABEL_RX = re.compile(
    r"(?:listen(?: now| to (?:the |our )?podcast)?|podcast|audio)(?: ?[:|>»›→] ?| [-–—] ?|[-–—] )\S"
)

# Headers of teaser lists: "Also on <Outlet>:", "More analysis:", "Elsewhere on <Outlet>".
TEASER_HDR_RX = re.compile(
    r"(?:also|elsewhere|more|latest|read more) (?:on|from|at) [\w.'’&-]+(?: [\w.'’&-]+){0,3}|"
    r"(?:more|also|further|latest|other|recent) (?:analysis|analyses|opinion|opinions|"
    r"commentary|explainers?|features?|investigations?|briefs|briefings|reads|reporting|"
    r"interviews|podcasts|episodes|columns|reports|dispatches|updates from [\w.'’&-]+)|"
    r"(?:more|other|recent) (?:stories|articles|posts) (?:by|from) .{1,40}"
)

# Author boxes at the end of the article: "Write to the author", "More by this author".
AUTHOR_KEY_RX = re.compile(
    r"(?:write|send a message|contact|e-?mail|message|follow) (?:to )?(?:the |this )?"
    r"(?:author|reporter|journalist|editor)s?|(?:more |all )?(?:articles|stories|posts|texts) "
    r"(?:by|from) (?:this|the) (?:author|reporter|journalist)|(?:more|all) (?:articles|stories|"
    r"posts) by [\w.'’-]+(?: [\w.'’-]+){0,3}"
)

# "Journalist at <Outlet>. Writes about ...": a bio that opens with its role.
ROLE_BIO_RX = re.compile(
    r"(?:(?:senior|chief|staff|freelance|special|deputy|managing|associate|contributing|"
    r"investigative|political|military|war|news|digital) ){0,2}(?:journalist|reporter|"
    r"correspondent|editor|writer|columnist|analyst|producer|photographer|photojournalist|"
    r"contributor|editor-in-chief) (?:at|for|with|of) [^.]{1,60}\.(?: [^.]{0,200}\.?)?"
)
# "Jane Doe is a senior editor at <Outlet>, covering ...": a third-person bio (original text).
NAMED_BIO_RX = re.compile(
    r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,3} (?:is|was|has been|works as) (?:a|an|the|our) "
    r"(?:[\w-]+ ){0,3}(?:journalist|reporter|correspondent|editor|writer|columnist|analyst|"
    r"producer|photographer|photojournalist|contributor|fellow|researcher|editor-in-chief) "
    r"(?:at|for|with|of|in) "
)

# Site notices: cookies, blocking and mirrors, machine translation, comment prompts.
COOKIE_KEY_RX = re.compile(
    r"(?:manage |accept |reject |change )?(?:all )?cookies?(?: (?:settings|preferences|policy|"
    r"consent|notice|choices))?|(?:manage|privacy|consent) (?:settings|preferences|choices|"
    r"consent)|privacy policy|accept all|reject all|do not sell(?: or share)? my (?:personal )?"
    r"(?:info|information|data)"
)
NOTICE_STEMS = ("cookie", "blocked", "mirror", "vpn", "translat", "what do you think",
                "comment", "oligarch", " a month", " per month", "rely on", " read more ")
NOTICE_RX = re.compile(
    r"\bwe use cookies\b|\bthis (?:site|website) uses cookies\b|\bcookies? (?:policy|settings|"
    r"preferences)\b.{0,80}\b(?:accept|agree|consent)|"
    r"\b(?:our |this )?(?:web)?site (?:may|might|could|can) be (?:blocked|unavailable|"
    r"restricted)\b|\b(?:is|are) blocked in your (?:country|region)\b|\b(?:use|visit|via|through)"
    r" (?:our|the|a) (?:mirror|vpn)\b|\bmirror (?:site|address|domain)\b|"
    r"\b(?:translated automatically|automatically translated|machine[- ]translated|machine "
    r"translation|translated (?:by|with|using) (?:google|deepl|ai|a machine|software))\b|"
    r"\bin case of (?:inaccuracies|discrepancies)\b.{0,60}\boriginal\b"
)
COMMENT_PROMPT_RX = re.compile(
    r"\bwhat do you think\?|\b(?:leave|post|add|write|share) (?:a |your )?(?:comments?|"
    r"thoughts|opinions?|views) (?:below|in the comments?|under (?:this|the) (?:article|post))\b|"
    r"\blet us know (?:in the comments|below|what you think)\b"
)
# Appeals that name the outlet instead of "us": "We rely on readers", "from €3 a month".
APPEAL_EXTRA_RX = re.compile(
    r"\bwe (?:rely|depend) (?:on|upon) (?:our )?(?:readers|you|your support|donations|"
    r"subscribers)\b|\bnot (?:oligarchs|advertisers|billionaires|investors)\b|"
    r"\bfrom (?:just |only )?[€$£₴]\s?\d+(?:[.,]\d+)? (?:a|per) month\b|"
    r"\bsupport [\w'’.-]+(?: [\w'’.-]+){0,3} (?:from|for (?:just|only)?|with) [€$£₴]\s?\d"
)
# "Subscribe to <Outlet> on Telegram so you don't miss ...".
NEWS_EXTRA_RX = re.compile(
    r"\bsubscribe to [\w'’. -]{1,40}? (?:on|in|via) (?:telegram|viber|whatsapp|youtube|"
    r"instagram|facebook|twitter|x|tiktok|vk|dzen|zen|google news)\b|"
    r"\bso (?:that )?you (?:don['’]?t|do not|never) miss\b"
)

# Photo credits: "Photo: X / AFP", "(Getty Images)".
CREDIT_MARK_RX = re.compile(
    r"\b(?:photos?|photograph(?:s|er)?|images?|pictures?|pics?|illustration|illustrative "
    r"(?:photo|image)|foto|фото|credits?|photo credit|image credit|main photo|featured image|"
    r"video|footage)(?: (?:by|credit|courtesy|source))? ?:|\b(?:photos?|photographs?|images?|"
    r"pictures?|footage) (?:by|courtesy of)\b"
)
_AGENCIES = (
    r"(?:afp|ap|reuters|getty(?: images)?|epa(?:-efe)?|efe|anadolu(?: agency)?|profimedia|"
    r"shutterstock|tass|ria novosti|sputnik|ukrinform|unian|xinhua|nurphoto|sopa images|"
    r"lightrocket|imago|alamy|dpa|zuma(?: press)?|bloomberg|pool|handout|istock|wikimedia)"
)
# "X / AFP", "AFP/X", "via Getty Images": an agency joined to a name is a credit.
AGENCY_CREDIT_RX = re.compile(
    r"(?:/ ?|\bvia )" + _AGENCIES + r"\b|\b" + _AGENCIES + r" ?/|\bgetty images\b"
)
