"""The role of a weapon count, read from its own clause, not from the nearest verb.

  assign_role      launched | intercepted | hit | failed | lost for one count:
                   "Russia fired 40 drones" (launched), "15 drones launched by Russia were shot down"
                   (intercepted: the participle describes the drones), "five drones struck the terminal"
                   (a hit, not a launch), "25 of the 29 missiles" (part of a whole), "all 18 were destroyed",
                   "more than the 300 drones fired on Tuesday" (another event's figure)
  number_before    the number expression ending right before a token ("twenty-nine", "1,300", "both")
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from extractors import lexicon
from extractors.cues import PAST_COUNT, SentenceInfo, period_total
from extractors.numbers import parse_number, qualifier_of

if TYPE_CHECKING:
    from extractors.weapons import Mention

NUM_JOINERS = {"-", "and"}
NUMBER_WORDS_EXTRA = {"both": 2}


def number_before(doc: Doc, end: int, floor: int) -> tuple[int | None, int]:
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


def assign_role(doc: Doc, info: SentenceInfo, m: Mention, value: int, num_start: int, head_i: int,
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
        role = prev.role  # "shot down the five Kh-101s fired from bombers, eight Gerans and two Kalibrs"
        m.role_default = prev.role_default
    else:
        role = _role(before, own_after)
    if role is None and prev is not None and prev.role:
        m.role_default = prev.role_default
        role = prev.role  # "70 drones were destroyed: 30 drones over Tula region, 25 drones over ..."
    if m.singular and info.attack_context and lexicon.NOT_INTERCEPTED.search(text):
        m.launched, m.launched_qualifier, m.intercepted = 1, "exact", 0
        m.rule, m.role = "not_intercepted", "failed"
        return m
    if role is None and m.singular:
        return m  # "a new bomb": a single weapon counts only as the subject or object of the attack
    if role is None and lexicon.NOT_INTERCEPTED.search(after[:60]):
        m.rule, m.role = "not_intercepted", "failed"
        return m  # "the two drones that were not shot down": the rest of a count, neither launched nor downed
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
# "15 drones launched by Russia were shot down", "four drones loaded with explosives that had flown in
# from the sea were downed": the participle or relative clause describes the weapons; the clause's
# verb is the one after it.
RELATIVE = re.compile(r"^\s*,?\s*(?:(?:that|which)\s+(?:(?:were|was|had|have|has|are|is)\s+)?(?:been\s+)?\w+|"
                      r"(?:launched|fired|sent|aimed|directed|flying|heading|headed|carrying|loaded|packed|armed|"
                      r"bound|coming|travelling|traveling)\b)", re.IGNORECASE)
LAUNCH_PARTICIPLE = re.compile(r"\b(?:launched|fired|sent|aimed|directed)\b", re.IGNORECASE)
# "six drones were downed over the gulf, fired from the north": a participle after the verb
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
    fronted = before.split(",")[0] if "," in before[:45] else ""  # "In July alone, ...", "This week alone, ..."
    return bool(PAST_COUNT.search(near) or period_total(near) or period_total(fronted))


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


PAIR_QUALIFIERS = {"over", "more", "than", "about", "nearly", "almost", "around", "some", "approximately", "roughly",
                   "at", "least"}


def _pair_before(doc: Doc, num_start: int, floor: int) -> tuple[int, int] | None:
    """The part in "25 of the 29", "30 out of 36", "19 of the total 23", "19 of a total of 23"."""
    k = num_start - 1
    while k >= floor and doc[k].lower_ in PAIR_QUALIFIERS:
        k -= 1  # "44 out of over 50", "30 of more than 40"
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
        value, start = number_before(doc, k + 1, floor)
        if value is not None:
            return value, start
    return None


