"""Mending the single pass: folding one-article stories and moving members between stories.

A single pass decides each article once, in arrival order, so an article of one event can join
its sibling's story before its own story exists, and one event can start two stories. The
functions here mend that as later articles arrive, on the kept members of the candidate stories
(:attr:`~storywire.services.dedup.clustering.StoryState.members`): :func:`absorb` folds
one-article candidates into the story an article just joined, :func:`take_members` moves members
of nearby stories into it, and :func:`starts_apart` lets an article start a story of its own that
takes over the members that follow it. All are pure; the dedup stage writes their outcome
(:mod:`storywire.services.dedup.assigning`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from storywire.services.dedup.clustering import (
    DEFAULT_CLUSTER_CONFIG,
    ClusterConfig,
    CorpusStats,
    Evidence,
    MemberVector,
    StoryState,
    evidence,
    in_time_window,
    new_story,
    updated_story,
    weighted_vector,
)
from storywire.services.dedup.features import ArticleFeatures
from storywire.services.dedup.near_duplicates import EMPTY_SIGNATURE

__all__ = [
    "absorb",
    "founder_features",
    "member_features",
    "starts_apart",
    "take_members",
    "without_member",
]


def founder_features(story: StoryState) -> ArticleFeatures:
    """What a one-article story keeps of its article, as the decision reads an article.

    Its centroid is the article's unit tf vector (truncated by tf-idf) and its lead entities
    and years are the article's, so it scores against another story as the article would.
    """
    founder = MemberVector(
        story.founder, story.centroid, tuple(story.lead_entities), tuple(story.years), story.first_published
    )
    return member_features(founder)


def absorb(
    story: StoryState,
    candidates: Sequence[StoryState],
    stats: CorpusStats,
    now: float,
    config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
) -> tuple[StoryState, list[StoryState]]:
    """Fold into ``story`` (just grown by an article) the one-article candidates that now fit it.

    Returns the grown story and the stories folded into it. ``stats`` must cover the
    candidates' :func:`story_terms`, as it does for :func:`decide`.
    """
    folded: list[StoryState] = []
    if config.absorb_threshold <= 0.0:
        return story, folded
    for candidate in candidates:
        if candidate.size != 1 or candidate.story_id == story.story_id or not candidate.founder:
            continue
        features = founder_features(candidate)
        if not in_time_window(features.published_at, story, config.time_window):
            continue
        ev = evidence(features, weighted_vector(features.terms, stats), story, stats, config)
        if ev.score(config) >= config.absorb_threshold:
            story = updated_story(story, candidate.founder, features, stats, now, config)
            folded.append(candidate)
    return story, folded


def member_features(member: MemberVector) -> ArticleFeatures:
    """A kept member as the decision reads an article (its truncated terms, lead names, years, date)."""
    return ArticleFeatures(
        terms=member.terms,
        entities=frozenset(),
        signature=EMPTY_SIGNATURE,
        published_at=member.published_at,
        lead_entities=frozenset(member.lead_entities),
        years=frozenset(member.years),
    )


def _uncounted(counts: Mapping[str, int], keys: Iterable[str]) -> dict[str, int]:
    out = dict(counts)
    for key in keys:
        if key in out:
            out[key] -= 1
            if out[key] <= 0:
                del out[key]
    return out


def without_member(story: StoryState, member: MemberVector) -> StoryState:
    """The story's state with a kept member taken out.

    Its kept terms leave the centroid and its lead names and years the counts; the
    publication-time range stays as it was (only the members' dates could narrow it).
    """
    centroid = dict(story.centroid)
    for term, weight in member.terms.items():
        left = centroid.get(term, 0.0) - weight
        if left > 1e-9:
            centroid[term] = left
        else:
            centroid.pop(term, None)
    members = tuple(m for m in story.members if m.article_id != member.article_id)
    founder = story.founder
    if story.size == 2 and len(members) == 1:
        founder = members[0].article_id  # a one-article story is read through its founder
    return replace(
        story,
        size=story.size - 1,
        centroid=centroid,
        members=members,
        lead_entities=_uncounted(story.lead_entities, member.lead_entities),
        years=_uncounted(story.years, member.years),
        founder=founder,
    )


def take_members(
    story: StoryState,
    candidates: Sequence[StoryState],
    scored: Mapping[str, Evidence],
    stats: CorpusStats,
    now: float,
    config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
) -> tuple[StoryState, list[tuple[StoryState, MemberVector]]]:
    """Move into ``story`` (just joined or started by an article) the members of nearby stories
    that fit it better than their own story without them.

    A story of two or more articles that the article scored at least ``move_near`` against
    is a neighbour; each of its kept members is scored against the neighbour without it and
    against ``story``, and moves when ``story`` scores higher and clears its threshold. This
    mends early mistakes of the single pass: an article of one event that joined its sibling's
    story before its own story existed, or the second story of one event. Returns the grown
    story and, per move, the source story's new state and the member that left it.
    """
    moved: list[tuple[StoryState, MemberVector]] = []
    if config.max_members <= 0:
        return story, moved
    target = weighted_vector(story.centroid, stats)  # weighed again only when a member moves in
    for candidate in candidates:
        ev = scored.get(candidate.story_id)
        if candidate.story_id == story.story_id or ev is None or ev.score(config) < config.move_near:
            continue
        neighbour = candidate
        for member in neighbour.members:
            if neighbour.size < 2:
                break
            features = member_features(member)
            if not in_time_window(features.published_at, story, config.time_window):
                continue
            vec = weighted_vector(features.terms, stats)
            there = evidence(features, vec, story, stats, config, target).score(config)
            if there < config.join_threshold:
                continue  # cannot move, whatever its own story says
            rest = without_member(neighbour, member)
            if there > evidence(features, vec, rest, stats, config).score(config):
                story = updated_story(story, member.article_id, features, stats, now, config)
                target = weighted_vector(story.centroid, stats)
                neighbour = rest
                moved.append((rest, member))
    return story, moved


def starts_apart(
    story: StoryState,
    article_id: str,
    features: ArticleFeatures,
    scored: Evidence,
    stats: CorpusStats,
    now: float,
    config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
) -> bool:
    """Whether an article that would join ``story`` (with evidence ``scored``) should start a story
    of its own, which then takes over the members that follow it.

    A story that holds a few articles of another event (they joined before their own event's
    story existed) draws that event's later articles in through them. So: start a story with the
    article, let it take the story's kept members that fit it better (:func:`take_members`), and
    keep it apart when they are at most half the story, the rest of the story no longer reaches
    ``join_threshold`` for the article, and the members that left fit the article better than
    the rest does.
    """
    if not config.start_apart or config.max_members <= 0 or story.size < 2:
        return False
    trial = new_story("", article_id, features, stats, now, config)
    _, taken = take_members(trial, [story], {story.story_id: scored}, stats, now, config)
    if not taken or 2 * len(taken) > story.size:
        return False  # a story's majority stays where it is: its id is what consumers follow
    rest = taken[-1][0]
    first, *others = (member for _source, member in taken)
    followers = new_story("", first.article_id, member_features(first), stats, now, config)
    for member in others:
        followers = updated_story(followers, member.article_id, member_features(member), stats, now, config)
    vec = weighted_vector(features.terms, stats)
    to_rest = evidence(features, vec, rest, stats, config).score(config)
    return to_rest < config.join_threshold and evidence(features, vec, followers, stats, config).score(config) > to_rest
