"""Tests for merging key points across outlets."""

import re
from pathlib import Path

from storywire.services.summarizer.key_points import key_points
from storywire.services.summarizer.story_merge import merge_key_points

SEEDS = Path(__file__).parents[2] / "seeds"
_BOILERPLATE = re.compile(
    r"^(Stay up to date|Notifications can|Your support|From reproductive|At such a critical|"
    r"The Independent is trusted|Join our commenting|Join thought-provoking|Comments$|"
    r"Thank you for registering|Please refresh|ADVERTISEMENT)"
)


def _clean(text: str) -> str:
    return "\n\n".join(p for p in text.split("\n") if p.strip() and not _BOILERPLATE.match(p.strip()))


def test_the_same_fact_from_two_outlets_becomes_one_point_with_both_outlets() -> None:
    merged = merge_key_points(
        [
            ("a1", "outlet-a", ["Heavy rain flooded the city centre on Monday.", "The mayor resigned."]),
            ("b1", "outlet-b", ["The city centre was flooded by heavy rain on Monday."]),
        ]
    )
    assert merged[0].outlets == ("outlet-a", "outlet-b")
    assert len(merged) == 2


def test_seed_story_has_the_gomel_talks_point_supported_by_both_outlets() -> None:
    paths = sorted(SEEDS.glob("*.txt"))
    independent = paths[0].read_text(encoding="utf-8")
    independent = independent[independent.index("The Kremlin announced") :]
    articles = [
        ("000", "independent", key_points(_clean(independent), limit=5)),
        ("003", "rt", key_points(_clean(paths[1].read_text(encoding="utf-8")), limit=5)),
    ]
    merged = merge_key_points(articles)
    both = [m for m in merged if m.outlets == ("independent", "rt")]
    assert both and merged[0] in both
    assert any(re.search("Gomel|Homel", m.text) for m in both)
    texts = [m.text for m in merged]
    assert len(texts) == len(set(texts))


def test_two_german_points_that_share_only_function_words_stay_apart() -> None:
    articles = [
        ("d1", "outlet-a", ["Die Regierung hat sich für die Verlängerung der Frist in Brüssel entschieden."]),
        ("d2", "outlet-b", ["Die Polizei hat sich in der Nacht für die Sperrung der Autobahn entschieden."]),
    ]
    assert len(merge_key_points(articles, {"d1": "de", "d2": "de"})) == 2
