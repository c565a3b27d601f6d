"""Weapon counts: counted (or named) weapon phrases and the role of each count in its clause.

Rule families:
  weapon_mentions     "29 missiles", "about 400 drones", "25 of the 29 missiles", "all 18 drones",
                      "Four of six Iskander-M ballistic missiles", "36 Kh-101s"
  headless_intercepts "40 were shot down", "of which 35 were intercepted", "downed 25 of them"
  combine_weapons     one entry per weapon: mentions of one weapon merged, totals dropped beside
                      per-model counts
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from extractors import gazetteer, lexicon
from extractors.cues import (HISTORY, NON_EVENT, PAST_COUNT, PERIOD_TOTAL, PLACE_LABELS, WEAPON_WORDS, SentenceInfo,
                             cue_sentences)
from extractors.numbers import parse_number, qualifier_of
from extractors.pipeline import all_ents, text_of

VAGUE_AMOUNTS = {"dozens", "hundreds", "scores", "swarm", "wave", "number", "barrage", "salvo", "several", "waves"}
QUAL_WORDS = {"about", "around", "nearly", "almost", "some", "over", "least", "than", "to", "approximately",
              "roughly", "all", "every", "another", "additional", "further", "only", "just"}
MODIFIER_STOP = {"of", "and", "or", "the", "a", "an", "were", "was", "by", "with", "from", "at", "in",
                 "on", "to", "that", "which", "its", "their", "his", "her", ",", ";", ":", "also", "as"}
NUM_JOINERS = {"-", "and"}
NOT_WEAPON_HEAD_NEXT = {"attack", "attacks", "strike", "strikes", "operator", "operators", "unit", "units",
                        "production", "factory", "factories", "plant", "sites", "site", "debris", "wreckage",
                        "fragments", "threat", "alert", "alerts", "warning", "warnings", "manufacturer",
                        "program", "programme", "industry", "components", "parts", "wave", "waves", "launchers",
                        "systems", "defence", "defense", "carrier", "carriers", "launcher", "pilot", "pilots",
                        "footage", "sighting", "sightings", "shelter", "shelters", "interceptor", "interceptors",
                        "campaign", "campaigns", "programs", "programmes", "capabilities", "technology", "view",
                        "views", "image", "images", "video", "videos", "photo", "photos", "camera", "cameras"}
NUMBER_WORDS_EXTRA = {"both": 2}
# "unmanned surface vehicles", "uncrewed aerial vehicle", "sea drone boats": a drone by its description
DEFENSIVE = re.compile(r"\banti\s*-?\s*(?!ship|radar)\w|\binterceptor\b|\bsurface\s*-\s*to\s*-\s*air\b", re.IGNORECASE)
CRAFT_NOUNS = {"vehicle", "vehicles", "vessel", "vessels", "boat", "boats", "craft", "aircraft"}
UNMANNED = {"unmanned", "uncrewed", "pilotless", "drone", "robotic"}
SINGULAR_WORDS = {"a", "an", "single", "lone"}


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
    relative_launch: bool = False  # "drones launched from the east were shot down": launched too, if no other count says



# ---------------------------------------------------------------- numbers in token streams

def _number_before(doc: Doc, end: int, floor: int) -> tuple[int | None, int]:
    """Value of the number expression ending right before token `end`, and its first token."""
    if end - 1 >= floor and doc[end - 1].lower_ in NUMBER_WORDS_EXTRA:
        return NUMBER_WORDS_EXTRA[doc[end - 1].lower_], end - 1
    i = end - 1
    while i >= floor and (doc[i].like_num or doc[i].text in NUM_JOINERS or doc[i].lower_ in ("hundred", "thousand", "dozen")):
        i -= 1
    start = i + 1
    while start < end and doc[start].text in NUM_JOINERS:
        start += 1
    if start >= end:
        return None, end
    value = parse_number(doc[start:end].text)
    if value is None and end - start > 1:  # "and 400": keep the last clean numeral
        value = parse_number(doc[end - 1].text)
        start = end - 1
    return value, start


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
    """A unit right after the number: "250-kilogram", "155 mm"."""
    if i < end and doc[i].text == "-":
        i += 1
    return i < end and doc[i].lower_ in UNITS


def _maker(doc: Doc, i: int) -> bool:
    """"Iranian-made", "US-supplied": the country that built the weapon, not the one that fired it."""
    return i + 2 < len(doc) and doc[i + 1].text == "-" and doc[i + 2].lower_ in (
        "made", "designed", "built", "supplied", "produced", "developed", "manufactured")


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
    sent = info.span
    head_tok = doc[h_end - 1]
    # walk left over modifiers: adjectives, demonyms, models, "attack", "-type"
    j = start - 1 if category is not None else h_end - 2
    mods: list[Token] = []
    while j >= sent.start and j >= h_end - (13 if any(t.text == "," for t in mods) else 8):
        t = doc[j]
        hyphenated = j + 1 < h_end and doc[j + 1].text == "-" and j > sent.start and doc[j - 1].text == "-"
        listed = t.lower_ in ("and", "or", ",") and mods and j > sent.start and _category_word(doc[j - 1]) \
            and _category_word(mods[-1])  # "40 ballistic, cruise and guided missiles"
        if (t.like_num or t.lower_ in MODIFIER_STOP or t.is_punct and t.text != "-" or t.lower_ in NUMBER_WORDS_EXTRA) \
                and not hyphenated and not listed:  # "surface-to-surface missile" is one modifier
            break
        if t.ent_type_ in PLACE_LABELS | {"COUNTRY", "PERSON"}:
            break
        mods.append(t)
        j -= 1
    mods.reverse()
    mod_words = [t.lower_ for t in mods]
    if category is None:
        category = lexicon.category_for(head_tok.lower_, mod_words)
        for t in mods:
            if t.i in model_ents:
                found = _model_of(model_ents[t.i])
                if found:
                    model = found[0]
                    if category in ("missile", "drone", "rocket", "glide_bomb") and found[1] not in ("missile",):
                        category = found[1] if lexicon.WEAPON_HEADS.get(head_tok.lower_) != "drone" or found[1] == "drone" else category
                    break
    if category == "drone" and model is None and any(w in ("shahed", "shaheds", "geran") for w in mod_words):
        model = "Shahed"
    if DEFENSIVE.search(doc[max(sent.start, head_tok.i - 3):head_tok.i].text) and not any(t.text in (",", "and") for t in mods):
        return None  # "anti-ballistic missile", "anti-aircraft missile": the defence, not the attack
    decoy = any(w in lexicon.DECOY_WORDS for w in mod_words) or head_tok.lower_ in lexicon.DECOY_WORDS
    side = next((gazetteer.country_of_name(t.text) for t in mods if t.ent_type_ in ("DEMONYM", "ACTOR")
                 and not _maker(doc, t.i)), None)
    if side is None and j >= sent.start and doc[j].ent_type_ in ("DEMONYM", "ACTOR") and not _maker(doc, j):
        side = gazetteer.country_of_name(doc[j].text)
    num_end = j + 1
    value, num_start = _number_before(doc, num_end, sent.start)
    if value is not None and _measure_after(doc, num_end, h_end):
        value, j = None, num_start - 1  # "a 250-kilogram bomb", "155 mm shells": a measure, not a count
    if value is None and num_end - 2 >= sent.start and doc[num_end - 1].lower_ == "the" and doc[num_end - 2].lower_ == "of":
        value, num_start = _number_before(doc, num_end - 2, sent.start)  # "28 of the drones"
    if value is not None and num_start - 1 >= sent.start and doc[num_start - 1].is_title \
            and num_start - 1 > sent.start and doc[num_start - 1].lower_ not in QUAL_WORDS:
        return None  # "Hermes 900 drone": a designation, not a count
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
    return _assign_role(doc, info, mention, value, num_start, head_tok.i, prev)


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
                kinds = {_coarse(m.category) for m in mentions if m.sentence == ref.sentence and not m.decoy
                         and m.start < start}
                if len(kinds) > 1:
                    continue  # "Kh-22 missiles, Kalibrs and Shahed drones ... Nine were intercepted": whose nine?
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
    of this or the two sentences before ("repelled an attack of sea drones. Three objects were destroyed")."""
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
                    continue  # "some of the projectiles were intercepted": not all of them
                start = info.span.start_char + match.start()
                head = (match.group(1) or "").lower() or None
                wanted = _coarse(lexicon.WEAPON_HEADS.get(head.rstrip("s") if head in ("shaheds", "kalibrs") else head,
                                                          "drone" if head == "shaheds" else "missile")) if head else None
                near = [m for m in mentions if m.start < start and not m.decoy and info.index - m.sentence <= 2
                        and (wanted is None or _coarse(m.category) == wanted)]
                if not near:
                    continue
                kind = _coarse(near[-1].category)  # "they" are the weapons named last
                prior = [m for m in near if m.launched and _coarse(m.category) == kind]
                if not prior:
                    continue
                ref = prior[-1]
                value = ref.launched if pattern is ANAPHORIC_ALL else 0
                out.append(Mention(ref.category, ref.model, ref.launched, ref.launched_qualifier, value, start,
                                   info.span.start_char + match.end(), info.index, "anaphoric_intercept", side=ref.side,
                                   role="intercepted"))
    return out


def _assign_role(doc: Doc, info: SentenceInfo, m: Mention, value: int, num_start: int, head_i: int,
                 prev: Mention | None = None) -> Mention:
    """The count's role from its own clause: the words since the previous count, the phrase's own
    verb after it (past a reduced relative such as "launched by Russia"), up to the next count."""
    sent = info.span
    text = info.text
    base = sent.start_char
    before_text = doc[max(sent.start, num_start - 4):num_start].text
    qualifier = qualifier_of(before_text)
    # "25 of the 29 missiles", "30 out of 36", "Four of six", "19 of the total 23"
    pair = None if re.search(r"\b(every|each|all)\s+one\s+of(?: the)?\s*$", before_text, re.I) \
        else _pair_before(doc, num_start, sent.start)
    before = text[:doc[num_start].idx - base][-90:]
    cut = list(CLAUSE_BREAK.finditer(before))
    if cut:
        before = before[cut[-1].end():]
    after = text[doc[head_i].idx + len(doc[head_i].text) - base:]
    if pair is not None:
        part, part_start = pair
        m.start = doc[part_start].idx
        m.launched, m.launched_qualifier = value, qualifier
        lost = lexicon.LOST_WORDS.search(after) and not lexicon.INTERCEPT_WORDS.search(after)
        if lexicon.INTERCEPT_WORDS.search(text) and not lost:
            m.intercepted = part
        m.rule, m.role = "part_of_whole", "intercepted"
        return m
    every = re.search(r"\b(all|every one of|each of|all of)(?: the)?\s*$", before_text, re.IGNORECASE)
    if every and lexicon.INTERCEPT_WORDS.search(text):
        m.launched, m.launched_qualifier, m.intercepted = value, "exact", value
        m.rule, m.role = "all_intercepted", "intercepted"
        return m
    own_after, relative_launch = _own_clause_after(after)
    m.relative_launch = relative_launch or bool(LATE_LAUNCH.search(after[:120]))
    if _background(before, own_after):
        m.decoy = True  # a figure of an earlier event or a comparison, kept out of this one
        return m
    between = text[prev.end - base:doc[num_start].idx - base] if prev is not None else ""
    if prev is not None and prev.role and COORDINATION.match(RELATIVE_TAIL.sub("", between, count=1)):
        role = prev.role  # "intercepted the six Kinzhals launched from aircraft, nine Kalibrs and three Iskanders"
        m.role_default = prev.role_default
    else:
        role = _role(before, own_after)
    if role is None and prev is not None and prev.role:
        m.role_default = prev.role_default
        role = prev.role  # "132 drones were destroyed: 54 drones over Saratov region, 40 drones over ..."
    if m.singular and info.attack_context and lexicon.NOT_INTERCEPTED.search(text):
        m.launched, m.launched_qualifier, m.intercepted = 1, "exact", 0
        m.rule, m.role = "not_intercepted", "failed"
        return m
    if role is None and m.singular:
        return m  # "a new bomb": a single weapon counts only as the subject or object of the attack
    m.role_default = m.role_default or role is None
    m.role = role = role or "launched"  # a bare list ("The full list: 14 ..."); detection decides
    if role == "lost" or m.decoy:
        m.decoy = True
        return m
    if m.singular and not info.attack_context:
        return m
    if role == "launched" and m.singular and IT_INTERCEPTED.search(after):
        m.intercepted = 1  # "one missile was fired from Yemen ... before it was shot down"
    if role == "intercepted":
        m.intercepted = value
        if relative_launch and (m.singular or re.search(r"\bthe\s*$", before_text, re.I)):
            m.launched, m.launched_qualifier = value, qualifier  # "intercepted the six missiles launched from ..."
    elif role == "launched" or (role == "hit" and m.singular):
        m.launched, m.launched_qualifier = value, qualifier
    return m


IT_INTERCEPTED = re.compile(r"\bit\s+(?:was|had\s+been|has\s+been)\s+(?:\w+\s+)?(?:shot\s+down|intercepted|downed|"
                            r"destroyed|brought\s+down)\b", re.IGNORECASE)
# Where the clause of a count begins: after a semicolon, a colon or a contrast.
CLAUSE_BREAK = re.compile(r"[;:]|\s(?:while|whereas|but|although)\s", re.IGNORECASE)
# Words that begin a new clause for counting purposes: the next count or a contrast.
CLAUSE_END = re.compile(r"[;:()]|\s(?:while|whereas|but|although)\s|\b\d|\b(?:one|two|three|four|five|six|seven|eight|"
                        r"nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|dozen|hundred)\b", re.IGNORECASE)
# "15 drones launched by Russia were shot down", "two drones carrying explosives that had crossed the
# border were intercepted": the participle or relative clause describes the weapons; the clause's
# verb is the one after it.
RELATIVE = re.compile(r"^\s*,?\s*(?:(?:that|which)\s+(?:(?:were|was|had|have|has|are|is)\s+)?(?:been\s+)?\w+|"
                      r"(?:launched|fired|sent|aimed|directed|flying|heading|headed|carrying|loaded|packed|armed|"
                      r"bound|coming|travelling|traveling)\b)", re.IGNORECASE)
LAUNCH_PARTICIPLE = re.compile(r"\b(?:launched|fired|sent|aimed|directed)\b", re.IGNORECASE)
# "three drones were intercepted over the sea, launched from the east": a participle after the verb
LATE_LAUNCH = re.compile(r",\s*(?:saying\s+(?:they|it)\s+(?:were|was)\s+)?(?:launched|fired)\s+(?:from|by)\b", re.IGNORECASE)
FINITE_AUX = re.compile(r"(?<!that )(?<!which )\b(?:were|was|had|have|has|are|is|got|could|can|cannot|did|would|will)\b|"
                        r"[,.;]", re.IGNORECASE)
RELATIVE_TAIL = re.compile(r"^\s*(?:launched|fired|sent)\s+(?:from|by|at|on|towards?|over|against)\s+[^,;]*?(?=,|\s+and\s|$)",
                           re.IGNORECASE)
COORDINATION = re.compile(r"^\s*(?:[,:;]\s*)?(?:and\s+|as\s+well\s+as\s+|plus\s+|including\s+)?"
                          r"(?:(?:about|around|nearly|almost|some|over|more\s+than|at\s+least|up\s+to|another|a\s+further)\s+)?$",
                          re.IGNORECASE)
COMPARISON = re.compile(r"\bthan\s+(?:the|a|an|its|last)\b[^,;]*$|\b(?:most recent|latest|previous|last)\s+(?:\w+\s+)?being\s*$|\b(?:compared\s+(?:with|to)|up\s+from|down\s+from|"
                        r"the\s+(?:previous|earlier|last)\s+record(?:\s+of)?|beating|surpassing|exceeding)\s+(?:the\s+)?[^,;]*$",
                        re.IGNORECASE)
ACTIVE_HIT = re.compile(r"^\s*(?:\w+ly\s+|also\s+|then\s+|later\s+|reportedly\s+)?(?:" + lexicon.HIT_WORDS.pattern[3:-3]
                        + r"|crossed|entered|flew|approached|reached)\b",
                        re.IGNORECASE)


def _own_clause_after(after: str) -> tuple[str, bool]:
    """The words after a weapon phrase that belong to its clause, and whether a launch participle
    ("launched by Russia", "that were fired at Kyiv") describes the phrase."""
    rel = RELATIVE.match(after)
    if rel:
        aux = FINITE_AUX.search(after, rel.end())
        after = after[aux.start():] if aux and aux.group(0) not in ",.;" else ""
    end = CLAUSE_END.search(after)
    return (after[:end.start()] if end else after)[:90], bool(rel and LAUNCH_PARTICIPLE.search(rel.group(0)))


def _background(before: str, after: str) -> bool:
    """A count of another event: an earlier record, last year's strike, a comparison ("more than the
    300 drones fired on Tuesday"), a period total ("in October")."""
    if COMPARISON.search(before[-80:]):
        return True
    near = before[-70:] + " " + after.split(",")[0][:50]
    return bool(PAST_COUNT.search(near) or PERIOD_TOTAL.search(near))


def _role(before: str, after: str) -> str | None:
    """launched | intercepted | hit | failed | lost | None from the verbs of the count's own clause."""
    near_after = after[:80]
    near_before = before[-90:]
    if lexicon.LOST_WORDS.search(near_after) and not lexicon.INTERCEPT_WORDS.search(near_after[:30]):
        return "lost"
    if re.search(r"(?<!along )(?<!together )\bwith\s*$", near_before, re.I):
        return "launched"  # "attacked Odesa with 40 drones": the instrument of the attack
    if re.search(r"\b(?:hit|struck)\s+by\s*$", near_before, re.I) or ACTIVE_HIT.match(near_after):
        return "hit"  # "five drones struck the terminal", "hit by three projectiles"
    if lexicon.NOT_INTERCEPTED.search(near_after):
        return "failed"
    cands = []
    for m in lexicon.INTERCEPT_WORDS.finditer(near_before):
        cands.append((len(near_before) - m.end(), "intercepted"))
    for m in lexicon.INTERCEPT_WORDS.finditer(near_after):
        cands.append((m.start(), "intercepted"))
    for m in lexicon.LAUNCH_WORDS.finditer(near_before):
        cands.append((len(near_before) - m.end() + 2, "launched"))
    for m in lexicon.LAUNCH_WORDS.finditer(near_after):
        cands.append((m.start() + 2, "launched"))
    return min(cands)[1] if cands else None


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
    """"A guided bomb hit a supermarket" counts 1 only when nothing says there were more: no plural
    weapon of the same kind and no barrage, salvo or wave in the sentences of the attack."""
    singles = [m for m in mentions if m.article and (m.launched or m.intercepted is not None)]
    if not singles:
        return
    plural = {_coarse(m.category) for m in mentions if m.plural and not m.decoy
              and not _is_background(sents[m.sentence]) and sents[m.sentence].attack_context}
    for info in sents:
        if info.attack_context and not _is_background(info):
            for found in BARRAGE.finditer(info.text):
                head = (found.group(1) or found.group(2) or "").lower()
                plural.add(_coarse(lexicon.WEAPON_HEADS.get(head, "missile")))
    for m in singles:
        if _coarse(m.category) in plural:
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


def _pair_before(doc: Doc, num_start: int, floor: int) -> tuple[int, int] | None:
    """The part in "25 of the 29", "30 out of 36", "19 of the total 23", "19 of a total of 23"."""
    k = num_start - 1
    if k - 2 >= floor and doc[k].lower_ == "of" and doc[k - 1].lower_ == "total" and doc[k - 2].lower_ in ("a", "the"):
        k -= 3
    elif k - 1 >= floor and doc[k].lower_ == "total" and doc[k - 1].lower_ == "the":
        k -= 2
    if k >= floor and doc[k].lower_ == "the":
        k -= 1
    if k >= floor and doc[k].lower_ == "of":
        k -= 1
        if k >= floor and doc[k].lower_ == "out":
            k -= 1
        value, start = _number_before(doc, k + 1, floor)
        if value is not None:
            return value, start
    return None


# ---------------------------------------------------------------- combining mentions

def combine_weapons(mentions: list[Mention]) -> list[Mention]:
    """One entry per (category, model): counts merged; totals dropped beside per-model counts."""
    entries: list[Mention] = []
    subsets = _place_subsets(mentions)
    for m in sorted(mentions, key=lambda m: (m.sentence == 0, m.start)):  # headline last
        if m.decoy or m.generic_total:
            continue
        if id(m) in subsets:
            m = replace(m, launched=None, launched_qualifier=None, intercepted=None, model=None)
        if m.launched is None and m.intercepted is None and m.model is None:
            if not any(_coarse(e.category) == _coarse(m.category) for e in entries):
                entries.append(replace(m))  # "dozens of drones": the weapon is known, its count is not
            continue
        target = _compatible(entries, m)
        if target is None:
            if m.model is None and any(e.category == m.category and e.model is None
                                       and (e.launched or e.intercepted) for e in entries):
                continue  # another figure for the same weapons: a per-place subset or a restatement
            entries.append(replace(m))
            continue
        if _filled(m) > _filled(target):  # the fuller phrase is the better evidence
            target.start, target.end, target.sentence, target.rule = m.start, m.end, m.sentence, m.rule
        if target.model is None and m.model is not None:
            target.model = m.model
            if _coarse(m.category) == _coarse(target.category):
                target.category = m.category if m.category != "missile" else target.category
        if target.launched is None and m.launched is not None:
            target.launched, target.launched_qualifier = m.launched, m.launched_qualifier
        elif target.launched == m.launched and target.launched_qualifier == "exact":
            target.launched_qualifier = m.launched_qualifier  # headlines drop "about"; the body keeps it
        if target.intercepted is None and m.intercepted is not None:
            target.intercepted = m.intercepted
    for e in entries:
        if e.launched is None and e.intercepted and e.relative_launch and not any(
                o.launched for o in entries if _coarse(o.category) == _coarse(e.category)):
            e.launched, e.launched_qualifier = e.intercepted, "exact"  # no other launch count: these were all
    return _drop_totals(entries)


def _place_subsets(mentions: list[Mention]) -> set[int]:
    """Counts tied to one place that are not the attack's figure: parts of a stated total ("23
    drones were shot down ... all 10 fired at Kyiv"), or per-region tallies with no total ("15 over
    Kursk region, one over Bryansk region"), which are not added up."""
    out: set[int] = set()
    counted = [m for m in mentions if not m.decoy and not m.generic_total and (m.launched or m.intercepted is not None)]
    for m in counted:
        if m.place is None or m.role != "intercepted":
            continue
        same = [o for o in counted if _coarse(o.category) == _coarse(m.category) and o.role == m.role]
        general = [o for o in same if o.place is None]
        tallies = {(o.place, o.launched, o.intercepted) for o in same if o.place is not None}
        values = {(v[1], v[2]) for v in tallies}
        if general or (len(tallies) >= 2 and len(values) >= 2):
            out.add(id(m))
    return out


def _filled(m: Mention) -> int:
    return (m.launched is not None) + (m.intercepted is not None) + (m.model is not None)


def _coarse(category: str) -> str:
    return "missile" if category in ("missile", "cruise_missile", "ballistic_missile") else category


def _compatible(entries: list[Mention], m: Mention) -> Mention | None:
    uncounted = [e for e in entries if e.launched is None and e.intercepted is None and e.model is None
                 and _coarse(e.category) == _coarse(m.category)]
    if uncounted:
        return uncounted[0]
    same = [e for e in entries if _coarse(e.category) == _coarse(m.category) and e.side == m.side
            or (_coarse(e.category) == _coarse(m.category) and (e.side is None or m.side is None))]
    exact = [e for e in same if e.model == m.model and (m.model is not None or e.category == m.category)]
    for e in exact:
        if _fits(e, m):
            return e
    if m.model is None:
        loose = [e for e in same if _fits(e, m)]
        return loose[0] if len(loose) == 1 else None
    generic = [e for e in same if e.model is None and _fits(e, m)]
    return generic[0] if len(generic) == 1 and len(same) == 1 else None


def _fits(e: Mention, m: Mention) -> bool:
    """Two mentions can be one entry: no conflicting counts."""
    if e.launched is not None and m.launched is not None and e.launched != m.launched:
        return False
    if e.intercepted is not None and m.intercepted is not None and e.intercepted != m.intercepted:
        return False
    if e.launched is not None and m.intercepted is not None and m.intercepted > e.launched:
        return False
    if m.launched is not None and e.intercepted is not None and e.intercepted > m.launched:
        return False
    return True


def _drop_totals(entries: list[Mention]) -> list[Mention]:
    out = []
    for e in entries:
        specific = [o for o in entries if o is not e and o.model is not None and _coarse(o.category) == _coarse(e.category)]
        if e.model is None and specific and e.intercepted is None and any(o.launched for o in specific):
            continue
        out.append(e)
    return out

