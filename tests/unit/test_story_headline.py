"""A story is headed by the title its outlets agree on, without an outlet's name, and the harness
that measures it against human headlines splits, baselines and counts as it says."""

from __future__ import annotations

from pathlib import Path

import orjson

from evaluation.story_headlines import (
    build_stories,
    evaluate_story_headlines,
    format_headline_report,
    half_of,
    is_furniture,
    medoid_title,
)
from evaluation.story_set import Article
from storywire.services.summarizer.digests import ArticleDigest, StoryDigests
from storywire.services.summarizer.story_headline import story_headline, without_outlet
from storywire.services.summarizer.summarizing import summarize_story


def _digest(article_id: str, outlet: str, headline: str | None, seen_at: float, *points: str) -> ArticleDigest:
    return ArticleDigest(article_id, outlet, headline, points, (), seen_at, "en")


def _story(*digests: ArticleDigest) -> StoryDigests:
    return StoryDigests(
        story_id="s1",
        sample=digests,
        article_ids=tuple(d.article_id for d in digests),
        outlets=tuple(d.outlet or "" for d in digests),
        first_seen=digests[0].seen_at,
        last_seen=digests[-1].seen_at,
    )


def test_a_story_is_headed_by_the_title_its_outlets_agree_on_not_the_earliest() -> None:
    story = _story(
        _digest("a", "politicalticker.example", "Politicians react to the senator's passing", 1.0),
        _digest("b", "dawn.example", "Former senator George McGovern dies at 90", 2.0),
        _digest("c", "cbs.example", "George McGovern, former senator, dead at 90", 3.0),
    )
    assert summarize_story(story).headline == "Former senator George McGovern dies at 90"


def test_two_titles_that_agree_on_nothing_leave_the_earliest_at_the_head() -> None:
    first = _digest("a", "one.example", "Storm floods coastal towns", 1.0)
    second = _digest("b", "two.example", "Residents count the cost", 2.0)
    assert story_headline([first, second]) == "Storm floods coastal towns"


def test_a_titled_article_heads_the_story_before_an_earlier_one_headed_by_its_first_key_point() -> None:
    untitled = _digest("a", "one.example", "The storm hit at dawn.", 1.0, "The storm hit at dawn.", "Two died.")
    titled = _digest("b", "two.example", "Storm kills two on the coast", 2.0, "A storm killed two people.")
    assert summarize_story(_story(untitled, titled)).headline == "Storm kills two on the coast"


def test_a_story_whose_articles_have_no_title_keeps_its_earliest_first_key_point() -> None:
    untitled = _digest("a", "one.example", "The storm hit at dawn.", 1.0, "The storm hit at dawn.")
    assert story_headline([untitled, _digest("b", "two.example", None, 2.0)]) == "The storm hit at dawn."
    assert story_headline([_digest("c", "three.example", None, 1.0)]) is None


def test_an_outlets_name_after_the_title_is_not_part_of_the_story_headline() -> None:
    story = _story(
        _digest("a", "news.xinhuanet.com", "Sandy kills 6 in Haiti, 11 in Cuba - Xinhua", 1.0),
        _digest("b", "blogs.voanews.com", "Sandy kills 11 in Cuba « VOA Breaking News", 2.0),
    )
    assert summarize_story(story).headline == "Sandy kills 6 in Haiti, 11 in Cuba"
    assert without_outlet("Pakistani Pele was a football encyclopaedia – The Express Tribune", "tribune.com.pk") == (
        "Pakistani Pele was a football encyclopaedia"
    )


def test_a_last_part_that_does_not_name_the_outlet_stays_in_the_headline() -> None:
    kept = "Comedian Starr arrested in Savile abuse case - TV"
    assert without_outlet(kept, "uk.reuters.com") == kept
    colon = "Israel Defense Forces : IDF Targets Hamas' Operational Communications"
    assert without_outlet(colon, "idf.il") == colon
    assert without_outlet("Kudankulam: Fuel loading has not begun", "thehindu.com") == (
        "Kudankulam: Fuel loading has not begun"
    )


def test_a_desks_label_before_or_after_the_title_is_not_part_of_the_story_headline() -> None:
    story = _story(
        _digest("a", "clydebankpost.example", "UPDATE: Clydebank Asda child sex attack", 1.0),
        _digest("b", "bbc.example", "Teen held over Asda attack [UPDATE]", 2.0),
    )
    assert summarize_story(story).headline == "Clydebank Asda child sex attack"
    for labelled, bare in [
        (
            "(LEAD) N. Korea fires off long-range rocket: Seoul official",
            "N. Korea fires off long-range rocket: Seoul official",
        ),
        (
            "REFILE-UPDATE 8-North Korea's new leader burnishes credentials",
            "North Korea's new leader burnishes credentials",
        ),
        ("Obama, Romney Agree On Foreign Policy (VIDEO)", "Obama, Romney Agree On Foreign Policy"),
    ]:
        assert story_headline([_digest("a", "wire.example", labelled, 1.0)]) == bare


def test_words_that_only_look_like_a_desks_label_stay_in_the_headline() -> None:
    for title in ["Live-fire drills begin off the coast", "Lead-acid battery plant closes", "Breaking Bad: the finale"]:
        assert story_headline([_digest("a", "one.example", title, 1.0)]) == title


def test_a_sites_own_page_never_heads_a_story() -> None:
    welcome = _digest("a", "police.example", "Welcome to the Police Scotland website", 1.0, "Find your local police.")
    crash = _digest("b", "bbc.example", "Three men killed in head-on crash on A68", 2.0, "Three men died.")
    assert story_headline([welcome, crash]) == "Three men killed in head-on crash on A68"
    site = _digest("c", "abcmedianet.com", "ABC Medianet", 1.0, "ABC News has pulled its report on the church.")
    report = _digest("d", "villagevoice.com", "ABC pulls its report", 2.0, "The report was pulled.")
    assert story_headline([site, report]) == "ABC pulls its report"
    # With no report's title among them, the story is headed by its earliest first key point.
    assert story_headline([welcome, site]) == "Find your local police."
    hacked = _digest("e", "bbc.example", "Hackers take down NASA website", 1.0, "The site was down for hours.")
    assert story_headline([hacked]) == "Hackers take down NASA website"


# The harness (evaluation/story_headlines.py).


def test_events_fall_into_two_halves_by_a_fixed_rule() -> None:
    halves = [half_of(f"Event number {k}") for k in range(40)]
    assert halves == [half_of(f"Event number {k}") for k in range(40)]
    assert 10 < halves.count("A") < 30


def test_site_chrome_is_furniture_and_a_headline_is_not() -> None:
    assert is_furniture("Subscribe to our newsletter")
    assert is_furniture("We use cookies to improve your experience")
    assert is_furniture("Latest news", recurring=frozenset({"latest news"}))
    assert not is_furniture("Obama wins second term as U.S. president")


def test_the_medoid_baseline_takes_the_title_of_the_article_closest_to_the_rest() -> None:
    def article(article_id: str, title: str, text: str) -> Article:
        return Article(article_id, title, text, None, "event", "event")

    articles = [
        article("a", "Reactions pour in", "Leaders sent condolences and praised his long career in politics."),
        article("b", "McGovern dies at 90", "George McGovern, the former senator, died at 90 in a hospice."),
        article("c", "Senator McGovern dead", "Former senator George McGovern died aged 90 at a hospice."),
    ]
    idf = {w: 1.0 for a in articles for w in (a.title or "").lower().split() + a.text.lower().split()}
    assert medoid_title(articles, idf) in ("McGovern dies at 90", "Senator McGovern dead")


def test_the_harness_scores_each_event_of_two_or_more_articles_as_one_story(tmp_path: Path) -> None:
    rows = [
        ("1", "two.example", "Storm floods coastal towns - Two", "2012-09-02", "Storm floods towns"),
        ("2", "one.example", "Coastal towns flooded by storm", "2012-09-01", "Storm floods towns"),
        ("3", "three.example", "Lonely article", None, "Something else"),
    ]
    text = "Heavy rain flooded the coastal towns on Monday. Residents were moved to shelters by the army."
    dataset = tmp_path / "events.jsonl"
    dataset.write_bytes(
        b"\n".join(
            orjson.dumps(
                {
                    "id": i,
                    "outlet": o,
                    "url": None,
                    "title": t,
                    "text": text,
                    "date": d,
                    "cluster": f"wn:{c}",
                    "subset": "wn",
                }
            )
            for i, o, t, d, c in rows
        )
    )
    stories = build_stories(dataset)
    assert [s.reference for s in stories] == ["Storm floods towns"]
    assert [a.id for a in stories[0].articles] == ["2", "1"]  # in date order
    report = evaluate_story_headlines(stories)
    assert report.events == 1 and report.no_headline == 0 and report.furniture == 0
    assert report.scores["earliest"][0] > 0
    assert "| all | 1 | headline |" in format_headline_report([report])
