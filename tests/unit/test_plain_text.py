"""Plain-text boilerplate removal: inline samples and the two seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from storywire.contracts import CleanArticle, RawArticle
from storywire.services.cleaner.cleaning import clean_article
from storywire.services.cleaner.plain_text import PlainTextCleaning, clean_plain_text

SEEDS = Path(__file__).parents[2] / "seeds"
INDEPENDENT_SEED = SEEDS / "000_6531704c8407b2c0.txt"
SECOND_SEED = SEEDS / "003_a8e70011b0fb06a6.txt"


@pytest.fixture(scope="module")
def independent() -> PlainTextCleaning:
    return clean_plain_text(INDEPENDENT_SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def second() -> PlainTextCleaning:
    return clean_plain_text(SECOND_SEED.read_text(encoding="utf-8"))


def _paragraphs(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_notification_prompts_are_removed_from_the_seed(independent: PlainTextCleaning) -> None:
    assert "Stay up to date with notifications" not in independent.text
    assert "Notifications can be managed in browser preferences." not in independent.text


def test_the_donation_appeal_is_removed_from_the_seed(independent: PlainTextCleaning) -> None:
    for fragment in (
        "Your support helps us to tell the story",
        "From reproductive rights to climate change",
        "Your donation allows us",
        "we choose not to lock Americans out of our reporting",
        "Your support makes all the difference.",
    ):
        assert fragment not in independent.text


def test_the_comment_forum_and_login_text_is_removed_from_the_seed(independent: PlainTextCleaning) -> None:
    for fragment in (
        "Join our commenting forum",
        "Join thought-provoking conversations",
        "Thank you for registering",
        "Please refresh the page",
        "Comments",
    ):
        assert fragment not in independent.text


def test_the_stray_related_headline_is_removed_from_the_seed(independent: PlainTextCleaning) -> None:
    assert "Ukraine accuses Russian troops of blowing up gas pipeline in Kharkiv" not in independent.text


def test_title_byline_and_dateline_are_read_from_the_seed(independent: PlainTextCleaning) -> None:
    assert independent.title == "Russian officials arrive in Belarus for talks with Ukraine, Kremlin says"
    assert independent.byline == "Arpan Rai"
    assert independent.dateline == "Sunday 27 February 2022 03:58 EST"
    assert "Arpan Rai" not in independent.text


def test_every_news_paragraph_of_the_independent_seed_is_kept(independent: PlainTextCleaning) -> None:
    start = _paragraphs(INDEPENDENT_SEED).index("Your support makes all the difference.") + 1
    end = _paragraphs(INDEPENDENT_SEED).index("Join our commenting forum")
    news = _paragraphs(INDEPENDENT_SEED)[start:end]
    assert len(news) >= 15
    for paragraph in news:
        assert paragraph in independent.text
    assert "Kremlin spokesperson Dmitry Peskov said" in independent.text
    assert "Mr Zelensky said" in independent.text


def test_every_news_paragraph_of_the_second_seed_is_kept(second: PlainTextCleaning) -> None:
    news = [p for p in _paragraphs(SECOND_SEED) if p != "ADVERTISEMENT"]
    for paragraph in news:
        assert paragraph in second.text
    assert "Vladimir Medinsky told reporters" in second.text


def test_advertisement_markers_are_removed_from_the_second_seed(second: PlainTextCleaning) -> None:
    assert "ADVERTISEMENT" not in second.text
    assert sum(item.startswith("ad-marker") for item in second.removed) == 2


def test_paragraph_blocks_stay_separated_by_blank_lines() -> None:
    result = clean_plain_text("First paragraph of the story.\n\nSecond paragraph of the story.\n")
    assert result.text == "First paragraph of the story.\n\nSecond paragraph of the story."


def test_cookie_share_and_photo_credit_lines_are_removed() -> None:
    text = "\n\n".join(
        [
            "We use cookies to improve your experience.",
            "The council approved the new budget on Tuesday after a long debate about school funding.",
            "Photo: Jane Smith / Reuters",
            "Share this article",
            "Follow us on Twitter",
            "The mayor said the vote showed the city could still agree on the basics.",
        ]
    )
    result = clean_plain_text(text)
    assert result.text == (
        "The council approved the new budget on Tuesday after a long debate about school funding.\n\n"
        "The mayor said the vote showed the city could still agree on the basics."
    )
    assert len(result.removed) == 4


def test_a_by_line_is_recognised_in_the_header() -> None:
    text = "Storm closes schools across the region\n\nBy Jane Doe\n\n" + (
        "Schools across the region closed on Monday as the storm brought heavy snow and strong winds to the area."
    )
    result = clean_plain_text(text)
    assert result.title == "Storm closes schools across the region"
    assert result.byline == "Jane Doe"
    assert result.text.startswith("Schools across the region closed")


def test_quotes_declining_comment_are_kept_as_news() -> None:
    sentence = "A spokesperson for the company declined to comment on the report when contacted on Friday."
    assert clean_plain_text(sentence).text == sentence


def test_empty_text_gives_an_empty_result() -> None:
    result = clean_plain_text("  \n\n ")
    assert result == PlainTextCleaning(text="", title=None, byline=None, dateline=None, removed=())


def test_a_headline_with_only_a_dateline_is_kept_with_the_headline_as_its_text() -> None:
    result = clean_article(
        RawArticle(article_id="flash", content="June 06, 2013\nEsther Williams, swimming star, dies at 91")
    )
    assert isinstance(result, CleanArticle)
    assert result.text == result.title == "Esther Williams, swimming star, dies at 91"
    assert result.published_at is not None and result.published_at.year == 2013


def test_a_quoted_sentence_among_short_opening_lines_is_not_taken_for_the_title() -> None:
    text = (
        "Tara Reid is seeking help at a rehabilitation facility in California.\n"
        "The actress decided to check in last week.\n"
        "'We appreciate your respect to her and her family's privacy at this time. '\n"
        "She was previously engaged to a television host, but they called it off months before the wedding."
    )
    result = clean_plain_text(text, "en")
    assert result.title is None
    assert "'We appreciate your respect" in result.text


def test_a_publisher_title_that_is_only_a_date_gives_the_date_and_the_page_keeps_its_headline() -> None:
    content = (
        "Lindsay Lohan checks into rehab facility\nLindsay Lohan's attorney said on Thursday the actress checked in."
    )
    result = clean_article(RawArticle(article_id="dated-title", title="May 2, 2013, 1:12 PM", content=content))
    assert isinstance(result, CleanArticle)
    assert result.title == "Lindsay Lohan checks into rehab facility"
    assert result.published_at is not None and (result.published_at.year, result.published_at.month) == (2013, 5)


@pytest.mark.parametrize(
    "date_line",
    [
        "Posted 11 / 27 / 2005 7: 21 AM",
        "November 28th, 2005, 09: 11 GMT",
        "Article posted on 08. 07. 2012",
        "04/04/2012",
        "First Published: November 27, 2005 4: 59 PM EDT",
        "WASHINGTON, DC, November 27, 2005",
    ],
)
def test_a_date_line_in_any_common_form_is_the_dateline_not_the_title(date_line: str) -> None:
    content = (
        f"{date_line}\nStrong earthquake jolts southern Iran\n"
        "A strong earthquake struck southern Iran on Sunday, killing at least ten people on Qeshm island."
    )
    result = clean_article(RawArticle(article_id="numeric-dateline", content=content))
    assert isinstance(result, CleanArticle)
    assert result.title == "Strong earthquake jolts southern Iran"
    assert date_line not in result.text
    assert result.published_at is not None and result.published_at.year in (2005, 2012)


# A scraped page one item a line, no blank lines: a site menu, the article, then a footer.
_MENU = [
    "Skip to main content",
    "Home",
    "Local News",
    "Sports Scores",
    "Weather Radar",
    "Log In Sign Up",
    "Mayor unveils plan to fix potholes before winter",
    "Council votes to close two libraries",
]
_ARTICLE = [
    "Harbour Bridge reopens after storm repairs",
    "March 3, 2021",
    "The Harbour Bridge reopened to traffic on Tuesday after three weeks of repairs to storm damage.",
    "Engineers replaced two of the bridge's cables and resurfaced the southern approach, the city said.",
    "Drivers had faced detours of up to 40 minutes while the bridge was closed.",
    "Repair costs by section:",
    "Cables 1.2m",
    "Deck 0.8m",
    "Approach 0.4m",
    "The city expects to recover most of the cost from its insurers by the end of the year.",
    "Insurers have asked for an independent survey of the cables before they pay out, officials said.",
    "The bridge carries about 40,000 vehicles a day and is the only direct route to the port.",
    "It will be the third repair in a decade.",
]
_FOOTER = [
    "About Us",
    "Contact",
    "Archives",
    "January 2021",
    "December 2020",
    "November 2020",
    "Privacy Policy Terms of Use",
    "Follow us on Twitter and Facebook",
]
_PAGE = "\n".join([*_MENU, *_ARTICLE, *_FOOTER])


def test_a_menu_and_a_footer_around_an_article_one_item_a_line_are_dropped() -> None:
    result = clean_plain_text(_PAGE, "en")
    for line in [*_MENU, *_FOOTER]:
        assert line not in result.text, line
    for line in _ARTICLE[2:]:
        assert line in result.text, line


def test_a_short_table_and_a_short_closing_sentence_stay_with_the_article() -> None:
    result = clean_plain_text(_PAGE, "en")
    assert "Cables 1.2m\nDeck 0.8m\nApproach 0.4m" in result.text
    assert result.text.rstrip().endswith("It will be the third repair in a decade.")


def test_on_a_furnished_page_the_title_is_the_headline_that_speaks_of_the_article() -> None:
    result = clean_plain_text(_PAGE, "en")
    # not the first headline-like line ("Mayor unveils plan...") nor a menu item
    assert result.title == "Harbour Bridge reopens after storm repairs"


def test_on_a_furnished_page_the_dateline_is_the_one_next_to_the_article_not_the_archive() -> None:
    page = "\n".join(["Today: February 9, 2024", *_MENU, *_ARTICLE, *_FOOTER])
    result = clean_plain_text(page, "en")
    assert result.dateline == "March 3, 2021"


def test_a_plain_text_page_without_furniture_reads_its_header_as_before() -> None:
    # a few stray lines around an article are its own: the first headline-like line stays the title
    text = "\n".join(["Second headline first", *_ARTICLE])
    result = clean_plain_text(text, "en")
    assert result.title == "Second headline first"
    assert "Harbour Bridge reopens after storm repairs" in result.text


def test_a_clean_article_carries_no_agency_dateline_or_scraping_lines() -> None:
    content = (
        "KATHMANDU, Nepal (CNN) -- The storm hit the valley on Monday night and flooded the low streets.\n\n"
        "ADVERTISEMENT\n\n"
        "Rescue teams worked through the night to reach the villages cut off by the water."
    )
    result = clean_article(RawArticle(article_id="storm", content=content))
    assert isinstance(result, CleanArticle)
    assert result.text.startswith("The storm hit the valley")
    assert "ADVERTISEMENT" not in result.text
