"""A multilingual stream check: what the language hint changes for stories and keywords.

There is no labelled multilingual story set here, so this is a precision check on unrelated
pages: the extraction development set (about 960 pages with text: German, English, Spanish,
French, Polish and others, from many sites; a few cover one event) is cleaned as the cleaner
does, streamed through the story index once without and once with each article's detected
language, and every story that gathers two or more pages is printed with its titles for a
reader to judge. It also counts how many of the non-English pages' keywords hold one of their
language's function words ("für die", "des"), without and with the hint.

Run: ``storywire eval languages --dataset ../shared/data/extraction/trafilatura-eval``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from evaluation.extraction import cleaned_pages
from storywire.contracts.articles import CleanArticle
from storywire.services.dedup.features import featurize
from storywire.services.dedup.memory_index import StreamingClusterer
from storywire.services.languages import function_words
from storywire.services.summarizer.keywords import keywords

__all__ = ["load_pages", "main", "shared_stories"]

MIN_WORDS = 80
"""Pages shorter than this are link lists and stubs, not articles."""


def load_pages(dataset: Path) -> list[CleanArticle]:
    """The set's pages as the cleaner returns them, in the ground truth's order (rejected and short pages left out)."""
    return [
        cleaned
        for _page, _html, cleaned in cleaned_pages(dataset)
        if isinstance(cleaned, CleanArticle) and cleaned.word_count >= MIN_WORDS
    ]


def shared_stories(pages: Sequence[CleanArticle], *, language_hint: bool) -> list[list[CleanArticle]]:
    """The stories of two or more pages after streaming ``pages`` once, with or without their languages."""
    clusterer = StreamingClusterer()
    for i, page in enumerate(pages):
        language = page.language if language_hint else None
        clusterer.add(page.article_id, featurize(page.title, page.text, None, language), now=float(i))
    stories: dict[str, list[CleanArticle]] = defaultdict(list)
    for page in pages:
        stories[clusterer.story_of(page.article_id) or page.article_id].append(page)
    return [members for members in stories.values() if len(members) > 1]


def _function_word_keywords(pages: Sequence[CleanArticle], *, language_hint: bool) -> tuple[int, int]:
    touching = total = 0
    for page in pages:
        if page.language in (None, "en"):
            continue
        own = function_words(page.language)
        found = keywords(page.text, title=page.title, language=page.language if language_hint else None)
        total += len(found)
        touching += sum(1 for k in found if set(k.lower().split()) & own)
    return touching, total


def main(argv: list[str] | None = None) -> int:
    """Print the stories of 2+ pages and the keyword counts, without and with the language hint."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, required=True, help="the trafilatura-eval folder")
    args = parser.parse_args(argv)
    pages = load_pages(args.dataset)
    languages = Counter(page.language or "?" for page in pages)
    lines = [f"{len(pages)} pages: " + ", ".join(f"{lang} {n}" for lang, n in languages.most_common())]
    for hint in (False, True):
        stories = shared_stories(pages, language_hint=hint)
        touching, total = _function_word_keywords(pages, language_hint=hint)
        lines += [
            "",
            f"language hint {'on' if hint else 'off'}: {len(stories)} stories of 2+ pages, "
            f"{sum(map(len, stories))} pages in them; non-English keywords holding a function word: "
            f"{touching} of {total}",
        ]
        lines += [" | ".join(f"{p.language}: {(p.title or '')[:60]}" for p in members) for members in stories]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
