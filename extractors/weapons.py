"""Weapon phrases: counted (or named) weapons in a sentence, with the role their clause gives them.

Rule families:
  weapon_mentions       "29 missiles", "about 400 drones", "25 of the 29 missiles", "all 18 drones",
                        "Four of six Iskander-M ballistic missiles", "36 Kh-101s", "four unmanned surface
                        vehicles", "a guided bomb" (1, when it is the whole event); not "a 500-kilogram bomb"
  headless_intercepts   "40 were shot down", "of which 35 were intercepted", "downed 25 of them"
  anaphoric_intercepts  "the drones were all destroyed", "they could not be shot down"

The role of each count comes from extractors/clause_roles.py; the entries of an attack are merged
in extractors/weapon_entries.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from extractors import gazetteer, lexicon
from extractors.clause_roles import NUMBER_WORDS_EXTRA, assign_role, number_before
from extractors.cues import HISTORY, NON_EVENT, PLACE_LABELS, WEAPON_WORDS, SentenceInfo, cue_sentences
from extractors.numbers import parse_number
from extractors.pipeline import all_ents, text_of

VAGUE_AMOUNTS = {"dozens", "hundreds", "scores", "swarm", "wave", "number", "barrage", "salvo", "several", "waves"}
QUAL_WORDS = {"about", "around", "nearly", "almost", "some", "over", "least", "than", "to", "approximately",
              "roughly", "all", "every", "another", "additional", "further", "only", "just"}
MODIFIER_STOP = {"of", "and", "or", "the", "a", "an", "were", "was", "by", "with", "from", "at", "in",
                 "on", "to", "that", "which", "its", "their", "his", "her", ",", ";", ":", "also", "as"}
NOT_WEAPON_HEAD_NEXT = {"attack", "attacks", "strike", "strikes", "operator", "operators", "unit", "units",
                        "production", "factory", "factories", "plant", "sites", "site", "debris", "wreckage",
                        "fragments", "threat", "alert", "alerts", "warning", "warnings", "manufacturer",
                        "program", "programme", "industry", "components", "parts", "wave", "waves", "launchers",
                        "systems", "defence", "defense", "carrier", "carriers", "launcher", "pilot", "pilots",
                        "footage", "sighting", "sightings", "shelter", "shelters", "interceptor", "interceptors",
                        "campaign", "campaigns", "programs", "programmes", "capabilities", "technology", "view",
                        "views", "image", "images", "video", "videos", "photo", "photos", "camera", "cameras"}
# "anti-aircraft missile", "interceptor": the defence, not the attack
DEFENSIVE = re.compile(r"\banti\s*-?\s*(?!ship|radar)\w|\binterceptor\b|\bsurface\s*-\s*to\s*-\s*air\b", re.IGNORECASE)
# "unmanned surface vehicles", "uncrewed aerial vehicle", "sea drone boats": a drone by its description
CRAFT_NOUNS = {"vehicle", "vehicles", "vessel", "vessels", "boat", "boats", "craft", "aircraft"}
UNMANNED = {"unmanned", "uncrewed", "pilotless", "drone", "robotic"}
SINGULAR_WORDS = {"a", "an", "single", "lone"}
CALENDAR_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
                  "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}


@dataclass
class Mention:
    """One counted (or named) weapon phrase in a sentence."""

    category: str
    model: str | None
    launched: int | None
    launched_qualifier: str | None
    intercepted: int | None
    start: int
    end: int
    sentence: int
    rule: str
    side: str | None = None
    decoy: bool = False  # not in this attack's tally: a decoy, a jammed or lost drone, an earlier event's figure
    generic_total: bool = False
    place: str | None = None  # the place a count is tied to ("15 drones over Kursk region")
    singular: bool = False  # "a guided bomb", "one missile": a hit or a failed interception still counts 1
    article: bool = False  # "a guided bomb": counts 1 only when it is the whole event
    plural: bool = False  # "missiles", "12 drones": more than one weapon of this kind
    role: str | None = None  # launched | intercepted | hit | failed | lost, from the count's own clause
    role_default: bool = False  # no verb gave the role: a bare list ("The full list: 14 ...")
    projectile: bool = False  # named only "projectile": its category comes from the article's other weapon words
    relative_launch: bool = False  # "drones fired from the north were downed": launched too, if no other count says



# ---------------------------------------------------------------- numbers in token streams

def _head_category(token: Token) -> tuple[str, str | None] | None:
    if token.ent_type_ == "MODEL":
        return None
    cat = lexicon.WEAPON_HEADS.get(token.lower_)
    return (cat, None) if cat else None


def _model_of(span: Span) -> tuple[str, str] | None:
    text = span.text.replace(" - ", "-").replace(" -", "-").replace("- ", "-")
    key = text.removesuffix("-type").removesuffix(" type")
    for candidate in (key, key.rstrip("s"), key.removesuffix("s")):
        if candidate in lexicon.WEAPON_MODELS:
            return lexicon.WEAPON_MODELS[candidate]
    if re.match(r"^(Kh|KN|S|FAB|KAB)-\d+", key):
        base = key.rstrip("s")
        return base, "glide_bomb" if base.startswith(("FAB", "KAB")) else "missile"
    return None


def weapon_mentions(doc: Doc, sents: list[SentenceInfo]) -> list[Mention]:
    """Counted weapon phrases with their role (launched or intercepted) decided per sentence."""
    out: list[Mention] = []
    model_ents = {t.i: ent for ent in all_ents(doc) if ent.label_ == "MODEL" for t in ent}
    weapon_sents = cue_sentences(doc, WEAPON_WORDS)
    for info in sents:
        sent = info.span
        if info.index not in weapon_sents and not any(sent.start <= t < sent.end for t in model_ents):
            continue
        i = sent.start
        while i < sent.end:
            head = _phrase_head(doc, i, sent.end, model_ents)
            if head is None:
                i += 1
                continue
            h_end, category, model = head
            prev = next((o for o in reversed(out) if o.sentence == info.index and o.role), None)
            mention = _mention(doc, info, i, h_end, category, model, model_ents, prev)
            if mention is not None:
                out.append(mention)
            i = h_end
    headless = headless_intercepts(sents, out) if HEADLESS_CUE.search(text_of(doc)) else []
    mentions = sorted(out + headless, key=lambda m: m.start)
    _projectiles_by_context(mentions, text_of(doc))
    _whole_event_singulars(mentions, sents)
    return mentions


def _projectiles_by_context(mentions: list[Mention], text: str) -> None:
    """"A projectile" is a missile in an article about missiles and a rocket in one about rockets."""
    if not any(m.projectile for m in mentions):
        return
    low = text.lower()
    missiles, rockets = len(re.findall(r"\bmissiles?\b", low)), len(re.findall(r"\brockets?\b", low))
    if missiles > rockets:
        for m in mentions:
            if m.category == "rocket" and m.model is None and m.projectile:
                m.category = "missile"


def _phrase_head(doc: Doc, i: int, end: int, model_ents: dict[int, Span]):
    """Where a weapon phrase ends if token i is its head: (end, category, model)."""
    token = doc[i]
    if i in model_ents and model_ents[i].start == i:
        ent = model_ents[i]
        nxt = ent.end
        # "Kh-101 cruise missiles": the generic head follows the model
        j = nxt
        mods = []
        while j < end and doc[j].is_alpha and doc[j].lower_ not in MODIFIER_STOP and j - nxt < 3:
            if doc[j].lower_ in lexicon.WEAPON_HEADS:
                model = _model_of(ent)
                cat = lexicon.category_for(doc[j].lower_, mods)
                if model and cat in ("missile", "drone", "rocket") and model[1] != "missile":
                    cat = model[1]
                elif model and model[1] != "missile" and lexicon.WEAPON_HEADS[doc[j].lower_] == "missile" and cat == "missile":
                    cat = model[1]
                return j + 1, cat, model[0] if model else None
            mods.append(doc[j].lower_)
            j += 1
        model = _model_of(ent)
        if model is None:
            return None
        return nxt, model[1], model[0]
    if token.lower_ in CRAFT_NOUNS and _unmanned_before(doc, i):
        return i + 1, "drone", None
    head = _head_category(token)
    if head is None:
        return None
    if i + 1 < end and doc[i + 1].lower_ in CRAFT_NOUNS and head[0] == "drone":
        return i + 2, "drone", None  # "a drone boat"
    if i + 1 < end and doc[i + 1].lower_ in NOT_WEAPON_HEAD_NEXT:
        return None  # "three drone attacks", "drone production": the weapon word is a modifier
    return i + 1, None, None


UNITS = {"kilogram", "kilograms", "kg", "pound", "pounds", "lb", "ton", "tons", "tonne", "tonnes", "mm", "millimetre",
         "millimeter", "cm", "km", "kilometre", "kilometer", "kilometres", "kilometers", "metre", "meter", "metres",
         "meters", "mile", "miles", "calibre", "caliber", "kt", "kiloton"}


def _measure_after(doc: Doc, i: int, end: int) -> bool:
    """A unit right after the number: "500-kilogram", "155 mm"."""
    if i < end and doc[i].text == "-":
        i += 1
    return i < end and doc[i].lower_ in UNITS


MAKER_PARTICIPLES = {"made", "designed", "built", "supplied", "produced", "developed", "manufactured"}
LAUNCHER_PARTICIPLES = {"launched", "fired", "sent"}


def _joined_participle(doc: Doc, i: int, end: int | None = None) -> str | None:
    """The participle joined to the name at token i by a hyphen, before `end`: "Iranian-made" ->
    "made", "Russia-launched" -> "launched"; None without one."""
    end = len(doc) if end is None else end
    if i + 2 < end and doc[i + 1].text == "-":
        word = doc[i + 2].lower_
        if word.endswith("ed") or word in MAKER_PARTICIPLES | LAUNCHER_PARTICIPLES:
            return word
    return None


def _maker(doc: Doc, i: int) -> bool:
    """"Iranian-made", "US-supplied": the country that built the weapon, not the one that fired it."""
    return _joined_participle(doc, i) in MAKER_PARTICIPLES


def _modifiers(doc: Doc, sent: Span, j: int, h_end: int) -> tuple[list[Token], int]:
    """The words in front of a weapon noun (adjectives, demonyms, models, "-type", "surface-to-surface",
    "ballistic, cruise and guided"), and the index of the token before them."""
    mods: list[Token] = []
    while j >= sent.start and j >= h_end - (13 if any(t.text == "," for t in mods) else 8):
        t = doc[j]
        hyphenated = j + 1 < h_end and doc[j + 1].text == "-" and j > sent.start and doc[j - 1].text == "-"
        listed = t.lower_ in ("and", "or", ",") and mods and j > sent.start and _category_word(doc[j - 1]) \
            and _category_word(mods[-1])  # "40 ballistic, cruise and guided missiles"
        if (t.like_num or t.lower_ in MODIFIER_STOP or t.is_punct and t.text != "-" or t.lower_ in NUMBER_WORDS_EXTRA) \
                and not hyphenated and not listed:  # "surface-to-surface missile" is one modifier
            break
        if t.ent_type_ in PLACE_LABELS | {"COUNTRY", "PERSON"} and not _joined_participle(doc, j, h_end):
            break  # a place ends the words of the weapon, but "Russia-launched drones" is one modifier
        mods.append(t)
        j -= 1
    mods.reverse()
    return mods, j


def _kind_of(head: Token, mods: list[Token], model_ents: dict[int, Span], model: str | None) -> tuple[str, str | None]:
    """Category and model of a generic weapon noun from the words before it: "cruise missiles",
    "Kh-101 cruise missiles", "Shahed drones"."""
    category = lexicon.category_for(head.lower_, [t.lower_ for t in mods])
    for t in mods:
        found = _model_of(model_ents[t.i]) if t.i in model_ents else None
        if found:
            model = found[0]
            if category in ("missile", "drone", "rocket", "glide_bomb") and found[1] != "missile" \
                    and (lexicon.WEAPON_HEADS.get(head.lower_) != "drone" or found[1] == "drone"):
                category = found[1]
            break
    return category, model


def _category_word(token: Token) -> bool:
    """A word that names a kind of weapon in front of its noun: "ballistic", "cruise", "anti-aircraft"."""
    return token.lower_ in lexicon.CATEGORY_MODIFIERS or token.lower_ in ("aircraft", "radar", "guided", "ship") \
        or token.lower_.startswith("anti")


def _unmanned_before(doc: Doc, i: int) -> bool:
    """"unmanned surface vehicles", "uncrewed aerial vehicle": a craft noun after an unmanned word."""
    window = [t.lower_ for t in doc[max(0, i - 3):i]]
    return any(w in UNMANNED for w in window) and "drone" not in window[-1:]


def _mention(doc: Doc, info: SentenceInfo, start: int, h_end: int, category: str | None, model: str | None,
             model_ents: dict[int, Span], prev: Mention | None = None) -> Mention | None:
    """The weapon phrase ending at token h_end: its kind, side, count and the count's role."""
    sent = info.span
    head_tok = doc[h_end - 1]
    mods, j = _modifiers(doc, sent, start - 1 if category is not None else h_end - 2, h_end)
    mod_words = [t.lower_ for t in mods]
    if category is None:
        category, model = _kind_of(head_tok, mods, model_ents, model)
    if category == "drone" and model is None and any(w in ("shahed", "shaheds", "geran") for w in mod_words):
        model = "Shahed"
    if DEFENSIVE.search(doc[max(sent.start, head_tok.i - 3):head_tok.i].text) and not any(t.text in (",", "and") for t in mods):
        return None  # "anti-ballistic missile", "anti-aircraft missile": the defence, not the attack
    decoy = any(w in lexicon.DECOY_WORDS for w in mod_words) or head_tok.lower_ in lexicon.DECOY_WORDS
    side = next((gazetteer.country_of_name(t.text) for t in mods  # "Iranian drones", "Russia-launched drones"
                 if t.ent_type_ in ("DEMONYM", "ACTOR") and not _maker(doc, t.i)  # not "Iranian-made drones"
                 or t.ent_type_ == "COUNTRY" and _joined_participle(doc, t.i) in LAUNCHER_PARTICIPLES), None)
    if side is None and j >= sent.start and doc[j].ent_type_ in ("DEMONYM", "ACTOR") and not _maker(doc, j):
        side = gazetteer.country_of_name(doc[j].text)
    num_end = j + 1
    value, num_start = number_before(doc, num_end, sent.start)
    if value is not None and _measure_after(doc, num_end, h_end):
        value, j = None, num_start - 1  # "a 500-kilogram bomb", "155 mm shells": a measure, not a count
    if value is None and num_end - 2 >= sent.start and doc[num_end - 1].lower_ == "the" and doc[num_end - 2].lower_ == "of":
        value, num_start = number_before(doc, num_end - 2, sent.start)  # "28 of the drones"
    if value is not None and num_start - 1 > sent.start and doc[num_start - 1].is_title \
            and doc[num_start - 1].lower_ not in QUAL_WORDS | CALENDAR_WORDS and not doc[num_start - 1].ent_type_:
        return None  # "Hermes 900 drone": a designation, not a count ("on Monday one missile" is a count)
    after_head = doc[head_tok.i + 1:min(sent.end, head_tok.i + 3)]
    mixed = len(after_head) == 2 and after_head[0].lower_ in ("and", "or") and (
        after_head[1].lower_ in lexicon.WEAPON_HEADS or after_head[1].lower_ in lexicon.CATEGORY_MODIFIERS)
    article = value is None and j >= sent.start and doc[j].lower_ in SINGULAR_WORDS
    singular = value == 1 or article
    if article:
        value, num_start = 1, j
    if singular and h_end < sent.end and doc[h_end].lower_ in NOT_WEAPON_HEAD_NEXT:
        value = None  # "a KAB strike", "one Shahed attack": the weapon names the kind of attack
    phrase_start = num_start if value is not None else (mods[0].i if mods else start)
    mention = Mention(category, model, None, None, None, doc[phrase_start].idx,
                      head_tok.idx + len(head_tok.text), info.index, "weapon_count", side=side, decoy=decoy,
                      generic_total=mixed, singular=singular, article=article,
                      projectile=head_tok.lower_.startswith("projectile"),
                      plural=(value or 0) > 1 or (value is None and head_tok.lower_.endswith("s") and head_tok.lower_ != "uas"))
    if value is None:
        vague = j >= sent.start + 1 and doc[j].lower_ == "of" and doc[j - 1].lower_ in VAGUE_AMOUNTS
        if not info.attack_context or info.index in cue_sentences(doc, NON_EVENT) \
                or (model is None and side is None and not vague):
            return None
        mention.rule = "weapon_named"
        return mention
    mention.place = _place_after(doc, head_tok.i + 1, sent.end) or _fronted_place(doc, sent)
    return assign_role(doc, info, mention, value, num_start, head_tok.i, prev)


NUM_TEXT = r"(\d[\d,]*|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ])?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|" \
           r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|" \
           r"ninety|hundred)|all)"
INTERCEPT_VERB = r"(?:shot down|downed|intercepted|destroyed|neutrali[sz]ed|brought down|suppressed|eliminated|taken down)"
HEADLESS = (
    # "40 were shot down", "of which 35 were intercepted", "25 of them were destroyed", "35 of which were downed",
    # "a total of three objects had been destroyed"
    re.compile(rf"(?:\bof (?:them|these|those|which),?\s+)?\b{NUM_TEXT}\s+(?:of (?:them|these|those|which)\s+)?"
               rf"(?:(?:aerial |air )?(?:objects|targets)\s+)?"
               rf"(?:were|was|had been|have been|are)\s+(?:\w+\s+){{0,2}}?{INTERCEPT_VERB}\b", re.IGNORECASE),
    # "(only nine intercepted)", "with 35 shot down"
    re.compile(rf"(?:\(|\bwith\s|,\s)(?:only |just )?{NUM_TEXT}\s+{INTERCEPT_VERB}\b(?=\s*[),.;]|\s+(?:by|over|in|and)\b)",
               re.IGNORECASE),
    # "air defence shot down 40", "downed 25 of them"
    re.compile(rf"\b{INTERCEPT_VERB}\s+(?:at least |more than |over |about |some )?{NUM_TEXT}"
               rf"(?=\s*(?:of (?:them|these|those|the attackers)\b|[.,;]|\s+(?:over|in|above|across|and)\b|"
               rf"\s+(?:aerial |air )?(?:objects|targets)\b))",
               re.IGNORECASE),
)


HEADLESS_CUE = re.compile(INTERCEPT_VERB, re.IGNORECASE)


def headless_intercepts(sents: list[SentenceInfo], mentions: list[Mention]) -> list[Mention]:
    """Intercept counts without their own weapon noun, given to the weapon named just before."""
    out: list[Mention] = []
    taken = [(m.start, m.end) for m in mentions]
    cued = cue_sentences(sents[0].span.doc, HEADLESS_CUE) if sents else set()
    for info in sents:
        if info.index not in cued:
            continue
        for pattern in HEADLESS:
            for match in pattern.finditer(info.text):
                start = info.span.start_char + match.start(1)
                end = info.span.start_char + match.end()
                if any(a <= start < b for a, b in taken):
                    continue
                prior = [m for m in mentions if m.start < start and not m.decoy and (m.launched or m.model)]
                if not prior or info.index - prior[-1].sentence > 1:
                    ref = _weapon_word_before(sents, info, start)
                    if ref is None:
                        continue
                    prior = [ref]
                else:
                    ref = prior[-1]
                kinds = {coarse(m.category) for m in mentions if m.sentence == ref.sentence and not m.decoy
                         and m.start < start}
                if len(kinds) > 1:
                    continue  # "Kh-101 missiles and Geran drones ... Twelve were downed": whose twelve?
                raw = match.group(1)
                value = ref.launched if raw.lower() == "all" else parse_number(raw)
                if value is None or (ref.launched is not None and value > ref.launched):
                    continue
                out.append(Mention(ref.category, ref.model, None, None, value, start, end, info.index,
                                   "headless_intercept", side=ref.side))
                taken.append((start, end))
    return out + anaphoric_intercepts(sents, mentions + out)


def _weapon_word_before(sents: list[SentenceInfo], info: SentenceInfo, start: int) -> Mention | None:
    """The weapon a headless count is about when no counted phrase precedes it: the last weapon word
    of this or the two sentences before ("sea drones approached the harbour. Five targets were destroyed")."""
    for k in range(info.index, max(-1, info.index - 3), -1):
        text = sents[k].text if k != info.index else info.text[:start - info.span.start_char]
        words = [w.lower() for w in WEAPON_WORDS.findall(text) if w.lower() in lexicon.WEAPON_HEADS]
        if words:
            category = lexicon.WEAPON_HEADS[words[-1]]
            return Mention(category, None, None, None, None, start, start, k, "weapon_word")
    return None


HEAD_NOUNS = "|".join(sorted(lexicon.WEAPON_HEADS))
ANAPHORIC_ALL = re.compile(
    rf"\b(?:the|these|those|all(?: of)? the|all)\s+(?:[\w-]+\s+)?({HEAD_NOUNS}|shaheds|kalibrs)\s+"
    rf"(?:were|had been|have been)\s+(?:all\s+)?(?:\w+\s+)?{INTERCEPT_VERB}\b", re.IGNORECASE)
ANAPHORIC_NONE = re.compile(rf"(?:\bthe\s+(?:[\w-]+\s+)?({HEAD_NOUNS}|shaheds|kalibrs)\b[^.;]{{0,80}}?|\b(?:they|it)\s+)"
                            rf"(?:could|can)\s*not\s+be\s+{INTERCEPT_VERB}|"
                            rf"\bnone(?:\s+of\s+them)?\s+(?:were|was|could\s+be)\s+{INTERCEPT_VERB}", re.IGNORECASE)


# "nine drones and two missiles, all of which were shot down"; "four cruise missiles which were shot down"
RELATIVE_ALL = re.compile(rf"\b(all\s+of\s+(?:which|them)|and\s+all|and\s+both|which|that)\s+(?:were|had\s+been|have\s+been)\s+"
                          rf"(?:all\s+)?(?!not\b|never\b)(?:\w+\s+)?{INTERCEPT_VERB}\b", re.IGNORECASE)


PART_OF = re.compile(r"\b(?:some|most|many|several|majority|part|few|half|dozens|hundreds|none|one|two|three|all but)"
                     r"\s+of\s*$", re.IGNORECASE)


def anaphoric_intercepts(sents: list[SentenceInfo], mentions: list[Mention]) -> list[Mention]:
    """"The drones were all destroyed", "all the missiles were shot down" (as many as were launched),
    "they could not be shot down", "none were intercepted" (0), for the weapons counted just before."""
    out: list[Mention] = []
    cued = cue_sentences(sents[0].span.doc, HEADLESS_CUE) if sents else set()
    for info in sents:
        if info.index not in cued:
            continue
        for pattern in (ANAPHORIC_ALL, ANAPHORIC_NONE):
            for match in pattern.finditer(info.text):
                if PART_OF.search(info.text[:match.start()]):
                    continue  # "some of the rockets were shot down": not all of them
                start = info.span.start_char + match.start()
                head = (match.group(1) or "").lower() or None
                wanted = coarse(lexicon.WEAPON_HEADS.get(head.rstrip("s") if head in ("shaheds", "kalibrs") else head,
                                                          "drone" if head == "shaheds" else "missile")) if head else None
                near = [m for m in mentions if m.start < start and not m.decoy and info.index - m.sentence <= 2
                        and (wanted is None or coarse(m.category) == wanted)]
                if not near:
                    continue
                kind = coarse(near[-1].category)  # "they" are the weapons named last
                prior = [m for m in near if m.launched and coarse(m.category) == kind]
                if not prior:
                    continue
                ref = prior[-1]
                value = ref.launched if pattern is ANAPHORIC_ALL else 0
                out.append(Mention(ref.category, ref.model, ref.launched, ref.launched_qualifier, value, start,
                                   info.span.start_char + match.end(), info.index, "anaphoric_intercept", side=ref.side,
                                   role="intercepted"))
        out += _relative_intercepts(info, mentions)
    return out


def _relative_intercepts(info: SentenceInfo, mentions: list[Mention]) -> list[Mention]:
    """The weapons just counted in the same sentence, intercepted as many as were launched: all of
    them after "all of which were shot down", the last one after "which were shot down"."""
    out: list[Mention] = []
    for match in RELATIVE_ALL.finditer(info.text):
        start = info.span.start_char + match.start()
        counted = [m for m in mentions if m.sentence == info.index and m.start < start and not m.decoy
                   and m.launched and m.intercepted is None and m.role != "intercepted"]
        if not counted or PART_OF.search(info.text[:match.start()]):
            continue
        wanted = counted if match.group(1).lower().startswith(("all", "and")) else counted[-1:]
        out += [Mention(m.category, m.model, m.launched, m.launched_qualifier, m.launched, start,
                        info.span.start_char + match.end(), info.index, "relative_intercept", side=m.side,
                        role="intercepted") for m in wanted]
    return out


PLACE_PREPS = {"over", "in", "above", "near", "at", "on", "towards", "toward", "into", "across"}
ANAPHORIC_PLACES = {"region", "city", "area", "district", "oblast", "province", "capital"}


def _place_after(doc: Doc, i: int, end: int) -> str | None:
    """The place a count is tied to: "15 drones over Kursk region", "10 drones fired at Kyiv were
    intercepted", "six drones were shot down over the region"; None for "over the country"."""
    stop = min(end, i + 14)
    while i < stop:
        t = doc[i]
        if t.is_punct and t.text != "-" or t.lower_ in lexicon.WEAPON_HEADS or t.ent_type_ == "MODEL":
            return None
        if t.lower_ in PLACE_PREPS and i + 1 < stop:
            k = i + 2 if doc[i + 1].lower_ == "the" else i + 1
            nxt = doc[k] if k < stop else None
            if nxt is not None and nxt.ent_type_ in PLACE_LABELS and nxt.ent_iob_ == "B" and _named_place(nxt):
                return nxt.text if nxt.ent_type_ == "PLACE" else doc[k:k + 2].text
            if nxt is not None and k == i + 2 and nxt.lower_ in ANAPHORIC_PLACES:
                return "the " + nxt.lower_
        i += 1
    return None


def _fronted_place(doc: Doc, sent: Span) -> str | None:
    """A place put first: "Over the southern Mykolaiv region, three drones were downed"."""
    if sent[0].lower_ not in ("over", "in", "above") or len(sent) < 3:
        return None
    for t in sent[1:8]:
        if t.text == ",":
            return None
        if t.ent_iob_ == "B" and t.ent_type_ in PLACE_LABELS and _named_place(t):
            return t.text
    return None


def _named_place(token: Token) -> bool:
    """A place entity that names one place ("Kursk region"), not "Russian regions"."""
    return token.ent_type_ == "PLACE" or (token.ent_type_ == "REGION" and not gazetteer.country_of_name(token.text)
                                          and token.lower_ not in ("northern", "southern", "eastern", "western",
                                                                   "central", "several", "other", "frontline"))


def _whole_event_singulars(mentions: list[Mention], sents: list[SentenceInfo]) -> None:
    """"A guided bomb hit a supermarket", "one drone hit a warehouse" count 1 only when nothing says
    there were more: no plural weapon of the same kind and no barrage, salvo or wave in the sentences
    of the attack."""
    singles = [m for m in mentions if (m.article or m.singular and m.role == "hit")
               and (m.launched or m.intercepted is not None)]
    if not singles:
        return
    plural = {coarse(m.category) for m in mentions if m.plural and not m.decoy
              and not _is_background(sents[m.sentence]) and sents[m.sentence].attack_context}
    for info in sents:
        if info.attack_context and not _is_background(info):
            for found in BARRAGE.finditer(info.text):
                head = (found.group(1) or found.group(2) or "").lower()
                plural.add(coarse(lexicon.WEAPON_HEADS.get(head, "missile")))
    for m in singles:
        if coarse(m.category) in plural:
            m.launched = m.launched_qualifier = m.intercepted = None
            m.rule = "weapon_named"


# "missile barrages", "a salvo of rockets", "waves of drones": more than one weapon of that kind
BARRAGE = re.compile(r"\b(?:(missiles?|rockets?|drones?|projectiles?)\s+(?:barrages?|salvos?|volleys?|waves?|swarms?)|"
                     r"(?:barrages?|salvos?|volleys?|waves?|swarms?)\s+of\s+(?:\w+\s+){0,2}?"
                     r"(missiles|rockets|drones|projectiles|bombs|shells))\b", re.IGNORECASE)
HABITUAL = re.compile(r"\b(repeatedly|regularly|routinely|frequently|often|in the past|previously|almost daily|"
                      r"every (?:day|night)|have (?:been )?(?:launch|fir|target)\w*)\b", re.IGNORECASE)


def _is_background(info: SentenceInfo) -> bool:
    """A sentence about other events: period totals, history, habits ("have repeatedly fired")."""
    doc = info.span.doc
    return info.total_context or info.index in cue_sentences(doc, HISTORY) or info.index in cue_sentences(doc, HABITUAL)


def coarse(category: str) -> str:
    """The coarse category the scorer compares: cruise and ballistic missiles are missiles."""
    return "missile" if category in ("missile", "cruise_missile", "ballistic_missile") else category
