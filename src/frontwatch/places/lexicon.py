"""Words around and instead of toponyms.

The gazetteer knows 700,000 names, and many are ordinary words somewhere ("Of" is a
Turkish town, "Nice", "Police", "Bar" in Vinnytsia oblast) or the names of people in
the news ("Volodymyr" is a short name of Volodymyr-Volynskyi). These lists veto such
readings; they are matched against normalised keys (see `normalise_name`).
"""

from __future__ import annotations

from .stopwords import COMMON_WORDS


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# News vocabulary that is a place name somewhere but almost never one in war news,
# in addition to the English words of `stopwords`. Country names are never vetoed by
# these lists (a country beats a same-named settlement).
NEWS_WORDS = _words(
    """
    wagner azov donbas donbass novorossiya kremlin pentagon telegram google facebook
    twitter youtube reuters interfax tass ria novosti ukrinform pravda bbc afp isw
    profimedia video media news feed avatar advertisement article photo read show
    more best central guard nice split mobile along man market security service
    defense defence ministry deputy minister president general staff army forces
    nation glory union republic west east north south western eastern northern
    southern oblast region province district city town village front line
    independent post times herald group brigade regiment battalion institute
    university monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december
    related leave reply comment comments required email share print subscribe
    sign log home menu search contact about privacy cookies terms live update
    updates breaking world europe european american ukrainian russian belarusian
    soviet nato africa asia americas oceania duma rada elysee congress senate
    parliament secretary war white house maidan levada brits moskva chechnya dagestan
    iskander pantsir bayraktar akula pion uragan grad tochka kalibr kinzhal shahed
    lancet javelin himars buk smerch tornado krasnopol stugna neptune tor leopard vilkha verba
    abrams bradley storm shadow caesar krab archer gepard iris patriot hawk stinger
    excalibur industrial residential historic central main tactical operational
    border frontline coastal rural urban military strategic occupied liberated
    northeastern northwestern southeastern southwestern khreshchatyk khreschatyk
    """
)

# Given names common in the news of the war and of the outlets that report it. Alone
# and capitalised they are people, never places.
FIRST_NAMES = _words(
    """
    volodymyr oleksandr oleksiy oleksii serhiy serhii sergiy dmytro andriy andrii yuriy
    yurii mykola mykhailo mykhaylo vitaliy vitalii valeriy valerii valery pavlo petro
    vasyl stepan taras bohdan maksym artem kostiantyn kostyantyn anatoliy anatolii
    hryhoriy denys oleh vadym ruslan roman ihor igor ivan viktor yevhen ievgen hennadiy
    hanna iryna olena yulia yuliia natalia nataliya mariia maria olha olga tetiana
    tatiana svitlana kateryna halyna oksana liudmyla lyudmila anna elena alona alyona
    vladimir sergei sergey dmitry dmitri yevgeny evgeny alexander aleksandr alexei
    alexey aleksei mikhail nikolai nikolay andrei andrey valery valeri vyacheslav
    ramzan maria anatoly gennady pavel pyotr boris leonid denis kirill konstantin
    arkady margarita marina emmanuel olaf rishi joe donald kamala antony lloyd jens
    sasha
    ursula josep recep tayyip viktor xi jinping narendra benjamin mark mike john
    james robert michael david peter paul jake ned matthew kevin nico javier jair
    lula luiz ignacio pedro carlos juan jose luis miguel sergio alberto gabriel
    victor martin lukas jan piotr andrzej mateusz giorgia stanislav nazar julia linda
    nancy george chris barry ruth elaine jeremy william symone rafael ari aaron simon
    magdalena mevlut sergiy ihor yaroslav vitali wladimir tim lawrence mykyta marija
    viktorija
    """
)

# Surnames of people who recur in war news; several are also place names
# (Danilov, Austin) or alternates of one (Yermak).
SURNAMES = _words(
    """
    zelensky zelenskyy zelenskiy zelenski putin shoigu gerasimov prigozhin zaluzhny
    zaluzhnyi syrskyi syrsky sirsky budanov reznikov kuleba yermak malyar kyrylenko
    kadyrov peskov lavrov medvedev lukashenko biden trump milei macron scholz sunak
    johnson stoltenberg erdogan blinken kirby girkin strelkov surovikin pushilin
    pasechnik saldo balitsky gladkov umerov shmyhal klitschko podolyak podoliak
    arestovych danilov haidai gaidai lysak syniehubov sinegubov kim orban duda
    morawiecki tusk rutte austin sullivan milley cavoli stefanchuk yermak tymoshenko
    poroshenko yanukovych kravchuk kuchma navalny dugin solovyov zakharova konashenkov
    shevchenko bondarenko kovalenko kravchenko tkachenko paz dilkoff sandu pelosi
    kyslytsya kyslytsia zhovkva grossi guterres borrell michel leyen von kasparov
    stalin lenin zhukov bandera
    """
)

# Words that make the next capitalised word a person: "President Zelensky".
TITLES = _words(
    """
    president minister premier chancellor secretary general gen colonel col lieutenant
    lt major maj captain capt sergeant sgt commander admiral adm governor gov mayor
    senator sen rep representative congressman congresswoman mr mrs ms miss dr prof
    professor sir lord lady king queen prince princess pope patriarch bishop father
    spokesman spokeswoman spokesperson ambassador envoy commissioner judge deputy
    chief marshal private corporal officer
    """
)

# A toponym followed by one of these names an outlet or a unit (the Kyiv Independent,
# the Wagner Group). A university or an airport named after a city is in the city, so
# those are left alone.
ORG_FOLLOWERS = _words(
    """
    independent post times herald gazette tribune journal group brigade brigades
    regiment battalion club fc dynamo poshta grouping company holding corporation
    airlines cocktail cocktails time street avenue boulevard prospekt
    """
)

# A name right after one of these names a ship, a unit or a weapon ("the landing ship
# Orsk", "grouping Vostok", "the cruiser Moskva"), not a place.
THING_PRECEDERS = _words(
    """
    ship ships vessel vessels cruiser frigate corvette destroyer submarine tanker
    warship boat ferry tug barge icebreaker grouping group battalion brigade regiment
    detachment unit codenamed operation system complex
    """
)

# After a small place's name, these make it a weapon or vehicle's ("Osa air defence
# system", "Tor missiles"); a town's name before them is still the town ("Kharkiv
# missile strike"), so they only veto places smaller than a town.
WEAPON_FOLLOWERS = _words(
    """
    system systems complex complexes launcher launchers missile missiles rocket rockets
    sam mlrs howitzer howitzers drone drones helicopter helicopters tank tanks air
    """
)

# A toponym followed by one of these is a water body or landform, not a settlement.
FEATURE_FOLLOWERS = _words("river rivers reservoir lake sea bay gulf strait canal")
FEATURE_PRECEDERS = _words("sea gulf bay lake river strait")

REGION_WORDS = _words("region regions oblast oblasts province provinces krai kray voblast")
PLURAL_REGION_WORDS = _words("regions oblasts provinces")
# The adjective of an oblast's bodies: "Mykolaiv regional governor", "the Donetsk Regional
# Military Administration" name the oblast, not the city.
REGIONAL_WORDS = _words("regional")
DIRECTION_WORDS = _words("direction directions axis axes sector sectors front salient")
# Also the units named after their centre: "the Ocheretynska hromada", "Beryslavskyi
# district", "the Marhanets community" are the area around that town.
AREA_WORDS = _words(
    """area areas district districts outskirts vicinity suburbs environs raion rayon
    hromada hromadas community communities municipality"""
)
SETTLEMENT_WORDS = _words("city town village settlement")

__all__ = [
    "AREA_WORDS",
    "COMMON_WORDS",
    "DIRECTION_WORDS",
    "FEATURE_FOLLOWERS",
    "FEATURE_PRECEDERS",
    "FIRST_NAMES",
    "NEWS_WORDS",
    "ORG_FOLLOWERS",
    "PLURAL_REGION_WORDS",
    "REGIONAL_WORDS",
    "REGION_WORDS",
    "SETTLEMENT_WORDS",
    "SURNAMES",
    "THING_PRECEDERS",
    "TITLES",
    "WEAPON_FOLLOWERS",
]
