"""Site furniture for the robustness check: taken from real pages, wrapped around articles."""

from __future__ import annotations

import random

from evaluation.furniture import Furnisher, furnish, page_furniture
from storywire.contracts import CleanArticle, RawArticle
from storywire.services.cleaner.cleaning import clean_article

_PAGE = """<html><head><title>Harbour Bridge reopens</title></head><body>
<nav><ul><li><a href="/">Home page link</a></li><li><a href="/news">Local news section</a></li></ul></nav>
<article><h1>Harbour Bridge reopens</h1>
<p>The Harbour Bridge reopened to traffic on Tuesday after three weeks of repairs to storm damage in the city.</p>
<p>Engineers replaced two of the bridge's cables and resurfaced the southern approach, the city council said.</p>
<p>Drivers had faced detours of up to forty minutes while the bridge was closed for the repairs this month.</p>
</article>
<footer><p>Copyright Riverside Media Group</p><a href="/about">About the paper</a></footer>
<script>var tracking = "never a line";</script>
</body></html>"""


def test_a_page_s_furniture_is_its_text_outside_the_article_in_page_order() -> None:
    article = clean_article(RawArticle(article_id="p", content=_PAGE, content_type="text/html"))
    assert isinstance(article, CleanArticle)
    lines = page_furniture(_PAGE, article)
    assert lines[:2] == ["Home page link", "Local news section"]
    assert "About the paper" in lines
    assert not [line for line in lines if "reopened to traffic" in line or "tracking" in line]


def test_furnish_puts_the_text_between_the_first_and_last_furniture_lines() -> None:
    furniture = [f"menu item {k}" for k in range(40)]
    text = "First line of the story.\n\nSecond line of the story."
    wrapped = furnish(text, furniture, random.Random(1)).split("\n")
    start = wrapped.index("First line of the story.")
    assert wrapped[start + 1] == "Second line of the story."
    assert 3 <= start <= 25 and wrapped[:start] == furniture[:start]
    foot = wrapped[start + 2 :]
    assert 3 <= len(foot) <= 25 and foot == furniture[-len(foot) :]
    assert furnish(text, furniture, random.Random(1)) == "\n".join(wrapped)


def test_a_furnisher_with_one_seed_wraps_the_same_texts_the_same_way() -> None:
    furniture = {f"site{k}.example": [f"site {k} menu item {j}" for j in range(30)] for k in range(50)}
    texts = [f"Story number {k} is told here." for k in range(20)]
    first, second = Furnisher(furniture, seed=3), Furnisher(furniture, seed=3)
    runs = [[f(t) for t in texts] for f in (first, second)]
    assert runs[0] == runs[1]
    assert len({site for site, _ in runs[0]}) > 1
    assert all(text in wrapped for text, (_, wrapped) in zip(texts, runs[0], strict=True))
