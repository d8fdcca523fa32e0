"""Offline evaluation of key points and entities.

Summaries: our first three key points against Lead-3 (the first three
sentences from the same splitter), ROUGE-1/2/L F-measure x100 with Porter
stemming, on the same articles.  The dev set is split deterministically:
an article is in "tune" when ``int(sha1(id), 16) % 10 < 7`` and in "holdout"
otherwise; weights were tuned on "tune" only.

Entities: entity-level precision and recall per type against a hand-labelled
gold file, after variant merging.  A predicted entity matches a gold one of
the same type when their names are equal after normalisation or when the
gold name is one of the predicted entity's variants (or shares a surname
or a gazetteer place id with it).  The labelled files are scored apart: the one the rules
were written against (``--gold``) and any number held aside that no rule was checked against
(``--aside-gold``, repeated), the figure to expect on unseen articles.

Quotes: against hand-labelled files of quotations and speakers, the one the quote rules were
checked against (``--quotes-gold``) and any number held aside (``--quotes-aside``, repeated).  A
predicted quote matches a gold one when most of the longer one's words are shared (one to one,
best overlap first); a matched quote is attributed right when the speakers are the same person
(same name, or one name's words within the other's: "Rodgers" and "Brendan Rodgers"), or both
are unknown.  Reported: how many quotes are found (precision, recall), how many are found
with the right speaker (precision, recall), and named speakers: of the found quotes we give a
named speaker, the share whose speaker is right (a wrong name is worse than none), and of the
labelled quotes with a named speaker, the share we find with that speaker.

Key points are also chosen by cross-validation (``--key-point-cv``, :mod:`evaluation.key_point_cv`);
story headlines are scored against human-written ones (``--stories-dataset``,
:mod:`evaluation.story_headlines`).

Run: ``storywire eval summaries --dataset PATH [--gold PATH] [--aside-gold PATH ...] [--quotes-aside PATH ...]
[--key-point-cv] [--stories-dataset PATH]``.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evaluation import furniture as furniture_options
from evaluation import story_headlines
from evaluation.furniture import Furnisher
from evaluation.jsonl import read_jsonl
from evaluation.rouge import f_measures
from storywire.contracts.articles import CleanArticle, RawArticle
from storywire.services.cleaner.wire_boilerplate import strip_wire_boilerplate
from storywire.services.pipeline import OfflinePipeline
from storywire.services.summarizer.entities import EntityMention, extract_entities, name_key, place_id
from storywire.services.summarizer.key_points import key_points
from storywire.services.summarizer.quotes import extract_quotes
from storywire.services.summarizer.sentences import split_sentences

__all__ = [
    "EntityReport",
    "QuoteReport",
    "SummaryReport",
    "evaluate_entities",
    "evaluate_quotes",
    "evaluate_summaries",
    "format_report",
    "main",
    "split_of",
]

_PROJECT = Path(__file__).resolve().parents[1]
_TYPES = ("PER", "LOC", "ORG")


@dataclass(frozen=True, slots=True)
class SummaryReport:
    """Mean ROUGE F-measures (x100) for our key points and for Lead-3."""

    split: str
    articles: int
    ours: tuple[float, float, float]
    lead3: tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class EntityReport:
    """Entity-level counts and precision/recall per type."""

    documents: int
    true_positives: dict[str, int] = field(default_factory=dict)
    predicted: dict[str, int] = field(default_factory=dict)
    gold: dict[str, int] = field(default_factory=dict)

    def precision(self, kind: str) -> float:
        """Share of predicted entities of ``kind`` that are in the gold set."""
        return self.true_positives.get(kind, 0) / max(1, self.predicted.get(kind, 0))

    def recall(self, kind: str) -> float:
        """Share of gold entities of ``kind`` that were predicted."""
        return self.true_positives.get(kind, 0) / max(1, self.gold.get(kind, 0))


@dataclass(frozen=True, slots=True)
class QuoteReport:
    """Quote-level counts: found, found with the right speaker, and named speakers among the found."""

    documents: int
    predicted: int
    gold: int
    found: int
    attributed: int
    named_found: int  # found quotes whose gold speaker is named
    named_right: int  # ... and whose speaker we name right
    named_given: int = 0  # found quotes to which we give a named speaker
    gold_named: int = 0  # labelled quotes whose speaker is named

    def precision(self, *, attributed: bool = False) -> float:
        """Share of predicted quotes that are gold quotes (with the right speaker, if ``attributed``)."""
        return (self.attributed if attributed else self.found) / max(1, self.predicted)

    def recall(self, *, attributed: bool = False) -> float:
        """Share of gold quotes found (with the right speaker, if ``attributed``)."""
        return (self.attributed if attributed else self.found) / max(1, self.gold)

    def named_precision(self) -> float:
        """Share of the found quotes we give a named speaker whose speaker is right (1.0 when we name none)."""
        return self.named_right / self.named_given if self.named_given else 1.0

    def named_recall(self) -> float:
        """Share of the labelled quotes with a named speaker that we find and attribute to that speaker."""
        return self.named_right / max(1, self.gold_named)


def split_of(article_id: str) -> str:
    """Deterministic 70/30 tune/holdout assignment by SHA-1 of the id."""
    return (
        "tune" if int(hashlib.sha1(article_id.encode(), usedforsecurity=False).hexdigest(), 16) % 10 < 7 else "holdout"
    )


def _furnished_points(text: str, furnisher: Furnisher, article_id: str, pipeline: OfflinePipeline) -> list[str]:
    """Key points of ``text`` wrapped in a site's furniture and cleaned, as the service would see it."""
    _site, content = furnisher(text)
    cleaned = pipeline.clean(RawArticle(article_id=article_id, content=content, content_type="text/plain"))
    if not isinstance(cleaned, CleanArticle):
        return []
    return key_points(cleaned.text, title=cleaned.title, limit=3, language=cleaned.language)


def evaluate_summaries(
    dataset: Path, *, split: str = "all", furniture: Mapping[str, Sequence[str]] | None = None, seed: int = 0
) -> SummaryReport:
    """Score our 3 key points and Lead-3 on ``dataset`` (all, tune or holdout).

    With ``furniture`` (:func:`evaluation.furniture.site_furniture`) our points come from each
    text wrapped in a site's menus and footers and then cleaned; Lead-3 stays that of the clean text.
    """
    if split not in _SPLITS:
        raise ValueError(f"unknown split {split!r}")
    furnisher = Furnisher(furniture, seed) if furniture else None
    label = split if furnisher is None else f"{split}, in furniture"
    return _summary_report(label, _scored_articles(dataset, split, furnisher))


def _summary_splits(dataset: Path, splits: Sequence[str]) -> list[SummaryReport]:
    """:func:`evaluate_summaries` of each of ``splits``, each article's points found and scored once."""
    scored = _scored_articles(dataset, "all", None)
    return [_summary_report(s, [a for a in scored if s == "all" or split_of(a[0]) == s]) for s in splits]


_SPLITS = ("all", "tune", "holdout")
_Scored = tuple[str, tuple[float, float, float], tuple[float, float, float]]  # id, ours, Lead-3 (F-measures)


def _scored_articles(dataset: Path, split: str, furnisher: Furnisher | None) -> list[_Scored]:
    """Each ``split`` article's ROUGE F-measures for our key points and for Lead-3, in the file's order."""
    scored: list[_Scored] = []
    with OfflinePipeline() as pipeline:
        for row in read_jsonl(dataset):
            article_id, text, reference = str(row["id"]), str(row["text"]), str(row["reference"])
            if split != "all" and split_of(article_id) != split:
                continue
            # The dump's text is an article's text before the cleaner's last step: its datelines
            # and bylines are the cleaner's to remove (services/cleaner/wire_boilerplate.py).
            clean = strip_wire_boilerplate(text)
            if furnisher is None:
                points = key_points(clean, limit=3)
            else:
                points = _furnished_points(text, furnisher, article_id, pipeline)
            lead = " ".join(split_sentences(clean)[:3])
            scored.append((article_id, f_measures(reference, " ".join(points)), f_measures(reference, lead)))
    return scored


def _summary_report(label: str, scored: Sequence[_Scored]) -> SummaryReport:
    """Mean F-measures x100 of the scored articles (summed in order, as the report always has)."""
    ours = [0.0, 0.0, 0.0]
    lead = [0.0, 0.0, 0.0]
    for _id, article_ours, article_lead in scored:
        for k in range(3):
            ours[k] += article_ours[k]
            lead[k] += article_lead[k]
    denom = max(len(scored), 1)

    def mean(values: list[float]) -> tuple[float, float, float]:
        return (100 * values[0] / denom, 100 * values[1] / denom, 100 * values[2] / denom)

    return SummaryReport(split=label, articles=len(scored), ours=mean(ours), lead3=mean(lead))


def _matches(predicted: EntityMention, gold_name: str) -> bool:
    key = name_key(gold_name)
    names = {name_key(v) for v in (predicted.name, *predicted.variants)}
    if key in names:
        return True
    if predicted.type == "LOC":
        gid = place_id(gold_name)
        return gid is not None and gid == place_id(predicted.name)
    if predicted.type == "PER" and len(key.split()) > 1:
        return name_key(predicted.name).split()[-1:] == key.split()[-1:] and len(name_key(predicted.name).split()) > 1
    return False


def _texts(dataset: Path | None, seeds_dir: Path) -> dict[str, str]:
    """The labelled articles' texts by source, with the wire furniture the cleaner removes removed."""
    texts: dict[str, str] = {}
    if seeds_dir.is_dir():
        for path in sorted(seeds_dir.glob("*.txt")):
            texts[f"seed:{path.stem}"] = path.read_text(encoding="utf-8")
    if dataset is not None and dataset.exists():
        for row in read_jsonl(dataset):
            texts[f"cnndm:{row['id']}"] = str(row["text"])
    return {source: strip_wire_boilerplate(text) for source, text in texts.items()}


def _labelled(gold: Path, field: str, texts: Mapping[str, str]) -> Iterator[tuple[str, list[Mapping[str, object]]]]:
    """(text, labels) for each labelled row of ``gold`` whose article is at hand."""
    for row in read_jsonl(gold):
        labels = row.get(field, [])
        if str(row["source"]) in texts and isinstance(labels, list):
            yield texts[str(row["source"])], labels


def evaluate_entities(
    gold: Path,
    *,
    dataset: Path | None = None,
    seeds_dir: Path = _PROJECT / "seeds",
) -> EntityReport:
    """Precision/recall per type of ``extract_entities`` against ``gold``."""
    tp = dict.fromkeys(_TYPES, 0)
    predicted_n = dict.fromkeys(_TYPES, 0)
    gold_n = dict.fromkeys(_TYPES, 0)
    documents = 0
    for text, entries in _labelled(gold, "entities", _texts(dataset, seeds_dir)):
        documents += 1
        gold_entities = [(str(e["name"]), str(e["type"])) for e in entries]
        predicted = extract_entities(text)
        for kind in _TYPES:
            preds = [p for p in predicted if p.type == kind]
            golds = [name for name, t in gold_entities if t == kind]
            predicted_n[kind] += len(preds)
            gold_n[kind] += len(golds)
            used: set[int] = set()
            for name in golds:
                for i, pred in enumerate(preds):
                    if i not in used and _matches(pred, name):
                        used.add(i)
                        tp[kind] += 1
                        break
    return EntityReport(documents=documents, true_positives=tp, predicted=predicted_n, gold=gold_n)


_QUOTE_WORD = re.compile(r"\w+")
# Share of the longer quote's words the two must share to be one quote: spans differ at the edges
# (trailing words, a split at "he said"), not in the middle.
_QUOTE_OVERLAP = 0.5


def _quote_words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _QUOTE_WORD.findall(text))


def _same_speaker(predicted: str | None, gold: str | None) -> bool:
    if predicted is None or gold is None:
        return predicted is None and gold is None
    a, b = set(name_key(predicted).split()), set(name_key(gold).split())
    return bool(a and b) and (a <= b or b <= a)


def evaluate_quotes(gold: Path, *, dataset: Path | None = None, seeds_dir: Path = _PROJECT / "seeds") -> QuoteReport:
    """Quotes found and attributed by ``extract_quotes`` against ``gold`` (see the module notes)."""
    documents = predicted_n = gold_n = found = attributed = named_found = named_right = named_given = gold_named = 0
    for article, entries in _labelled(gold, "quotes", _texts(dataset, seeds_dir)):
        documents += 1
        golds = [(str(q["text"]), q.get("speaker")) for q in entries]
        preds = extract_quotes(article)
        predicted_n += len(preds)
        gold_n += len(golds)
        gold_named += sum(1 for _, speaker in golds if speaker)
        gold_words = [_quote_words(text) for text, _ in golds]
        pairs = []
        for i, pred in enumerate(preds):
            pw = _quote_words(pred.text)
            for j, gw in enumerate(gold_words):
                shared = sum((pw & gw).values())
                if shared >= _QUOTE_OVERLAP * max(sum(pw.values()), sum(gw.values()), 1):
                    pairs.append((shared, i, j))
        used_p: set[int] = set()
        used_g: set[int] = set()
        for _, i, j in sorted(pairs, reverse=True):
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            found += 1
            speaker = golds[j][1]
            right = _same_speaker(preds[i].speaker, str(speaker) if speaker else None)
            attributed += right
            named_given += preds[i].speaker is not None
            if speaker:
                named_found += 1
                named_right += right
    return QuoteReport(
        documents, predicted_n, gold_n, found, attributed, named_found, named_right, named_given, gold_named
    )


def format_report(
    summaries: Sequence[SummaryReport],
    entities: Sequence[tuple[str, EntityReport]] = (),
    quotes: Sequence[tuple[str, QuoteReport]] = (),
) -> str:
    """Markdown tables for the summary results, each labelled entity set and the quotes."""
    lines = [
        "| split | n | ours R1 | ours R2 | ours RL | Lead-3 R1 | Lead-3 R2 | Lead-3 RL | ΔR1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for rep in summaries:
        lines.append(
            f"| {rep.split} | {rep.articles} | "
            + " | ".join(f"{v:.2f}" for v in (*rep.ours, *rep.lead3))
            + f" | {rep.ours[0] - rep.lead3[0]:+.2f} |"
        )
    for label, report in entities:
        lines += [
            "",
            f"Entities, {label} ({report.documents} documents)",
            "",
            "| type | P | R | tp | predicted | gold |",
            "|---|---|---|---|---|---|",
        ]
        for kind in _TYPES:
            lines.append(
                f"| {kind} | {report.precision(kind):.2f} | {report.recall(kind):.2f} | "
                f"{report.true_positives.get(kind, 0)} | {report.predicted.get(kind, 0)} | "
                f"{report.gold.get(kind, 0)} |"
            )
    for label, quote in quotes:
        lines += [
            "",
            f"Quotes, {label} ({quote.documents} documents, {quote.gold} labelled, {quote.predicted} found by us)",
            "",
            "| | P | R |",
            "|---|---|---|",
            f"| quote found | {quote.precision():.2f} | {quote.recall():.2f} |",
            f"| found, right speaker | {quote.precision(attributed=True):.2f} | {quote.recall(attributed=True):.2f} |",
            f"| named speaker | {quote.named_precision():.2f} | {quote.named_recall():.2f} |",
            "",
            f"Named speakers: {quote.named_right} right of {quote.named_given} we name "
            f"({quote.named_given - quote.named_right} wrong); {quote.named_right} of the "
            f"{quote.gold_named} labelled quotes with a named speaker ({quote.named_found} of them found).",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; prints a markdown report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, required=True)
    parser.add_argument("--gold", type=Path, default=_PROJECT / "tests" / "data" / "entities_gold.jsonl")
    parser.add_argument(
        "--aside-gold",
        type=Path,
        action="append",
        help="labelled articles that no rule was written or checked against; repeat for each such file "
        "(default: tests/data/entities_aside*.jsonl)",
    )
    parser.add_argument(
        "--quotes-gold",
        type=Path,
        default=_PROJECT / "tests" / "data" / "quotes_gold.jsonl",
        help="labelled quotations and speakers that the quote rules were checked against",
    )
    parser.add_argument(
        "--quotes-aside",
        type=Path,
        action="append",
        help="labelled quotations and speakers that no quote rule was checked against; repeat for each "
        "such file (default: tests/data/quotes_aside*.jsonl)",
    )
    parser.add_argument("--seeds", type=Path, default=_PROJECT / "seeds")
    parser.add_argument(
        "--stories-dataset",
        type=Path,
        default=story_headlines.DEFAULT_DATASET if story_headlines.DEFAULT_DATASET.exists() else None,
        help="events with a human-written headline (wikinews-dev.jsonl): score story headlines against it",
    )
    parser.add_argument(
        "--key-point-cv",
        action="store_true",
        help="also choose the key-point ranker by five-fold cross-validation (evaluation/key_point_cv.py)",
    )
    furniture_options.add_arguments(
        parser,
        "also score key points of each text wrapped in an English site's menus and footers, one item "
        "a line, and cleaned",
    )
    args = parser.parse_args(argv)
    reports = _summary_splits(args.dataset, ("tune", "holdout", "all"))
    furniture = furniture_options.from_arguments(args)
    if furniture is not None:
        reports.append(evaluate_summaries(args.dataset, split="all", furniture=furniture))
    entity_asides = args.aside_gold or sorted((_PROJECT / "tests" / "data").glob("entities_aside*.jsonl"))
    entity_reports = [
        (label, evaluate_entities(path, dataset=args.dataset, seeds_dir=args.seeds))
        for label, path in (("tuned on", args.gold), *((f"held aside ({path.stem})", path) for path in entity_asides))
        if path.exists()
    ]
    asides = args.quotes_aside or sorted((_PROJECT / "tests" / "data").glob("quotes_aside*.jsonl"))
    quote_reports = [
        (label, evaluate_quotes(path, dataset=args.dataset, seeds_dir=args.seeds))
        for label, path in (
            ("checked against", args.quotes_gold),
            *((f"held aside ({path.stem})", path) for path in asides),
        )
        if path.exists()
    ]
    sys.stdout.write(format_report(reports, entity_reports, quote_reports) + "\n")
    if args.stories_dataset is not None:
        sys.stdout.write("\n" + story_headlines.story_headline_section(args.stories_dataset) + "\n")
    if args.key_point_cv:
        from evaluation import key_point_cv  # noqa: PLC0415 (only this option needs it)

        sys.stdout.write("\n" + key_point_cv.report(args.dataset) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
