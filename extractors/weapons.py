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
from extractors.cues import NON_EVENT, PAST_COUNT, PLACE_LABELS, WEAPON_WORDS, SentenceInfo
from extractors.numbers import parse_number, qualifier_of
from extractors.pipeline import all_ents

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
                        "systems", "defence", "defense", "carrier", "carriers", "boat", "boats"}
NUMBER_WORDS_EXTRA = {"both": 2}


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
    mention = Mention(category, model, None, None, None, doc[phrase_start].idx,
                      head_tok.idx + len(head_tok.text), info.index, "weapon_count", side=side, decoy=decoy,
                      generic_total=mixed)
    if value is None:
        vague = j >= sent.start + 1 and doc[j].lower_ == "of" and doc[j - 1].lower_ in VAGUE_AMOUNTS
        if not info.attack_context or NON_EVENT.search(info.text) or (model is None and side is None and not vague):
            return None
        mention.rule = "weapon_named"
        return mention
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
    role = _role(before_sent, after_text)
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


def _role(before: str, after: str) -> str | None:
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

