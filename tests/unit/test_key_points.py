"""Tests for sentence splitting and extractive key points."""

import pytest

from storywire.services.summarizer import key_points as key_points_module
from storywire.services.summarizer.key_points import key_points
from storywire.services.summarizer.keywords import keywords, terms
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


def test_a_sentence_central_to_the_article_outranks_an_earlier_aside() -> None:
    lede = "The city council approved a transport budget for bus and tram services on Monday."
    central = "Twelve new bus routes and longer tram services will cut commuting times."
    text = (
        f"{lede} "
        "Reporters waited outside in the rain all afternoon. "
        f"{central} "
        "Commuters on the bus routes and trams will save twenty minutes a day. "
        "The tram services will run every ten minutes, and buses every five."
    )
    assert key_points(text, limit=2) == [lede, central]
    # the best come first, so the first points of a longer list are the same
    assert key_points(text)[:2] == [lede, central]


def test_a_sentence_that_repeats_a_better_point_is_not_another_point() -> None:
    lede = "Kilmarnock will confirm Gary Locke as their new permanent manager on Friday."
    text = (
        f"{lede} "
        "Gary Locke will be confirmed as Kilmarnock's permanent manager on Friday, the club said. "
        "The former Hearts boss will be given a three-year deal. "
        "He took charge on an interim basis in October after the club sacked Allan Johnston."
    )
    assert key_points(text, limit=2) == [lede, "The former Hearts boss will be given a three-year deal."]


def test_a_sites_prompt_left_at_the_top_of_a_scraped_page_is_not_a_key_point() -> None:
    # The cleaner keeps a furniture line next to the body span when it reads as prose; the lede rule
    # would take it for the article's first statement.
    prompt = "PC Gamer is supported by its audience."
    text = (
        f"{prompt}\n\n"
        "A fire destroyed a furniture warehouse in Leeds on Sunday night, the fire service said. "
        "Forty firefighters fought the fire in the warehouse for six hours. "
        "The warehouse was empty and nobody was hurt, the fire service said. "
        "Police are treating the fire as arson and asked witnesses to come forward."
    )
    points = key_points(text, limit=3)
    assert prompt not in points
    assert points[0] == split_sentences(text)[1]


def test_an_article_of_sentences_that_share_no_words_keeps_its_first_statements() -> None:
    # Every sentence is off the others' topic (as in a script without spaces between words): no sentence
    # is singled out, so the first statements stand, and a question is still no point.
    text = "Storms closed three airports on Friday. Why? Tennis fans queued overnight for tickets."
    assert key_points(text, limit=2) == [
        "Storms closed three airports on Friday.",
        "Tennis fans queued overnight for tickets.",
    ]


def test_a_line_that_only_introduces_a_quote_is_not_a_key_point() -> None:
    introducer = "Speaking through an interpreter he added;"
    text = (
        "The president of Ukraine met the Belarusian delegation in Gomel on Sunday. "
        "The talks lasted four hours and ended without an agreement. "
        f"{introducer}\n\n"
        "'We will meet again next week in the same place.' "
        "Both sides said a second round of talks would follow."
    )
    points = key_points(text, limit=4)
    assert introducer not in points
    assert not any(p.rstrip().endswith((";", ":")) for p in points)


def test_a_line_that_ends_in_a_colon_before_a_quote_is_not_a_key_point() -> None:
    text = (
        "Firefighters fought the warehouse fire in Ohio for six hours on Sunday.\n\n"
        "The fire chief told reporters:\n\n"
        "The building was empty when the fire started, officials said."
    )
    assert key_points(text, limit=2) == [
        "Firefighters fought the warehouse fire in Ohio for six hours on Sunday.",
        "The building was empty when the fire started, officials said.",
    ]


def test_a_caption_glued_in_without_a_full_stop_is_not_a_key_point() -> None:
    caption = "Kilmarnock will confirm Gary Locke as the club's new permanent manager on Friday"
    lede = "Gary Locke will be confirmed as Kilmarnock's permanent manager on Friday."
    text = f"{lede}\n\n{caption}\n\nThe former Hearts boss will be given a three-year deal."
    assert caption not in key_points(text)


def test_a_photo_caption_is_not_a_key_point() -> None:
    caption = "John Smith (pictured) was arrested at a bus station in Leicester on Monday."
    text = f"Police charged a man with fraud on Tuesday. {caption} He will appear in court next week."
    assert caption not in key_points(text)


def test_a_pure_quotation_is_not_a_key_point() -> None:
    quotation = "'We were devastated when we heard the news,' he said after the verdict."
    text = f"A jury found the builder guilty of manslaughter on Friday. {quotation} He will be sentenced in May."
    assert key_points(text) == [
        "A jury found the builder guilty of manslaughter on Friday.",
        "He will be sentenced in May.",
    ]


def test_a_sentence_closed_by_another_scripts_full_stop_is_a_statement_and_a_label_is_not() -> None:
    text = "中国政府周一宣布了新的交通预算。\n\n图片新闻\n\n预算增加了十二条公交线路。"
    assert key_points(text, language="zh") == ["中国政府周一宣布了新的交通预算。", "预算增加了十二条公交线路。"]


def test_a_text_without_any_statement_still_has_its_opening_as_points() -> None:
    transcript = "so we went down to the river and we saw the boats and nobody was there at all"
    assert key_points(transcript) == [transcript]


def test_key_points_count_each_sentences_content_words_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The off-topic rule and the ranking read the same term vectors."""
    counted: list[str] = []

    def counting_terms(text: str, language: str | None = None) -> list[str]:
        counted.append(text)
        return terms(text, language)

    monkeypatch.setattr(key_points_module, "terms", counting_terms)
    sentences = split_sentences(ARTICLE)
    assert key_points(ARTICLE)
    assert sorted(counted) == sorted(sentences)
