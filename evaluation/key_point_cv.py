"""Which key-point ranker to ship: five-fold cross-validation against Lead-3 on the development set.

Every article goes to one of five folds by the SHA-1 of its id. For each fold, each candidate ranker
chooses whatever it has to choose (rules, weights, thresholds, a fitted model) on the other four
folds only, and is then scored on the held-out one: ROUGE-1/2/L F-measure x100 (rouge-score, Porter
stemming, as :mod:`evaluation.summaries` scores) of its first three points against the reference,
less Lead-3's (the first three sentences). Reported per ranker: the mean of the five unseen-fold
differences, their standard deviation and standard error, their range, and how many parameters the
ranker chooses. The fold a ranker never saw is the figure to expect on unseen articles of this kind.

Candidates, simplest first: Lead-3 itself; Lead-3 skipping sentences that are no statement (the
rules of :data:`SKIP_POOL` and :data:`ARTICLE_SKIP_POOL` kept by forward selection in-fold); the same
plus a threshold on repeats; the sentences those rules keep reordered by position and centrality,
without repeats (two weights and the threshold on a grid: what ``services/summarizer/key_points.py``
ships, :data:`SHIPPED`); the same with a weight for similarity to the lede; and a logistic model over
seven sentence features, fitted in-fold to the sentences of each training article's best
three-sentence extract (the greedy ROUGE-1 oracle). The previous ranker (15 weights, tuned on
articles of every fold) was measured at commit b5bd9b9 of this harness, see ``docs/summaries.md``.

Run: ``storywire eval summaries --dataset PATH --key-point-cv`` (``make eval-summaries``) prints the
table; ``python -m evaluation.key_point_cv --dataset PATH [--folds]`` prints it alone.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
from numpy.typing import NDArray

from evaluation.jsonl import read_jsonl
from evaluation.rouge import f_measures
from storywire.services.cleaner.wire_boilerplate import strip_wire_boilerplate
from storywire.services.summarizer import key_points as shipped
from storywire.services.summarizer.document import Document
from storywire.services.summarizer.keywords import terms

__all__ = [
    "ARTICLE_SKIP_POOL",
    "FOLDS",
    "SHIPPED",
    "SKIP_POOL",
    "Article",
    "CrossValidation",
    "RankerResult",
    "candidate_names",
    "cross_validate",
    "fold_of",
    "format_folds",
    "format_table",
    "load_articles",
    "main",
    "report",
]

FOLDS = 5
POINTS = 3

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
    for row in read_jsonl(dataset):
        document = Document.of(strip_wire_boilerplate(str(row["text"])))
        articles.append(Article(str(row["id"]), str(row["reference"]), document.sentences))
    return articles


class _Rouge:
    """ROUGE of a choice of sentences against the reference, each choice scored once."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self._articles = articles
        self._cache: dict[tuple[int, Picks], tuple[float, float, float]] = {}

    def score(self, article: int, picks: Picks) -> tuple[float, float, float]:
        key = (article, picks)
        if key not in self._cache:
            doc = self._articles[article]
            summary = " ".join(doc.sentences[i] for i in picks)
            r1, r2, rl = f_measures(doc.reference, summary)
            self._cache[key] = (100 * r1, 100 * r2, 100 * rl)
        return self._cache[key]

    def matrix(self, picks: Sequence[Picks]) -> Scores:
        """Scores of each article's picks (one pick list per article)."""
        return np.array([self.score(i, p) for i, p in enumerate(picks)], dtype=np.float64)


# --- sentence features the candidates share ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sentences:
    """What the candidates read of an article's sentences, computed once."""

    words: tuple[int, ...]
    vectors: tuple[Counter[str], ...]
    lede_similarity: tuple[float, ...]  # the first sentence's own is 0: a match with itself is no evidence
    centrality: tuple[float, ...]


def _analyse(article: Article) -> _Sentences:
    # The shipped ranker's term vectors and centrality (shipped.rank_sentences), computed once an article.
    vectors = tuple(Counter(terms(s)) for s in article.sentences)
    words = tuple(len(_WORDS.findall(s)) for s in article.sentences)
    lede = vectors[0] if vectors else Counter[str]()
    lede_sim = tuple(0.0 if i == 0 else shipped.similarity(v, lede) for i, v in enumerate(vectors))
    return _Sentences(words, vectors, lede_sim, tuple(shipped.centralities(vectors)))


def _top(order: Sequence[int], info: _Sentences, threshold: float) -> Picks:
    """The first ``POINTS`` of ``order`` that repeat no earlier pick (cosine below ``threshold``), as shipped."""
    return tuple(shipped.without_repeats(order, info.vectors, limit=POINTS, repeats_at=threshold))


# --- candidates --------------------------------------------------------------------------------

_SKIPPING = "Lead-3 skipping non-statements"
_NO_REPEATS = "Lead-3 skipping non-statements, no repeats"
SHIPPED = "position + centrality, no repeats"
"""The candidate ``services/summarizer/key_points.py`` ships (its :func:`rank_sentences` with the defaults)."""
_LEDE = "position + centrality + lede similarity, no repeats"

_WORDS = re.compile(r"\w+")


def _headline_case(sentence: str) -> bool:
    long_words = [w for w in _WORDS.findall(sentence) if len(w) >= 4 and w.isalpha()]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) > 0.6 * len(long_words)


_DANGLING = frozenset(
    [
        "he",
        "she",
        "it",
        "they",
        "his",
        "her",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "but",
        "and",
        "or",
        "so",
        "also",
        "however",
    ]
)

# Sentence tests a lead-biased ranker may skip: the shipped ones, and the ones tried and left out.
# Which ones a ranker uses is chosen in-fold, by forward selection.
SKIP_POOL: dict[str, Callable[[str], bool]] = {
    **shipped.SKIP_RULES,
    "fragment": lambda s: len(_WORDS.findall(s)) < 3,
    "dangling opening": lambda s: (m := _WORDS.search(s)) is not None and m.group(0).lower() in _DANGLING,
    "over 50 words": lambda s: len(_WORDS.findall(s)) > 50,
    "under 6 words": lambda s: len(_WORDS.findall(s)) < 6,
    "headline case": _headline_case,
}
# Tests that read a sentence against its article (the shipped off-topic rule), in the same selection.
ARTICLE_SKIP_POOL: dict[str, shipped.ArticleSkipRule] = dict(shipped.ARTICLE_SKIP_RULES)
_RULES = (*SKIP_POOL, *ARTICLE_SKIP_POOL)


class _Skipper:
    """The sentences a choice of rules keeps, in order, as the shipped ranker keeps them (its fallbacks too).

    What an article test skips is computed once an article.
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        self._articles = articles
        self._skipped: dict[tuple[int, str], Collection[int]] = {}

    def _article_test(self, k: int, name: str) -> shipped.ArticleSkipRule:
        if (k, name) not in self._skipped:
            self._skipped[k, name] = ARTICLE_SKIP_POOL[name](self._articles[k].sentences, None)
        skipped = self._skipped[k, name]
        return lambda _sentences, _language: skipped

    def kept(self, k: int, rules: Sequence[str], limit: int | None = None) -> list[int]:
        """Article ``k``'s first ``limit`` (default: all) sentences that the ``rules`` keep."""
        kept = shipped.eligible(
            self._articles[k].sentences,
            skip=[SKIP_POOL[r] for r in rules if r in SKIP_POOL],
            article_skip=[self._article_test(k, r) for r in rules if r in ARTICLE_SKIP_POOL],
        )
        return kept if limit is None else kept[:limit]


_REDUNDANCY_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
_NO_THRESHOLD = 1.01  # above any cosine: nothing is a repeat


class _Cache:
    """Each article's picks for a setting, computed once, and their ROUGE."""

    def __init__(self, articles: Sequence[Article], rouge: _Rouge, pick: Callable[[int, Hashable], Picks]) -> None:
        self._articles = articles
        self._rouge = rouge
        self._pick = pick
        self._picks: dict[tuple[int, Hashable], Picks] = {}

    def picks(self, k: int, setting: Hashable) -> Picks:
        if (k, setting) not in self._picks:
            self._picks[k, setting] = self._pick(k, setting)
        return self._picks[k, setting]

    def scores(self, articles: Sequence[int], setting: Hashable) -> Scores:
        return np.array([self._rouge.score(k, self.picks(k, setting)) for k in articles], dtype=np.float64)

    def r1(self, articles: Sequence[int], setting: Hashable) -> float:
        return float(self.scores(articles, setting)[:, 0].mean())


def _best(cache: _Cache, train: Sequence[int], settings: Iterable[Hashable]) -> Hashable:
    """The setting with the best training ROUGE-1; the first of equals (settings come simplest first)."""
    best: Hashable = None
    best_score = -math.inf
    for setting in settings:
        score = cache.r1(train, setting)
        if score > best_score + 1e-9:
            best, best_score = setting, score
    return best


def _forward(cache: _Cache, train: Sequence[int], make: Callable[[tuple[str, ...]], Hashable]) -> tuple[str, ...]:
    """Skip rules added one at a time while one raises the training ROUGE-1, the best first."""
    rules: tuple[str, ...] = ()
    score = cache.r1(train, make(rules))
    while True:
        options = [(cache.r1(train, make((*rules, r))), r) for r in _RULES if r not in rules]
        if not options:
            return rules
        top, rule = max(options, key=lambda o: o[0])
        if top <= score + 1e-9:
            return rules
        rules, score = (*rules, rule), top


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A ranker: what it chooses on training articles (``fit``) and its picks for a choice."""

    name: str
    parameters: str
    fit: Callable[[Sequence[int]], Hashable]
    cache: _Cache


def _lead(articles: Sequence[Article], rouge: _Rouge) -> _Candidate:
    cache = _Cache(articles, rouge, lambda k, _s: tuple(range(min(POINTS, len(articles[k].sentences)))))
    return _Candidate("Lead-3", "0", lambda _train: (), cache)


def _skipping(
    articles: Sequence[Article], infos: Sequence[_Sentences], rouge: _Rouge, *, redundancy: bool
) -> _Candidate:
    """Lead-3 over the sentences that pass the chosen skip rules (and, with ``redundancy``, repeat no pick)."""
    skipper = _Skipper(articles)

    def pick(k: int, setting: Hashable) -> Picks:
        rules, threshold = cast("tuple[tuple[str, ...], float]", setting)
        if threshold == _NO_THRESHOLD:  # the shipped ranker itself
            return tuple(skipper.kept(k, rules, POINTS))
        return _top(skipper.kept(k, rules), infos[k], threshold)

    cache = _Cache(articles, rouge, pick)

    def fit(train: Sequence[int]) -> Hashable:
        rules = _forward(cache, train, lambda r: (r, _NO_THRESHOLD))
        if not redundancy:
            return (rules, _NO_THRESHOLD)
        return _best(cache, train, [(rules, t) for t in (_NO_THRESHOLD, *_REDUNDANCY_THRESHOLDS)])

    if redundancy:
        return _Candidate(_NO_REPEATS, f"rules of {len(_RULES)} + 1", fit, cache)
    return _Candidate(_SKIPPING, f"rules of {len(_RULES)}", fit, cache)


def _reordered(articles: Sequence[Article], infos: Sequence[_Sentences], rouge: _Rouge) -> _Cache:
    """Sentences that pass the skip rules, reordered by position, centrality and lede similarity.

    A setting is (rules, repeat threshold, (decay, centrality weight, lede weight)).
    """
    skipper = _Skipper(articles)

    def pick(k: int, setting: Hashable) -> Picks:
        rules, threshold, (decay, centrality, lede) = cast(
            "tuple[tuple[str, ...], float, tuple[float, float, float]]", setting
        )
        info = infos[k]
        order = skipper.kept(k, rules)
        position = shipped.position_scores(info.centrality, decay=decay, weight=centrality)
        score = {i: position[i] + lede * info.lede_similarity[i] for i in order}
        return _top(sorted(order, key=lambda i: (-score[i], i)), info, threshold)

    return _Cache(articles, rouge, pick)


def _position_centrality(cache: _Cache, *, lede: bool) -> _Candidate:
    """Rules by forward selection as for Lead-3, then weights and a repeat threshold on a grid.

    Without ``lede`` the lede weight is 0: a grid of 16 weights (and 6 thresholds) instead of 48.
    """
    grid = tuple(itertools.product((1.0, 2.0, 4.0, 8.0), (0.0, 0.5, 1.0, 2.0), (0.0, 0.5, 1.0) if lede else (0.0,)))
    lead_like = (1.0, 0.0, 0.0)

    def fit(train: Sequence[int]) -> Hashable:
        rules = _forward(cache, train, lambda r: (r, _NO_THRESHOLD, lead_like))
        settings = [(rules, t, w) for w in grid for t in (_NO_THRESHOLD, *_REDUNDANCY_THRESHOLDS)]
        return _best(cache, train, [(rules, _NO_THRESHOLD, lead_like), *settings])

    if lede:
        return _Candidate(_LEDE, f"rules of {len(_RULES)} + 4", fit, cache)
    return _Candidate(SHIPPED, f"rules of {len(_RULES)} + 3", fit, cache)


# --- the logistic model ------------------------------------------------------------------------

_FEATURES = ("first", "exp(-i/2)", "exp(-i/8)", "lede similarity", "centrality", "words/30", "no statement")
_LOGISTIC = f"logistic model ({len(_FEATURES)} features), no repeats"


def _feature_rows(article: Article, info: _Sentences) -> NDArray[np.float64]:
    rows = [
        [
            1.0 if i == 0 else 0.0,
            math.exp(-i / 2.0),
            math.exp(-i / 8.0),
            info.lede_similarity[i],
            info.centrality[i],
            min(info.words[i], 60) / 30.0,
            0.0 if shipped.is_statement(sentence) else 1.0,
        ]
        for i, sentence in enumerate(article.sentences)
    ]
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


def _logistic_model(articles: Sequence[Article], infos: Sequence[_Sentences], rouge: _Rouge) -> _Candidate:
    """A logistic model of "in the best three-sentence extract", then the most likely that repeat nothing."""
    features = [_feature_rows(a, info) for a, info in zip(articles, infos, strict=True)]
    labels = []
    for k, article in enumerate(articles):
        oracle = set(_oracle(rouge, k, len(article.sentences)))
        labels.append(np.array([1.0 if i in oracle else 0.0 for i in range(len(article.sentences))]))

    def pick(k: int, setting: Hashable) -> Picks:
        weights, mean, scale, threshold = cast(
            "tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...], float]", setting
        )
        x = (features[k] - np.array(mean)) / np.array(scale)
        scores = x @ np.array(weights[:-1]) + weights[-1]
        order = [int(i) for i in np.argsort(-scores, kind="stable") if infos[k].words[int(i)] >= 3]
        return _top(order, infos[k], threshold)

    cache = _Cache(articles, rouge, pick)

    def fit(train: Sequence[int]) -> Hashable:
        x = np.vstack([features[k] for k in train])
        y = np.concatenate([labels[k] for k in train])
        mean = x.mean(axis=0)
        scale = np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
        model = tuple(float(v) for v in _logistic((x - mean) / scale, y))
        frozen = (model, tuple(float(v) for v in mean), tuple(float(v) for v in scale))
        return _best(cache, train, [(*frozen, t) for t in (_NO_THRESHOLD, *_REDUNDANCY_THRESHOLDS)])

    return _Candidate(_LOGISTIC, f"{len(_FEATURES) + 2}", fit, cache)


# --- cross-validation --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RankerResult:
    """A candidate's unseen-fold differences to Lead-3 (ROUGE-1/2/L, one row a fold) and its choices."""

    name: str
    parameters: str
    deltas: tuple[tuple[float, float, float], ...]
    choices: tuple[str, ...]  # what each fold's training chose
    whole_set_choice: str  # what the whole development set chooses: what would ship

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
    """The candidates' results, simplest first, and the articles per fold."""

    fold_sizes: tuple[int, ...]
    results: tuple[RankerResult, ...]

    def result(self, name: str) -> RankerResult:
        """The result of the candidate called ``name``."""
        return next(r for r in self.results if r.name == name)

    def simplest_within_noise(self) -> RankerResult:
        """The first (simplest) ranker whose mean ROUGE-1 is within one standard error of the best's."""
        best = max(self.results, key=lambda r: r.mean())
        return next(r for r in self.results if r.mean() >= best.mean() - best.standard_error())


def _folds(articles: Sequence[Article]) -> list[list[int]]:
    folds: list[list[int]] = [[] for _ in range(FOLDS)]
    for k, article in enumerate(articles):
        folds[fold_of(article.id)].append(k)
    return folds


def _describe(setting: Hashable) -> str:
    """A choice as a reader wants it: the rules and the threshold (a model's weights are left out)."""
    if not isinstance(setting, tuple) or not setting:
        return "-"
    rules, threshold = setting[0], setting[1]
    if isinstance(rules, tuple) and all(isinstance(r, str) for r in rules):
        text = "+".join(rules) or "no rule"
    else:
        text = "fitted weights"
        threshold = setting[-1]
    if threshold != _NO_THRESHOLD:
        text += f", repeats at {threshold}"
    if len(setting) == 3 and isinstance(setting[2], tuple):
        decay, centrality, lede = setting[2]
        if lede:
            text += f", decay/centrality/lede {decay:g}/{centrality:g}/{lede:g}"
        else:  # what the ranker without the lede chooses reads the same in both rows
            text += f", decay/centrality {decay:g}/{centrality:g}"
    return text


def _run(candidate: _Candidate, lead: Scores, folds: Sequence[Sequence[int]]) -> RankerResult:
    everything = [k for fold in folds for k in fold]
    deltas: list[tuple[float, float, float]] = []
    choices: list[str] = []
    for test in folds:
        held_out = set(test)
        setting = candidate.fit([k for k in everything if k not in held_out])
        d1, d2, dl = (candidate.cache.scores(test, setting) - lead[list(test)]).mean(axis=0)
        deltas.append((float(d1), float(d2), float(dl)))
        choices.append(_describe(setting))
    whole = _describe(candidate.fit(sorted(everything)))
    return RankerResult(candidate.name, candidate.parameters, tuple(deltas), tuple(choices), whole)


def candidate_names() -> tuple[str, ...]:
    """The candidates' names, simplest first."""
    return ("Lead-3", _SKIPPING, _NO_REPEATS, SHIPPED, _LEDE, _LOGISTIC)


def cross_validate(articles: Sequence[Article], *, names: Collection[str] | None = None) -> CrossValidation:
    """Five-fold cross-validation of every candidate (or those in ``names``) against Lead-3."""
    rouge = _Rouge(articles)
    lead = rouge.matrix([tuple(range(min(POINTS, len(a.sentences)))) for a in articles])
    folds = _folds(articles)
    wanted = set(candidate_names() if names is None else names)
    infos = [_analyse(a) for a in articles] if wanted != {"Lead-3"} else []
    reordered = _reordered(articles, infos, rouge)  # shared: the two reorderings' settings overlap
    makers: dict[str, Callable[[], _Candidate]] = {
        "Lead-3": lambda: _lead(articles, rouge),
        _SKIPPING: lambda: _skipping(articles, infos, rouge, redundancy=False),
        _NO_REPEATS: lambda: _skipping(articles, infos, rouge, redundancy=True),
        SHIPPED: lambda: _position_centrality(reordered, lede=False),
        _LEDE: lambda: _position_centrality(reordered, lede=True),
        _LOGISTIC: lambda: _logistic_model(articles, infos, rouge),
    }
    results = tuple(_run(makers[name](), lead, folds) for name in candidate_names() if name in wanted)
    return CrossValidation(tuple(len(f) for f in folds), results)


def format_table(cv: CrossValidation) -> str:
    """A markdown table: each ranker's mean unseen-fold difference to Lead-3 with its spread."""
    lines = [
        f"Key-point rankers, {FOLDS}-fold cross-validation ({sum(cv.fold_sizes)} articles, folds of "
        + "/".join(str(n) for n in cv.fold_sizes)
        + "): mean unseen-fold difference to Lead-3 (ROUGE F x100), ± standard deviation across folds "
        "[lowest, highest fold]; each fold's choices made on the other four",
        "",
        f"| ranker | parameters | ΔR1 | SE | ΔR2 | ΔRL | chosen on all {sum(cv.fold_sizes)} |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in cv.results:
        cells = []
        for m in range(3):
            low, high = r.spread(m)
            cells.append(f"{r.mean(m):+.2f} ± {r.std(m):.2f} [{low:+.2f}, {high:+.2f}]")
        lines.append(
            f"| {r.name} | {r.parameters} | {cells[0]} | {r.standard_error():.2f} | {cells[1]} | {cells[2]} | "
            f"{r.whole_set_choice} |"
        )
    lines += ["", f"Simplest within one standard error of the best ROUGE-1: {cv.simplest_within_noise().name}."]
    lines += [f"Shipped: {SHIPPED}."]
    return "\n".join(lines)


def format_folds(cv: CrossValidation) -> str:
    """Each candidate's unseen-fold ROUGE-1 difference and what that fold's training chose."""
    return "\n".join(
        f"- {r.name}: " + "; ".join(f"{d[0]:+.2f} ({c})" for d, c in zip(r.deltas, r.choices, strict=True))
        for r in cv.results
    )


def report(dataset: Path, *, folds: bool = True) -> str:
    """The cross-validation table of every candidate on ``dataset`` (and each fold's choices)."""
    cv = cross_validate(load_articles(dataset))
    return format_table(cv) + ("\n\n" + format_folds(cv) if folds else "")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: print the cross-validation table (and each fold's choices)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, required=True)
    parser.add_argument("--folds", action="store_true", help="also print each fold's figure and choices")
    args = parser.parse_args(argv)
    sys.stdout.write(report(args.dataset, folds=args.folds) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
