"""Which key-point ranker to ship: five-fold cross-validation against Lead-3 on the development set.

Every article goes to one of five folds by the SHA-1 of its id. For each fold, each candidate ranker
chooses whatever it has to choose (rules, weights, thresholds, a fitted model) on the other four
folds only, and is then scored on the held-out one: ROUGE-1/2/L F-measure x100 (rouge-score, Porter
stemming, as :mod:`evaluation.summaries` scores) of its first three points against the reference,
less Lead-3's (the first three sentences). Reported per ranker: the mean of the five unseen-fold
differences, their standard deviation and standard error, their range, and how many parameters the
ranker chooses. The fold a ranker never saw is the figure to expect on unseen articles of this kind.

Candidates, simplest first: Lead-3 itself; Lead-3 skipping sentences that are no statement (the
rules kept chosen in-fold); the same plus a redundancy threshold; the shipped ranker as shipped (its
parameters chosen in-fold like the others'); a position and centrality score with redundancy; and a
logistic model over a handful of sentence features, fitted in-fold to the sentences of the best
three-sentence extract (the greedy ROUGE-1 oracle) of each training article.

Run: ``storywire eval summaries`` prints the table; ``python -m evaluation.key_point_cv --dataset PATH``
prints it alone.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from rouge_score import rouge_scorer

from storywire.services.cleaner.wire_boilerplate import strip_wire_boilerplate
from storywire.services.summarizer import key_points as shipped
from storywire.services.summarizer.document import Document
from storywire.services.summarizer.keywords import terms

__all__ = [
    "FOLDS",
    "Article",
    "CrossValidation",
    "RankerResult",
    "cross_validate",
    "fold_of",
    "format_table",
    "load_articles",
    "main",
]

FOLDS = 5
POINTS = 3
_METRICS = ("rouge1", "rouge2", "rougeL")

Picks = tuple[int, ...]
Scores = NDArray[np.float64]  # (articles, 3): ROUGE-1/2/L F x100


def fold_of(article_id: str) -> int:
    """The article's fold, 0 to ``FOLDS - 1``, by the SHA-1 of its id (the same on every machine)."""
    return int(hashlib.sha1(article_id.encode(), usedforsecurity=False).hexdigest(), 16) % FOLDS


@dataclass(frozen=True, slots=True)
class Article:
    """A development article as the summarizer sees it: its clean text's sentences, and the reference."""

    id: str
    reference: str
    sentences: tuple[str, ...]


def load_articles(dataset: Path) -> list[Article]:
    """The development set's articles, their texts cleaned of wire boilerplate as the cleaner does."""
    articles: list[Article] = []
    with dataset.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            document = Document.of(strip_wire_boilerplate(str(row["text"])))
            articles.append(Article(str(row["id"]), str(row["reference"]), document.sentences))
    return articles


class _Rouge:
    """ROUGE of a choice of sentences against the reference, each choice scored once."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self._articles = articles
        self._scorer = rouge_scorer.RougeScorer(list(_METRICS), use_stemmer=True)
        self._cache: dict[tuple[int, Picks], tuple[float, float, float]] = {}

    def score(self, article: int, picks: Picks) -> tuple[float, float, float]:
        key = (article, picks)
        if key not in self._cache:
            doc = self._articles[article]
            summary = " ".join(doc.sentences[i] for i in picks)
            scores = self._scorer.score(doc.reference, summary)
            self._cache[key] = (
                100 * scores["rouge1"].fmeasure,
                100 * scores["rouge2"].fmeasure,
                100 * scores["rougeL"].fmeasure,
            )
        return self._cache[key]

    def matrix(self, picks: Sequence[Picks]) -> Scores:
        """Scores of each article's picks (one pick list per article)."""
        return np.array([self.score(i, p) for i, p in enumerate(picks)], dtype=np.float64)


# --- sentence features the candidates share ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sentences:
    """What the candidates read of an article's sentences, computed once."""

    words: tuple[int, ...]
    vectors: tuple[dict[str, float], ...]
    lede_similarity: tuple[float, ...]  # the first sentence's own is 0: a match with itself is no evidence
    centrality: tuple[float, ...]


def _analyse(article: Article) -> _Sentences:
    vectors = tuple(dict.fromkeys(terms(s), 0.0) for s in article.sentences)
    counted = []
    for sentence, vec in zip(article.sentences, vectors, strict=True):
        counts: dict[str, float] = dict(vec)
        for term in terms(sentence):
            counts[term] += 1.0
        counted.append(counts)
    words = tuple(len(shipped.WORD_CHARS.findall(s)) for s in article.sentences)
    lede = counted[0] if counted else {}
    lede_sim = tuple(0.0 if i == 0 else shipped.similarity(v, lede) for i, v in enumerate(counted))
    document: dict[str, float] = {}
    for vec in counted:
        for term, value in vec.items():
            document[term] = document.get(term, 0.0) + value
    centrality = tuple(shipped.similarity(v, document) for v in counted)
    return _Sentences(words, tuple(counted), lede_sim, centrality)


def _redundant(vectors: Sequence[dict[str, float]], i: int, chosen: Sequence[int], threshold: float) -> bool:
    return any(shipped.similarity(vectors[i], vectors[j]) >= threshold for j in chosen)


def _top(order: Sequence[int], info: _Sentences, threshold: float) -> Picks:
    """The first ``POINTS`` of ``order`` that repeat no earlier pick (cosine below ``threshold``)."""
    chosen: list[int] = []
    for i in order:
        if not _redundant(info.vectors, i, chosen, threshold):
            chosen.append(i)
            if len(chosen) == POINTS:
                break
    return tuple(chosen)


# --- candidates --------------------------------------------------------------------------------

import re
QUESTION = re.compile(r"\?[\"'”’)\s]*$")
CAPTION = shipped._CAPTION
CLOSED = shipped._CLOSED
# Sentence tests a lead-biased ranker may skip; which ones it does is chosen in-fold.
_SKIP_RULES: dict[str, Callable[[str], bool]] = {
    "fragment": lambda s: len(shipped.WORD_CHARS.findall(s)) < 3,
    "introducer": lambda s: s.rstrip()[-1:] in (":", ";"),
    "question": lambda s: bool(QUESTION.search(s)),
    "caption": lambda s: bool(CAPTION.search(s)),
    "unterminated": lambda s: not CLOSED.search(s),
}
_REDUNDANCY_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


@dataclass(frozen=True, slots=True)
class _Grid:
    """A ranker whose settings are enumerated: in each fold the one best on the training folds is kept."""

    name: str
    parameters: int
    settings: tuple[object, ...]
    pick: Callable[[Article, _Sentences, object], Picks]


@dataclass(frozen=True, slots=True)
class _Fitted:
    """A ranker fitted on the training folds' articles (by index) and then applied to any article."""

    name: str
    parameters: int
    fit: Callable[[Sequence[int]], Callable[[int], Picks]]
    describe: Callable[[Sequence[int]], str]


def _lead_skipping(rules: tuple[str, ...], threshold: float = 1.01) -> Callable[[Article, _Sentences], Picks]:
    def pick(article: Article, info: _Sentences) -> Picks:
        order = [i for i, s in enumerate(article.sentences) if not any(_SKIP_RULES[r](s) for r in rules)]
        return _top(order, info, threshold)

    return pick


def _subsets() -> tuple[tuple[str, ...], ...]:
    names = tuple(_SKIP_RULES)
    return tuple(c for n in range(len(names) + 1) for c in itertools.combinations(names, n))


def _lead_candidate() -> _Grid:
    return _Grid("Lead-3", 0, ((),), lambda a, _info, _s: tuple(range(min(POINTS, len(a.sentences)))))


def _skipping_candidate() -> _Grid:
    def pick(article: Article, info: _Sentences, setting: object) -> Picks:
        assert isinstance(setting, tuple)
        return _lead_skipping(setting)(article, info)

    return _Grid("Lead-3 skipping non-statements", len(_SKIP_RULES), _subsets(), pick)


def _skipping_redundancy_candidate() -> _Grid:
    settings = tuple((rules, t) for rules in _subsets() for t in (1.01, *_REDUNDANCY_THRESHOLDS))

    def pick(article: Article, info: _Sentences, setting: object) -> Picks:
        assert isinstance(setting, tuple)
        rules, threshold = setting
        return _lead_skipping(rules, threshold)(article, info)

    return _Grid("Lead-3 skipping non-statements, redundancy", len(_SKIP_RULES) + 1, settings, pick)


def _position_centrality_candidate() -> _Grid:
    settings = tuple(
        itertools.product((1.0, 2.0, 4.0, 8.0), (0.0, 0.5, 1.0, 2.0), (0.0, 0.5, 1.0), (1.01, 0.5))
    )

    def pick(article: Article, info: _Sentences, setting: object) -> Picks:
        assert isinstance(setting, tuple)
        decay, centrality, lede, threshold = setting
        order = [
            i
            for i, s in enumerate(article.sentences)
            if info.words[i] >= 3 and not QUESTION.search(s) and s.rstrip()[-1:] not in (":", ";")
        ]
        score = {i: math.exp(-i / decay) + centrality * info.centrality[i] + lede * info.lede_similarity[i] for i in order}
        return _top(sorted(order, key=lambda i: (-score[i], i)), info, threshold)

    return _Grid("position + centrality + lede similarity, redundancy", 4, settings, pick)


def _old_candidate(fixed: bool) -> _Grid:
    rng = np.random.default_rng(0)
    base = (tuple(shipped.LEDE_ANCHOR_WEIGHTS), shipped.REDUNDANCY)
    draws = [base]
    if not fixed:
        # Drawn without the shipped point, which was chosen on articles of every fold: each weight
        # keeps its feature's sign (a prior, not a fit), magnitude uniform in [0, 2].
        signs = np.sign(np.array(base[0]))
        signs[:2] = 0.0  # bias and "first" weigh nothing in the shipped ranker
        draws = []
        for _ in range(60):
            magnitudes = rng.uniform(0.0, 2.0, len(base[0]))
            draws.append((tuple(float(v) for v in signs * magnitudes), float(rng.uniform(0.0, 3.0))))

    def pick(article: Article, info: _Sentences, setting: object) -> Picks:
        weights, redundancy = setting  # type: ignore[misc]
        keep = [i for i, n in enumerate(info.words) if n >= 3]
        sentences = [article.sentences[i] for i in keep]
        ranked = shipped.rank_sentences(sentences, limit=POINTS, weights=weights, redundancy=redundancy, lede_anchor=True)
        return tuple(keep[i] for i in ranked)

    name = "old ranker as shipped (in-sample weights)" if fixed else "old ranker, weights re-searched in-fold"
    return _Grid(name, 15, tuple(draws), pick)


# --- the logistic model ------------------------------------------------------------------------

_FEATURES = ("first", "exp(-i/2)", "exp(-i/8)", "lede similarity", "centrality", "words/30", "question/introducer")


def _feature_rows(article: Article, info: _Sentences) -> NDArray[np.float64]:
    rows = []
    for i, sentence in enumerate(article.sentences):
        bad = bool(QUESTION.search(sentence)) or sentence.rstrip()[-1:] in (":", ";")
        rows.append(
            [
                1.0 if i == 0 else 0.0,
                math.exp(-i / 2.0),
                math.exp(-i / 8.0),
                info.lede_similarity[i],
                info.centrality[i],
                min(info.words[i], 60) / 30.0,
                1.0 if bad else 0.0,
            ]
        )
    return np.array(rows, dtype=np.float64).reshape(-1, len(_FEATURES))


def _logistic(x: NDArray[np.float64], y: NDArray[np.float64], l2: float = 1.0) -> NDArray[np.float64]:
    """Weights (bias last) of an L2-regularised logistic regression, by Newton's method."""
    design = np.hstack([x, np.ones((x.shape[0], 1))])
    w = np.zeros(design.shape[1])
    penalty = l2 * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-(design @ w)))
        gradient = design.T @ (p - y) + penalty @ w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return w


def _oracle(rouge: _Rouge, article: int, size: int) -> Picks:
    """The greedy best ``POINTS`` sentences by ROUGE-1 (stopping when a sentence adds nothing)."""
    chosen: list[int] = []
    best = 0.0
    for _ in range(POINTS):
        gains = [(rouge.score(article, tuple(sorted([*chosen, i])))[0], i) for i in range(size) if i not in chosen]
        if not gains:
            break
        top, index = max(gains, key=lambda g: (g[0], -g[1]))
        if top <= best:
            break
        best = top
        chosen.append(index)
    return tuple(sorted(chosen))


def _logistic_candidate(articles: Sequence[Article], infos: Sequence[_Sentences], rouge: _Rouge) -> _Fitted:
    features = [_feature_rows(a, info) for a, info in zip(articles, infos, strict=True)]
    labels = []
    for k, article in enumerate(articles):
        oracle = set(_oracle(rouge, k, len(article.sentences)))
        labels.append(np.array([1.0 if i in oracle else 0.0 for i in range(len(article.sentences))]))

    def ranked(weights: NDArray[np.float64], mean: NDArray[np.float64], scale: NDArray[np.float64], k: int) -> list[int]:
        x = (features[k] - mean) / scale
        scores = x @ weights[:-1] + weights[-1]
        order = [i for i in np.argsort(-scores, kind="stable").tolist() if infos[k].words[i] >= 3]
        return [int(i) for i in order]

    def fit_weights(train: Sequence[int]) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        x = np.vstack([features[k] for k in train])
        y = np.concatenate([labels[k] for k in train])
        mean = x.mean(axis=0)
        scale = np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
        return _logistic((x - mean) / scale, y), mean, scale

    def fit(train: Sequence[int]) -> Callable[[int], Picks]:
        weights, mean, scale = fit_weights(train)
        # the redundancy threshold is chosen on the training folds too
        best_threshold, best_score = 1.01, -math.inf
        for threshold in (1.01, *_REDUNDANCY_THRESHOLDS):
            score = float(np.mean([rouge.score(k, _top(ranked(weights, mean, scale, k), infos[k], threshold))[0] for k in train]))
            if score > best_score:
                best_threshold, best_score = threshold, score
        return lambda k: _top(ranked(weights, mean, scale, k), infos[k], best_threshold)

    def describe(train: Sequence[int]) -> str:
        weights, _mean, _scale = fit_weights(train)
        return ", ".join(f"{name} {w:+.2f}" for name, w in zip(_FEATURES, weights, strict=False))

    return _Fitted("logistic model (7 features) + redundancy", len(_FEATURES) + 2, fit, describe)


# --- cross-validation --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RankerResult:
    """A candidate's unseen-fold differences to Lead-3 (ROUGE-1/2/L, one row a fold) and its choices."""

    name: str
    parameters: int
    deltas: tuple[tuple[float, float, float], ...]
    choices: tuple[str, ...]  # what each fold's training chose
    whole_set_choice: str  # what the whole set chooses: what would ship

    def mean(self, metric: int = 0) -> float:
        """Mean unseen-fold difference to Lead-3 in ``metric`` (0: ROUGE-1, 1: ROUGE-2, 2: ROUGE-L)."""
        return float(np.mean([d[metric] for d in self.deltas]))

    def std(self, metric: int = 0) -> float:
        """Standard deviation of the unseen-fold differences (across folds)."""
        return float(np.std([d[metric] for d in self.deltas], ddof=1))

    def standard_error(self, metric: int = 0) -> float:
        """Standard error of :meth:`mean` across folds."""
        return self.std(metric) / math.sqrt(len(self.deltas))

    def spread(self, metric: int = 0) -> tuple[float, float]:
        """The lowest and highest unseen-fold difference."""
        values = [d[metric] for d in self.deltas]
        return min(values), max(values)


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """The candidates' results, in order of parameter count, and the articles per fold."""

    fold_sizes: tuple[int, ...]
    results: tuple[RankerResult, ...]

    def simplest_within_noise(self) -> RankerResult:
        """The ranker with the fewest parameters whose mean ROUGE-1 is within one standard error of the best."""
        best = max(self.results, key=lambda r: r.mean())
        return min(
            (r for r in self.results if r.mean() >= best.mean() - best.standard_error()),
            key=lambda r: r.parameters,
        )


def _folds(articles: Sequence[Article]) -> list[list[int]]:
    folds: list[list[int]] = [[] for _ in range(FOLDS)]
    for k, article in enumerate(articles):
        folds[fold_of(article.id)].append(k)
    return folds


def _describe(setting: object) -> str:
    if isinstance(setting, tuple) and setting and all(isinstance(s, str) for s in setting):
        return "+".join(str(s) for s in setting)
    if isinstance(setting, tuple):
        return "(" + ", ".join(_describe(s) for s in setting) + ")"
    return str(setting) if setting != () else "-"


def _run_grid(candidate: _Grid, articles: Sequence[Article], infos: Sequence[_Sentences], rouge: _Rouge, lead: Scores, folds: Sequence[Sequence[int]]) -> RankerResult:
    table = np.stack(
        [rouge.matrix([candidate.pick(a, info, s) for a, info in zip(articles, infos, strict=True)]) for s in candidate.settings]
    )  # (settings, articles, 3)

    def choose(train: Sequence[int]) -> int:
        # the first best: settings are listed simplest first, so a tie keeps the simpler one
        return int(np.argmax(table[:, list(train), 0].mean(axis=1)))

    deltas, choices = [], []
    everything = list(range(len(articles)))
    for test in folds:
        train = [k for k in everything if k not in set(test)]
        s = choose(train)
        deltas.append(tuple(float(v) for v in (table[s, list(test)] - lead[list(test)]).mean(axis=0)))
        choices.append(_describe(candidate.settings[s]))
    whole = _describe(candidate.settings[choose(everything)])
    return RankerResult(candidate.name, candidate.parameters, tuple(deltas), tuple(choices), whole)  # type: ignore[arg-type]  # three metrics a row


def _run_fitted(candidate: _Fitted, articles: Sequence[Article], rouge: _Rouge, lead: Scores, folds: Sequence[Sequence[int]]) -> RankerResult:
    deltas, choices = [], []
    everything = list(range(len(articles)))
    for test in folds:
        train = [k for k in everything if k not in set(test)]
        model = candidate.fit(train)
        scores = np.array([rouge.score(k, model(k)) for k in test])
        deltas.append(tuple(float(v) for v in (scores - lead[list(test)]).mean(axis=0)))
        choices.append("fitted")
    return RankerResult(candidate.name, candidate.parameters, tuple(deltas), tuple(choices), candidate.describe(everything))  # type: ignore[arg-type]  # three metrics a row


def cross_validate(articles: Sequence[Article], *, names: Sequence[str] | None = None) -> CrossValidation:
    """Five-fold cross-validation of every candidate (or those ``names`` starts) against Lead-3."""
    rouge = _Rouge(articles)
    infos = [_analyse(a) for a in articles]
    lead = rouge.matrix([tuple(range(min(POINTS, len(a.sentences)))) for a in articles])
    folds = _folds(articles)
    grids = [_old_candidate(True), _old_candidate(False), _lead_candidate(), _skipping_candidate(), _skipping_redundancy_candidate(), _position_centrality_candidate()]
    results = []
    for grid in grids:
        if names is None or any(grid.name.startswith(n) for n in names):
            results.append(_run_grid(grid, articles, infos, rouge, lead, folds))
    fitted = "logistic model"
    if names is None or any(fitted.startswith(n) or n.startswith(fitted) for n in names):
        results.append(_run_fitted(_logistic_candidate(articles, infos, rouge), articles, rouge, lead, folds))
    ordered = sorted(results, key=lambda r: r.parameters)
    return CrossValidation(tuple(len(f) for f in folds), tuple(ordered))


def format_table(cv: CrossValidation) -> str:
    """A markdown table: each ranker's mean unseen-fold difference to Lead-3 with its spread."""
    lines = [
        f"Key-point rankers, {FOLDS}-fold cross-validation ({sum(cv.fold_sizes)} articles, folds of "
        + "/".join(str(n) for n in cv.fold_sizes)
        + "): mean unseen-fold difference to Lead-3, ± standard deviation across folds [lowest, highest fold]",
        "",
        "| ranker | parameters | ΔR1 | ± SE | ΔR2 | ΔRL | chosen on all |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in cv.results:
        cells = []
        for m in range(3):
            low, high = r.spread(m)
            cells.append(f"{r.mean(m):+.2f} ± {r.std(m):.2f} [{low:+.2f}, {high:+.2f}]")
        lines.append(
            f"| {r.name} | {r.parameters} | {cells[0]} | {r.standard_error():.2f} | {cells[1]} | {cells[2]} | {r.whole_set_choice} |"
        )
    pick = cv.simplest_within_noise()
    lines += ["", f"Simplest within one standard error of the best (ROUGE-1): {pick.name}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: print the cross-validation table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, required=True)
    args = parser.parse_args(argv)
    sys.stdout.write(format_table(cross_validate(load_articles(args.dataset))) + "\n")
    return 0


def _iter_fold_rows(cv: CrossValidation) -> Iterator[str]:
    for r in cv.results:
        yield f"{r.name}: " + "; ".join(f"{d[0]:+.2f} ({c})" for d, c in zip(r.deltas, r.choices, strict=True))


if __name__ == "__main__":
    raise SystemExit(main())
