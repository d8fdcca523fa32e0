"""A long article costs what its length says: the summarizer's work grows about linearly with the text.

Work is counted, not timed: the Python function calls and C calls a stage makes (every comparison
of two sentences, every look at a known name is one or more), for a report and for one ten times as
long. Ten times the text may cost a little more than ten times the work (more distinct names, longer
sorted lists), never a hundred times, as comparing every sentence or name with every other did.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest

from storywire.services.summarizer import sentences
from storywire.services.summarizer.entities import extract_entities
from storywire.services.summarizer.entities import spans as candidates
from storywire.services.summarizer.key_points import key_points
from storywire.services.summarizer.keywords import keywords
from storywire.services.summarizer.quotes import extract_quotes
from storywire.services.summarizer.sentences import split_sentences

#: Ten times the text may take at most this many times the work.
MAX_GROWTH = 15

_FEMALE = ["Anna", "Maria", "Sarah", "Laura", "Helen", "Julia"]
_MALE = ["James", "David", "Peter", "Thomas", "Martin", "Paul"]
# distinct consonants, so that no two surnames pass for spellings of one (see entities/merging.py, _same_variant)
_SYLLABLES = ["bar", "ket", "lom", "mis", "nud", "raf", "seg", "tip", "vol", "zun"]
_PLACES = ["Leeds", "Bristol", "Glasgow", "Cardiff", "Belfast", "Norwich"]
_THINGS = ["bridge repair", "water plan", "school reform", "tram line", "housing scheme", "trade deal"]


def _surname(i: int) -> str:
    return "".join(_SYLLABLES[int(d)] for d in f"{i:03d}").capitalize()


def _report(paragraphs: int, seed: int = 3) -> str:
    """A news report with a new person and company, a quote by name and one by pronoun in every paragraph."""
    rng = random.Random(seed)
    out = []
    for i in range(paragraphs):
        female = i % 2 == 0
        given = rng.choice(_FEMALE if female else _MALE)
        name, pronoun = f"{given} {_surname(i)}", "she" if female else "he"
        place, thing = rng.choice(_PLACES), rng.choice(_THINGS)
        out.append(
            f"{name}, the head of the {place} {thing} board, said the {thing} would cost"
            f" {rng.randint(2, 900)} million pounds over {rng.randint(2, 12)} years,"
            f" paid for by the {_surname(999 - i)} Trust. "
            f'"We have waited for this decision for a very long time and we will not wait any longer," {pronoun} said. '
            f"Officials in {place} questioned the figures on Monday. "
            f'"The council will look at every part of the plan before it agrees to anything," said {name}.'
        )
    return "\n\n".join(out)


def _work(call: Callable[[], object]) -> int:
    """Python function calls and C calls made by ``call()``."""
    count = 0

    def profile(_frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        call()
    finally:
        sys.setprofile(previous)
    return count


def _growth(stage: Callable[[str], Callable[[], object]], paragraphs: int = 20) -> float:
    """How many times the work of a stage grows for a text ten times as long.

    ``stage`` prepares its inputs from the text (not counted) and returns the call to count.
    """
    stage(_report(2))()  # first calls load gazetteers and word lists
    short = _work(stage(_report(paragraphs)))
    return _work(stage(_report(10 * paragraphs))) / short


def _quotes(text: str) -> Callable[[], object]:
    mentions = extract_entities(text)
    return lambda: extract_quotes(text, mentions)


@pytest.mark.parametrize(
    "stage",
    [
        pytest.param(lambda text: lambda: key_points(text, title="Costs rise", language="en"), id="key points"),
        pytest.param(lambda text: lambda: extract_entities(text, title="Costs rise"), id="entities"),
        pytest.param(_quotes, id="quotes"),
        pytest.param(lambda text: _quotes(" ".join(text.split())), id="quotes in one paragraph"),
        pytest.param(lambda text: lambda: keywords(text, title="Costs rise", language="en"), id="keywords"),
    ],
)
def test_ten_times_the_text_is_about_ten_times_the_work(stage: Callable[[str], Callable[[], object]]) -> None:
    assert _growth(stage) <= MAX_GROWTH


def test_ten_times_the_organisations_is_about_ten_times_the_work() -> None:
    # A market report names one company after another; each short form ("the Barket Trust") was
    # compared with every organisation's every form.
    def companies(count: int) -> str:
        return " ".join(f"Shares in the {_surname(i)} Trust rose on Monday." for i in range(count))

    extract_entities(companies(2))
    short = _work(lambda: extract_entities(companies(30)))
    assert _work(lambda: extract_entities(companies(300))) / short <= MAX_GROWTH


def test_every_quote_of_a_long_report_keeps_its_speaker() -> None:
    # the quote by name and the one by pronoun ("she said") are each their paragraph's person's
    text = _report(200)
    quotes = extract_quotes(text, extract_entities(text))
    surnames = [q.speaker.split()[-1] if q.speaker else None for q in quotes]
    assert surnames == [_surname(i) for i in range(200) for _quote in range(2)]


def test_a_mention_in_a_long_unpunctuated_text_keeps_a_bounded_context() -> None:
    # A transcript without full stops is one sentence: each name must not carry the rest of it along.
    text = " ".join(_report(40).replace(".", "").replace('"', "").split())
    spans = [span for sentence in split_sentences(text) for span in candidates.find_spans(sentence)]
    assert len(spans) > 100
    assert max(len(span.before) + len(span.after) for span in spans) <= 2 * candidates.CONTEXT_CHARS


class _CountingPattern:
    """A compiled pattern that counts the characters it is handed to read."""

    def __init__(self, pattern: Any) -> None:
        self.pattern = pattern
        self.read = 0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.pattern, name)

        def counted(text: str, *args: Any) -> Any:
            self.read += len(text) - (args[0] if args else 0)
            return method(text, *args)

        return counted


def test_sentence_splitting_reads_a_long_unpunctuated_text_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every capital of a text without full stops is a candidate caption boundary; the words before
    # and after each one must not be counted anew.
    text = " ".join(_report(40).replace(".", "").replace('"', "").split())
    words = _CountingPattern(sentences.LETTER_WORDS_LOOSE)
    monkeypatch.setattr(sentences, "LETTER_WORDS_LOOSE", words)
    split_sentences(text)
    assert words.read <= 5 * len(text)
