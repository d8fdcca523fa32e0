"""Near-verbatim copy detection: MinHash over word shingles, LSH band keys, verification.

A syndicated copy is usually the original text wrapped in another outlet's
boilerplate, lightly edited and often truncated. Its shingle set is then largely
*contained* in (or contains) the original's, while the Jaccard similarity can be
as low as 0.4. So LSH is tuned for recall at Jaccard ~0.3 and the candidates are
verified on the estimated containment ``|A ∩ B| / min(|A|, |B|)``.

Hashing is deterministic (BLAKE2b, fixed permutation constants), so signatures
and band keys computed by different replicas or processes agree and can be
stored in Redis: each band key names a bucket (a Redis set of article ids).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from storywire.services.text.punctuation import CLAUSE_STOPS, SENTENCE_STOPS, ends_in
from storywire.services.text.tokens import ALPHANUMERIC_RUNS

__all__ = [
    "NUM_PERM",
    "Signature",
    "band_keys",
    "is_near_duplicate",
    "shingles",
    "signature",
    "verify",
]

NUM_PERM = 128
SHINGLE_SIZE = 2
"""Word bigrams: with trigrams every edited word destroys three shingles, and short
copies wrapped in boilerplate fell below the LSH threshold (recall 0.99 -> 0.98)."""
BAND_ROWS = 3
"""42 bands of 3 rows: P(candidate) is 0.996 at Jaccard 0.5, 0.94 at 0.4, 0.04 at 0.1."""
DUPLICATE_THRESHOLD = 0.55
"""Minimum estimated containment for two articles to count as copies."""
MIN_LINE_WORDS = 12
"""Lines shorter than this count only if they end like a sentence (see ``_body_lines``)."""
MIN_SHINGLES = 8
"""Below this many shingles a text is too short to call anything a copy of it."""

_MASK64 = (1 << 64) - 1
_MAX32 = np.uint32(0xFFFFFFFF)


def _u64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def _permutations() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    # Multiply-shift hashing: (a*x + b mod 2^64) >> 32 with odd a is a 2-universal family.
    a = np.array([_u64(f"a{i}".encode()) | 1 for i in range(NUM_PERM)], dtype=np.uint64)
    b = np.array([_u64(f"b{i}".encode()) for i in range(NUM_PERM)], dtype=np.uint64)
    return a, b


_PERM_A, _PERM_B = _permutations()
_MIX = np.array([_u64(f"m{i}".encode()) | 1 for i in range(SHINGLE_SIZE)], dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class Signature:
    """MinHash signature: ``NUM_PERM`` uint32 minima (little-endian bytes) and the shingle count."""

    values: bytes
    size: int

    def array(self) -> npt.NDArray[np.uint32]:
        """The minima as a numpy array (a view on ``values``)."""
        return np.frombuffer(self.values, dtype="<u4")


_SENTENCE_END = ends_in(SENTENCE_STOPS + CLAUSE_STOPS)


def _body_lines(text: str) -> str:
    """Drop short lines that are not sentences (titles, datelines, share/subscribe prompts).

    Boilerplate that outlets wrap around a syndicated text is mostly such lines;
    skipping them on both sides keeps short copies above the containment threshold.
    Falls back to the whole text when nothing would be left.
    """
    kept = [line for line in text.splitlines() if len(line.split()) >= MIN_LINE_WORDS or _SENTENCE_END.search(line)]
    body = "\n".join(kept)
    return body if len(body.split()) >= MIN_LINE_WORDS else text


def _normalise_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", _body_lines(text)).lower()
    return ALPHANUMERIC_RUNS.findall(text)


@lru_cache(maxsize=65536)
def _word_hash(word: str) -> int:
    return _u64(word.encode("utf-8"))


def shingles(text: str, size: int = SHINGLE_SIZE) -> list[tuple[str, ...]]:
    """Word ``size``-grams of the normalised text (for inspection and tests)."""
    words = _normalise_words(text)
    if len(words) < size:
        return [tuple(words)] if words else []
    return [tuple(words[i : i + size]) for i in range(len(words) - size + 1)]


def _shingle_hashes(text: str) -> npt.NDArray[np.uint64]:
    words = _normalise_words(text)
    if not words:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.array([_word_hash(w) for w in words], dtype=np.uint64)
    n = max(1, len(words) - SHINGLE_SIZE + 1)
    combined = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(min(SHINGLE_SIZE, len(words))):
            combined += hashes[j : j + n] * _MIX[j]
        # Fold the high bits down so the multiply-shift step sees all of them.
        combined ^= combined >> np.uint64(29)
    return np.unique(combined)


#: The signature of a text without shingles (it is in no LSH bucket).
EMPTY_SIGNATURE = Signature(values=np.full(NUM_PERM, _MAX32, dtype="<u4").tobytes(), size=0)


def signature(text: str) -> Signature:
    """MinHash signature of the text's word shingles."""
    hashes = _shingle_hashes(text)
    if hashes.size == 0:
        return EMPTY_SIGNATURE
    with np.errstate(over="ignore"):
        values = (hashes[:, None] * _PERM_A[None, :] + _PERM_B[None, :]) >> np.uint64(32)
    mins = values.min(axis=0).astype(np.uint32)
    return Signature(values=mins.astype("<u4").tobytes(), size=int(hashes.size))


def band_keys(sig: Signature, rows: int = BAND_ROWS) -> list[str]:
    """LSH bucket keys (``"<band>:<hex>"``); two signatures sharing any key are candidates."""
    if sig.size < MIN_SHINGLES:
        return []
    keys = []
    for band in range(NUM_PERM // rows):
        chunk = sig.values[band * rows * 4 : (band + 1) * rows * 4]
        keys.append(f"{band:02d}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return keys


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    if a.size == 0 or b.size == 0:
        return 0.0
    return float(np.count_nonzero(a.array() == b.array())) / NUM_PERM


def verify(a: Signature, b: Signature) -> float:
    """Estimated containment of the smaller shingle set in the larger one, in [0, 1].

    From the Jaccard estimate J and the set sizes: ``|A ∩ B| = J (|A| + |B|) / (1 + J)``.
    """
    if min(a.size, b.size) == 0:
        return 0.0
    return min(1.0, shared_shingles(a, b) / min(a.size, b.size))


def shared_shingles(a: Signature, b: Signature) -> float:
    """Estimated number of shingles the two texts share."""
    j = jaccard(a, b)
    return j * (a.size + b.size) / (1.0 + j)


def _passes(a: Signature, b: Signature, score: float, threshold: float) -> bool:
    if min(a.size, b.size) < MIN_SHINGLES:
        return False
    return score >= threshold


def is_near_duplicate(a: Signature, b: Signature, threshold: float = DUPLICATE_THRESHOLD) -> bool:
    """Whether two signatures are close enough to call one a copy of the other."""
    return _passes(a, b, verify(a, b), threshold)


def best_match(
    sig: Signature, candidates: Iterable[tuple[str, Signature]], threshold: float = DUPLICATE_THRESHOLD
) -> tuple[str, float] | None:
    """The candidate (id, containment) this signature copies most closely, if any passes."""
    best: tuple[str, float] | None = None
    for cid, other in candidates:
        score = verify(sig, other)
        if _passes(sig, other, score, threshold) and (best is None or score > best[1]):
            best = (cid, score)
    return best
