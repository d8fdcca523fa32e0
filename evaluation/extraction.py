"""Side-by-side evaluation of main-text extraction against plain trafilatura.

Dataset layout (the trafilatura evaluation set): ``ground-truth.json`` maps each page
URL to ``{"file": ..., "with": [...], "without": [...]}`` and ``pages/<file>`` holds the
gzipped HTML. Scoring follows upstream trafilatura's evaluation: pooled over pages, a
``with`` snippet found in the output is a true positive (missing: false negative), a
``without`` snippet found is a false positive (absent: true negative).

Both systems see the same bytes, in the same order, in the same process; only the
extraction calls are timed (reading and decompressing pages is not).

Split: a page belongs to the ``tune`` part when the first 8 hex digits of the
SHA-256 of its URL, read as an integer, are ``< 7`` modulo 10 (about 70%), else to
``holdout``. Heuristics are tuned on ``tune`` only; ``holdout`` checks generalisation.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import trafilatura

from storywire.contracts.articles import CleanArticle, RawArticle
from storywire.services.cleaner.cleaning import Rejection, clean_article
from storywire.services.cleaner.extraction import decode_html, extract_html

LOGGER: Final = logging.getLogger(__name__)

SPLITS: Final = ("all", "tune", "holdout")
TUNE_SHARE_TENTHS: Final = 7


@dataclass(frozen=True, slots=True)
class GroundTruthPage:
    """One evaluation page with the snippets its extraction must (not) contain."""

    url: str
    path: Path
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SystemScore:
    """Pooled confusion counts and speed of one extraction system."""

    name: str
    true_positives: int
    false_negatives: int
    false_positives: int
    true_negatives: int
    pages: int
    seconds: float

    @property
    def precision(self) -> float:
        """Share of found snippets that were wanted."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        """Share of wanted snippets that were found."""
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def pages_per_second(self) -> float:
        """Throughput of the extraction calls alone."""
        return self.pages / self.seconds if self.seconds else 0.0


@dataclass(frozen=True, slots=True)
class ExtractionReport:
    """Scores of all systems on one split of a dataset."""

    dataset: str
    split: str
    pages: int
    systems: tuple[SystemScore, ...]


def split_of(url: str) -> str:
    """Deterministic tune/holdout assignment of a page by the hash of its URL."""
    bucket = int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "tune" if bucket < TUNE_SHARE_TENTHS else "holdout"


def load_ground_truth(dataset: Path, *, split: str = "all", limit: int | None = None) -> list[GroundTruthPage]:
    """Pages of a dataset in file order, restricted to a split and a count."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}, expected one of {SPLITS}")
    raw = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    pages = [
        GroundTruthPage(
            url=url,
            path=dataset / "pages" / item["file"],
            with_snippets=tuple(s for s in item.get("with", ()) if s),
            without_snippets=tuple(s for s in item.get("without", ()) if s),
        )
        for url, item in raw.items()
        if split == "all" or split_of(url) == split
    ]
    return pages[:limit] if limit is not None else pages


def _read_page(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def cleaned_pages(dataset: Path) -> Iterator[tuple[GroundTruthPage, str, CleanArticle | Rejection]]:
    """Each page of the set in file order, its decoded HTML, and what the cleaner makes of it.

    For the checks that borrow these pages as real web pages (their furniture, their languages).
    """
    for page in load_ground_truth(dataset):
        html = decode_html(_read_page(page.path))
        raw = RawArticle(article_id=page.path.name, content=html, content_type="text/html", url=page.url)
        yield page, html, clean_article(raw)


def _plain_trafilatura(html: bytes, url: str) -> str:
    return (
        trafilatura.extract(html, url=url, include_comments=False, include_formatting=False, include_tables=True) or ""
    )


def _storywire(html: bytes, url: str) -> str:
    return extract_html(html, url=url).text


SYSTEMS: Final[dict[str, Callable[[bytes, str], str]]] = {
    "storywire": _storywire,
    "trafilatura": _plain_trafilatura,
}


def iter_outputs(
    pages: Sequence[GroundTruthPage], systems: dict[str, Callable[[bytes, str], str]]
) -> Iterator[tuple[GroundTruthPage, dict[str, tuple[str, float]]]]:
    """Run every system on every page; yield each page's outputs with call durations."""
    for page in pages:
        html = _read_page(page.path)
        outputs: dict[str, tuple[str, float]] = {}
        for name, system in systems.items():
            start = time.perf_counter()
            text = system(html, page.url)
            outputs[name] = (text, time.perf_counter() - start)
        yield page, outputs


PageScores = dict[str, tuple[int, int, int, int, float]]


def _score(pages: Sequence[GroundTruthPage]) -> Iterator[tuple[GroundTruthPage, PageScores]]:
    """Per page and system: (TP, FN, FP, TN, seconds)."""
    for page, outputs in iter_outputs(pages, SYSTEMS):
        scored: PageScores = {}
        for name, (text, duration) in outputs.items():
            tp = sum(snippet in text for snippet in page.with_snippets)
            fp = sum(snippet in text for snippet in page.without_snippets)
            scored[name] = (tp, len(page.with_snippets) - tp, fp, len(page.without_snippets) - fp, duration)
        yield page, scored


def _report(dataset: Path, split: str, scored: Sequence[PageScores]) -> ExtractionReport:
    systems = []
    for name in SYSTEMS:
        rows = [page[name] for page in scored]
        systems.append(
            SystemScore(
                name=name,
                true_positives=sum(r[0] for r in rows),
                false_negatives=sum(r[1] for r in rows),
                false_positives=sum(r[2] for r in rows),
                true_negatives=sum(r[3] for r in rows),
                pages=len(rows),
                seconds=sum(r[4] for r in rows),
            )
        )
    return ExtractionReport(dataset=str(dataset), split=split, pages=len(scored), systems=tuple(systems))


def evaluate_extraction(dataset: Path, *, limit: int | None = None, split: str = "all") -> ExtractionReport:
    """Score storywire's extraction and plain trafilatura side by side on a dataset split."""
    pages = load_ground_truth(dataset, split=split, limit=limit)
    return _report(dataset, split, [scored for _page, scored in _score(pages)])


def evaluate_each_split(dataset: Path, *, limit: int | None = None) -> list[ExtractionReport]:
    """Reports for the tune, holdout and whole set from a single pass over the pages."""
    by_split: dict[str, list[PageScores]] = {"tune": [], "holdout": []}
    for page, scored in _score(load_ground_truth(dataset, limit=limit)):
        by_split[split_of(page.url)].append(scored)
    LOGGER.info("evaluated %s tune and %s holdout pages", len(by_split["tune"]), len(by_split["holdout"]))
    return [
        _report(dataset, "tune", by_split["tune"]),
        _report(dataset, "holdout", by_split["holdout"]),
        _report(dataset, "all", by_split["tune"] + by_split["holdout"]),
    ]


def format_report(report: ExtractionReport) -> str:
    """Markdown table of a report."""
    lines = [
        f"Extraction on `{report.dataset}` (split: {report.split}, {report.pages} pages)",
        "",
        "| system | precision | recall | F1 | pages/s | TP | FN | FP | TN |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines.extend(
        f"| {s.name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.pages_per_second:.1f} "
        f"| {s.true_positives} | {s.false_negatives} | {s.false_positives} | {s.true_negatives} |"
        for s in report.systems
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: evaluate and print the markdown report(s)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, required=True, help="folder with ground-truth.json and pages/")
    parser.add_argument("--split", choices=(*SPLITS, "each"), default="each", help="'each' reports all three splits")
    parser.add_argument("--limit", type=int, default=None, help="evaluate only the first N pages of the split")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    if args.split == "each":
        reports = evaluate_each_split(args.dataset, limit=args.limit)
    else:
        reports = [evaluate_extraction(args.dataset, limit=args.limit, split=args.split)]
    blocks = [format_report(report) for report in reports]
    sys.stdout.write("\n\n".join(blocks) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
