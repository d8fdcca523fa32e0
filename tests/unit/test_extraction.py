"""HTML main-text extraction: content, boilerplate removal, metadata, robustness."""

from __future__ import annotations

import time

import pytest

from storywire.services.cleaner import extraction
from storywire.services.cleaner.extraction import Extraction, classify_boilerplate_line, decode_html, extract_html

PARAGRAPHS = (
    "The city council approved the new transport plan on Tuesday evening after a debate that lasted "
    "more than four hours and drew hundreds of residents to the town hall.",
    "Under the plan, three new tram lines will be built by 2030, and bus fares will be frozen for two "
    "years while the network is being extended to the northern districts.",
    "“This is the biggest investment in public transport the city has seen in a generation,” the mayor "
    "said, adding that the first construction work would start in the spring.",
    "Opposition members criticised the cost of the project, which is estimated at 1.2 billion euros, "
    "and said the council had not explained how it would be financed over the coming decade.",
)


def _page(*, extra_body: str = "", head: str = "", lang: str = "en") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        "<title>Council approves tram plan | Example Times</title>"
        f"{head}</head><body>"
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>'
        "<main><article><h1>Council approves tram plan</h1>"
        f"{body}{extra_body}</article></main>"
        "<footer><p>© 2024 Example Times. All rights reserved.</p></footer></body></html>"
    )


@pytest.fixture(scope="module")
def article() -> Extraction:
    head = (
        '<meta property="og:site_name" content="Example Times">'
        '<meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2024-03-05T18:30:00+01:00">'
        '<link rel="canonical" href="https://example.com/news/tram-plan">'
    )
    extra = "<p>ADVERTISEMENT</p><p>Sign up for our newsletter to get the latest news every morning.</p>"
    return extract_html(_page(head=head, extra_body=extra), url="https://example.com/news/tram-plan?utm=x")


def test_the_article_paragraphs_are_extracted_in_order(article: Extraction) -> None:
    positions = [article.text.find(p) for p in PARAGRAPHS]
    assert all(pos >= 0 for pos in positions)
    assert positions == sorted(positions)
    assert "\n\n" in article.text


def test_navigation_and_footer_are_not_in_the_text(article: Extraction) -> None:
    assert "Home" not in article.text
    assert "All rights reserved" not in article.text


def test_ad_markers_and_newsletter_prompts_are_removed_and_recorded(article: Extraction) -> None:
    assert "ADVERTISEMENT" not in article.text
    assert "newsletter" not in article.text
    assert any(item.startswith("ad-marker") for item in article.removed)
    assert any(item.startswith("call-to-action") for item in article.removed)


def test_metadata_is_read_from_meta_tags(article: Extraction) -> None:
    assert article.title == "Council approves tram plan"
    assert article.authors == ("Jane Doe",)
    assert article.published_at is not None
    assert article.published_at.startswith("2024-03-05")
    assert article.site_name == "Example Times"
    assert article.canonical_url == "https://example.com/news/tram-plan"
    assert article.language == "en"


def test_a_content_management_system_named_as_the_headline_is_not_the_title() -> None:
    # The Telegraph's template writes its CMS into the JSON-LD headline.
    head = (
        '<script type="application/ld+json">{"@context": "http://schema.org", "@type": "NewsArticle",'
        ' "headline": "escenic", "publisher": {"@type": "Organization", "name": "Example Times"}}</script>'
    )
    assert extract_html(_page(head=head)).title == "Council approves tram plan"


def test_a_title_that_is_the_page_generator_is_not_the_title() -> None:
    head = (
        '<meta name="Generator" content="Newsroom Pro 4.2 (build 77)"><meta property="og:title" content="Newsroom Pro">'
    )
    assert extract_html(_page(head=head)).title == "Council approves tram plan"


@pytest.mark.parametrize("title", ["Brexit", "WordPress", "micropolitics"])
def test_a_one_word_title_that_is_not_the_page_software_stays(title: str) -> None:
    head = (
        f'<meta name="generator" content="Drupal 7 (https://drupal.org)"><meta property="og:title" content="{title}">'
    )
    assert extract_html(_page(head=head)).title == title


def test_a_page_without_an_article_gives_empty_text() -> None:
    result = extract_html("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert result.text == ""


@pytest.mark.parametrize("garbage", ["", "   ", "<<<>>>", "<html><body><p>unclosed <b>tags <i>everywhere"])
def test_malformed_markup_does_not_raise(garbage: str) -> None:
    assert isinstance(extract_html(garbage), Extraction)


def test_binary_junk_does_not_raise() -> None:
    assert isinstance(extract_html(bytes(range(256)) * 40), Extraction)


def test_latin1_bytes_with_a_declared_charset_are_decoded() -> None:
    html = _page(lang="de").replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    html = html.replace("approved the new transport plan", "approved the Straßenbahn plan for Öffnungszeiten")
    # pages labelled iso-8859-1 are really windows-1252 (curly quotes), as browsers assume
    result = extract_html(html.encode("cp1252"))
    assert "Straßenbahn plan for Öffnungszeiten" in result.text


def test_utf8_bytes_win_over_a_wrong_declared_charset() -> None:
    html = "<html><head><meta charset='iso-8859-1'></head><body><p>Grüße aus Köln</p></body></html>"
    assert "Grüße aus Köln" in decode_html(html.encode("utf-8"))


def test_a_byte_order_mark_decides_the_encoding() -> None:
    assert decode_html(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>") == "<p>café</p>"


def test_undecodable_bytes_fall_back_without_raising() -> None:
    assert decode_html(b"<p>\x81\x8d\x8f\x90\x9d caf\xe9</p>").startswith("<p>")


def test_very_deep_nesting_is_handled_quickly() -> None:
    html = "<html><body>" + "<div>" * 20_000 + "<p>deep</p>" + "</div>" * 20_000 + "</body></html>"
    start = time.perf_counter()
    assert isinstance(extract_html(html), Extraction)
    assert time.perf_counter() - start < 2.0


def test_input_beyond_the_size_limit_is_truncated(monkeypatch: pytest.MonkeyPatch) -> None:
    html = _page()
    monkeypatch.setattr(extraction, "MAX_HTML_SIZE", html.index(PARAGRAPHS[-1]))
    result = extract_html(html)
    assert PARAGRAPHS[0] in result.text
    assert PARAGRAPHS[-1] not in result.text


def test_the_removal_trail_is_bounded() -> None:
    lines = "".join(f"<p>Share this article on Facebook number {i}</p>" for i in range(200))
    result = extract_html(_page(extra_body=lines))
    assert len(result.removed) <= extraction.MAX_REMOVED_ITEMS
    assert all(len(item) <= extraction.MAX_REMOVED_CHARS for item in result.removed)


@pytest.mark.parametrize(
    "line",
    [
        "ADVERTISEMENT",
        "Anzeige",
        "Read more: Council delays vote on budget",
        "Lesen Sie auch:",
        "Foto: Max Mustermann / dpa",
        "© 2024 Example Media. All rights reserved.",
        "Subscribe to our newsletter",
        "Share on Facebook",
        "Posted on 3 March 2024",
        "Sie sind aktuell nicht eingeloggt.",
    ],
)
def test_typical_boilerplate_lines_are_classified(line: str) -> None:
    assert classify_boilerplate_line(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "A spokesperson declined to comment when contacted by reporters on Friday.",
        "The charity has collected donations for flood victims since March.",
        "Die Straßenbahn soll im Jahr 2030 fertig sein.",
        "Mehr als 300 Menschen nahmen an der Demonstration teil.",
        "Ukraine has long wanted to become a member of NATO.",
        "Customers who subscribe to the service pay ten dollars a month.",
        "Thousands of users were unable to log in to their accounts on Monday.",
        "Related to this, the ministry published new figures.",
    ],
)
def test_ordinary_sentences_are_not_classified_as_boilerplate(line: str) -> None:
    assert classify_boilerplate_line(line) is None


def test_control_characters_in_the_markup_do_not_lose_the_text() -> None:
    html = _page().replace(PARAGRAPHS[1][:20], PARAGRAPHS[1][:20] + "\x00\x0b\x1f")
    result = extract_html(html.encode("utf-8"))
    assert PARAGRAPHS[0] in result.text
    assert PARAGRAPHS[3] in result.text


@pytest.mark.parametrize(
    "line",
    [
        "May 3rd, 2013 2:00pm EDT",
        "First Published: June 13, 2013 4:59 PM EDT",
        "Story Created: Aug 7, 2012 at 9:56 AM AKDT",
        "Release: 03/08/2013",
        "WASHINGTON, DC, April 28, 2009",
        "Reuters Sep 18, 2013, 02.16PM IST",
        "Dec. 24 4:33 AM EST",
        "2013 - 09 - 26",
        "Erstellt am: 01.11.2023",
    ],
)
def test_a_dateline_with_a_label_a_wire_place_or_a_clock_is_recognised(line: str) -> None:
    assert extraction.is_dateline(line)


@pytest.mark.parametrize(
    "line",
    [
        "Termin: 29.02.2020, 19 Uhr",
        "Obama, Romney: March 3, 2012 debate",
        "COLTS BEAT CHIEFS 20 - 13, May 5, 2012",
        "Ellen DeGeneres to host 2014 Oscars",
    ],
)
def test_an_event_date_or_a_headline_with_a_date_is_not_a_dateline(line: str) -> None:
    assert not extraction.is_dateline(line)
