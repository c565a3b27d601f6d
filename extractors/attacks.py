"""Attack facts from an annotated Doc: weapon counts, direction, places, casualties, damage.

Rule families (each a function below):
  weapon_mentions   "29 missiles", "about 400 drones", "25 of the 29 missiles", "all 18 drones",
                    "Four of six Iskander-M ballistic missiles", "36 Kh-101s"
  casualties        "killing at least three people", "20 were injured", "no casualties"
  regions_count     "targeting 12 regions", "nine regions were affected"
  direction         "Russia fired", "Ukrainian drones", "Ukraine's air force", "over the Kursk region"
  is_new_attack     a specific recent strike, not a monthly total, anniversary, forecast or drill
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from extractors import gazetteer, lexicon
from extractors.pipeline import TIME_CUES, all_ents, ents_of, sents_of, span_text, text_of
from extractors.numbers import parse_number, qualifier_of
from extractors.types import Attack, Casualty, Evidence, Place, Weapon

PLACE_LABELS = {"PLACE", "REGION"}
SIDE_LABELS = {"COUNTRY", "DEMONYM", "ACTOR"}
VAGUE_AMOUNTS = {"dozens", "hundreds", "scores", "swarm", "wave", "number", "barrage", "salvo", "several", "waves"}
WEAPON_WORDS = re.compile(r"\b(" + "|".join(sorted(lexicon.WEAPON_HEADS)) + r")\b", re.IGNORECASE)
QUAL_WORDS = {"about", "around", "nearly", "almost", "some", "over", "least", "than", "to", "approximately",
              "roughly", "all", "every", "another", "additional", "further", "only", "just"}
MODIFIER_STOP = {"of", "and", "or", "the", "a", "an", "were", "was", "by", "with", "from", "at", "in",
                 "on", "to", "that", "which", "its", "their", "his", "her", ",", ";", ":", "also", "as"}
NUM_JOINERS = {"-", "and"}
NOT_WEAPON_HEAD_NEXT = {"attack", "attacks", "strike", "strikes", "operator", "operators", "unit", "units",
                        "production", "factory", "factories", "plant", "sites", "site", "debris", "wreckage",
                        "fragments", "threat", "alert", "alerts", "warning", "warnings", "manufacturer",
                        "program", "programme", "industry", "components", "parts", "wave", "waves", "launchers",
                        "systems", "defence", "defense", "carrier", "carriers", "boat", "boats"}
NUMBER_WORDS_EXTRA = {"both": 2}
# A count that belongs to an earlier event than the one reported ("the earlier record was 355").
PAST_COUNT = re.compile(r"\b(earlier record|previous record|the record (?:was|of)|reminiscent of|last (?:month|year|week)|"
                        r"(?:early|late|mid-?)\s*(?:january|february|march|april|may|june|july|august|september|"
                        r"october|november|december)|a year ago|since the start|in 20\d\d)\b", re.IGNORECASE)
PERIOD_TOTAL = re.compile(
    r"\b(in|during|throughout|over|for|since the (?:start|beginning) of|so far (?:in|this))\s+(?:the\s+)?"
    r"(?:(?:month|week|year) of\s+)?((?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december)(?!\s+\d{1,2}\b)|20\d\d|the (?:past|last) (?:month|week|year|\d+ (?:days|weeks|months))|"
    r"(?:this|last|the previous) (?:month|week|year)|the war|the full-scale invasion)\b|"
    r"\b(per (?:day|night|month|week)|a month|monthly|weekly|annual(?:ly)?|this year|last year|since 20\d\d|in 20\d\d|"
    r"since (?:february|the start)|record (?:month|year)|in total this|so far this)\b",
    re.IGNORECASE,
)
NON_EVENT = re.compile(
    r"\b(anniversary|commemorat|memorial|remember|years? ago|(?:two|three|four|five|ten|\d+) years (?:on|after|since)|produc(?:e|ed|es|tion)\b|manufactur|factory output|"
    r"exercise|drills?\b|war ?games|sanction|stockpile|forecast|could soon|expected to|would be able|"
    r"tournament|match(?:es)?\b|championship|football|film|documentary|oscar|award)\w*",
    re.IGNORECASE,
)
ATTACK_WORDS = re.compile(
    r"\b(attack(?:ed|s|ing)?|strike[sd]?|struck|striking|barrage|shell(?:ed|ing)|bomb(?:ed|ing|ardment)|"
    r"hit|hits|target(?:ed|ing)|launched|fired|pounded|raid|assault|explosions?|blasts?|shot down|"
    r"intercepted|downed|air defen[cs]e)\b",
    re.IGNORECASE,
)
DAMAGE_WORDS = re.compile(r"\b(damag|destroy|hit|struck|fire broke|debris|killed|injur|wound|dead|died|deaths?\b|hurt|"
                          r"casualt|explosion|blast|attack|strike|shell|target|fell|impact|air defen[cs]es? (?:were|was) "
                          r"(?:in action|active|working))\w*", re.IGNORECASE)
HISTORY = re.compile(r"\b(since (?:sunday|monday|tuesday|wednesday|thursday|friday|saturday), when|years? ago|"
                     r"months? ago|in 20\d\d|last (?:year|month))\b", re.IGNORECASE)
DAMAGE_ONLY = re.compile(r"\b(were|was|been|got)\s+(?:\w+\s+)?(damaged|destroyed|hit|struck|killed|injured|wounded)\b|"
                         r"\b(deprived of|without (?:power|electricity|water|heat)|power outages?)\b", re.IGNORECASE)
FROM_PLACE = re.compile(r"\b(from|off|near the coast of|launched from|fired from)\s+(?:the\s+)?$", re.IGNORECASE)

# Which side an attacker usually strikes, used only when the text names no target.
DYADS = {"Russia": "Ukraine", "Ukraine": "Russia", "Hezbollah": "Israel", "Houthis": "Israel",
         "Hamas": "Israel", "Iran": "Israel", "RSF": "Sudan", "Islamic Jihad": "Israel"}


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
    decoy: bool = False
    generic_total: bool = False


@dataclass
class SentenceInfo:
    index: int
    span: Span
    text: str
    total_context: bool
    attack_context: bool


def sentence_infos(doc: Doc) -> list[SentenceInfo]:
    out = []
    for n, sent in enumerate(sents_of(doc)):
        text = span_text(sent)
        out.append(SentenceInfo(n, sent, text, bool(PERIOD_TOTAL.search(text)), bool(ATTACK_WORDS.search(text))))
    return out


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
    for info in sents:
        sent = info.span
        if not WEAPON_WORDS.search(info.text) and not any(sent.start <= t < sent.end for t in model_ents):
            continue
        i = sent.start
        while i < sent.end:
            head = _phrase_head(doc, i, sent.end, model_ents)
            if head is None:
                i += 1
                continue
            h_end, category, model = head
            mention = _mention(doc, info, i, h_end, category, model, model_ents)
            if mention is not None:
                out.append(mention)
            i = h_end
    return sorted(out + headless_intercepts(sents, out), key=lambda m: m.start)


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
    head = _head_category(token)
    if head is None:
        return None
    if i + 1 < end and doc[i + 1].lower_ in NOT_WEAPON_HEAD_NEXT:
        return None  # "three drone attacks", "drone production": the weapon word is a modifier
    return i + 1, None, None


def _mention(doc: Doc, info: SentenceInfo, start: int, h_end: int, category: str | None, model: str | None,
             model_ents: dict[int, Span]) -> Mention | None:
    sent = info.span
    head_tok = doc[h_end - 1]
    # walk left over modifiers: adjectives, demonyms, models, "attack", "-type"
    j = start - 1 if category is not None else h_end - 2
    mods: list[Token] = []
    while j >= sent.start and j >= h_end - 8:
        t = doc[j]
        if t.like_num or t.lower_ in MODIFIER_STOP or t.is_punct and t.text != "-":
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
    decoy = any(w in lexicon.DECOY_WORDS for w in mod_words) or head_tok.lower_ in lexicon.DECOY_WORDS
    side = next((gazetteer.country_of_name(t.text) for t in mods if t.ent_type_ in ("DEMONYM", "ACTOR")), None)
    if side is None and j >= sent.start and doc[j].ent_type_ in ("DEMONYM", "ACTOR"):
        side = gazetteer.country_of_name(doc[j].text)
    num_end = j + 1
    value, num_start = _number_before(doc, num_end, sent.start)
    if value is None and num_end - 2 >= sent.start and doc[num_end - 1].lower_ == "the" and doc[num_end - 2].lower_ == "of":
        value, num_start = _number_before(doc, num_end - 2, sent.start)  # "28 of the drones"
    if value is not None and num_start - 1 >= sent.start and doc[num_start - 1].is_title \
            and num_start - 1 > sent.start and doc[num_start - 1].lower_ not in QUAL_WORDS:
        return None  # "Hermes 900 drone": a designation, not a count
    after_head = doc[head_tok.i + 1:min(sent.end, head_tok.i + 3)]
    mixed = len(after_head) == 2 and after_head[0].lower_ in ("and", "or") and (
        after_head[1].lower_ in lexicon.WEAPON_HEADS or after_head[1].lower_ in lexicon.CATEGORY_MODIFIERS)
    phrase_start = num_start if value is not None else (mods[0].i if mods else start)
    if value is None and doc[j].lower_ in ("all",) if j >= sent.start else False:
        value = None
    mention = Mention(category, model, None, None, None, doc[phrase_start].idx,
                      head_tok.idx + len(head_tok.text), info.index, "weapon_count", side=side, decoy=decoy,
                      generic_total=mixed)
    if value is None:
        vague = j >= sent.start + 1 and doc[j].lower_ == "of" and doc[j - 1].lower_ in VAGUE_AMOUNTS
        if not info.attack_context or NON_EVENT.search(info.text) or (model is None and side is None and not vague):
            return None
        mention.rule = "weapon_named"
        return _assign_named(mention, info)
    return _assign_role(doc, info, mention, value, num_start, head_tok.i)


NUM_TEXT = r"(\d[\d,]*|(?:[a-z]+[- ])?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|" \
           r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|" \
           r"ninety|hundred)|all)"
INTERCEPT_VERB = r"(?:shot down|downed|intercepted|destroyed|neutrali[sz]ed|brought down|suppressed)"
HEADLESS = (
    # "40 were shot down", "of which 35 were intercepted", "25 of them were destroyed"
    re.compile(rf"(?:\bof (?:them|these|those|which),?\s+)?\b{NUM_TEXT}\s+(?:of (?:them|these|those)\s+)?"
               rf"(?:were|was|had been|have been|are)\s+(?:\w+\s+){{0,2}}?{INTERCEPT_VERB}\b", re.IGNORECASE),
    # "air defence shot down 40", "downed 25 of them"
    re.compile(rf"\b{INTERCEPT_VERB}\s+(?:at least |more than |over |about |some )?{NUM_TEXT}"
               rf"(?=\s*(?:of (?:them|these|those|the attackers)\b|[.,;]|\s+(?:over|in|above|across|and)\b))",
               re.IGNORECASE),
)


HEADLESS_CUE = re.compile(INTERCEPT_VERB, re.IGNORECASE)


def headless_intercepts(sents: list[SentenceInfo], mentions: list[Mention]) -> list[Mention]:
    """Intercept counts without their own weapon noun, given to the weapon named just before."""
    out: list[Mention] = []
    taken = [(m.start, m.end) for m in mentions]
    for info in sents:
        if not HEADLESS_CUE.search(info.text):
            continue
        for pattern in HEADLESS:
            for match in pattern.finditer(info.text):
                start = info.span.start_char + match.start(1)
                end = info.span.start_char + match.end()
                if any(a <= start < b for a, b in taken):
                    continue
                prior = [m for m in mentions if m.start < start and not m.decoy and (m.launched or m.model)]
                if not prior or info.index - prior[-1].sentence > 1:
                    continue
                ref = prior[-1]
                raw = match.group(1)
                value = ref.launched if raw.lower() == "all" else parse_number(raw)
                if value is None or (ref.launched is not None and value > ref.launched):
                    continue
                out.append(Mention(ref.category, ref.model, None, None, value, start, end, info.index,
                                   "headless_intercept", side=ref.side))
                taken.append((start, end))
    return out


def _assign_named(mention: Mention, info: SentenceInfo) -> Mention:
    return mention


def _assign_role(doc: Doc, info: SentenceInfo, m: Mention, value: int, num_start: int, head_i: int) -> Mention:
    sent = info.span
    before = doc[max(sent.start, num_start - 4):num_start]
    before_text = before.text
    qualifier = qualifier_of(before_text)
    # "25 of the 29 missiles", "30 out of 36", "Four of six"
    pair = None if re.search(r"\b(every|each|all)\s+one\s+of(?: the)?\s*$", before_text, re.I) \
        else _pair_before(doc, num_start, sent.start)
    after_text = doc[head_i + 1:sent.end].text
    before_sent = doc[sent.start:num_start].text
    if pair is not None:
        part, part_start = pair
        m.start = doc[part_start].idx
        m.launched, m.launched_qualifier = value, qualifier
        lost = lexicon.LOST_WORDS.search(after_text) and not lexicon.INTERCEPT_WORDS.search(after_text)
        if lexicon.INTERCEPT_WORDS.search(info.text) and not lost:
            m.intercepted = part
        m.rule = "part_of_whole"
        return m
    every = re.search(r"\b(all|every one of|each of|all of)(?: the)?\s*$", before_text, re.IGNORECASE)
    if every and lexicon.INTERCEPT_WORDS.search(info.text):
        m.launched, m.launched_qualifier, m.intercepted = value, "exact", value
        m.rule = "all_intercepted"
        return m
    role = _role(before_sent, after_text, info.text)
    if role == "lost" or m.decoy:
        m.decoy = True
        return m
    if PAST_COUNT.search(info.text):
        m.decoy = True  # a figure of an earlier event, kept out of this one
        return m
    if lexicon.NOT_INTERCEPTED.search(after_text[:60]):
        m.launched, m.launched_qualifier, m.intercepted = value, qualifier, 0
        m.rule = "not_intercepted"
        return m
    if role == "intercepted":
        m.intercepted = value
    elif role == "launched":
        m.launched, m.launched_qualifier = value, qualifier
    else:
        return m
    return m


def _pair_before(doc: Doc, num_start: int, floor: int) -> tuple[int, int] | None:
    k = num_start - 1
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


def _role(before: str, after: str, sentence: str) -> str | None:
    """launched | intercepted | lost | None from the verbs nearest to the count."""
    near_after = after[:80]
    near_before = before[-90:]
    if lexicon.LOST_WORDS.search(near_after) and not lexicon.INTERCEPT_WORDS.search(near_after[:30]):
        return "lost"
    cands = []
    for m in lexicon.INTERCEPT_WORDS.finditer(near_before):
        cands.append((len(near_before) - m.end(), "intercepted"))
    for m in lexicon.INTERCEPT_WORDS.finditer(near_after):
        cands.append((m.start(), "intercepted"))
    for m in lexicon.LAUNCH_WORDS.finditer(near_before):
        cands.append((len(near_before) - m.end() + 2, "launched"))
    for m in lexicon.LAUNCH_WORDS.finditer(near_after):
        cands.append((m.start() + 2, "launched"))
    if lexicon.NOT_INTERCEPTED.search(near_after):
        return "launched"
    if not cands:
        return "launched"  # a bare list ("The full list: 14 ..."); detection decides if it matters
    return min(cands)[1]


# ---------------------------------------------------------------- combining mentions

def combine_weapons(mentions: list[Mention]) -> list[Mention]:
    """One entry per (category, model): counts merged; totals dropped beside per-model counts."""
    entries: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.sentence == 0, m.start)):  # headline last
        if m.decoy or m.generic_total:
            continue
        if m.launched is None and m.intercepted is None and m.model is None:
            if not any(_coarse(e.category) == _coarse(m.category) for e in entries):
                entries.append(replace(m))  # "dozens of drones": the weapon is known, its count is not
            continue
        target = _compatible(entries, m)
        if target is None:
            if m.model is None and any(_coarse(e.category) == _coarse(m.category) and e.model is None
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
    return _drop_totals(entries)


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


# ---------------------------------------------------------------- casualties, regions, damage

KILLED = r"(?:killed|killing|kills|kill|dead|died|deaths?|lives|fatalities|death toll)"
INJURED = r"(?:injured|injuring|injuries|wounded|wounding|wound|hurt|hospitali[sz]ed)"
PEOPLE = r"(?:people|persons|civilians|residents|children|others|men|women|of them|soldiers|workers|employees|more)?"
QUAL = r"(?:(?:at least|more than|over|about|around|nearly|almost|up to|some|least)\s+)?"
NUMWORD = r"(\d{1,3}(?:,\d{3})+|\d+|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|" \
          r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen)" \
          r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine|hundred))*)"


KILLED_PASSIVE = r"(?:killed|dead|died|lost their lives|perished)"
INJURED_PASSIVE = r"(?:injured|wounded|hurt|hospitali[sz]ed|taken to hospital)"
NOT_AND = r"(?:(?!and\b|but\b)[\w-]+\s+)"


def _casualty_patterns(kind_words: str, passive: str) -> list[re.Pattern]:
    return [
        # "killing at least three people", "wounded 29"
        re.compile(rf"\b{kind_words}\s+{QUAL}{NUMWORD}\b(?!\s*(?:%|percent|km|kilomet|metres|meters|hours|minutes|times))",
                   re.IGNORECASE),
        # "30 people had been killed", "over 160 injured", "one crew member killed"
        re.compile(rf"(?<![Nn]o )\b{QUAL}{NUMWORD}\s+{NOT_AND}{{0,3}}?(?:were|was|have been|had been|are|got)?\s*{passive}\b",
                   re.IGNORECASE),
        # "the death toll, first put at 25, later rose to 30"
        re.compile(rf"\b(?:death toll|toll|number of (?:dead|injured|wounded))\s+(?:[\w,-]+\s+){{0,10}}?"
                   rf"(?:rose|risen|climbed|reached|stands at|stood at|increased|is|was|to|at)\s+(?:to\s+)?{QUAL}{NUMWORD}",
                   re.IGNORECASE),
        # "one killed and another injured"
        re.compile(rf"\b(?:and|while)\s+(another)\s+(?:\w+\s+)?{passive}\b", re.IGNORECASE),
    ]


CASUALTY_CUE = re.compile(r"kill|dead|die|death|injur|wound|hurt|casualt|toll|hospital|lives|victim|fatalit|perish",
                          re.IGNORECASE)
KILLED_RES = _casualty_patterns(KILLED, KILLED_PASSIVE)
INJURED_RES = _casualty_patterns(INJURED, INJURED_PASSIVE)
NO_CASUALTIES = re.compile(r"\b(no (?:casualties|victims)|no reports? of (?:casualties|injuries)|without (?:causing )?casualties)\b",
                           re.IGNORECASE)
NO_KILLED = re.compile(r"\b(nobody|no one|no-one) (?:was |were )?(?:killed|died)|\bno (?:deaths|fatalities|one died)\b",
                       re.IGNORECASE)
NO_INJURED = re.compile(r"\b(nobody|no one|no-one) (?:on the ground )?(?:was |were )?(?:injured|hurt|wounded)|"
                        r"\bno (?:injuries|one was hurt)\b", re.IGNORECASE)
WAR_TOLL = re.compile(r"\b(the (?:war|conflict|invasion|fighting) (?:has|had)|since the (?:war|conflict|invasion|start)|"
                      r"(?:in|throughout|during|of) the (?:war|conflict)\b|have died in|since (?:april|20\d\d))", re.IGNORECASE)
CHILDREN = re.compile(r"\b(child|children|kids?|teenagers?|boy|girl|infant|baby|minors?)\b", re.IGNORECASE)


def casualties(sents: list[SentenceInfo], base_offset: int = 0) -> list[Casualty]:
    out: list[Casualty] = []
    for info in sents:
        if not CASUALTY_CUE.search(info.text):
            continue
        if (info.total_context and not TIMEISH.search(info.text)) or WAR_TOLL.search(info.text):
            continue
        for kind, patterns in (("killed", KILLED_RES), ("injured", INJURED_RES)):
            for pattern in patterns:
                for m in pattern.finditer(info.text):
                    value = 1 if m.group(1).lower() == "another" else parse_number(m.group(1))
                    if value is None or value > 100_000:
                        continue
                    if _is_year_or_time(info.text, m) or _toll_kind_mismatch(m.group(0), kind):
                        continue
                    qual = qualifier_of(info.text[: m.start(1)])
                    children = bool(CHILDREN.search(info.text)) or None
                    ev = Evidence(info.index, info.span.start_char + m.start(), info.span.start_char + m.end(),
                                  f"casualties_{kind}", 0.7)
                    out.append(Casualty(kind, value, qual, children, ev))
                    break
        if CHILDREN.search(info.text) and re.search(rf"{KILLED}|{INJURED}", info.text, re.IGNORECASE) \
                and info.attack_context | bool(DAMAGE_WORDS.search(info.text)):
            kind = "killed" if re.search(KILLED, info.text, re.IGNORECASE) else "injured"
            if not any(c.kind == kind and c.evidence.sentence == info.index for c in out):
                m = CHILDREN.search(info.text)
                ev = Evidence(info.index, info.span.start_char + m.start(), info.span.start_char + m.end(), "children", 0.6)
                out.append(Casualty(kind, None, None, True, ev))
        for pattern, kinds in ((NO_CASUALTIES, ("killed", "injured")), (NO_KILLED, ("killed",)), (NO_INJURED, ("injured",))):
            m = pattern.search(info.text)
            if m:
                ev = Evidence(info.index, info.span.start_char + m.start(), info.span.start_char + m.end(), "no_casualties", 0.8)
                out += [Casualty(kind, 0, "exact", None, ev) for kind in kinds]
    return out


TIMEISH = re.compile(r"\b(overnight|last night|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", re.I)


def _is_year_or_time(text: str, m: re.Match) -> bool:
    raw = m.group(1)
    return raw.isdigit() and len(raw) == 4 and raw.startswith(("19", "20"))


def _toll_kind_mismatch(matched: str, kind: str) -> bool:
    low = matched.lower()
    return kind == "killed" and any(w in low for w in ("injur", "wound")) and "death" not in low


REGIONS_RE = re.compile(rf"\b{NUMWORD}\s+(?:\w+\s+)?(?:regions|oblasts|provinces)\b", re.IGNORECASE)


def regions_count(sents: list[SentenceInfo]) -> tuple[int, SentenceInfo, re.Match] | None:
    for info in sents:
        if not info.attack_context and "region" not in info.text.lower():
            continue
        for m in REGIONS_RE.finditer(info.text):
            value = parse_number(m.group(1))
            if value and value < 60 and not info.total_context:
                return value, info, m
    return None


# ---------------------------------------------------------------- direction and places

def sides_in(sent: Span) -> list[tuple[str, int, str]]:
    """(country, token index, label) for every country-like entity in a sentence."""
    out = []
    for ent in ents_of(sent):
        if ent.label_ in SIDE_LABELS or (ent.label_ == "PLACE" and ent.text in gazetteer.CAPITALS):
            country = gazetteer.country_of_name(ent.text)
            if country:
                out.append((country, ent.start, ent.label_))
    return out


ATTACKER_VERB = re.compile(r"^(?:'s\s+|’s\s+)?(?:forces?\s+|army\s+|military\s+|troops\s+)?(?:has\s+|have\s+|had\s+)?"
                           r"(launched|fired|attacked|struck|hit|shelled|bombed|sent|targeted|pounded|unleashed|"
                           r"carried out|conducted|used|hammered|again|overnight)", re.IGNORECASE)
DEFENDER_CUE = re.compile(r"^(?:'s|’s)\s+(air force|air defen[cs]es?)", re.IGNORECASE)


def sentence_direction(doc: Doc, sent: Span) -> tuple[str | None, str | None]:
    """(attacker, target) named in one sentence, from verbs and possessives around country names."""
    attacker = target = None
    for country, i, label in sides_in(sent):
        after = doc[i:sent.end].text
        ent_end = next((e.end for e in ents_of(sent) if e.start == i), i + 1)
        rest = doc[ent_end:min(sent.end, ent_end + 6)].text
        before = doc[max(sent.start, i - 3):i].text.lower()
        if DEFENDER_CUE.search(rest) or re.match(r"^\s*(air defen[cs]es?|air force)", rest, re.I):
            target = target or country
        elif re.search(r"\b(by|from)\s*(?:the\s+)?$", before):
            attacker = attacker or country
        elif re.search(r"\b(on|against|at|across|into|in|over)\s*(?:the\s+)?$", before) and label != "DEMONYM":
            target = target or country
        elif DEFENDER_CUE.search(rest):
            target = target or country
        elif ATTACKER_VERB.search(rest) or (label in ("DEMONYM", "ACTOR") and re.match(
                r"^\s*(drones?|missiles?|rockets?|forces|strikes?|attacks?|troops|army|military|shelling|air strikes?|"
                r"airstrikes?|warplanes|jets|aircraft|planes|bombers|artillery|navy|shells|bombs|raids?|attack drones)",
                rest, re.IGNORECASE)):
            attacker = attacker or country
        del after
    return attacker, target


DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
              "frontline", "border", "occupied", "other", "several", "many", "neighbouring", "neighboring"}


def place_of(ent: Span, sentence: int) -> Place | None:
    text = span_text(ent)
    ev = Evidence(sentence, ent.start_char, ent.end_char, "gazetteer" if ent.label_ == "PLACE" else "region_pattern", 0.9)
    if ent.label_ == "REGION":
        stem = " ".join(text.split()[:-1]).replace(" - ", "-").replace(" -", "-")
        if gazetteer.country_of_name(stem) or stem.lower() in DIRECTIONS:
            return None  # "Ukrainian regions", "Russian region": not a named region
        stem_name = gazetteer.fold_variant(stem)
        rec = gazetteer.lookup(stem)
        suffix = text.split()[-1].lower().rstrip("s")
        name = f"{stem_name} {'Oblast' if suffix == 'oblast' else suffix}"
        if rec:
            return Place(text, name, "region", rec.country, rec.latitude, rec.longitude, "region", ev)
        return Place(text, name, "region", None, None, None, "unknown", ev)
    rec = gazetteer.lookup(text)
    name = gazetteer.fold_variant(text)  # the spelling as written, folded; a renamed city keeps its name
    if rec is None:
        return Place(text, name, "unknown", None, None, None, "unknown", replace(ev, rule="preposition_cue", confidence=0.5))
    precision = {"city": "exact", "region": "region", "sea": "region"}.get(rec.admin_level, "unknown")
    return Place(text, name, rec.admin_level, rec.country, rec.latitude, rec.longitude, precision, ev)


NAME_PREFIX_OK = {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
                  "Greater", "New", "Upper", "Lower", "Old", "Mayor", "Governor", "Kyiv", "Ukraine", "Ukraine's"}


def in_name(doc: Doc, ent: Span) -> bool:
    """A place that is part of a longer name: "Shakhtar Donetsk", "Dynamo Kyiv"."""
    if ent.start == 0 or ent.label_ != "PLACE":
        return False
    prev = doc[ent.start - 1]
    return prev.is_title and prev.is_alpha and not prev.ent_type_ and not prev.is_sent_start \
        and prev.text not in NAME_PREFIX_OK


def _speaks(doc: Doc, ent: Span) -> bool:
    """A capital standing for its government: "Moscow said", "Kyiv's forces"."""
    if span_text(ent) not in gazetteer.CAPITALS:
        return False
    nxt = doc[ent.end].lower_ if ent.end < len(doc) else ""
    return nxt in {"said", "says", "claimed", "denied", "has", "had", "is", "was", "would", "will", "'s", "’s",
                   "called", "accused", "launched", "responded", "carried", "struck", "hit", "fired", "attacked"}


def attack_places(doc: Doc, sents: list[SentenceInfo], attack_sentences: set[int], target: str | None) -> list[Place]:
    """Places named where the attack landed: in attack sentences, not launch sites, in the target country."""
    out: list[Place] = []
    for info in sents:
        if info.index not in attack_sentences:
            continue
        for ent in ents_of(info.span):
            if ent.label_ not in PLACE_LABELS or ent.text in gazetteer.CAPITALS and ent.text not in ("Kyiv", "Kiev", "Beirut"):
                if ent.label_ not in PLACE_LABELS:
                    continue
            before = doc[max(info.span.start, ent.start - 3):ent.start].text
            if FROM_PLACE.search(before + " "):
                continue
            place = place_of(ent, info.index)
            if place is None or _speaks(doc, ent) or in_name(doc, ent):
                continue
            if target and place.country and place.country != target and place.admin_level != "sea":
                continue
            out.append(place)
    return out


def may_report_attack(doc: Doc) -> bool:
    """False when no attack word, weapon word, weapon model or interception verb occurs anywhere:
    such a document cannot score as a strike report, and the sentence-by-sentence pass is skipped."""
    text = text_of(doc)
    return bool(ATTACK_WORDS.search(text) or WEAPON_WORDS.search(text) or HEADLESS_CUE.search(text)
                or any(e.label_ == "MODEL" for e in all_ents(doc)))


def is_new_attack(doc: Doc, sents: list[SentenceInfo], mentions: list[Mention], hits: list[Casualty]) -> tuple[bool, float]:
    """Whether the article reports a specific recent strike, with a confidence.

    Evidence for: counted weapons in sentences that are not period totals, an attack verb with a
    recent time cue, casualties beside attack words, attack words in the lead. Evidence against:
    anniversaries, production, drills, sanctions or sport in the lead or in the counting sentences.
    """
    lead = {s.index for s in sents[:3]}
    negative = {s.index for s in sents if NON_EVENT.search(s.text)}
    strong = [m for m in mentions if not m.decoy and (m.launched or m.intercepted)
              and not sents[m.sentence].total_context and m.sentence not in negative]
    named = [s for s in sents[:3] if s.attack_context and s.index not in negative
             and any(t.lower_ in lexicon.WEAPON_HEADS or t.ent_type_ == "MODEL" for t in s.span)]
    timed_attack = [s for s in sents if s.attack_context and pipeline_time(s.text) and not s.total_context
                    and s.index not in negative and not HISTORY.search(s.text)]
    casualty_attack = [c for c in hits if c.count and sents[c.evidence.sentence].attack_context]
    lead_attack = [s for s in sents[:3] if s.attack_context and s.index not in negative
                   and any(e.label_ in SIDE_LABELS | PLACE_LABELS for e in ents_of(s.span))]
    totals = [m for m in mentions if sents[m.sentence].total_context]
    score = 0.0
    score += 0.5 if strong else 0.0
    score += 0.3 if timed_attack else 0.0
    score += 0.2 if casualty_attack else 0.0
    score += 0.2 if lead_attack else 0.0
    score += 0.2 if named and not strong else 0.0
    score -= 0.35 * len(lead & negative)
    score -= 0.35 * sum(1 for s in sents[:2] if s.total_context or HISTORY.search(s.text))
    if totals and len(totals) >= len(strong):
        score -= 0.4
    return score >= 0.5, max(0.0, min(1.0, score))


def pipeline_time(text: str) -> bool:
    return bool(TIME_CUES.search(text))


# ---------------------------------------------------------------- assembling attacks

@dataclass
class Wave:
    attacker: str | None
    target: str | None
    mentions: list[Mention] = field(default_factory=list)
    sentences: set[int] = field(default_factory=set)


def document_direction(doc: Doc, sents: list[SentenceInfo], mentions: list[Mention] = ()) -> tuple[str | None, str | None]:
    """Most-voted attacker and target over the attack sentences; dyads fill a missing side.

    A weapon's own side ("151 Ukrainian drones") counts twice: it is the most direct evidence.
    """
    att: dict[str, int] = {}
    tgt: dict[str, int] = {}
    for m in mentions:
        if m.side and not m.decoy:
            att[m.side] = att.get(m.side, 0) + 2
    counted = {m.sentence for m in mentions if not m.decoy}
    for info in sents:
        if not info.attack_context or HISTORY.search(info.text) or PAST_COUNT.search(info.text):
            continue
        weight = 2 if info.index in counted or info.index < 2 else 1
        a, t = sentence_direction(doc, info.span)
        if a:
            att[a] = att.get(a, 0) + weight
        if t:
            tgt[t] = tgt.get(t, 0) + weight
    attacker = max(att, key=att.get) if att else None
    target = max((t for t in tgt if t != attacker), key=tgt.get, default=None)
    if attacker in DYADS and DYADS[attacker] in _mentioned(doc) and tgt.get(target, 0) < 3:
        target = DYADS[attacker]  # the usual opponent, unless the text insists on another
    if attacker is None and target:
        attacker = next((a for a, t in DYADS.items() if t == target and a in _mentioned(doc)), None)
    if target is None and attacker:
        target = DYADS.get(attacker)
    if attacker is None and target is None:
        named = _mentioned(doc)
        if "Russia" in named and "Ukraine" in named:
            attacker, target = "Russia", "Ukraine"
    return attacker, target


def _mentioned(doc: Doc) -> set[str]:
    return {gazetteer.country_of_name(e.text) for e in all_ents(doc) if e.label_ in SIDE_LABELS} - {None}


def build_attacks(doc: Doc, sents: list[SentenceInfo], mentions: list[Mention], hits: list[Casualty],
                  day=None) -> list[Attack]:
    """Group mentions into waves by direction; one Attack per wave."""
    attacker, target = document_direction(doc, sents, mentions)
    waves: dict[tuple, Wave] = {}
    main = Wave(attacker, target)
    waves[(attacker, target)] = main
    for m in mentions:
        a, t = attacker, target
        s_att, s_tgt = sentence_direction(doc, sents[m.sentence].span)
        side = m.side or (s_att if s_tgt and s_tgt != s_att else None)
        if side and side != attacker and side in DYADS:
            a, t = side, s_tgt if s_tgt and s_tgt != side else DYADS.get(side)
        wave = waves.setdefault((a, t), Wave(a, t))
        wave.mentions.append(m)
        if not m.decoy or lexicon.INTERCEPT_WORDS.search(sents[m.sentence].text):
            wave.sentences.add(m.sentence)
    busiest = max(waves.values(), key=lambda w: len([m for m in w.mentions if not m.decoy]))
    if busiest.mentions and not [m for m in main.mentions if not m.decoy]:
        main = busiest  # the direction the counted weapons flew is the article's main strike
    for c in hits:
        main.sentences.add(c.evidence.sentence)
    for info in sents:
        if info.total_context or NON_EVENT.search(info.text):
            continue
        if PAST_COUNT.search(info.text) or HISTORY.search(info.text):
            continue
        if info.attack_context or DAMAGE_WORDS.search(info.text) or DAMAGE_ONLY.search(info.text) \
                or lexicon.SERVICE_CONTEXT.search(info.text) and lexicon.matching_keys(info.text, lexicon.SERVICE_WORDS):
            main.sentences.add(info.index)
    attacks = []
    for n, wave in enumerate(waves.values()):
        weapons = combine_weapons(wave.mentions)
        if not weapons and wave is not main:
            continue
        attacks.append(_attack(doc, sents, wave, weapons, hits if wave is main else [], day))
    return [a for a in attacks if a.weapons or a.casualties or a.locations]


def _attack(doc: Doc, sents, wave: Wave, weapons: list[Mention], hits: list[Casualty], day) -> Attack:
    places = _dedupe(attack_places(doc, sents, wave.sentences, wave.target))
    context = " ".join(sents[i].text for i in sorted(wave.sentences))
    targets = tuple(lexicon.matching_keys(context, lexicon.TARGET_WORDS))
    services = tuple(k for k in lexicon.matching_keys(context, lexicon.SERVICE_WORDS)
                     if _service_disrupted(context, k))
    rc = regions_count([sents[i] for i in sorted(wave.sentences)] or sents)
    first = min(wave.sentences) if wave.sentences else 0
    span = sents[first].span if sents else doc[:]
    evidence = Evidence(first, span.start_char, span.end_char, "attack_sentence", 0.7)
    return Attack(
        attacker=wave.attacker, target_country=wave.target,
        weapons=tuple(_weapon(doc, m) for m in weapons), regions_count=rc[0] if rc else None,
        locations=tuple(places), casualties=tuple(_best_casualties(hits)), targets=targets,
        services_disrupted=services, day=day, evidence=evidence,
    )


def _service_disrupted(context: str, key: str) -> bool:
    for cue in lexicon.SERVICE_WORDS[key]:
        for m in re.finditer(re.escape(cue), context, re.IGNORECASE):
            window = context[max(0, m.start() - 80): m.end() + 80]
            if lexicon.SERVICE_CONTEXT.search(window):
                return True
    return False


def _best_casualties(hits: list[Casualty]) -> list[Casualty]:
    out = []
    for kind in ("killed", "injured"):
        same = [c for c in hits if c.kind == kind]
        if same:
            best = max(same, key=lambda c: (c.count is not None, c.count or 0))
            children = any(c.children for c in same) or None
            out.append(replace(best, children=children))
    return out


def _dedupe(places: list[Place]) -> list[Place]:
    seen, out = set(), []
    for p in places:
        key = gazetteer.ascii_key(p.name)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _weapon(doc: Doc, m: Mention) -> Weapon:
    ev = Evidence(m.sentence, m.start, m.end, m.rule, 0.85 if m.rule == "part_of_whole" else 0.75)
    return Weapon(m.category, m.model, m.launched, m.launched_qualifier if m.launched is not None else None,
                  m.intercepted, ev)
