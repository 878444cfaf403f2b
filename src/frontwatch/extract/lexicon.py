"""Word lists the extraction rules read: event cues, actors, speakers.

Written by hand from general knowledge of the war and of ACLED's public codebook;
nothing here is derived from ACLED, ISW or CIR records.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- ACLED typology -------------------------------------------------------------------

CLASH = "Armed clash"
GOV_REGAINS = "Government regains territory"
NSA_OVERTAKES = "Non-state actor overtakes territory"
SHELLING = "Shelling/artillery/missile attack"
AIR = "Air/drone strike"
IED = "Remote explosive/landmine/IED"
DISRUPTED = "Disrupted weapons use"
NONVIOLENT_TRANSFER = "Non-violent transfer of territory"
ATTACK = "Attack"
ABDUCTION = "Abduction/forced disappearance"
LOOTING = "Looting/property destruction"
HQ = "Headquarters or base established"
ARREST = "Arrests"

EVENT_TYPE_OF = {
    CLASH: "Battles",
    GOV_REGAINS: "Battles",
    NSA_OVERTAKES: "Battles",
    SHELLING: "Explosions/Remote violence",
    AIR: "Explosions/Remote violence",
    IED: "Explosions/Remote violence",
    ATTACK: "Violence against civilians",
    ABDUCTION: "Violence against civilians",
    LOOTING: "Violence against civilians",
    HQ: "Strategic developments",
    DISRUPTED: "Strategic developments",
    NONVIOLENT_TRANSFER: "Strategic developments",
    ARREST: "Strategic developments",
}

# A cue is a lemma (or a lower-case multiword) that signals an event; its kind decides
# the sub-event type, and its movement (if any) the frontline movement.
CAPTURE = "capture"


@dataclass(frozen=True, slots=True)
class Cue:
    # "clash", "capture", "shelling", "air", "ied", "disrupted", "arrest"; and the
    # one-sided kinds "harm" (harming people by hand), "abduct", "loot", "base".
    kind: str
    movement: str | None = None
    # A side the word itself implies whoever the subject is: "liberate" is said of
    # Ukraine's recapture, "occupy" of Russia's.
    implied_side: str | None = None
    needs_place_object: bool = False  # "take" counts only when it takes a place
    # A tally rather than an account ("destroyed 30 soldiers", "losses amounted to 55"):
    # it stands for the fighting only when the sentence tells nothing more direct.
    weak: bool = False
    # The side the words name is the one that suffered: "Ukraine's losses", "lost 200".
    loser: bool = False


VERB_CUES: dict[str, Cue] = {
    # territory
    "capture": Cue(CAPTURE, "capture"),
    "seize": Cue(CAPTURE, "capture"),
    "recapture": Cue(CAPTURE, "capture"),
    "retake": Cue(CAPTURE, "capture", needs_place_object=True),
    "regain": Cue(CAPTURE, "capture", needs_place_object=True),
    "reclaim": Cue(CAPTURE, "capture", needs_place_object=True),
    "liberate": Cue(CAPTURE, "capture", implied_side="ukraine"),
    "free": Cue(CAPTURE, "capture", implied_side="ukraine", needs_place_object=True),
    "occupy": Cue(CAPTURE, "capture", implied_side="russia", needs_place_object=True),
    "take": Cue(CAPTURE, "capture", needs_place_object=True),
    "overrun": Cue(CAPTURE, "capture"),
    # movement
    "advance": Cue("clash", "advance"),
    "enter": Cue("clash", "advance", needs_place_object=True),
    "push": Cue("clash", "advance"),
    "progress": Cue("clash", "advance"),
    "gain": Cue("clash", "advance", needs_place_object=True),
    "breach": Cue("clash", "advance"),
    "storm": Cue("clash", "advance"),
    "encircle": Cue("clash", "advance"),
    "withdraw": Cue("clash", "withdraw"),
    "retreat": Cue("clash", "withdraw"),
    "leave": Cue("clash", "withdraw", needs_place_object=True),
    "abandon": Cue("clash", "withdraw", needs_place_object=True),
    "stall": Cue("clash", "stalled"),
    "slow": Cue("clash", "stalled"),
    "halt": Cue("clash", "stalled"),
    "stabilize": Cue("clash", "stalled"),
    "stabilise": Cue("clash", "stalled"),
    "repel": Cue("clash", "hold"),
    "repulse": Cue("clash", "hold"),
    "contain": Cue("clash", "hold"),
    "defend": Cue("clash", "hold"),
    "hold": Cue("clash", "hold", needs_place_object=True),
    # fighting
    "attack": Cue("clash"),
    "assault": Cue("clash"),
    "fight": Cue("clash"),
    "clash": Cue("clash"),
    "battle": Cue("clash"),
    "engage": Cue("clash"),
    "ambush": Cue("clash"),
    # remote violence
    "shell": Cue("shelling"),
    "bombard": Cue("shelling"),
    "strike": Cue("shelling"),
    "hit": Cue("shelling", needs_place_object=True),
    "bomb": Cue("air"),
    "intercept": Cue("disrupted"),
    "down": Cue("disrupted"),
    "detonate": Cue("ied"),
    # tallies of the other side's losses (checked for a military object)
    "destroy": Cue("clash", weak=True),
    "eliminate": Cue("clash", weak=True),
    "neutralize": Cue("clash", weak=True),
    "neutralise": Cue("clash", weak=True),
    "liquidate": Cue("clash", weak=True),
    "inflict": Cue("clash", weak=True),
    "deal": Cue("clash", weak=True),
    "sink": Cue("clash", weak=True),
    "oust": Cue("clash", "advance"),
    "lose": Cue("clash", weak=True, loser=True),
    "fire": Cue("shelling"),
    "detain": Cue("arrest"),
    "arrest": Cue("arrest"),
    # violence by hand against people who are not fighting (checked for a victim)
    "kill": Cue("harm"),
    "murder": Cue("harm"),
    "execute": Cue("harm"),
    "torture": Cue("harm"),
    "shoot": Cue("harm"),
    "beat": Cue("harm"),
    "stab": Cue("harm"),
    "abduct": Cue("abduct"),
    "kidnap": Cue("abduct"),
    "loot": Cue("loot"),
    "plunder": Cue("loot"),
    "pillage": Cue("loot"),
    "ransack": Cue("loot"),
    "vandalize": Cue("loot"),
    "vandalise": Cue("loot"),
    "torch": Cue("loot"),
    "confiscate": Cue("loot"),
    "steal": Cue("loot"),
    "expropriate": Cue("loot"),
    "defuse": Cue("disrupted"),
    "demine": Cue("disrupted"),
}

NOUN_CUES: dict[str, Cue] = {
    "capture": Cue(CAPTURE, "capture"),
    "seizure": Cue(CAPTURE, "capture"),
    "liberation": Cue(CAPTURE, "capture", implied_side="ukraine"),
    "recapture": Cue(CAPTURE, "capture"),
    "taking": Cue(CAPTURE, "capture", needs_place_object=True),
    "fall": Cue(CAPTURE, "capture", needs_place_object=True),
    "advance": Cue("clash", "advance"),
    "advancement": Cue("clash", "advance"),
    "progress": Cue("clash", "advance"),
    "push": Cue("clash", "advance"),
    "breakthrough": Cue("clash", "advance"),
    "gain": Cue("clash", "advance"),
    "offensive": Cue("clash"),
    "counteroffensive": Cue("clash", "advance"),
    "counter-offensive": Cue("clash", "advance"),
    "counterattack": Cue("clash", "advance"),
    "withdrawal": Cue("clash", "withdraw"),
    "pullback": Cue("clash", "withdraw"),
    "pull-back": Cue("clash", "withdraw"),
    "retreat": Cue("clash", "withdraw"),
    "attack": Cue("clash"),
    "assault": Cue("clash"),
    "onslaught": Cue("clash"),
    "battle": Cue("clash"),
    "fighting": Cue("clash"),
    "fight": Cue("clash"),
    "clash": Cue("clash"),
    "combat": Cue("clash"),
    "firefight": Cue("clash"),
    "skirmish": Cue("clash"),
    "hostility": Cue("clash"),
    "defense": Cue("clash", "hold"),
    "defence": Cue("clash", "hold"),
    "shelling": Cue("shelling"),
    "bombardment": Cue("shelling"),
    "artillery": Cue("shelling"),
    "missile": Cue("shelling"),
    "rocket": Cue("shelling"),
    "mortar": Cue("shelling"),
    "strike": Cue("shelling"),
    "airstrike": Cue("air"),
    "drone": Cue("air"),
    "uav": Cue("air"),
    "shahed": Cue("air"),
    "aviation": Cue("air"),
    "bomb": Cue("air"),
    "mine": Cue("ied"),
    "landmine": Cue("ied"),
    "ied": Cue("ied"),
    "uxo": Cue("ied"),
    "ordnance": Cue("ied"),
    "tripwire": Cue("ied"),
    "grenade": Cue("ied"),
    "explosive": Cue("ied"),
    "explosives": Cue("ied"),
    "interception": Cue("disrupted"),
    "abduction": Cue("abduct"),
    "kidnapping": Cue("abduct"),
    "looting": Cue("loot"),
    "losses": Cue("clash", weak=True, loser=True),
}

# What a tally counts when it tallies fighting: people under arms and their kit.
MILITARY_TARGETS = frozenset({
    "soldier", "soldiers", "serviceman", "servicemen", "fighter", "fighters", "militant",
    "militants", "mercenary", "mercenaries", "invader", "invaders", "occupier", "occupiers",
    "personnel", "manpower", "unit", "units", "troops", "tank", "tanks", "howitzer",
    "howitzers", "depot", "depots", "position", "positions", "post", "posts", "vehicle",
    "vehicles", "equipment", "launcher", "launchers", "mlrs", "himars", "radar", "radars",
    "gun", "guns", "mortar", "mortars", "helicopter", "helicopters", "aircraft", "plane",
    "planes", "jet", "jets", "boat", "boats", "barge", "warehouse", "warehouses",
    "ammunition", "battery", "batteries", "system", "systems", "installation", "armour",
    "armor", "apc", "apcs", "ifv", "bmp", "btr", "truck", "trucks", "command",
    "headquarters", "brigade", "battalion", "company", "group", "groups", "military",
    "militaryman", "crew", "crews", "infantry", "paratroopers", "marines", "sniper",
    "snipers", "grad", "gvozdika"})
# What "inflict" must inflict to be fighting: "inflicted a fire defeat on units".
INFLICTED = frozenset({"defeat", "damage", "losses", "loss", "blow", "blows", "strike",
                       "strikes", "casualties"})

# The one-sided kinds only stand when nothing else violent happens in the sentence:
# "Russian shelling killed two civilians" is shelling, not a killing by hand.
ONE_SIDED_KINDS = frozenset({"harm", "abduct", "loot", "base"})
# Whom "harm" must fall on to be an attack on civilians: "troops shot a farmer".
CIVILIAN_WORDS = frozenset({
    "civilian", "civilians", "resident", "residents", "man", "men", "woman", "women", "child",
    "children", "boy", "boys", "girl", "girls", "teenager", "teenagers", "people", "person",
    "villager", "villagers", "farmer", "farmers", "volunteer", "volunteers", "priest",
    "pastor", "journalist", "journalists", "teacher", "teachers", "driver", "family",
    "families", "pensioner", "pensioners", "elderly", "local", "locals", "official",
    "officials", "mayor", "activist", "activists", "citizen", "citizens", "collaborator",
    "deputy", "doctor", "doctors", "medic", "medics", "worker", "workers", "inhabitant",
    "inhabitants", "husband", "wife", "son", "daughter", "mother", "father", "couple"})
# What a force sets up when it makes a place its base: "set up headquarters in a school".
BASE_NOUNS = frozenset({"base", "bases", "headquarters", "hq", "presence", "post", "posts",
                        "camp", "camps", "garrison", "outpost", "outposts", "barracks"})
BASE_VERBS = frozenset({"establish", "set", "open", "build", "create", "turn", "convert",
                        "station", "garrison", "quarter"})

# Words that make a cue noun a remote-violence one whatever the head says:
# "air strike", "drone attack", "missile strike", "artillery fire".
AIR_MODIFIERS = frozenset(
    {"air", "drone", "drones", "uav", "uavs", "shahed", "kamikaze", "aerial", "aviation",
     "glide", "helicopter", "force", "aerospace"}
)
SHELLING_MODIFIERS = frozenset(
    {"missile", "missiles", "rocket", "rockets", "artillery", "mortar", "mortars", "mlrs",
     "grad", "iskander", "kalibr", "himars", "tank", "cluster", "shelling", "ballistic",
     "cruise", "s-300", "gunners", "artillerymen"}
)
IED_MODIFIERS = frozenset({"mine", "mines", "landmine", "ied", "explosive", "booby", "car",
                           "improvised", "unexploded", "anti-personnel", "anti-tank",
                           "tripwire"})

# Fixed phrases checked on the lower-cased sentence: (phrase, cue).
PHRASE_CUES: tuple[tuple[str, Cue], ...] = (
    ("moving forward", Cue("clash", "advance")),
    ("move forward", Cue("clash", "advance")),
    ("moved forward", Cue("clash", "advance")),
    ("pushed back", Cue("clash", "advance")),
    ("on the defensive", Cue("clash", "hold")),
    ("defensive stance", Cue("clash", "hold")),
    ("offensive actions", Cue("clash")),
    # The Ukrainian General Staff's daily wording for ground attacks ("штурмові дії").
    ("assault actions", Cue("clash")),
    ("fire at the enemy", Cue("clash")),
    ("no change in positions", Cue("clash", "hold")),
    ("took control", Cue(CAPTURE, "capture")),
    ("established full control", Cue(CAPTURE, "capture")),
    ("established control", Cue(CAPTURE, "capture")),
    ("establish full control", Cue(CAPTURE, "capture")),
    ("passed under control", Cue(CAPTURE, "capture")),
    ("taken control", Cue(CAPTURE, "capture")),
    ("take control", Cue(CAPTURE, "capture")),
    ("gained control", Cue(CAPTURE, "capture")),
    ("raised the flag", Cue(CAPTURE, "capture")),
    ("raised the ukrainian flag", Cue(CAPTURE, "capture", implied_side="ukraine")),
    ("shot down", Cue("disrupted")),
    ("air strike", Cue("air")),
    ("air force", Cue("air")),
    ("glide bomb", Cue("air")),
    ("pulled out", Cue("clash", "withdraw")),
    ("set fire to", Cue("loot")),
    ("blown up", Cue("ied")),
    ("blew up", Cue("ied")),
    ("blow up", Cue("ied")),
    ("blowing up", Cue("ied")),
    # Russian official wording for a retreat across the Dnipro.
    ("to the left bank", Cue("clash", "withdraw")),
    ("to the left (eastern) bank", Cue("clash", "withdraw")),
    ("to the eastern bank", Cue("clash", "withdraw")),
    ("back under ukrainian control", Cue(CAPTURE, "capture", implied_side="ukraine")),
    ("back under russian control", Cue(CAPTURE, "capture", implied_side="russia")),
    ("pulled back", Cue("clash", "withdraw")),
    ("fell back", Cue("clash", "withdraw")),
)

# Movement words that override a generic cue's movement when they govern it:
# "the Russian advance has been stopped", "Russia's advances ... have slowed".
STALL_LEMMAS = frozenset(
    {"stop", "stall", "slow", "halt", "stabilize", "stabilise", "exhaust", "bog", "deplete"}
)
HOLD_LEMMAS = frozenset({"repel", "repulse", "contain", "hold", "defend", "thwart", "foil"})

# --- irrealis: hypotheticals, plans, abilities ------------------------------------------

MODALS = frozenset(
    {"could", "would", "might", "may", "can", "will", "shall", "should", "must", "'d", "'ll",
     "wo", "ca", "ought"}
)
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "lest"})
# Heads under which an infinitive is an intention or possibility, not a deed.
IRREALIS_HEADS = frozenset(
    {"try", "attempt", "plan", "aim", "want", "seek", "intend", "hope", "prepare", "threaten",
     "able", "ability", "allow", "enable", "difficult", "hard", "impossible", "unlikely",
     "likely", "fail", "effort", "bid", "goal", "order", "need", "expect", "vow",
     "promise", "decide", "capacity", "capability", "chance", "possibility", "way", "mission",
     "task", "scenario", "ready", "willing", "refuse", "unable", "potential", "prevent",
     "launch", "require", "demand", "call", "urge", "objective", "intention", "intent",
     "purpose", "ambition", "urgency", "necessity", "priority", "desire"}
)
NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})

# --- actors ------------------------------------------------------------------------------

RUSSIA_MIL = "Military Forces of Russia (2000-)"
UKRAINE_MIL = "Military Forces of Ukraine (2019-)"
WAGNER = "Wagner Group"
NAF = "NAF: United Armed Forces of Novorossiya"
CIVILIANS_UA = "Civilians (Ukraine)"
CIVILIANS_RU = "Civilians (Russia)"
SBU = "Security Service of Ukraine"
UNIDENTIFIED_UA = "Unidentified Armed Group (Ukraine)"

# lower-case token -> (side, actor name). Multiword keys are matched on the text.
ACTOR_WORDS: dict[str, tuple[str, str]] = {
    "russia": ("russia", RUSSIA_MIL),
    "russian": ("russia", RUSSIA_MIL),
    "russians": ("russia", RUSSIA_MIL),
    "moscow": ("russia", RUSSIA_MIL),
    "rf": ("russia", RUSSIA_MIL),
    "kremlin": ("russia", RUSSIA_MIL),
    "occupiers": ("russia", RUSSIA_MIL),
    "occupier": ("russia", RUSSIA_MIL),
    "invaders": ("russia", RUSSIA_MIL),
    "orcs": ("russia", RUSSIA_MIL),
    "wagner": ("russia", WAGNER),
    "dpr": ("russia", NAF),
    "lpr": ("russia", NAF),
    "kadyrovites": ("russia", RUSSIA_MIL),
    "chechen": ("russia", RUSSIA_MIL),
    "ukraine": ("ukraine", UKRAINE_MIL),
    "ukrainian": ("ukraine", UKRAINE_MIL),
    "ukrainians": ("ukraine", UKRAINE_MIL),
    "kyiv": ("ukraine", UKRAINE_MIL),
    "kiev": ("ukraine", UKRAINE_MIL),
    "afu": ("ukraine", UKRAINE_MIL),
    "apu": ("ukraine", UKRAINE_MIL),
    "zsu": ("ukraine", UKRAINE_MIL),
    "sbu": ("ukraine", SBU),
    "defenders": ("ukraine", UKRAINE_MIL),
    # ACLED codes the resistance in occupied towns as an unidentified group.
    "partisans": ("ukraine", UNIDENTIFIED_UA),
    "partisan": ("ukraine", UNIDENTIFIED_UA),
}
# Rivers that share a name with a town: "across the Dnipro" is the river.
RIVER_NAMES = frozenset({"dnipro", "dnieper", "dnepr", "donets", "oskil", "oskol", "desna",
                         "inhulets", "ingulets", "kalmius", "vovcha", "zherebets", "bug",
                         "siverskyi donets", "seversky donets", "siversky donets"})
# GeoNames ids of capitals that news uses for their governments ("Kyiv says", "Moscow's
# demands"): Kyiv, Moscow, Minsk, Washington, London, Brussels, Paris, Berlin, Warsaw,
# Beijing, Tehran, Ankara.
CAPITALS = frozenset({703448, 524901, 625144, 4140963, 2643743, 2800866, 2988507, 2950159,
                      756135, 1816670, 112931, 323786})
# Pronouns and words whose side is the speaker's, or the speaker's enemy's.
SPEAKER_SIDE_WORDS = frozenset({"we", "us", "our", "ours"})
ENEMY_WORDS = frozenset({"enemy", "adversary", "foe"})

# Sub-actors that ACLED spells out after the force name.
BRANCHES = {
    "air force": "Air Force",
    "navy": "Navy",
    "black sea fleet": "Navy",
    "national guard": "National Guard",
    "territorial defense": "Territorial Defense Forces",
    "territorial defence": "Territorial Defense Forces",
}

# --- speakers ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    affiliation: str
    aliases: tuple[str, ...] = ()
    person: bool = True


SPEAKERS: tuple[Speaker, ...] = (
    Speaker("Hanna Malyar", "ukraine_gov", ("malyar", "maliar", "hanna maliar")),
    Speaker("Valery Zaluzhny", "ukraine_gov", ("zaluzhny", "zaluzhnyi", "valerii zaluzhnyi")),
    Speaker("Oleksandr Syrskyi", "ukraine_gov",
            ("syrskyi", "sirsky", "syrsky", "oleksandr sirsky")),
    Speaker("Volodymyr Zelensky", "ukraine_gov", ("zelensky", "zelenskyy", "zelenski")),
    Speaker("Pavlo Kyrylenko", "ukraine_gov", ("kyrylenko", "kirilenko")),
    Speaker("Oleh Syniehubov", "ukraine_gov", ("syniehubov", "sinegubov")),
    Speaker("Vadym Filashkin", "ukraine_gov", ("filashkin",)),
    Speaker("Serhiy Cherevatyi", "ukraine_gov", ("cherevatyi", "cherevaty")),
    Speaker("Yurii Ihnat", "ukraine_gov", ("ihnat",)),
    Speaker("Andriy Yermak", "ukraine_gov", ("yermak",)),
    Speaker("Oleksii Reznikov", "ukraine_gov", ("reznikov",)),
    Speaker("Kyrylo Budanov", "ukraine_gov", ("budanov",)),
    Speaker("Vyacheslav Gladkov", "russia_gov", ("gladkov",)),
    Speaker("Sergei Shoigu", "russia_gov", ("shoigu",)),
    Speaker("Igor Konashenkov", "russia_gov", ("konashenkov",)),
    Speaker("Dmitry Peskov", "russia_gov", ("peskov",)),
    Speaker("Vladimir Putin", "russia_gov", ("putin",)),
    Speaker("Valery Gerasimov", "russia_gov", ("gerasimov",)),
    Speaker("Denis Pushilin", "russia_gov", ("pushilin",)),
    Speaker("Yevgeny Prigozhin", "russia_gov", ("prigozhin",)),
    Speaker("Institute for the Study of War", "think_tank",
            ("isw", "institute for the study of war", "the study of war"), person=False),
    Speaker("UK Ministry of Defence", "western_gov",
            ("uk ministry of defence", "uk ministry of defense", "u.k. defense ministry",
             "uk defence ministry", "uk defense ministry", "british defence ministry",
             "british ministry of defence", "british intelligence", "u.k. ministry of defense",
             "british defense ministry", "uk mod"), person=False),
    Speaker("Pentagon", "western_gov", ("pentagon", "us department of defense"), person=False),
    Speaker("General Staff of the Armed Forces of Ukraine", "ukraine_gov",
            ("general staff of the armed forces of ukraine", "ukraine's general staff",
             "ukrainian general staff", "general staff of ukraine", "general staff of apu",
             "general staff of the afu", "general staff of the apu", "general staff of zsu",
             "general staff in kyiv", "general staff in kiev"), person=False),
    Speaker("Russian Ministry of Defence", "russia_gov",
            ("russian ministry of defence", "russian ministry of defense",
             "russian defence ministry", "russian defense ministry", "russia's defence ministry",
             "russia's defense ministry", "russian mod"), person=False),
    Speaker("Ukrainian Ministry of Defence", "ukraine_gov",
            ("ukraine's ministry of defense", "ukraine's ministry of defence",
             "ukrainian ministry of defense", "ukrainian ministry of defence",
             "ukraine's defense ministry", "ukraine's defence ministry",
             "ukrainian defense ministry", "ukrainian defence ministry"), person=False),
    Speaker("Defence Intelligence of Ukraine", "ukraine_gov",
            ("defence intelligence of ukraine", "defense intelligence of ukraine", "hur",
             "gur", "main intelligence directorate", "ukraine's military intelligence",
             "ukrainian military intelligence"), person=False),
    Speaker("Security Service of Ukraine", "ukraine_gov", ("sbu", "security service of ukraine"),
            person=False),
    Speaker("Armed Forces of Ukraine", "ukraine_gov",
            ("armed forces of ukraine", "ukrainian armed forces", "ukrainian military",
             "ukraine's military", "ukrainian army"), person=False),
    Speaker("BBC", "media", ("bbc", "bi-bi-si"), person=False),
    Speaker("Reuters", "media", ("reuters",), person=False),
    Speaker("Associated Press", "media", ("associated press",), person=False),
    Speaker("TASS", "media", ("tass",), person=False),
    Speaker("RIA Novosti", "media", ("ria novosti",), person=False),
)

SPEECH_VERBS = frozenset(
    {"say", "tell", "claim", "report", "write", "state", "add", "announce", "confirm", "note",
     "assess", "deny", "publish", "inform", "declare", "post", "estimate", "acknowledge",
     "admit", "explain", "stress", "warn", "believe", "indicate", "suggest", "argue",
     "comment", "reveal", "insist", "allege", "refute", "reject", "dismiss", "emphasize",
     "quote", "cite", "describe", "judge", "conclude", "observe", "show"}
)
ASSESS_VERBS = frozenset({"assess", "estimate", "believe", "judge", "conclude", "suggest"})
CLAIM_VERBS = frozenset({"claim", "allege", "insist", "boast"})
DENY_VERBS = frozenset({"deny", "refute", "reject", "dismiss"})
HEDGES = frozenset({"likely", "probably", "possibly", "apparently", "reportedly", "supposedly"})

CHANNELS = {
    "telegram": "Telegram",
    "facebook": "Facebook",
    "twitter": "X (Twitter)",
    "x": "X (Twitter)",
    "instagram": "Instagram",
    "youtube": "YouTube",
    "vk": "VKontakte",
    "vkontakte": "VKontakte",
    "tv": "television",
    "television": "television",
    "telethon": "television",
    "briefing": "briefing",
    "statement": "statement",
    "update": "report",
    "report": "report",
}
