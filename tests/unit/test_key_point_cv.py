"""The key-point cross-validation scores the ranker that ships, not a copy of it."""

from evaluation.key_point_cv import ARTICLE_SKIP_POOL, POINTS, Article, _analyse, _reordered, _Rouge
from storywire.services.summarizer.document import Document
from storywire.services.summarizer.key_points import (
    ARTICLE_SKIP_RULES,
    CENTRALITY,
    DECAY,
    REPEATS_AT,
    SKIP_RULES,
    rank_sentences,
)

TEXTS = (
    "PC Gamer is supported by its audience.\n\n"
    "A fire destroyed a furniture warehouse in Leeds on Sunday night, the fire service said. "
    "Forty firefighters fought the fire in the warehouse for six hours. "
    "The warehouse was empty and nobody was hurt, the fire service said. "
    "Police are treating the fire as arson and asked witnesses to come forward.",
    "Kilmarnock will confirm Gary Locke as their new permanent manager on Friday. "
    "Gary Locke will be confirmed as Kilmarnock's permanent manager on Friday, the club said. "
    "Was it a surprise? "
    "The former Hearts boss will be given a three-year deal. "
    "He took charge on an interim basis in October after the club sacked Allan Johnston.",
    "The city council approved a transport budget for bus and tram services on Monday. "
    "Reporters waited outside in the rain all afternoon. "
    "Twelve new bus routes and longer tram services will cut commuting times. "
    "Commuters on the bus routes and trams will save twenty minutes a day. "
    "The tram services will run every ten minutes, and buses every five.",
)


def test_the_harness_picks_the_shipped_rankers_points_with_the_shipped_setting() -> None:
    articles = [Article(str(n), "", Document.of(text).sentences) for n, text in enumerate(TEXTS)]
    cache = _reordered(articles, [_analyse(a) for a in articles], _Rouge(articles))
    rules = (*SKIP_RULES, *ARTICLE_SKIP_RULES)
    assert set(ARTICLE_SKIP_RULES) <= set(ARTICLE_SKIP_POOL)
    shipped_setting = (rules, REPEATS_AT, (DECAY, CENTRALITY, 0.0))
    for k, article in enumerate(articles):
        assert list(cache.picks(k, shipped_setting)) == rank_sentences(article.sentences, limit=POINTS)
