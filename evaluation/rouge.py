"""ROUGE as the summary harnesses score it: ROUGE-1/2/L F-measure (rouge-score, Porter stemming)."""

from __future__ import annotations

from rouge_score import rouge_scorer

__all__ = ["METRICS", "f_measures"]

METRICS = ("rouge1", "rouge2", "rougeL")

_SCORER = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)


def f_measures(reference: str, summary: str) -> tuple[float, float, float]:
    """ROUGE-1, ROUGE-2 and ROUGE-L F-measures (0 to 1) of ``summary`` against ``reference``."""
    scores = _SCORER.score(reference, summary)
    return (scores["rouge1"].fmeasure, scores["rouge2"].fmeasure, scores["rougeL"].fmeasure)
