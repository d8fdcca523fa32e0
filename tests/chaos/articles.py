"""Synthetic news articles about many distinct events: the chaos run's corpus and the benchmarks' inputs.

An event is a place, a thing and an organisation; every sentence about it names all three, so the
articles of one event form a story and those of two events do not. All randomness comes from the
caller's ``random.Random``, so a seed gives the same articles on every run.
"""

from __future__ import annotations

import random

__all__ = [
    "EVENTS",
    "ORGS",
    "PEOPLE",
    "PLACES",
    "THINGS",
    "VERBS",
    "WHEN",
    "Event",
    "event_sentence",
    "event_text",
    "event_title",
    "html_page",
]

PEOPLE = ["Maria Lopez", "John Okafor", "Chen Wei", "Anna Kowalska", "Rahul Mehta", "Sara Berg", "Tom Hughes"]
PLACES = ["Lisbon", "Nairobi", "Osaka", "Krakow", "Pune", "Bergen", "Leeds", "Quito", "Tbilisi", "Adelaide"]
ORGS = ["the city council", "the health ministry", "the central bank", "the port authority", "the university"]
VERBS = ["approved", "rejected", "postponed", "announced", "reviewed", "defended", "questioned"]
THINGS = ["budget", "bridge repair", "water plan", "school reform", "tram line", "housing scheme", "trade deal"]
WHEN = ["on Monday", "on Tuesday", "late on Wednesday", "this week", "on Friday morning"]

Event = tuple[str, str, str]
"""A place, a thing and an organisation."""

#: Every event of the word lists; articles of one event form a story.
EVENTS: list[Event] = [(place, thing, org) for place in PLACES for thing in THINGS for org in ORGS]


def event_sentence(rng: random.Random, event: Event) -> str:
    """One sentence about ``event``: who of which organisation did what, with made-up figures."""
    place, thing, org = event
    return (
        f"{rng.choice(PEOPLE)} of {org} in {place} {rng.choice(VERBS)} "
        f"the {thing} {rng.choice(WHEN)}, saying it would cost {rng.randint(2, 900)} million "
        f"and affect {rng.randint(3, 90)} thousand residents over {rng.randint(2, 12)} years."
    )


def event_text(rng: random.Random, paragraphs: int, event: Event) -> str:
    """``paragraphs`` paragraphs of three sentences each about ``event``, separated by blank lines."""
    return "\n\n".join(" ".join(event_sentence(rng, event) for _ in range(3)) for _ in range(paragraphs))


def event_title(rng: random.Random, event: Event) -> str:
    """A headline for ``event``, e.g. ``The city council in Lisbon approved budget``."""
    place, thing, org = event
    return f"{org.capitalize()} in {place} {rng.choice(VERBS)} {thing}"


def html_page(title: str, text: str) -> str:
    """``text`` (paragraphs separated by blank lines) as a simple page with a menu and a footer."""
    body = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (
        f"<html><head><title>{title}</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>'
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>© Example Media. All rights reserved. Subscribe to our newsletter.</footer>"
        "</body></html>"
    )
