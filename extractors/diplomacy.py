"""Diplomacy facts: talks, meetings, calls, summits and agreements with venue, parties and heads.

Rule families:
  kind_of          "peace talks", "met", "phone call", "summit", "agreed"
  venue_of         "talks in Geneva", "the Geneva talks", "met at the White House"
  heads_of         "delegation is led by X", "headed by X", "chief negotiator X", "X spoke with Y"
  status_of        planned ("will", "next week"), ongoing ("are taking place"), held, past
  duration_of      "lasted about six hours", "a 40-minute call"
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from extractors import gazetteer
from extractors.pipeline import all_ents, ents_of, lowered, sentence_of, sents_of, span_text, text_of
from extractors.numbers import parse_number
from extractors.types import Diplomacy, Evidence

KINDS = (
    ("call", re.compile(r"\b(phone call|telephone (?:call|conversation)|phone conversation|call with|"
                        r"conversation (?:between|with)|(?:talk|talked|speak|spoke)\s+(?:for|by phone|over the phone)|"
                        r"spoke (?:by phone|on the phone|with)|held a call|video call|(?:a|the|in) call\b|"
                        r"(?:talked|spoke) (?:\w+\s+){0,4}?with\b)", re.I)),
    ("summit", re.compile(r"\bsummit\b", re.I)),
    ("peace_talks", re.compile(r"\b(peace talks|talks|negotiations|negotiating round|round of (?:talks|negotiations))\b", re.I)),
    ("meeting", re.compile(r"\b(met|meet|meeting|meetings|meets|hosted|consultations|s[ia]t down with)\b", re.I)),
    ("agreement", re.compile(r"\b(agreed (?:to|on)|agreement|signed a deal|signed an?|memorandum|accord)\b", re.I)),
)
PLANNED = re.compile(r"\b(will|to be held|to hold|to meet|next (?:week|month|round)|is expected|are expected|"
                     r"plans to|planning to|planned|scheduled|upcoming|set to|due to|tomorrow|later this)\b", re.I)
ONGOING = re.compile(r"\b(are taking place|is taking place|under way|underway|ongoing|continue[sd]?|"
                     r"are being held|is being held|began|begin|started|opened|first day|second day)\b", re.I)
PAST = re.compile(r"\b(last (?:year|month)|previous round|earlier round|first round|in (?:january|february|march|"
                  r"april|may|june|july|august|september|october|november|december)|weeks? ago|months? ago|"
                  r"years? ago|had (?:met|held)|(?:during|at) the (?:\w+ )?(?:negotiations|talks|round|meeting) in [A-Z]\w+ in 20\d\d)\b",
                  re.I)
HEAD_CUE = re.compile(r"\b(led by|headed by|chief negotiator|lead negotiator|head of (?:the |its |their )?(?:[\w-]+ ){0,2}?"
                      r"(?:delegation|negotiating team)|delegation head|chaired by|represented by)\b", re.I)
DURATION = re.compile(r"\b(?:lasted|lasting|went on for|stretched (?:beyond|over|for)|for)\s+((?:about|around|nearly|"
                      r"almost|more than|over|less than|under|some|just over|beyond)\s+)?(\w+(?:-\w+)?)\s+(hours?|minutes?)\b"
                      r"|\b(\w+)[- ](hour|minute)\s+(?:talks|meeting|call|session|conversation)"
                      r"|\b(?:after|following|during|in)\s+(?:about|around|nearly|almost|more than|over|less than|some|"
                      r"just over)?\s*(\w+(?:-\w+)?)\s+(hours?|minutes?)\s+of\s+(?:talks|negotiations|discussions|"
                      r"meetings?|consultations)", re.I)
VENUE_PREP = re.compile(r"\b(in|at)\s+(?:the\s+)?$", re.I)


# Any word a diplomacy rule needs, on the lower-cased text: a cheap test before the sentence pass.
DIPLOMACY_CUE = re.compile(r"talk|negotiat|meet|met\b|summit|call|conversation|spoke|speak|agree|accord|memorandum|"
                           r"signed|hosted|consultation|sat down|sit down|led by|headed|head of|delegation|chaired|"
                           r"represented|negotiator|\bled\b|\bleads?\b|\bleading\b|\bheads?\b|\bheading\b")


@dataclass
class Candidate:
    kind: str
    sentence: int
    span: Span
    venue: str | None = None
    parties: list[str] = field(default_factory=list)
    heads: dict[str, str] = field(default_factory=dict)
    status: str | None = None
    duration: float | None = None


def kind_of(text: str) -> str | None:
    for kind, pattern in KINDS:
        if pattern.search(text):
            return kind
    return None


def venue_of(doc: Doc, sent: Span) -> str | None:
    """Where talks are held: "talks in Geneva", "the Geneva talks", "flew to Doha for talks", a
    building that stands for its city ("a White House summit" -> Washington); a country only after "in".
    The subject of talks is not their venue: "Sudan truce talks", "the war in Ukraine"."""
    text = span_text(sent)
    for building, city in BUILDING_VENUES.items():
        at = text.find(building)
        if at >= 0 and (re.search(r"\b(?:at|in|inside)\s+(?:the\s+)?$", text[:at])
                        or re.match(r"\s+(?:summit|meeting|talks)\b", text[at + len(building):])):
            return city
    ents = sorted(ents_of(sent), key=lambda e: e.label_ != "PLACE")  # cities before countries
    for ent in ents:
        if ent.label_ not in ("PLACE", "COUNTRY"):
            continue
        before = doc[max(sent.start, ent.start - 3):ent.start].text + " "
        after = doc[ent.end:min(sent.end, ent.end + 2)].text.lower()
        talkish = re.match(r"^(peace )?(talks|negotiations|meeting|summit|round|format|process)", after)
        if TOPIC_BEFORE.search(before) or re.match(r"^(?:truce|ceasefire|cease-fire|peace deal|war)\b", after):
            continue  # "the ceasefire in Sudan", "Sudan truce talks": what the talks are about
        if ent.label_ == "COUNTRY" and not re.search(r"\bin\s+$", before):
            continue
        if VENUE_PREP.search(before) or TRAVEL_TO.search(before) or talkish:
            if ent.label_ == "COUNTRY":
                return gazetteer.country_of_name(ent.text)
            return gazetteer.fold_variant(ent.text)
    return None


# Buildings reported as the place of talks, and the city they stand in.
BUILDING_VENUES = {"White House": "Washington", "Oval Office": "Washington", "Kremlin": "Moscow",
                   "Elysee Palace": "Paris", "Élysée Palace": "Paris", "Downing Street": "London",
                   "Dolmabahce Palace": "Istanbul", "Dolmabahçe Palace": "Istanbul", "Mar-a-Lago": "Palm Beach",
                   "Camp David": "Camp David", "Mariinsky Palace": "Kyiv"}
TRAVEL_TO = re.compile(r"\b(?:fly|flies|flew|flown|flying|travel\w*|head(?:ed|ing|s)?|arriv\w+|go|going|went|gone|"
                       r"come|came|coming)\s+to\s+(?:the\s+)?$", re.I)
TOPIC_BEFORE = re.compile(r"\b(?:war|conflict|ceasefire|cease-fire|truce|fighting|crisis|situation|settlement|offensive|"
                          r"operations?|strikes?|attacks?|hostages(?: held)?|matches|games?)\s+(?:in|over|on|for)\s+(?:the\s+)?$",
                          re.I)
CANCELLED = re.compile(r"\b(?:called off|cancell?ed|postponed|scrapped)\b", re.I)


def status_of(text: str) -> str:
    if PAST.search(text):
        return "past"
    if PLANNED.search(text):
        return "planned"
    if ONGOING.search(text):
        return "ongoing"
    return "held"


def duration_of(text: str) -> float | None:
    m = DURATION.search(text)
    if not m:
        return None
    raw, unit = next((m.group(i), m.group(i + 1)) for i in (2, 4, 6) if m.group(i))
    value = parse_number(raw or "")
    if value is None:
        return None
    return float(value) if unit.lower().startswith("hour") else round(value / 60, 2)


def person_countries(doc: Doc) -> dict[str, str]:
    """Person (full name) -> country, from "Russian President Vladimir Putin", "Ukraine's Umerov",
    "Umerov, Secretary of Ukraine's Security Council", "Trump's envoy Steve Witkoff"."""
    out: dict[str, str] = {}
    persons = [e for e in all_ents(doc) if e.label_ == "PERSON"]
    for ent in persons:  # known public figures first: their country does not depend on the words nearby
        figure = gazetteer.public_figure(ent.text)
        if figure:
            out[figure[0]] = out[gazetteer.person_name(ent.text)] = figure[1]
    for _ in range(2):  # a second pass resolves "X's envoy Y" once X is known
        _nationality_pass(doc, persons, out)
    return out


def _nationality_pass(doc: Doc, persons: list[Span], out: dict[str, str]) -> None:
    full_names = {p.text.split()[-1]: p.text for p in persons if " " in p.text}
    for ent in persons:
        name = gazetteer.person_name(full_names.get(ent.text, ent.text))
        if name in out:
            continue
        window = doc[max(sentence_of(ent)[1].start, ent.start - 6):ent.start]
        owner = [p for p in ents_of(window) if p.label_ == "PERSON" and doc[p.end].lower_ in ("'s", "’s")]
        if owner:
            boss = gazetteer.person_name(full_names.get(owner[-1].text, owner[-1].text))
            if boss in out:
                out[name] = out[boss]
                continue
        for side in reversed([e for e in ents_of(window) if e.label_ in ("COUNTRY", "DEMONYM")]):
            country = gazetteer.country_of_name(side.text)
            if country:
                out.setdefault(name, country)
                break
        else:
            after = doc[ent.end:min(sentence_of(ent)[1].end, ent.end + 7)]
            if after[:1].text != ",":
                continue
            for side in ents_of(after):
                if side.label_ in ("COUNTRY", "DEMONYM") and gazetteer.country_of_name(side.text):
                    out.setdefault(name, gazetteer.country_of_name(side.text))
                    break


def heads_of(doc: Doc, sent: Span, nationality: dict[str, str], kind: str) -> dict[str, str]:
    """Delegation heads stated in one sentence."""
    heads: dict[str, str] = {}
    text = span_text(sent)
    for cue in HEAD_CUE.finditer(text):
        cue_char = sent.start_char + cue.start()
        after = cue.group(1).lower().endswith("by") or "negotiator" in cue.group(1).lower()
        person = _nearest_person(sent, cue_char, after=after)
        if person is None and not after:
            person = _nearest_person(sent, sent.start_char + cue.end(), after=True)  # "the head of the delegation, X,"
        if person is None:
            continue
        cue_char = max(cue_char, sent.start_char + cue.end()) if cue.group(1).lower().startswith("head of") else cue_char
        if cue.group(1).lower() == "represented by" and _listed_after(sent, person):
            continue  # "represented by X, Y and Z": a list of members, not a head
        country = _country_near(doc, sent, cue_char) or nationality.get(_full(person, nationality))
        if country:
            heads.setdefault(country, _full(person, nationality))
    for m in LED_THE.finditer(text):
        person = _clause_subject(sent, sent.start_char + m.start())
        side = [e for e in ents_of(sent) if e.label_ in ("COUNTRY", "DEMONYM", "ACTOR")
                and sent.start_char + m.start() <= e.start_char <= sent.start_char + m.end()]
        if person is not None and side:
            heads.setdefault(gazetteer.country_of_name(side[0].text), _full(person, nationality))
    if kind in ("call", "meeting", "summit") and not heads and PRINCIPALS.search(text) and status_of(text) != "planned":
        for p in (e for e in ents_of(sent) if e.label_ == "PERSON"):
            country = nationality.get(_full(p, nationality))
            if country:
                heads.setdefault(country, _full(p, nationality))
        if len(heads) < 2:
            heads = {}
    return heads


LED_THE = re.compile(r"\b(?:led|headed|leads|heads|leading|heading|(?:will|to|would)\s+(?:lead|head))\s+(?:the\s+)?(?:\w+(?:'s|’s)?\s+){1,2}?"
                     r"(?:delegation|team|side|negotiators|one)\b", re.I)
PRINCIPALS = re.compile(r"\b(spoke|speak|talk|talked|talks? with|phone|telephone|call|called|conversation|discussed|met|"
                        r"meet|meeting with|hosted|received|summit|s[ia]t down|held talks)\b", re.I)


def _full(person: Span, nationality: dict[str, str]) -> str:
    text = gazetteer.person_name(person.text)
    figure = gazetteer.public_figure(text)
    if figure:
        return figure[0]
    if " " not in text:
        for full in nationality:
            if full.split()[-1] == text:
                return full
    return text


def _nearest_person(sent: Span, char: int, after: bool) -> Span | None:
    persons = [e for e in ents_of(sent) if e.label_ == "PERSON"]
    if after:
        following = [p for p in persons if p.start_char >= char]
        if following:
            return min(following, key=lambda p: p.start_char - char)
    preceding = [p for p in persons if p.end_char <= char]
    return max(preceding, key=lambda p: p.end_char) if preceding else None


def _listed_after(sent: Span, person: Span) -> bool:
    """Another person follows in a list: "X, Y and Z"."""
    rest = [e for e in ents_of(sent) if e.label_ == "PERSON" and e.start >= person.end]
    return bool(rest) and sent.doc[person.end].text in (",", "and")


def _clause_subject(sent: Span, char: int) -> Span | None:
    """The first person of the clause that ends at `char` ("X, an aide to Y, headed ..." -> X)."""
    text = text_of(sent.doc)
    start = sent.start_char
    for m in re.finditer(r"(?:;|\bwhile\b|\bwhereas\b|, and\b|\bthat\b)", text[sent.start_char:char]):
        start = sent.start_char + m.end()
    persons = [e for e in ents_of(sent) if e.label_ == "PERSON" and start <= e.start_char < char]
    return persons[0] if persons else None


def _country_near(doc: Doc, sent: Span, char: int) -> str | None:
    sides = [e for e in ents_of(sent) if e.label_ in ("COUNTRY", "DEMONYM", "ACTOR") and e.end_char <= char]
    if sides:
        return gazetteer.country_of_name(sides[-1].text)
    return None


def parties_of(sent: Span) -> list[str]:
    out = []
    for ent in ents_of(sent):
        if ent.label_ in ("COUNTRY", "DEMONYM", "ACTOR") or (ent.label_ == "PLACE" and ent.text in gazetteer.CAPITALS):
            country = gazetteer.country_of_name(ent.text)
            if country and country not in out:
                out.append(country)
    return out


FORMATS = re.compile(r"\b(trilateral|bilateral|multilateral|direct|indirect)\b", re.I)


def diplomacy_facts(doc: Doc) -> list[Diplomacy]:
    """Diplomacy events of a document, merged by kind and venue."""
    if not DIPLOMACY_CUE.search(lowered(doc)):
        return []  # most articles name no talks: skip the sentence-by-sentence pass
    nationality = person_countries(doc)
    cands: list[Candidate] = []
    pending_heads: dict[str, str] = {}
    for n, sent in enumerate(sents_of(doc)):
        text = span_text(sent)
        kind = kind_of(text)
        if kind is not None and CANCELLED.search(text):
            continue  # "a meeting set for next week was called off"
        if kind is None and cands and cands[-1].venue is None or kind is None and cands \
                and gazetteer.country_names().get(cands[-1].venue or ""):
            travel = venue_of(doc, sent) if TRAVEL_TO.search(text + " ") or re.search(r"\b(?:flown|flew|arrived)\s+to\b", text) else None
            if travel:
                cands[-1].venue = travel  # "The other team has flown to Doha too."
        if kind is None:
            # "The Russian delegation is led by X": heads without an event word join the last event
            if HEAD_CUE.search(text) or LED_THE.search(text):
                heads = heads_of(doc, sent, nationality, "")
                if heads and not cands:
                    pending_heads.update(heads)
                target = cands[-1] if cands else None
                if target is not None:
                    for k, v in heads.items():
                        target.heads.setdefault(k, v)
            continue
        cand = Candidate(kind, n, sent, venue_of(doc, sent), parties_of(sent),
                         heads_of(doc, sent, nationality, kind), status_of(text), duration_of(text))
        cands.append(cand)
    if cands:
        for k, v in pending_heads.items():
            cands[0].heads.setdefault(k, v)
    _country_venues(cands)
    return [_to_fact(c, doc) for c in _merge(cands)]


TALKS = ("peace_talks", "meeting")


def _merge(cands: list[Candidate]) -> list[Candidate]:
    merged: list[Candidate] = []
    for c in cands:
        same = next((m for m in merged if m.kind == c.kind and (m.venue == c.venue or c.venue is None or m.venue is None)), None)
        if c.venue is None and merged and merged[-1].kind in TALKS and c.kind in TALKS and merged[-1].status == c.status:
            same = merged[-1]  # "the talks were constructive", after "delegations met in Abu Dhabi": the same event
        if same is None:
            # heads or venue alone, in a sentence naming no event kind of its own, join the last event
            merged.append(c)
            continue
        same.venue = same.venue or c.venue
        same.parties += [p for p in c.parties if p not in same.parties]
        for k, v in c.heads.items():
            same.heads.setdefault(k, v)
        same.duration = same.duration or c.duration
        if same.status in ("held", None) and c.status in ("ongoing", "planned"):
            same.status = same.status or c.status
    return [m for m in merged if (m.venue or m.heads or len(m.parties) >= 2)
            and (m.kind != "agreement" or len(m.parties) >= 2)]


def _country_venues(cands: list[Candidate]) -> None:
    """A country is a venue only when the article names no city for the talks."""
    cities = {c.venue for c in cands if c.venue and gazetteer.country_names().get(c.venue) is None}
    for c in cands:
        if c.venue and gazetteer.country_names().get(c.venue) and cities:
            c.venue = None


def _to_fact(c: Candidate, doc: Doc) -> Diplomacy:
    formats = tuple(dict.fromkeys(f.lower() for f in FORMATS.findall(text_of(doc)) if f.lower() in ("trilateral", "bilateral")))
    parties = list(c.parties)
    for country in c.heads:
        if country not in parties:
            parties.append(country)
    ev = Evidence(c.sentence, c.span.start_char, c.span.end_char, f"diplomacy_{c.kind}", 0.7 if c.venue else 0.5)
    return Diplomacy(c.kind, c.venue, tuple(parties), formats, tuple(c.heads.items()), c.duration, c.status, ev)
