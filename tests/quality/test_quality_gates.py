"""Quality gates: each harness on its development set must stay above a pinned floor.

Floors sit a little below the figures in docs/ (story floors last raised 2026-12-02), so noise does not fail
the build but a real regression does. Raise them when the figures rise. The data is read from
``../shared/data`` (or ``STORYWIRE_SHARED_DATA``) and never committed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

pytestmark = [pytest.mark.quality, pytest.mark.slow]

EXTRACTION = SHARED_DATA / "extraction" / "trafilatura-eval"
STORIES = SHARED_DATA / "stories" / "ecbplus-train-dev.jsonl"
WIKINEWS = SHARED_DATA / "stories" / "wikinews-dev.jsonl"
SUMMARIES = SHARED_DATA / "summaries" / "cnndm-dev.jsonl"
ENTITY_GOLD = Path(__file__).resolve().parents[1] / "data" / "entities_gold.jsonl"
QUOTES_GOLD = Path(__file__).resolve().parents[1] / "data" / "quotes_gold.jsonl"


def _needs(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"development data not found at {path}")


def test_the_cleaner_keeps_its_lead_over_trafilatura_on_the_extraction_set() -> None:
    from evaluation.extraction import evaluate_extraction

    _needs(EXTRACTION)
    report = evaluate_extraction(EXTRACTION, split="all")
    ours, baseline = (next(s for s in report.systems if s.name == n) for n in ("storywire", "trafilatura"))
    assert ours.f1 >= 0.935, ours
    assert ours.precision >= 0.93 and ours.recall >= 0.93, ours
    assert ours.f1 > baseline.f1 + 0.01, (ours.f1, baseline.f1)


def test_story_detection_holds_on_data_its_settings_were_not_chosen_on() -> None:
    # The shipped settings (chosen on ECB+ tune) on WikiNews-dev and on ECB+'s holdout topics, rows as
    # publishers send them, one order (#25; `make eval-stories` averages three and chooses thresholds
    # too): WikiNews-dev 0.717 (P 0.764, pair P 0.267; the baseline 0.764 is ahead, the goal 0.88 far),
    # ECB+ holdout 0.949 (P 0.969; baseline at its ECB+-chosen 0.25: 0.859). With the nearest-member gate
    # (2026-12-08): WikiNews-dev 0.717 (P 0.781, pair P 0.278), ECB+ holdout 0.949 (P 0.969); averaged over
    # three orders with thresholds chosen on ECB+ it took WikiNews-dev from 0.719 to 0.739.
    from evaluation.cross_source import CrossSource, story_set
    from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG

    _needs(STORIES)
    _needs(WIKINEWS)
    ecb, wikinews = story_set(STORIES, "ECB+"), story_set(WIKINEWS, "WikiNews-dev")
    harness = CrossSource(orders=1)
    unseen = harness.row(ecb, wikinews, DEFAULT_CLUSTER_CONFIG, baseline_threshold=0.25).system
    assert unseen.bcubed_f1 >= 0.69 and unseen.bcubed_p >= 0.76 and unseen.pair_p >= 0.25, unseen
    held = harness.row(ecb.part("tune"), ecb.part("holdout"), DEFAULT_CLUSTER_CONFIG, baseline_threshold=0.25)
    assert held.system.bcubed_f1 >= 0.935 and held.system.bcubed_p >= 0.95, held.system
    assert held.system.bcubed_f1 > held.baseline.bcubed_f1 + 0.05, held


def test_story_detection_holds_up_when_the_publisher_sends_each_rows_title_and_date() -> None:
    # ECB+ titles are first lines: ledes, sometimes dates. 0.941 on all before a date title was read
    # as a date and a lede title as the lede (2026-12-05, ninth session), 0.945 after; 0.950 since
    # numeric and ordinal date lines are read as dates (tenth session).
    from evaluation.stories import evaluate_stories
    from evaluation.story_set import load_articles

    _needs(STORIES)
    loaded = load_articles(STORIES, "all", inputs="publisher")
    report = evaluate_stories(STORIES, orders=3, split="all", loaded=loaded, inputs="publisher")
    assert report.system.bcubed_f1 >= 0.945 and report.system.bcubed_p >= 0.90, report.system


@pytest.fixture(scope="module")
def furniture() -> dict[str, list[str]]:
    """Menus, footers and teasers of the extraction set's English pages, the sites of half B only
    (which no cleaning rule was written against)."""
    from evaluation.furniture import site_furniture

    _needs(EXTRACTION)
    return site_furniture(EXTRACTION, "B")


def test_story_detection_holds_up_when_articles_arrive_in_their_sites_furniture(
    furniture: dict[str, list[str]],
) -> None:
    # Furniture around each ECB+ article, one item a line and no URL, so the cleaner cannot learn a
    # site's lines. Before the body span and the line-level outlet memory (2026-12-05): 0.19; 0.74 after,
    # 0.756 since numeric and ordinal date lines are read as dates (tenth session).
    from evaluation.stories import evaluate_stories
    from evaluation.story_set import load_articles

    _needs(STORIES)
    loaded = load_articles(STORIES, "all", inputs="pipeline", furniture=furniture)
    report = evaluate_stories(STORIES, orders=3, split="all", loaded=loaded)
    assert report.system.bcubed_f1 >= 0.72 and report.system.bcubed_p >= 0.80, report.system


def test_near_verbatim_copies_are_found_with_precision_and_recall_of_99_percent() -> None:
    from evaluation.duplicates import evaluate_near_duplicates

    _needs(STORIES)
    report = evaluate_near_duplicates(STORIES)
    assert report.precision >= 0.99 and report.recall >= 0.99, report


def test_key_points_stay_ahead_of_lead_3() -> None:
    from evaluation.key_point_cv import SHIPPED, cross_validate, load_articles
    from storywire.services.summarizer.key_points import CENTRALITY, DECAY, REPEATS_AT

    _needs(SUMMARIES)
    # The figure to expect on unseen articles: the shipped ranker, its rules, weights and threshold
    # chosen inside each of five folds and scored on the held-out one (issue 26). Position +
    # centrality without repeats: +0.83 ± 0.48 ROUGE-1 over Lead-3 (folds +0.30 to +1.35), ROUGE-2
    # +0.67, ROUGE-L +0.53; the simplest within one standard error (0.21) of the best. Before it the
    # first statements alone: +0.25 ± 0.60 (folds -0.56 to +1.11); the previous ranker +1.25
    # in-sample, +0.18 on unseen articles and -0.15 with its weights chosen in-fold.
    cv = cross_validate(load_articles(SUMMARIES), names=["Lead-3", SHIPPED])
    shipped = cv.result(SHIPPED)
    assert shipped.mean(0) >= 0.75 and min(d[0] for d in shipped.deltas) >= 0.2, shipped
    assert shipped.mean(1) >= 0.6 and shipped.mean(2) >= 0.45, shipped
    # What the whole set chooses ships (key_points.SKIP_RULES, ARTICLE_SKIP_RULES and the three
    # numbers: these, the quote introducer), but for "under 6 words", which one fold of five chose
    # (issue 26, docs/summaries.md).
    rules, *numbers = shipped.whole_set_choice.split(", ")
    assert set(rules.split("+")) == {"question", "unterminated", "pure quote", "caption", "off topic", "under 6 words"}
    assert numbers == [f"repeats at {REPEATS_AT:g}", f"decay/centrality {DECAY:g}/{CENTRALITY:g}"], shipped


def test_quotes_are_found_and_attributed_above_their_floors_on_the_labelled_set() -> None:
    from evaluation.summaries import evaluate_quotes

    _needs(SUMMARIES)
    # 16 articles labelled blind (2026-12-05): found 0.85 / 0.52 and right speaker 0.38 / 0.23 before
    # the rules written against them, 0.93 / 0.79 and 0.57 / 0.48 after. Named speakers (issue 26): a
    # wrong name is a defect, so pronouns and roles resolve only to the one person who fits, else to
    # none: named-speaker precision 0.74 -> 1.00 (48 of 48), recall 0.49 -> 0.56 of the 85 named.
    report = evaluate_quotes(QUOTES_GOLD, dataset=SUMMARIES)
    assert report.precision() >= 0.9 and report.recall() >= 0.75, report
    assert report.precision(attributed=True) >= 0.63 and report.recall(attributed=True) >= 0.52, report
    assert report.named_precision() >= 0.95 and report.named_recall() >= 0.54, report
    # The held-aside sets pin what no rule was chosen on, so a change that brings wrong names back fails
    # here. quotes_aside: named precision 0.68 -> 0.86 (25 of 29), recall 0.36 -> 0.33 of 76 (issue 26).
    # quotes_aside2 (16 articles labelled blind 2026-12-07, scored once after the rules were written):
    # named precision 0.84 (43 of 51), recall 0.38 of 114. quotes_gold2 (16 more labelled blind the same
    # day as a development set; no rule on main was chosen on it): 0.85 (39 of 46), recall 0.41 of 95.
    # With the entity rules of round 2, quotes_aside rose to 0.90 (26 of 29), recall 0.34; with those of
    # round 3 (2026-12-08) quotes_aside2 to 0.88 (45 of 51), recall 0.39. quotes_aside3 (16 articles
    # labelled blind 2026-12-08, scored once after the merge): 0.98 (53 of 54), recall 0.58. Round 4
    # (continuation past a caption naming nobody, attributed lower-case fragments; kept on the three
    # aside sets pooled): aside 0.89 (31 of 35) / 0.41, aside2 0.89 (50 of 56) / 0.44, aside3 0.98
    # (57 of 58) / 0.62, gold2 0.87 (46 of 53) / 0.48; quotes_gold 1.00 (48 of 48) / 0.56.
    unseen = {
        "quotes_aside.jsonl": (0.85, 0.38),
        "quotes_aside2.jsonl": (0.85, 0.41),
        "quotes_aside3.jsonl": (0.94, 0.59),
        "quotes_gold2.jsonl": (0.83, 0.45),
    }
    for name, (precision, recall) in unseen.items():
        aside = evaluate_quotes(QUOTES_GOLD.with_name(name), dataset=SUMMARIES)
        assert aside.named_precision() >= precision and aside.named_recall() >= recall, (name, aside)


def test_key_points_of_articles_in_their_sites_furniture_stay_close_to_the_clean_ones(
    furniture: dict[str, list[str]],
) -> None:
    # 40.9 ROUGE-1 against 42.6 on the clean texts; 31.8 before the body span (2026-12-05). 39.4
    # against 42.1 since the points are the first statements (issue 26): the previous ranker's
    # centrality passed over furniture lines the cleaner leaves at the top, the lede does not. 41.7
    # (against 42.4 clean) since the points start at the first statement on the article's topic
    # (chosen on the sites of half A: 40.3 -> 41.8 there). 42.2 (against 42.6 clean) since they are
    # ranked by position and centrality without repeats, chosen on the clean texts' folds.
    from evaluation.summaries import evaluate_summaries

    _needs(SUMMARIES)
    report = evaluate_summaries(SUMMARIES, split="all", furniture=furniture)
    assert report.ours[0] >= 41.8, report


def test_entities_stay_above_their_floors_on_the_hand_labelled_set() -> None:
    from evaluation.summaries import evaluate_entities

    _needs(SUMMARIES)
    report = evaluate_entities(ENTITY_GOLD, dataset=SUMMARIES)
    # The set grew from 23 to 47 documents on 2026-12-02 (24 articles labelled blind, some much harder:
    # a fashion piece full of brand names, a racing piece full of horses); the floors moved with the
    # set, not with the rules: on the 23, organisations 0.85 / 0.80 -> 0.88 / 0.84; on all 47 the rules
    # of before score person 0.77 / 0.88, place 0.80 / 0.76, organisation 0.68 / 0.65 (now 0.81 / 0.92,
    # 0.83 / 0.80, 0.79 / 0.72). The list of well-known organisations (2026-12-05) took organisations
    # to 0.81 / 0.82 and places to 0.86 / 0.80. The held-aside set has no floor: a floor invites
    # tuning to it. Issue 26 (2026-12): rules that guessed a type from "the" or a place inside a
    # pair were deleted (they did not pay on the held-aside set); recall gave way to precision:
    # person 0.79 / 0.92, place 0.92 / 0.79, organisation 0.85 / 0.78. Round 2 (2026-12-07): person
    # 0.86 / 0.93, place 0.93 / 0.80, organisation 0.86 / 0.81. Round 3 (2026-12-08: a lone name after
    # "in" is a place, an unknown acronym alone is no organisation, given names of 45 locales): person
    # 0.85 / 0.95, place 0.93 / 0.81, organisation 0.89 / 0.80. Round 4 (2026-12-08, place recall: a
    # possessive before a place head, "X, <known place>", "the village X", a national side stays a
    # country, NSW, a compound adjective before a name): person 0.85 / 0.95, place 0.94 / 0.86,
    # organisation 0.89 / 0.81.
    floors = {"PER": (0.84, 0.92), "LOC": (0.92, 0.84), "ORG": (0.87, 0.78)}
    for kind, (precision, recall) in floors.items():
        assert report.precision(kind) >= precision, (kind, report)
        assert report.recall(kind) >= recall, (kind, report)
    # entities_aside2 (20 articles labelled blind 2026-12-07, never read while writing rules; scored in
    # aggregate only): a floor a little under the measured figures (person 0.74 / 0.82, place 0.89 / 0.69,
    # organisation 0.80 / 0.62, micro 0.81 / 0.71; round 3: person 0.75 / 0.83, place 0.89 / 0.73,
    # organisation 0.82 / 0.62, micro 0.81 / 0.72; round 4: person 0.75 / 0.83, place 0.88 / 0.74,
    # organisation 0.82 / 0.62, micro 0.81 / 0.73), so a change that brings guesses back fails here.
    # One entity is 1.3 to 1.6 points of a type on this set.
    aside2 = evaluate_entities(ENTITY_GOLD.with_name("entities_aside2.jsonl"), dataset=SUMMARIES)
    aside2_floors = {"PER": (0.71, 0.78), "LOC": (0.85, 0.70), "ORG": (0.77, 0.59)}
    for kind, (precision, recall) in aside2_floors.items():
        assert aside2.precision(kind) >= precision, (kind, aside2)
        assert aside2.recall(kind) >= recall, (kind, aside2)


def test_story_headlines_stay_above_their_floor_on_the_unseen_half_of_the_wikinews_events() -> None:
    # Half B of the events (evaluation/story_headlines.py, half_of) was not looked at when the rule was
    # chosen: 2026-12-08, 38.33 / 16.87 / 32.80 ROUGE-1/2/L (earliest title 36.59, medoid title 41.08:
    # the goal of +2 over both is not met; 41 events, a difference's 95 % interval is about ±5). On half A
    # 38.25 (31.86, 34.96). Every story of a titled article has a headline, none from site furniture.
    from evaluation.story_headlines import build_stories, evaluate_story_headlines

    wikinews = SHARED_DATA / "stories" / "wikinews-dev.jsonl"
    _needs(wikinews)
    report = evaluate_story_headlines(build_stories(wikinews), "B")
    assert report.scores["headline"][0] >= 37.5, report
    assert report.scores["headline"][0] > report.scores["earliest"][0], report
    assert report.no_headline == 0 and report.furniture == 0, report


def test_topics_above_stories_stay_above_their_floor_on_ecb_plus_held_aside_topics() -> None:
    from evaluation.story_set import load_articles, split_of
    from evaluation.topics import choose_baseline, evaluate_topics
    from storywire.services.dedup.topics import TOPIC_THRESHOLD

    _needs(STORIES)
    loaded = load_articles(STORIES, "all", inputs="pipeline")
    # The baseline's threshold is chosen on the tune topics, as storywire's TOPIC_THRESHOLD was.
    baseline, _ = choose_baseline([a for a in loaded if split_of(a.topic) == "tune"], orders=3, seed=0)
    report = evaluate_topics(
        loaded, "holdout", threshold=TOPIC_THRESHOLD, baseline_threshold=baseline, orders=3, seed=0
    )
    # 2026-12-07: held-aside B³ F1 0.878 (P 0.987, R 0.790) with the topic decided once; every story
    # its own topic 0.679, single-pass TF-IDF at a topic-level threshold 0.812. 2026-12-08: 0.910
    # (P 0.987, R 0.845) since a young story revisits its topic (settings chosen on tune, where
    # they went 0.894 -> 0.930). Events are never split across topics.
    assert report.topics.bcubed_f1 >= 0.895, report
    assert report.topics.bcubed_p >= 0.95, report
    assert report.topics.bcubed_f1 > report.baseline.bcubed_f1 + 0.06, report
    # The revisit is kept only while it earns its place over the topic decided once.
    assert report.topics.bcubed_f1 > report.once.bcubed_f1 + 0.02, report
    assert report.events_kept >= 0.99, report
