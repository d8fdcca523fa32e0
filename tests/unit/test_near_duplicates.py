"""Tests for near-verbatim copy detection: signatures, LSH band keys, verification, synthetic copies."""

from __future__ import annotations

import random
from collections import defaultdict

from evaluation.duplicates import make_copy
from storywire.services.dedup.near_duplicates import (
    NUM_PERM,
    Signature,
    band_keys,
    best_match,
    is_near_duplicate,
    signature,
    verify,
)

_VOCAB_RNG = random.Random(7)
_VOCAB = [
    "".join(_VOCAB_RNG.choice("abcdefghiklmnoprstuvwy") for _ in range(_VOCAB_RNG.randint(2, 9))) for _ in range(3000)
]
_COMMON = ["the", "of", "and", "to", "in", "a", "said", "on", "was", "for"]


def _article(rng: random.Random, topic: list[str], words: int = 220) -> str:
    """A pseudo-article: common words, topic words and random vocabulary, in lines of ~20 words."""
    tokens = [
        rng.choice(_COMMON) if r < 0.35 else rng.choice(topic) if r < 0.55 else rng.choice(_VOCAB)
        for r in (rng.random() for _ in range(words))
    ]
    return "\n".join(" ".join(tokens[i : i + 20]) for i in range(0, words, 20))


def _corpus(seed: int, topics: int = 10, per_topic: int = 4) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(topics):
        topic = rng.sample(_VOCAB, 25)
        texts += [_article(rng, topic, rng.randint(80, 400)) for _ in range(per_topic)]
    return texts


def test_signature_has_fixed_size_and_is_deterministic() -> None:
    text = _corpus(1, 1, 1)[0]
    assert signature(text) == signature(text)
    assert len(signature(text).values) == NUM_PERM * 4


def test_band_keys_are_prefixed_strings_usable_as_redis_keys() -> None:
    keys = band_keys(signature(_corpus(2, 1, 1)[0]))
    assert len(keys) == len(set(keys)) > 30
    assert all(isinstance(k, str) and ":" in k and " " not in k for k in keys)


def test_texts_too_short_to_judge_get_no_band_keys() -> None:
    assert band_keys(signature("")) == []
    assert band_keys(signature("Breaking news")) == []


def test_wrapped_edited_and_truncated_copy_is_a_near_duplicate() -> None:
    rng = random.Random(3)
    for text in _corpus(3, 5, 2):
        copy = make_copy(text, rng)
        assert is_near_duplicate(signature(copy), signature(text))
        assert set(band_keys(signature(copy))) & set(band_keys(signature(text)))


def test_same_topic_sibling_is_not_a_near_duplicate() -> None:
    corpus = _corpus(4, 5, 2)
    for first, second in zip(corpus[::2], corpus[1::2], strict=True):
        assert verify(signature(first), signature(second)) < 0.3
        assert not is_near_duplicate(signature(first), signature(second))


def test_verification_scores_containment_of_the_shorter_text() -> None:
    text = _corpus(5, 1, 1)[0]
    lines = text.splitlines()
    half = "\n".join(lines[: len(lines) // 2])
    assert verify(signature(half), signature(text)) > 0.8
    assert verify(signature(text), signature(text)) == 1.0


def test_synthetic_stream_finds_copies_with_high_precision_and_recall() -> None:
    rng = random.Random(6)
    originals = _corpus(6, 15, 4)
    stream = [(f"o{i}", t, f"o{i}") for i, t in enumerate(originals)]
    stream += [(f"c{i}", make_copy(t, rng), f"o{i}") for i, t in enumerate(originals) if i % 2 == 0]
    buckets: dict[str, list[str]] = defaultdict(list)
    sigs: dict[str, Signature] = {}
    tp = fp = fn = 0
    for item_id, text, source in stream:
        sig = signature(text)
        keys = band_keys(sig)
        candidates = {m for k in keys for m in buckets[k]}
        match = best_match(sig, ((c, sigs[c]) for c in candidates))
        if item_id.startswith("c"):
            tp += match is not None and match[0] == source
            fn += match is None or match[0] != source
        fp += match is not None and match[0] != source
        sigs[item_id] = sig
        for k in keys:
            buckets[k].append(item_id)
    assert tp / (tp + fp) >= 0.99
    assert tp / (tp + fn) >= 0.99


def test_copy_generator_keeps_60_to_100_percent_of_the_words_and_adds_boilerplate() -> None:
    rng = random.Random(8)
    text = _corpus(8, 1, 1)[0]
    source_words = set(text.split())
    for _ in range(20):
        copy = make_copy(text, rng, "A title")
        kept = [w for w in copy.split() if w in source_words]
        assert 0.55 * len(text.split()) <= len(kept) <= len(text.split())
        assert any(w not in source_words for w in copy.split())
