"""The spaCy pipeline: blank English (or a named pipeline) plus newswatch's rule components.

    nlp = build_nlp()              # spacy.blank("en") + our components
    nlp = build_nlp("path/to/pipeline")   # adds its statistical NER; our rules still run

Components (all registered factories with requires/assigns):
  sentencizer    sentence starts at terminal punctuation and at line breaks
  entity_ruler   PLACE, REGION, COUNTRY, DEMONYM, ACTOR and MODEL spans from the gazetteers
  nw_persons     PERSON spans from titles, roles and reporting verbs
  nw_place_cues  PLACE spans for unknown names after "in/at/near/over"
  nw_place_names PLACE spans for multi-word names: "Beit Jala", "Deir al-Balah", "Afipsky refinery"
"""
from __future__ import annotations

import bisect
import functools
import re

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractors import gazetteer, lexicon

REGION_WORDS = ["region", "regions", "oblast", "oblasts", "province", "provinces", "governorate", "district"]


def sentence_chars() -> list[str]:
    """Sentence-final characters for the built-in sentencizer, plus line breaks."""
    from spacy.pipeline.sentencizer import Sentencizer

    return list(Sentencizer.default_punct_chars) + ["\n", "\n\n", "\n\n\n", "\n\n\n\n", "\r\n", "\r\n\r\n"]


def ruler_patterns() -> list[dict]:
    """EntityRuler patterns from the gazetteers; checked by the ruler's validation on load."""
    patterns: list[dict] = []
    for form in gazetteer.places():
        patterns.append({"label": "PLACE", "pattern": form})
    for form in gazetteer.country_names():
        patterns.append({"label": "COUNTRY", "pattern": form})
    for form in gazetteer.DEMONYMS:
        patterns.append({"label": "DEMONYM", "pattern": form})
    for form in gazetteer.ACTORS:
        patterns.append({"label": "ACTOR", "pattern": form})
    for form in lexicon.WEAPON_MODELS:
        patterns.append({"label": "MODEL", "pattern": form})
        patterns.append({"label": "MODEL", "pattern": form + "s"})
    patterns.append({"label": "MODEL", "pattern": "Shahed-type"})
    for form in public_figure_names():
        patterns.append({"label": "PERSON", "pattern": form})
    return patterns


def public_figure_names() -> set[str]:
    """Full names, surnames and their variants of the gazetteer's public figures: "Trump and Putin talk"."""
    names = set()
    for full, (_, others) in gazetteer.PUBLIC_FIGURES.items():
        for name in (full, *others):
            names.add(name)
            names.add(name.split()[-1])
    return names


REGION_RE = re.compile(r"\b((?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?[ \t]+){1,2}(?:" + "|".join(REGION_WORDS) + r"|"
                       + "|".join(w.capitalize() for w in REGION_WORDS) + r"))\b")
REGION_LEAD_STOP = {"In", "On", "At", "Of", "The", "Over", "Across", "Near", "From", "To", "And", "For", "Into", "With"}
MODEL_RE = re.compile(r"\b((?:Kh|KN|S|FAB|KAB)-\d+[A-Z0-9/]*(?:-\d+)*s?)\b")


@Language.component("nw_regions", requires=["doc.ents"], assigns=["doc.ents"])
def regions_and_models(doc: Doc) -> Doc:
    """REGION spans ("Kharkiv region", "Kyiv Oblast") and MODEL designations ("Kh-101") by pattern."""
    new = []
    text = text_of(doc)
    for label, pattern in (("REGION", REGION_RE), ("MODEL", MODEL_RE)):
        for m in pattern.finditer(text):
            start = m.start(1)
            first = m.group(1).split()[0]
            if label == "REGION" and first in REGION_LEAD_STOP:
                start += len(first) + 1  # "In Dnipropetrovsk Region" in a title-case headline
            span = doc.char_span(start, m.end(1), alignment_mode="contract")
            if span is not None and len(span):
                new.append(Span(doc, span.start, span.end, label=label))
    listed: list[Span] = []
    for m in REGION_LIST_RE.finditer(text) if PLURAL_REGION.search(text) else ():  # "Rostov, Kursk and Belgorod oblasts"
        suffix = m.group(2).lower().rstrip("s")
        for name in re.finditer(REGION_NAME, m.group(1)):
            if name.group() in REGION_LEAD_STOP:
                continue
            span = doc.char_span(m.start(1) + name.start(), m.start(1) + name.end(), alignment_mode="contract")
            if span is not None and len(span):
                listed.append(Span(doc, span.start, span.end, label="REGION", kb_id=suffix))
    if new or listed:
        kept = [e for e in doc.ents if not any(e.start < n.end and n.start < e.end for n in listed)]
        doc.ents = filter_spans(kept + listed + new)
    return doc


REGION_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
PLURAL_REGION = re.compile(r"\b(?:regions|oblasts|provinces)\b")
# The names before "and X regions" share its suffix: "the Rostov, Kursk, Oryol and Belgorod oblasts"
REGION_LIST_RE = re.compile(rf"\b((?:{REGION_NAME},?[ \t]+)+)(?:and|or)[ \t]+{REGION_NAME}[ \t]+(regions|oblasts|provinces)\b")


PERSON_TITLES = {
    "president", "minister", "negotiator", "spokesman", "spokeswoman", "spokesperson", "governor",
    "mayor", "envoy", "adviser", "advisor", "secretary", "chancellor", "ambassador", "commander",
    "general", "gen.", "chief", "head", "senator", "premier", "king", "emir", "sheikh", "prince",
    "deputy", "representative", "officer", "official", "director", "leader", "speaker", "aide",
    "diplomat", "administrator", "lieutenant", "colonel", "colonel-general", "marshal", "prosecutor",
    "ombudsman", "commissioner", "chairman", "counterpart", "coordinator", "mp", "lawmaker",
    "journalist", "correspondent", "photographer", "player", "coach", "captain", "pope", "patriarch",
}
REPORTING_VERBS = {"said", "says", "told", "wrote", "added", "stated", "announced", "noted", "reported",
                   "confirmed", "claimed", "warned", "urged", "explained", "tweeted", "posted", "stressed"}
SUBJECT_VERBS = {"is", "was", "has", "had", "will", "would", "met", "spoke", "called", "arrived", "visited",
                 "urged", "signed", "led", "headed", "held", "told", "praised", "criticised", "criticized"}
NAME_STOP = {
    "The", "A", "An", "In", "On", "At", "By", "For", "From", "With", "And", "But", "Or", "As", "After",
    "Before", "During", "While", "Since", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Air", "Force", "Forces", "Ministry", "Defence",
    "Defense", "Council", "Office", "General", "Staff", "Army", "Navy", "Command", "Service", "State",
    "National", "Security", "Foreign", "Affairs", "White", "House", "Kremlin", "Pentagon", "News",
    "President", "Minister", "Prime", "Deputy", "Governor", "Mayor", "Secretary", "Chief", "Head",
    "Regional", "Military", "Administration", "Emergency", "Services", "Agency", "Reuters", "AP", "AFP",
    "Telegram", "Facebook", "It", "He", "She", "They", "We", "This", "That", "These", "Those", "There",
    "Ukrainian", "Russian", "Israeli", "American", "European", "Union", "United", "Nations", "UN",
    "Special", "Envoy", "Advisor", "Adviser", "Spokesman", "Spokesperson", "Commander", "Operation",
    "Group", "Republic", "Federation", "Sea", "Oblast", "Region", "Police", "Zelensky's", "Mr", "Mrs",
    "Ms", "Dr", "Mr.", "Mrs.", "Ms.", "Dr.", "Lt", "Gen", "Col", "Sen", "Rep", "Minister's", "Day",
    "According", "Earlier", "Later", "Meanwhile", "However", "Also", "Both", "All", "Some", "Several",
}
# Words that end the name of an organisation or region: the capitalised words before them name it,
# and a name after them is a person ("the Main Directorate Igor Kostyukov", "Middle East Stephen Witkoff").
ORG_END_WORDS = {"Directorate", "Department", "Bureau", "Headquarters", "East"}


@Language.factory("nw_persons", requires=["doc.ents"], assigns=["doc.ents"])
def make_persons(nlp: Language, name: str) -> "PersonTagger":
    return PersonTagger(nlp)


NAME_WORD = r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*(?:['’][A-Z][a-z]+)?"
# "al-Hayya", "bin Farhan", "el-Sisi": the family part of an Arabic name
ARABIC_PART = r"(?:al|el|bin|ibn|abu)-[A-Z][a-z]+"
NAME_RE = re.compile(rf"\b{NAME_WORD}(?:[ \t]+(?:al|bin|von|der|de|van|ibn|abdel|abu|el)\b)?"
                     rf"(?:[ \t]+(?:{NAME_WORD}|{ARABIC_PART})){{1,4}}\b")


class PersonTagger:
    """PERSON spans: capitalised name sequences next to a title/role or a reporting verb.

    Candidates come from a regular expression over the text (much cheaper than a token
    Matcher on every token); only candidates are checked token by token.
    """

    def __init__(self, nlp: Language):
        self.vocab = nlp.vocab

    def __call__(self, doc: Doc) -> Doc:
        spans = [span for m in NAME_RE.finditer(text_of(doc)) for span in self._candidates(doc, m)]
        ents = list(doc.ents) + spans
        known = {s.text.split()[-1] for s in spans}
        if known:
            # Later mentions by surname alone ("Umerov said") follow a full mention.
            taken = {t.i for e in ents for t in e}
            pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in known) + r")\b")
            for m in pattern.finditer(text_of(doc)):
                span = doc.char_span(m.start(), m.end())
                if span is not None and span.start not in taken:
                    ents.append(Span(doc, span.start, span.end, label="PERSON"))
        if len(ents) > len(doc.ents):
            doc.ents = filter_spans(ents)
        return doc

    def _candidates(self, doc: Doc, m: re.Match) -> list[Span]:
        """Runs of name words between titles and other stop words ("Kyiv Mayor Vitali Klitschko")."""
        out, run = [], []
        for w in list(re.finditer(r"\S+", m.group())) + [None]:
            if w is not None and w.group() in ORG_END_WORDS:
                run = []  # "Strategic Communications Directorate": the words before name the body
                continue
            if w is not None and w.group() not in NAME_STOP and w.group().lower() not in PERSON_TITLES \
                    and m.start() + w.start() not in _side_starts(doc):
                run.append(w)
                continue
            if 2 <= len(run) <= 4:
                span = doc.char_span(m.start() + run[0].start(), m.start() + run[-1].end(), alignment_mode="contract")
                if span is not None and all(t.ent_type_ in ("", "PLACE", "PERSON") for t in span) and self._plausible(span):
                    out.append(Span(doc, span.start, span.end, label="PERSON"))
            run = []
        return out

    def _plausible(self, span: Span) -> bool:
        words = [t.text for t in span if t.text != "-"]
        if all(t.ent_type_ == "PLACE" for t in span if t.text != "-"):
            return False
        if any(w in NAME_STOP or w.rstrip("’'s") in NAME_STOP for w in words) or words[-1] in NOT_NAME_WORDS:
            return False  # "Iron Dome", "Middle East", "Red Cross": capitalised common nouns end names of things
        doc = span.doc
        sent = sentence_of(span)[1]
        if CREDIT_RE.match(span_text(sent)):
            return False  # a byline or a photo credit: "By Jane Doe", "Photo: John Roe/Reuters"
        before = [t.lower_ for t in doc[max(sent.start, span.start - 4):span.start]]
        after = doc[span.end].lower_ if span.end < len(doc) else ""
        after2 = doc[span.end + 1] if span.end + 1 < len(doc) else None
        after2_word = after2.lower_ if after2 is not None else ""
        if any(b.strip(".,") in PERSON_TITLES for b in before) or any(b in ("by", "with") for b in before[-1:]):
            return True
        if after in REPORTING_VERBS or (after == "," and (after2_word in PERSON_TITLES | {"the", "a", "an", "who"}
                                                          or after2 is not None and after2.like_num)):
            return True  # "X said", "X, an adviser to", "X, 22, who lives"
        if after in {"'s", "’s"} or after2_word in REPORTING_VERBS:
            return True
        if span.start == sent.start and len(words) >= 2 and after in SUBJECT_VERBS:
            return True
        return len(words) >= 2 and span.start > sent.start and not _has_org_word(words) and not _heading(sent)


# Capitalised common nouns that end the names of things, not of people ("Iron Dome", "Red Cross").
NOT_NAME_WORDS = {
    "Dome", "East", "West", "North", "South", "Authority", "Cross", "Fund", "Corporation", "Resistance", "Organization",
    "Organisation", "Industries", "Directorate", "Systems", "System", "Independent", "Mountains", "River", "Bay",
    "Palace", "School", "Station", "Development", "Stadium", "Theatre", "Theater", "Watch", "Zone", "Corps",
    "Intelligence", "Health", "Point", "Initiative", "Awards", "Film", "League", "Stories", "Range", "Mission",
    "Situation", "Care", "Press", "Pravda", "Meeting", "Summit", "Talks", "War", "Year", "Strike", "Attack", "Attacks",
    "Missile", "Missiles", "Drone", "Drones", "Facility", "Church", "Patriarchate", "Forces", "Guard", "Brigade",
    "Battalion", "Fleet", "Airlines", "Airport", "Port", "Plant", "Refinery", "Base", "Agency", "News", "Network",
    "Channel", "Service", "Services", "Union", "Council", "Committee", "Command", "Ministry", "Office", "Embassy",
    "Consulate", "Court", "Party", "Movement", "Front", "Army", "Navy", "Force", "Police", "Media", "Group",
    "Square", "Street", "Avenue", "Bridge", "Park", "Hall", "Centre", "Center", "Tower", "Building", "Hotel",
    "Market", "Mall", "Bank", "University", "Institute", "Academy", "Hospital", "Project", "Program", "Programme",
    "Strait", "Ocean", "Gulf", "Heights", "Peninsula", "Island", "Islands", "Coalition", "Journal", "Social", "Times",
    "Trade", "Operations", "Post", "Herald", "Telegraph", "Guardian", "Gazette", "Tribune", "Agreement", "Accords",
}
# A line that credits the text or a photo: "By Jane Doe", "Photo: ...", "Reporting by ...".
CREDIT_RE = re.compile(r"^\s*(?:by\s|photo\b|photograph|credit\b|image\b|source\b|reporting by|editing by|"
                       r"written by|(?:\w+\s+){0,3}is an? (?:accomplished |award-winning |freelance |senior )?"
                       r"(?:author|journalist|writer|reporter|correspondent))", re.IGNORECASE)


def _side_starts(doc: Doc) -> set[int]:
    """Character offsets where a country, demonym or actor begins: such a word ends a name run
    ("President of Ukraine Volodymyr Zelensky")."""
    cached = doc.user_data.get("nw_side_starts")
    if cached is None:
        cached = doc.user_data["nw_side_starts"] = {
            t.idx for e in doc.ents if e.label_ in ("COUNTRY", "DEMONYM", "ACTOR") for t in e}
    return cached


def _heading(sent: Span) -> bool:
    """A Title Case heading ("Massive Drone Barrage Triggers Blackouts"): capitals there are no cue."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.is_title for t in words) / len(words) >= 0.7


PLACE_PREPS = {"in", "at", "near", "over", "outside", "around", "towards", "toward", "into", "across", "of"}
PLACE_NOUNS = {"district", "village", "town", "city", "port", "school", "hospital", "camp", "base", "airport",
               "refinery", "heights", "crossing", "strip", "valley", "plant", "station", "settlement", "kibbutz"}


PLACE_CUE_RE = re.compile(
    rf"\b(in|at|near|over|outside|around|towards|toward|into|across|of)[ \t]+(?:the[ \t]+)?"
    rf"({NAME_WORD}(?:[ \t]+(?:{NAME_WORD}|{'|'.join(sorted(PLACE_NOUNS))})){{0,3}})\b(?![ \t]+[A-Z])"
)


@Language.component("nw_place_cues", requires=["doc.ents"], assigns=["doc.ents"])
def place_cues(doc: Doc) -> Doc:
    """PLACE spans for unknown capitalised names after "in/at/near/over" ("in Katzrin")."""
    ents = list(doc.ents)
    taken = {t.i for e in ents for t in e}
    for m in PLACE_CUE_RE.finditer(text_of(doc)):
        span = doc.char_span(m.start(2), m.end(2), alignment_mode="contract")
        if span is None or any(t.i in taken for t in span) or span[0].is_sent_start:
            continue
        words = m.group(2).split()
        prep_tok = doc[span.start - 1] if span.start > 0 else None
        if m.group(1) == "of" and not any(w.lower() in PLACE_NOUNS for w in words) \
                and not (prep_tok is not None and prep_tok.i > 0 and doc[prep_tok.i - 1].lower_ in PLACE_NOUNS
                         or prep_tok is not None and prep_tok.lower_ == "the" and prep_tok.i > 1
                         and doc[prep_tok.i - 2].lower_ in PLACE_NOUNS):
            continue  # "of X" names a place only as "the port of X" or "X district"
        if words[0] in NAME_STOP or words[0] in NOT_PLACE_WORDS:
            continue
        ents.append(Span(doc, span.start, span.end, label="PLACE"))
        taken.update(range(span.start, span.end))
    if len(ents) > len(doc.ents):
        doc.ents = filter_spans(ents)
    return doc


# Generic first words of Levantine and other place names: "Beit Jala", "Ras al-Ain", "Kfar Saba",
# "Deir al-Balah", "Khan Younis", "Cape Tarkhankut", "Fort Worth", "Mount Hermon".
TOPONYM_PREFIXES = {"Beit", "Beth", "Ras", "Kfar", "Kafr", "Tel", "Ein", "Bint", "Majdal", "Deir", "Khan", "Kiryat",
                    "Qiryat", "Ramat", "Ramot", "Nahal", "Jabal", "Jebel", "Wadi", "Tell", "Misgav", "Ayelet", "Rosh",
                    "Aita", "Ayta", "Maalot", "Ma'alot", "Givat", "Neve", "Mitzpe", "Sde", "Cape", "Fort", "Mount", "Lake"}
# Facility and landform nouns that make a name a place of their own: "Afipsky refinery",
# "Saky military airfield", "Balaklava Bay", "Darnytskyi district", "Shifa hospital".
FACILITY_NOUNS = {"refinery", "airfield", "airbase", "base", "airport", "terminal", "bay", "valley", "district",
                  "square", "cathedral", "palace", "stadium", "theatre", "theater", "crossing", "school", "hospital",
                  "mountains", "dam", "microdistrict"}
FACILITY_ADJECTIVES = {"military", "oil", "naval", "air", "drama", "force", "thermal", "river", "sea", "training",
                       "international", "presidential", "regional", "city"}
GENERIC_PLACE_SUFFIX = {"village", "town", "settlement", "kibbutz", "hamlet"}
# Given names that begin "Name al-Family" person names, never a place ("Khalil al-Hayya", "Mohammed al-Khulaifi").
GIVEN_NAMES = {"Abbas", "Abdel", "Abdul", "Abdullah", "Adel", "Ahmad", "Ahmed", "Ali", "Amr", "Ayman", "Faisal", "Fuad",
               "Hamad", "Hani", "Hassan", "Hussein", "Ibrahim", "Ismail", "Jamal", "Khaled", "Khalid", "Khalil",
               "Mahmoud", "Majed", "Marwan", "Mohamed", "Mohammad", "Mohammed", "Muhammad", "Mustafa", "Nabih", "Naim",
               "Nasser", "Omar", "Osama", "Saad", "Saleh", "Salah", "Sami", "Sultan", "Tamim", "Turki", "Walid",
               "Yahya", "Youssef", "Yousef", "Yusuf", "Zaher", "Ziad"}
TOPONYM_RE = re.compile(rf"\b(?:{'|'.join(sorted(TOPONYM_PREFIXES, key=len, reverse=True))})[ \t]+"
                        rf"(?:(?:al|el|ash|as|an|ad)-)?[A-Z][\w'’]+(?:-[A-Z][\w]+)?|"
                        rf"\b(?!(?:{'|'.join(sorted(GIVEN_NAMES))})\b)[A-Z][a-z]+[ \t]+(?:al|el)-[A-Z][a-z]+|"
                        rf"\b(?:Al|El)-[A-Z][a-z]+(?![ \t]+[A-Z])")


# "KYIV, Ukraine —", "MOSCOW (Reuters) -": a capitalised dateline at the start of a line
DATELINE_RE = re.compile(r"(?:^|\n)[ \t]*([A-Z]{3,}(?:[ -][A-Z]{3,})?)(?=[ \t]*(?:,|:|\(|—|–|-[ \t]))")
# "Kirovske-2 military airfield": a numbered name with a facility noun
NUMBERED_FACILITY_RE = re.compile(rf"\b[A-Z][a-z]+-\d+[ \t]+(?:(?:{'|'.join(sorted(FACILITY_ADJECTIVES))})[ \t]+)*"
                                  rf"(?:{'|'.join(sorted(FACILITY_NOUNS))}|air[ \t]+base)\b")


@Language.component("nw_place_names", requires=["doc.ents"], assigns=["doc.ents"])
def place_names(doc: Doc) -> Doc:
    """PLACE spans for multi-word names: toponym prefixes ("Beit Jala", "Deir al-Balah"), facility
    names ("Afipsky refinery", "Saky air base"); "Hlyboke village" is Hlyboke."""
    text = text_of(doc)
    ents = list(doc.ents)
    new: list[Span] = []
    for m in DATELINE_RE.finditer(text):
        if m.group(1).title() in gazetteer.places():
            span = doc.char_span(m.start(1), m.end(1))
            if span is not None:
                new.append(Span(doc, span.start, span.end, label="PLACE"))
    for m in NUMBERED_FACILITY_RE.finditer(text) if NUMBERED_CUE.search(text) else ():
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None:
            new.append(Span(doc, span.start, span.end, label="PLACE"))
    for m in UNKNOWN_FACILITY_RE.finditer(text):  # "the Afipsky refinery": a name not in the gazetteer
        span = doc.char_span(m.start(1), m.end(), alignment_mode="expand")
        if span is not None and not span[0].is_sent_start and not span[0].ent_type_ \
                and m.group(1) not in NAME_STOP and m.group(1) not in NOT_PLACE_WORDS:
            new.append(Span(doc, span.start, span.end, label="PLACE"))
    toponyms = "l-" in text or any(w in TOPONYM_PREFIXES for w in CAPITALISED.findall(text))
    for m in TOPONYM_RE.finditer(text) if toponyms else ():
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        generic = m.group().split()[0] not in TOPONYM_PREFIXES  # "X al-Y" without a place word: maybe a person
        if span is not None and not any(t.ent_type_ in ("COUNTRY", "ACTOR", "MODEL", "DEMONYM") for t in span) \
                and not (generic and any(t.ent_type_ == "PERSON" for t in span)) \
                and (span.start == 0 or doc[span.start - 1].lower_ not in REPORTING_TITLE_WORDS):
            new.append(Span(doc, span.start, span.end, label="PLACE"))
    if new:
        ents = [e for e in ents if not any(e.start < n.end and n.start < e.end for n in new)] + new
    out, changed = [], bool(new)
    for ent in ents:
        if ent.label_ in ("PLACE", "PERSON") and ent.end < len(doc):
            end = _facility_end(doc, ent.end)
            if end is not None and (ent.label_ == "PLACE" or doc[end - 1].is_title):
                ent, changed = Span(doc, ent.start, end, label="PLACE"), True  # filter_spans keeps the longer span
            elif ent.label_ == "PLACE" and len(ent) > 1 and doc[ent.end - 1].lower_ in GENERIC_PLACE_SUFFIX:
                ent, changed = Span(doc, ent.start, ent.end - 1, label="PLACE"), True
        out.append(ent)
    if changed:  # setting doc.ents rebuilds every token's entity annotation: only when something changed
        doc.ents = filter_spans([e for e in out if len(e)])
    return doc


CAPITALISED = re.compile(r"\b[A-Z][a-z']+")
UNKNOWN_FACILITY_RE = re.compile(rf"\bthe[ \t]+([A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)[ \t]+(?:(?:{'|'.join(sorted(FACILITY_ADJECTIVES))})"
                                 rf"[ \t]+)?(?:refinery|airfield|air[ \t]+base|airbase|terminal|power[ \t]+plant)\b")
NUMBERED_CUE = re.compile(r"[A-Za-z]-\d")


REPORTING_TITLE_WORDS = {"president", "minister", "mr", "mrs", "ms", "dr", "general", "sheikh"}


def _facility_end(doc: Doc, i: int) -> int | None:
    """End of "<name> [military] airfield" when a facility noun follows a name at token i."""
    first = doc[i].lower_
    if first not in FACILITY_NOUNS and first not in FACILITY_ADJECTIVES and first != "-":
        return None
    j = i
    if j < len(doc) and doc[j].text == "-" and j + 1 < len(doc) and doc[j + 1].like_num:
        j += 2  # "Kirovske-2"
    k = j
    while k < len(doc) and k - j < 2 and doc[k].lower_ in FACILITY_ADJECTIVES:
        k += 1
    if k < len(doc) and doc[k].lower_ in FACILITY_NOUNS:
        return k + 1
    if k + 1 < len(doc) and doc[k].lower_ in ("air", "training") and doc[k + 1].lower_ in ("base", "ground"):
        return k + 2
    return None


NOT_PLACE_WORDS = {"Telegram", "Facebook", "X", "Twitter", "English", "Russian", "Ukrainian", "Arabic", "Hebrew",
                   "Parliament", "Congress", "Senate", "Kremlin", "Pentagon", "Oval", "Iron", "Dome", "Patriot",
                   "Geneva", "God", "Christmas", "Easter", "Ramadan", "Orthodox", "Catholic", "Islam", "Europe",
                   "Africa", "Asia", "Middle", "West", "East", "North", "South", "Gulf", "Soviet", "Cold", "World",
                   "War", "Hezbollah", "Hamas", "Houthis", "Israel", "Defense", "Defence", "Interior", "Moscow's",
                   "Time", "Times", "Post", "Journal", "Reuters", "Bloomberg", "Axios", "CNN", "BBC", "Channel"}


def _has_org_word(words: list[str]) -> bool:
    org = {"Company", "Corporation", "Bank", "Ministry", "University", "Institute", "Committee", "Party",
           "Agency", "Center", "Centre", "Club", "Stadium", "Airport", "Airlines", "Media", "Times", "Post"}
    return any(w in org for w in words)


@functools.lru_cache(maxsize=4)
def build_nlp(model: str = "blank") -> Language:
    """The extraction pipeline; `model` is "blank" or an installed spaCy pipeline name or path."""
    if model == "blank":
        nlp = spacy.blank("en")
    else:
        nlp = spacy.load(model, exclude=["parser", "lemmatizer", "textcat"])
        if "ner" in nlp.pipe_names:
            nlp.get_pipe("ner")  # statistical entities are kept; the ruler runs after and may overwrite
    nlp.add_pipe("sentencizer", first=True, config={"punct_chars": sentence_chars()})
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True, "overwrite_ents": True,
                                                 "phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(ruler_patterns())
    # Tokenising 28,000 patterns filled the tokenizer's cache with them, which slows every later
    # document by a third; assigning the rules again empties the cache.
    nlp.tokenizer.rules = nlp.tokenizer.rules
    nlp.add_pipe("nw_regions")
    nlp.add_pipe("nw_persons")
    nlp.add_pipe("nw_place_cues")
    nlp.add_pipe("nw_place_names")
    return nlp


def text_of(doc: Doc) -> str:
    """doc.text, built once (Doc.text joins every token on each access)."""
    cached = doc.user_data.get("nw_text")
    if cached is None:
        cached = doc.user_data["nw_text"] = doc.text
    return cached


def lowered(doc: Doc) -> str:
    """The doc's text in lower case, built once."""
    cached = doc.user_data.get("nw_lower")
    if cached is None:
        cached = doc.user_data["nw_lower"] = text_of(doc).lower()
    return cached


def span_text(span: Span) -> str:
    """A span's text sliced from the cached doc text (Span.text joins its tokens)."""
    return text_of(span.doc)[span.start_char:span.end_char]


def _indexed(doc: Doc, key: str, spans) -> tuple[list[Span], list[int]]:
    """Spans computed once per doc with their start tokens, kept in doc.user_data."""
    cached = doc.user_data.get(key)
    if cached is None:
        items = list(spans())
        cached = doc.user_data[key] = (items, [s.start for s in items])
    return cached


def all_ents(doc: Doc) -> list[Span]:
    """doc.ents, computed once after the pipeline ran (Doc.ents builds new spans on every access)."""
    return _indexed(doc, "nw_ents", lambda: doc.ents)[0]


def ents_of(span: Span) -> list[Span]:
    """The entities inside a span (a sentence or a window), from the cached list."""
    ents, starts = _indexed(span.doc, "nw_ents", lambda: span.doc.ents)
    lo = bisect.bisect_left(starts, span.start)
    hi = bisect.bisect_left(starts, span.end)
    return [e for e in ents[lo:hi] if e.end <= span.end]


def sents_of(doc: Doc) -> list[Span]:
    """The sentences of a doc, computed once (Doc.sents walks every token on each access)."""
    return _indexed(doc, "nw_sents", lambda: doc.sents)[0]


def sentence_of(span: Span) -> tuple[int, Span]:
    """Index and span of the sentence holding `span`."""
    sents, starts = _indexed(span.doc, "nw_sents", lambda: span.doc.sents)
    n = bisect.bisect_right(starts, span.start) - 1
    return n, sents[n]


TIME_CUES = re.compile(
    r"\b(overnight|last night|tonight|this morning|early hours|early on|yesterday|today|earlier today|"
    r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday)(?: night| morning| evening| afternoon)?|in the morning|at night|"
    r"on the night of|during the night|(?:over|in) the course of the night|in the night|hours ago|this week)\b",
    re.IGNORECASE,
)
