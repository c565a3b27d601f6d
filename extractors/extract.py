"""The extraction facade: Documents in, Facts out, batched through `nlp.pipe`."""
from __future__ import annotations

import functools
from dataclasses import replace
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from extractors import attacks, diplomacy, gazetteer, places
from extractors.dates import strike_day
from extractors.language import has_rules, language_of
from extractors.pipeline import all_ents, build_nlp, sentence_of, text_of
from extractors.types import Document, Entity, Evidence, Facts, Place

# Bumped whenever rules change what they extract; `newswatch reextract` redoes older articles.
EXTRACTOR_VERSION = "2026.11.30.2"
MAX_CHARS = 200_000  # longer texts are cut: the facts of a news article are in its first pages


class Extractor:
    """Rule-based fact extraction over a spaCy pipeline (blank English by default)."""

    def __init__(self, model: str = "blank"):
        self.model = model
        self.nlp = build_nlp(model)
        self.name = extractor_name(model)

    def extract(self, docs: Iterable[Document], batch_size: int = 64) -> Iterator[Facts]:
        docs = list(docs) if not isinstance(docs, list) else docs
        for document, doc in zip(docs, self.nlp.pipe((self._make(d) for d in docs), batch_size=batch_size)):
            yield self.facts(document, doc)

    def _make(self, document: Document) -> Doc:
        """Tokenise, keeping the text itself: rebuilding it from the tokens costs more than the rules."""
        text = _text_of(document)
        doc = self.nlp.make_doc(text)
        doc.user_data["nw_text"] = text
        return doc

    def facts(self, document: Document, doc: Doc) -> Facts:
        language = language_of(text_of(doc), document.language)
        if not has_rules(language):
            return Facts(doc_id=document.id, is_new_attack_report=False, extractor=f"{self.name} (language {language}: no rules)")
        found, is_new, confidence = [], False, 0.0
        if attacks.may_report_attack(doc):
            sents = attacks.sentence_infos(doc)
            mentions = attacks.weapon_mentions(doc, sents)
            hits = attacks.casualties(sents)
            is_new, confidence = attacks.is_new_attack(doc, sents, mentions, hits)
            found = attacks.build_attacks(doc, sents, mentions, hits) if is_new else []
            found = [replace(a, day=strike_day(document.text, document.published, a.target_country)) for a in found]
        return Facts(
            doc_id=document.id, is_new_attack_report=is_new and bool(found), attacks=tuple(found),
            diplomacy=tuple(diplomacy.diplomacy_facts(doc)), persons=tuple(persons(doc)),
            places=tuple(all_places(doc)), extractor=self.name, attack_confidence=confidence,
        )


def extractor_name(model: str = "blank") -> str:
    """What is stored in articles.extractor: rules version and spaCy pipeline."""
    return f"newswatch-rules-{EXTRACTOR_VERSION}/{model}"


@functools.cache
def shared_extractor(model: str = "blank") -> Extractor:
    """One Extractor per model and process: building the pipeline takes seconds."""
    return Extractor(model)


def _text_of(d: Document) -> str:
    """The text facts are read from: the stored text itself (the title is kept apart so that
    evidence spans index `articles.text`), cut at MAX_CHARS."""
    return d.text[:MAX_CHARS]


def persons(doc: Doc) -> list[Entity]:
    """PERSON mentions, normalised to the fullest form seen (surname-only mentions folded in)."""
    full: dict[str, str] = {}
    out: list[Entity] = []
    for ent in all_ents(doc):
        if ent.label_ != "PERSON":
            continue
        name = gazetteer.person_name(ent.text)
        figure = gazetteer.public_figure(name)
        if figure:
            name = figure[0]
        last = name.split()[-1]
        if " " in name:
            full.setdefault(last, name)
        name = full.get(last, name)
        ev = Evidence(sentence_of(ent)[0], ent.start_char, ent.end_char, "person_rules", 0.6)
        out.append(Entity("person", ent.text, name, ev))
    return out


def all_places(doc: Doc) -> list[Place]:
    seen: set[str] = set()
    out: list[Place] = []
    for ent in all_ents(doc):
        if ent.label_ not in ("PLACE", "REGION"):
            continue
        place = attacks.place_of(ent, sentence_of(ent)[0])
        if place is None or attacks.in_name(doc, ent) or places.stands_for_government(doc, ent):
            continue
        key = gazetteer.ascii_key(place.name)
        if key not in seen:
            seen.add(key)
            out.append(place)
    return out
