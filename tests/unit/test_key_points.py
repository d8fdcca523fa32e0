"""Tests for sentence splitting and extractive key points."""

from storywire.services.summarizer.key_points import FEATURE_NAMES, key_points, sentence_features
from storywire.services.summarizer.keywords import keywords
from storywire.services.summarizer.sentences import split_sentences

ARTICLE = (
    "The city council approved a new budget for public transport on Monday. "
    "The budget adds twelve new bus routes and extends tram services into the suburbs. "
    "Council leader Anna Berg said the transport budget would cut commuting times. "
    "It was sunny. "
    "Opposition members said the budget for buses and trams was too expensive for the city."
)


def test_a_glued_caption_is_split_from_the_next_sentence() -> None:
    text = "He played six games in charge of the club He has impressed the board with results this year."
    assert len(split_sentences(text)) == 2


def test_a_caption_glued_on_before_the_next_sentence_is_split_even_after_a_name() -> None:
    caption = "Pictured is Ukip leader Nigel Farage"
    sentence = "The study found that the names most likely to vote Tory were Charlotte and Fiona."
    assert split_sentences(f"{caption} {sentence}") == [caption, sentence]


def test_a_quoted_name_inside_a_sentence_does_not_split_it() -> None:
    text = "Miss Kensit, 47, appeared in the magazine's regular 'Queen of Everything' feature and praised the Duchess."
    assert split_sentences(text) == [text]


def test_a_glued_caption_is_still_split_from_the_quotation_after_it() -> None:
    caption = "John Smith pictured with his wife and their two young children"
    quotation = "'We were devastated,' he said after the verdict."
    assert split_sentences(f"{caption} {quotation}") == [caption, quotation]


def test_key_points_are_distinct_sentences_of_the_article_and_respect_the_limit() -> None:
    points = key_points(ARTICLE, limit=3)
    assert len(points) == 3 and len(set(points)) == 3
    assert all(p in ARTICLE for p in points)
    assert "It was sunny." not in points


def test_keywords_have_no_stopwords() -> None:
    words = keywords(ARTICLE, limit=5)
    assert words and "the" not in words
    assert any("budget" in w for w in words)


def test_a_caption_label_is_dropped_but_speech_is_kept() -> None:
    text = "Wanted: Police in Maryland have issued a warrant for the man. He said: 'It is over now.'"
    assert split_sentences(text) == [
        "Police in Maryland have issued a warrant for the man.",
        "He said: 'It is over now.'",
    ]


def test_a_glued_multiword_caption_label_starts_a_new_sentence() -> None:
    text = "Police found him in the car park near the store Proud mum: Jean with her huge son after the birth."
    assert split_sentences(text) == [
        "Police found him in the car park near the store",
        "Jean with her huge son after the birth.",
    ]


def test_without_a_headline_the_lede_anchors_the_other_sentences_but_not_itself() -> None:
    sentences = [
        "A fire destroyed the historic Mat Maid warehouse in Ohio on Sunday.",
        "Firefighters fought the warehouse fire for six hours.",
        "The city council will meet next week to discuss parking.",
    ]
    title_sim = FEATURE_NAMES.index("title_sim")
    rows = sentence_features(sentences, lede_anchor=True)
    assert rows[0][title_sim] == 0.0
    assert rows[1][title_sim] > rows[2][title_sim] == 0.0
    # A real headline keeps its part, the lede included.
    titled = sentence_features(sentences, title="Warehouse fire in Ohio", lede_anchor=True)
    assert titled[0][title_sim] > 0.0
    assert all(row[title_sim] == 0.0 for row in sentence_features(sentences))


def test_a_question_is_not_taken_for_a_key_point() -> None:
    question = "Will the new transport budget really cut commuting times for bus and tram passengers in the city?"
    text = (
        "The city council approved a new transport budget for buses and trams on Monday. "
        f"{question} "
        "The budget adds twelve bus routes and extends tram services into the suburbs. "
        "Council leader Anna Berg said commuting times would fall by a fifth. "
        "Opposition members said the budget was too expensive. "
        "The new routes open in the spring."
    )
    points = key_points(text)[:3]
    assert question not in points
    assert len(points) == 3


_LEDE = (
    "Gary Locke will be confirmed as Kilmarnock's permanent manager on Friday, exactly eight weeks after "
    "he was asked to take charge of the club until the end of the season."
)
_STORY = (
    "An announcement will be made by the Rugby Park club on Friday morning, with the former Hearts boss given "
    "a three-year deal. The 39-year-old paid tribute to the players whose efforts helped him win over the new "
    "chairman. Supporters have backed the appointment in a poll run by the club's fan group."
)


def test_a_point_the_page_restates_in_a_shorter_caption_gives_way_to_the_caption() -> None:
    caption = "Kilmarnock will confirm Gary Locke as the club's new permanent manager on Friday"
    points = key_points(f"{_LEDE} {_STORY} {caption}")
    assert points[0] == caption
    assert _LEDE not in points  # one fact, one point


def test_a_full_sentence_on_the_same_subject_is_another_statement_and_does_not_replace_a_point() -> None:
    sentence = "Kilmarnock will hand Gary Locke his first permanent job as a manager on Friday."
    assert key_points(f"{_LEDE} {_STORY} {sentence}")[0] == _LEDE


def test_a_caption_with_other_figures_or_one_that_reads_badly_does_not_replace_a_point() -> None:
    lede = "Gary Locke will sign an 18 month deal as Kilmarnock's permanent manager on Friday, the club said."
    other_figures = "Gary Locke will sign a 12 month deal as Kilmarnock's manager on Friday"
    assert key_points(f"{lede} {_STORY} {other_figures}")[0] == lede
    pictured = "Kilmarnock will confirm Gary Locke (pictured) as the club's permanent manager on Friday"
    assert key_points(f"{_LEDE} {_STORY} {pictured}")[0] == _LEDE
