"""Word lists for quantified claims, written from general knowledge of English war reporting.

Nothing here is keyed on a particular article: these are the words news agencies, ministries
and monitors use to state tolls, shares of territory and counted quantities.
"""

from __future__ import annotations

# -- numbers -------------------------------------------------------------------------------

UNITS_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS_WORDS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALE_WORDS: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000,
                               "billion": 1_000_000_000}

# Vague counts and the convention used for them: the smallest number the word can mean,
# with no upper bound ("dozens" are at least two dozen, "hundreds" at least two hundred).
VAGUE_LOW: dict[str, float] = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000,
    "tens of thousands": 20_000, "hundreds of thousands": 200_000, "millions": 2_000_000,
    "several dozen": 36, "a few dozen": 24, "several hundred": 300, "a few hundred": 200,
    "several thousand": 3000, "a few thousand": 2000, "several": 3,
}  # fmt: skip

# Words before a number and what they make of it.
AT_LEAST = ("at least", "no fewer than", "not less than", "a minimum of", "no less than")
MORE_THAN = ("more than", "over", "upwards of", "in excess of", "above")
UP_TO = ("up to", "as many as", "no more than", "fewer than", "less than", "under")
ABOUT = ("about", "around", "some", "roughly", "approximately", "nearly", "almost",
         "close to", "an estimated", "estimated", "approx.", "circa", "just over",
         "just under", "almost", "more or less")

# -- casualties ----------------------------------------------------------------------------

KILLED_WORDS = frozenset({"killed", "dead", "died", "dies", "die", "dying", "death", "deaths",
                          "fatalities", "fatality", "slain", "perished", "perish", "lives",
                          "bodies", "kill", "killing", "kills"})
WOUNDED_WORDS = frozenset({"wounded", "injured", "hurt", "injuries", "injury", "wounding",
                           "injuring", "wound", "injure", "wounds", "hospitalised",
                           "hospitalized"})
BOTH_WORDS = frozenset({"casualties", "casualty", "losses", "victims"})
# Lemmas of verbs that count deaths or wounds in their subject or object.
KILL_LEMMAS = frozenset({"kill", "die", "perish", "slay", "claim", "eliminate", "liquidate",
                         "neutralize", "neutralise"})
WOUND_LEMMAS = frozenset({"wound", "injure", "hurt", "hospitalise", "hospitalize"})
LOSE_LEMMAS = frozenset({"lose", "suffer", "sustain"})
# Nouns that name a running count: "the death toll rose to 24", "put the toll at 51".
TOLL_NOUNS = frozenset({"toll", "number", "tally", "count", "figure", "losses", "total"})
TOLL_LEMMAS = frozenset({"rise", "climb", "reach", "increase", "grow", "jump", "stand", "put",
                         "hit", "mount", "soar", "be", "revise", "raise", "update", "bring",
                         "total", "amount", "exceed", "surpass", "top", "give", "set"})
# Nouns for people who can be counted as dead or hurt, and whose side they show.
CIVILIAN_NOUNS = frozenset({
    "civilian", "civilians", "people", "persons", "person", "residents", "resident",
    "children", "child", "kids", "women", "men", "villagers", "passengers", "evacuees",
    "inhabitants", "locals", "pensioners", "rescuers", "medics", "firefighters", "workers",
    "journalists", "teenagers", "minors", "students", "patients", "family", "families",
    "man", "woman", "boy", "girl", "baby", "infant", "teenager", "mother", "father",
    "grandmother", "grandfather", "son", "daughter", "wife", "husband", "brother", "sister",
    "pensioner", "volunteer", "volunteers", "neighbour", "neighbor", "victim",
})  # fmt: skip
MILITARY_NOUNS = frozenset({
    "soldiers", "soldier", "troops", "servicemen", "serviceman", "servicemembers",
    "fighters", "fighter", "personnel", "militants", "mercenaries", "invaders", "occupiers",
    "marines", "paratroopers", "conscripts", "mobilised", "mobilized", "officers",
    "defenders", "gunmen", "militiamen", "combatants", "crew", "crewmen", "pilots",
    "commanders", "nazis", "orcs", "russians", "ukrainians", "enemies", "rebels",
    "separatists", "guardsmen", "sappers", "gunners", "snipers", "scouts",
})  # fmt: skip
# A single person, counted one each when several are coordinated: "a boy and his mother".
PERSON_SINGULAR = frozenset({
    "man", "woman", "boy", "girl", "child", "baby", "infant", "teenager", "mother", "father",
    "grandmother", "grandfather", "son", "daughter", "wife", "husband", "brother", "sister",
    "pensioner", "resident", "civilian", "soldier", "serviceman", "volunteer", "driver",
    "neighbour", "neighbor", "medic", "rescuer", "policeman", "officer", "journalist",
    "grandson", "granddaughter", "student", "teacher", "doctor", "nurse", "farmer",
})  # fmt: skip
SUBSET_PREPS = frozenset({"including", "among", "incl"})

# -- periods -------------------------------------------------------------------------------

# A figure counted over a span of time rather than for one event. Matched on the clause the
# figure belongs to, lower-cased.
PERIOD_MARKERS = (
    r"\bsince\b", r"\bso far\b", r"\bto date\b", r"\bin total\b", r"\ba total of\b",
    r"\bthe total\b", r"\baltogether\b", r"\boverall\b", r"\bcumulative(?:ly)?\b",
    r"\b(?:over|in|during|throughout|for)\s+the\s+(?:past|last|previous)\b",
    r"\b(?:over|in|during)\s+(?:the\s+)?(?:past|last)\s+\w+", r"\bthroughout\b",
    r"\bover\s+(?:\w+\s+){0,2}(?:days|weeks|months|years)\b",
    r"\bin\s+(?:\w+\s+){1,2}(?:days|weeks|months|years)\b",
    r"\bper (?:day|week|month)\b", r"\bin a (?:day|week|month)\b", r"\bdaily\b",
    r"\bthis year\b", r"\blast year\b", r"\bin (?:19|20)\d\d\b",
    r"\bsince the (?:start|beginning|outbreak) of\b",
    r"\bin the war\b", r"\bsince the (?:full-scale )?invasion\b", r"\bweekly\b", r"\bmonthly\b",
)
# Spans of a period that fit in one day: "in the past 24 hours", "over the past day".
ONE_DAY_PERIOD = r"\b(?:past|last)\s+(?:24 hours|day)\b|\bper day\b|\bin a day\b|\bdaily\b"
# "between 24 February 2022 and 10 September 2023", "from March to May": a period only when
# a date is inside.
RANGE_PERIOD = r"\b(?:between|from)\b.{0,40}?\b(?:and|to|until|till)\b"

# -- territory and quantities --------------------------------------------------------------

PERCENT_WORDS = ("%", "percent", "per cent", "pct")
CONTROL_LEMMAS = frozenset({"control", "hold", "occupy", "capture", "seize", "take",
                            "liberate", "retake", "recapture", "regain", "free", "lose",
                            "cede", "recover", "reclaim", "gain"})
GAIN_LEMMAS = frozenset({"liberate", "retake", "recapture", "regain", "free", "recover",
                         "reclaim", "clear", "deoccupy", "de-occupy"})
TAKE_LEMMAS = frozenset({"capture", "seize", "take", "occupy", "gain", "control", "hold",
                         "advance", "conquer"})
LOSS_LEMMAS = frozenset({"lose", "cede", "surrender", "abandon"})
# Counted things and the unit their claims carry.
UNIT_OF_NOUN: dict[str, str] = {
    "settlement": "settlements", "settlements": "settlements", "village": "settlements",
    "villages": "settlements", "town": "settlements", "towns": "settlements",
    "locality": "settlements", "localities": "settlements", "hamlet": "settlements",
    "hamlets": "settlements", "communities": "settlements",
    "km2": "km2", "km²": "km2", "sq": "km2", "hectares": "ha", "hectare": "ha",
    "drone": "drones", "drones": "drones", "uav": "drones", "uavs": "drones",
    "shahed": "drones", "shaheds": "drones", "shahed-136": "drones",
    "missile": "missiles", "missiles": "missiles", "rocket": "rockets", "rockets": "rockets",
    "tank": "tanks", "tanks": "tanks", "aircraft": "aircraft", "helicopter": "helicopters",
    "helicopters": "helicopters", "jets": "aircraft", "planes": "aircraft",
    "vehicles": "vehicles", "vehicle": "vehicles", "howitzers": "artillery",
    "guns": "artillery", "launchers": "launchers", "boats": "boats", "ships": "ships",
    "buildings": "buildings", "building": "buildings", "houses": "houses", "house": "houses",
    "homes": "houses", "home": "houses", "flats": "flats", "apartments": "flats",
    "blocks": "buildings", "prisoners": "prisoners", "pows": "prisoners",
}  # fmt: skip
AREA_NOUNS = frozenset({"kilometre", "kilometres", "kilometer", "kilometers", "km", "miles",
                        "mile"})
# What was done to counted things, normalised.
ACTION_OF_LEMMA: dict[str, str] = {
    "launch": "launched", "fire": "launched", "send": "launched", "shoot": "shot_down",
    "down": "shot_down", "intercept": "shot_down", "destroy": "destroyed",
    "neutralise": "destroyed", "neutralize": "destroyed", "eliminate": "destroyed",
    "hit": "hit", "strike": "hit", "damage": "damaged", "liberate": "liberated",
    "retake": "recaptured", "recapture": "recaptured", "regain": "recaptured",
    "recover": "recaptured", "reclaim": "recaptured", "free": "liberated",
    "capture": "captured", "seize": "captured", "take": "captured", "occupy": "captured",
    "lose": "lost", "clear": "liberated", "burn": "destroyed", "raze": "destroyed",
    "exchange": "exchanged", "release": "released", "return": "released",
}  # fmt: skip
