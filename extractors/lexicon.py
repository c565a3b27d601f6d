"""Word families the rules are built from. Each family is a small named function or table.

Weapon models carry their category; generic heads ("drones", "cruise missiles") are resolved
from the words in front of them.
"""
from __future__ import annotations

import re

# Weapon models by category: each canonical name with the other ways reports write it.
_MODELS_BY_CATEGORY: dict[str, dict[str, tuple[str, ...]]] = {
    "drone": {"Shahed": ("Shaheds", "Shahed-136", "Shahed-131", "Shahed-238"), "Geran": ("Geran-2", "Geran-3"),
              "Gerbera": (), "Lancet": (), "Orlan": (), "Bayraktar": ()},
    "cruise_missile": {"Kh-101": (), "Kh-555": (), "Kh-55": (), "Kh-59": (), "Kh-59/69": (), "Kh-69": (), "Kh-22": (),
                       "Kh-32": (), "Kalibr": ("Kalibrs",), "Iskander-K": (), "Zircon": ("Tsirkon",), "Oniks": ("Onyx",),
                       "Storm Shadow": (), "Neptune": (), "Flamingo": ()},
    "missile": {"Kh-31P": (), "Kh-31": (), "S-300": (), "S-400": ()},
    "ballistic_missile": {"Kinzhal": ("Kh-47M2", "Kinzhals"), "Iskander-M": (), "Iskander": ("Iskanders",), "KN-23": (),
                          "KN-24": (), "Oreshnik": (), "Tochka-U": (), "ATACMS": (), "Burkan": (), "Fattah": (),
                          "Kheibar": ()},
    "rocket": {"Katyusha": ("Katyushas",), "Grad": (), "Qassam": (), "Falaq": (), "HIMARS": ()},
    "glide_bomb": {"KAB": ("KABs",), "FAB-500": (), "FAB-1500": (), "FAB-3000": (), "UMPB D-30": ()},
}
# model surface form -> (canonical model, category)
WEAPON_MODELS: dict[str, tuple[str, str]] = {
    form: (model, category)
    for category, models in _MODELS_BY_CATEGORY.items()
    for model, other_forms in models.items()
    for form in (model, *other_forms)
}

# generic head noun (lower case) -> category
WEAPON_HEADS: dict[str, str] = {
    "drone": "drone", "drones": "drone", "uav": "drone", "uavs": "drone", "uas": "drone",
    "missile": "missile", "missiles": "missile", "rocket": "rocket", "rockets": "rocket",
    "projectile": "rocket", "projectiles": "rocket", "shell": "artillery", "shells": "artillery",
    "bomb": "glide_bomb", "bombs": "glide_bomb", "munition": "drone", "munitions": "drone",
}

# words in front of a head that refine its category
CATEGORY_MODIFIERS: dict[str, str] = {
    "cruise": "cruise_missile", "ballistic": "ballistic_missile", "hypersonic": "missile",
    "glide": "glide_bomb", "guided": "glide_bomb", "aerial": "glide_bomb", "artillery": "artillery",
    "mortar": "artillery", "anti-ship": "cruise_missile",
}

# modifiers that remove a count from the launched/intercepted tallies
DECOY_WORDS = frozenset({"decoy", "decoys", "imitation", "imitator", "dummy", "simulator", "gerbera", "gerberas"})

INTERCEPT_WORDS = re.compile(
    r"\b(shot\s+down|shoot(?:ing)?\s+down|shoots\s+down|downed|downing|intercept(?:ed|ing|s|ion)?|"
    r"destroy(?:ed|ing|s)?|neutrali[sz](?:ed|ing)|suppressed|repelled|brought\s+down|taken\s+down|"
    r"knocked\s+out|were\s+downed|was\s+downed|eliminated)\b",
    re.IGNORECASE,
)
LAUNCH_WORDS = re.compile(
    r"\b(launch(?:ed|ing|es)?|fir(?:ed|ing)|sent|send(?:ing)?|used|deploy(?:ed|ing)|dropp(?:ed|ing)|attack(?:ed|ing)?\s+with|"
    r"struck\s+with|hit\s+with|targeted\s+with|barrage\s+of|involv(?:ed|ing)|"
    r"comprised|consisted|wave\s+of|unleashed|salvo|attack(?:ed|s)?|strik(?:e|es|ing)|targeting|"
    r"were\s+detected|tracked)\b",
    re.IGNORECASE,
)
# An interception that failed: "could not be intercepted", "an attempt to intercept it was unsuccessful".
NOT_INTERCEPTED = re.compile(
    r"\b(not\s+(?:been\s+)?(?:intercepted|shot\s+down|downed)|could\s+not\s+(?:be\s+)?(?:intercept(?:ed)?|shot\s+down)|"
    r"fail(?:ed|ing|s)?\s+to\s+(?:intercept|shoot)|(?:attempts?|efforts?|bids?)\s+to\s+intercept\b.{0,120}?\b(?:unsuccessful|failed)|"
    r"evad(?:ed|ing)\s+(?:\w+\s+)?(?:interception|air\s+defen[cs]es?|defen[cs]es)|hit\s+(?:their\s+)?targets?|"
    r"struck\s+(?:their\s+)?targets?|got\s+through|evaded)", re.IGNORECASE)
# Verbs whose subject is the weapon arriving: "five drones struck the terminal", "a bomb hit a shop".
# ("20 drones attacked Dnipro" is the attacking force: a launch count, not hits.)
HIT_WORDS = re.compile(r"\b(hit|hits|struck|strikes|slammed|smashed|crashed|landed|fell|exploded|impacted|damaged|"
                       r"destroyed|killed|injured|wounded)\b", re.IGNORECASE)
LOST_WORDS = re.compile(r"\b(jamm(?:ed|ing)|electronic(?:ally)?|locationally\s+lost|lost\s+(?:track|from\s+radar)|"
                        r"lost|disappeared|suppressed\s+by\s+electronic|forced\s+down|redirected|went\s+astray|"
                        r"failed\s+to\s+reach)\b", re.IGNORECASE)

TARGET_WORDS: dict[str, tuple[str, ...]] = {
    "energy": ("energy", "power plant", "power station", "thermal plant", "substation", "power grid",
               "electricity infrastructure", "power infrastructure", "gas infrastructure", "gas production",
               "power facilit", "energy facilit", "power line", "fuel depot", "oil depot", "oil refinery",
               "refinery", "hydroelectric", "power supply facilit", "heating plant", "combined heat"),
    "residential": ("residential", "apartment", "housing", "homes", "houses", "private house",
                    "dwelling", "high-rise", "multi-storey", "multistorey", "residential building"),
    "railway": ("railway", "rail infrastructure", "railroad", "train station", "rail line", "locomotive"),
    "civilian_infrastructure": ("civilian infrastructure", "critical infrastructure", "port infrastructure",
                                "infrastructure facilit"),
    "military": ("military base", "airfield", "air base", "airbase", "military target", "military facilit",
                 "ammunition depot", "command post", "military infrastructure", "military site", "barracks"),
    "industrial": ("industrial", "factory", "plant producing", "enterprise", "defense industry", "defence industry"),
    "government": ("government building", "administration building", "ministry building", "parliament"),
    "commercial": ("shopping", "supermarket", "warehouse", "business", "office building", "shop", "store"),
    "healthcare": ("hospital", "clinic", "medical", "maternity"),
    "education": ("school", "university", "kindergarten", "college", "educational"),
    "religious": ("church", "mosque", "cathedral", "synagogue", "monastery"),
    "shipping": ("ship", "shipyard", "vessel", "port", "tanker", "cargo", "bulk carrier", "grain terminal"),
    "nuclear": ("nuclear power", "nuclear plant", "npp"),
    "telecommunications": ("telecommunication", "mobile network", "cell tower", "tv tower", "television tower"),
    "agriculture": ("agricultur", "grain", "farm", "farmland", "silo", "granary", "crops"),
}

SERVICE_WORDS: dict[str, tuple[str, ...]] = {
    "electricity": ("electricity", "power outage", "power cut", "blackout", "without power", "without light",
                    "de-energi", "power supply", "outages"),
    "water": ("water supply", "without water", "water service", "water", "pumping station"),
    "heating": ("heating", "without heat", "heat supply"),
}
SERVICE_CONTEXT = re.compile(r"\b(disrupt|cut|outage|without|lost|deprived|knocked|interrupt|suspend|damag|"
                             r"shortage|blackout|restor|de-energi|off)\w*", re.IGNORECASE)


def category_for(head: str, modifiers: list[str]) -> str:
    """Category of a weapon phrase from its head noun and the words before it.

    "cruise missiles" -> cruise_missile, "artillery rockets" -> artillery, "guided aerial munitions"
    -> glide_bomb; "guided missiles" stay missiles, and a list of kinds before one noun ("ballistic,
    cruise and guided missiles") names no single kind.
    """
    category = WEAPON_HEADS.get(head.lower(), "missile")
    refined = {CATEGORY_MODIFIERS[w.lower()] for w in modifiers if w.lower() in CATEGORY_MODIFIERS}
    if category == "drone" and head.lower().startswith("munition") and "glide_bomb" in refined:
        return "glide_bomb"
    if category == "drone" or not refined:
        return category
    if len(refined) > 1 and category == "missile":
        return "missile"
    for kind in refined:
        if kind == "glide_bomb" and category != "glide_bomb":
            continue
        if kind == "artillery" or category in ("missile", "rocket"):
            category = kind
    return category


def matching_keys(text: str, family: dict[str, tuple[str, ...]]) -> list[str]:
    """Keys of `family` whose cue words occur in `text` (case-insensitive). A cue begins a word ("port"
    is not in "reported", "ship" not in "leadership"); a long cue may be a stem ("facilit"), a short
    one is a whole word with its plural ("ports", not "portion")."""
    low = text.lower()
    patterns = _cue_patterns(family)
    return [key for key, cues in family.items()
            if any(cue in low for cue in cues) and patterns[key].search(text)]  # the substring test is the cheap one


_CUE_PATTERNS: dict[int, dict[str, re.Pattern]] = {}


def _cue_patterns(family: dict[str, tuple[str, ...]]) -> dict[str, re.Pattern]:
    if id(family) not in _CUE_PATTERNS:
        _CUE_PATTERNS[id(family)] = {
            key: re.compile(r"\b(?:" + "|".join(re.escape(c) + (r"(?:s|es)?\b" if len(c) <= 4 else "") for c in cues) + ")",
                            re.IGNORECASE)
            for key, cues in family.items()}
    return _CUE_PATTERNS[id(family)]
