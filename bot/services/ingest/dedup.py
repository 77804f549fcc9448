"""Duplicate detection: canonical URLs, content hashes and MinHash near-duplicates."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from datetime import datetime, timedelta
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from storage.models import utcnow

NEAR_DUPLICATE_THRESHOLD = 0.85
NUM_PERM = 128
SHINGLE_WORDS = 3
# below this many words two different short teasers look alike too easily: URL + hash only
MIN_WORDS_FOR_MINHASH = 25
RECENT_WINDOW = timedelta(days=30)

_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "yclid", "msclkid", "twclid", "igshid", "igsh",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "ref", "ref_src", "ref_url",
        "spm", "scm", "cmpid", "icid", "ncid", "ocid", "s_cid", "wt.mc_id", "at_medium",
        "at_campaign", "at_custom1", "at_custom2", "__twitter_impression", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "vero_id", "rss", "amp",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def canonical_url(url: str) -> str:
    """One spelling per article: tracking parameters, fragments and AMP variants removed."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # unparseable port or brackets: keep what we were given
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit(
        (scheme, netloc, _canonical_path(parts.path), _canonical_query(parts.query), "")
    )


def _canonical_path(path: str) -> str:
    path = re.sub(r"/{2,}", "/", path or "/")
    # AMP twins of an article: only the unambiguous trailing forms
    if path.endswith(("/amp", "/amp/")):
        path = path[: path.rfind("/amp")] or "/"
    elif path.endswith(".amp.html"):
        path = path[: -len(".amp.html")] + ".html"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path


def _canonical_query(query: str) -> str:
    params = [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if not _is_tracking(key, value)
    ]
    return urlencode(sorted(params))


def _is_tracking(key: str, value: str) -> bool:
    lowered = key.lower()
    if lowered == "outputtype" and value.lower() == "amp":
        return True
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def normalise_text(text: str) -> str:
    """Case, accents-as-composed, punctuation and whitespace removed: what the hash sees."""
    return " ".join(_words(text))


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def content_hash(text: str) -> str:
    return content_hash_of_words(_words(text))


def fingerprint_words(text: str) -> list[str]:
    """The words both content_hash and minhash_of read: find them once, pass them to both."""
    return _words(text)


def content_hash_of_words(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


# --- near duplicates ----------------------------------------------------------------------

# Signatures: word 3-shingles, datasketch's affine32 permutations of seed SEED. A shingle's
# hash combines the CRC-32s of its three words (SHINGLE_HASH_MULTIPLIERS), so each word is
# hashed once and the shingles are hashed together as array arithmetic; the seed-1 scheme
# stored before hashed every shingle string with SHA-1 (datasketch's default), several
# times the cost. The seed travels with every stored signature: one of LEGACY_SEEDS is
# recognised and recomputed from its document (store.refresh_index), never compared.
SEED = 2
LEGACY_SEEDS = frozenset({1})
SHINGLE_HASH_MULTIPLIERS = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D)  # odd: order matters
WORD_HASH_CACHE = 200_000  # words whose CRC-32 is remembered (news vocabulary repeats)

# one set of permutations for the process: building them per MinHash is the expensive part
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED)
if _TEMPLATE.scheme != "affine32":  # pragma: no cover - a datasketch that changed its default
    raise ImportError(f"dedup expects datasketch's affine32 MinHash, not {_TEMPLATE.scheme}")
_A, _B = (np.asarray(p, dtype=np.uint32).reshape(1, -1) for p in _TEMPLATE.permutations)
_FMIX = tuple(np.uint32(c) for c in (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16))
_M1, _M2, _M3 = (np.uint32(m) for m in SHINGLE_HASH_MULTIPLIERS)
_WORD_HASHES: dict[str, int] = {}


def shingle_hash(shingle: bytes) -> int:
    """The 32-bit hash of one shingle ("w1 w2 w3", UTF-8) that signatures are built from:
    the definition minhash_of_words computes for all shingles at once."""
    a, b, c = (zlib.crc32(word) for word in shingle.split(b" "))
    m1, m2, m3 = SHINGLE_HASH_MULTIPLIERS
    return ((a * m1) ^ (b * m2) ^ (c * m3)) & 0xFFFFFFFF


def _word_hash(word: str) -> int:
    found = _WORD_HASHES.get(word)
    if found is None:
        if len(_WORD_HASHES) >= WORD_HASH_CACHE:
            _WORD_HASHES.clear()
        found = _WORD_HASHES[word] = zlib.crc32(word.encode("utf-8"))
    return found


def minhash_of(text: str) -> LeanMinHash | None:
    """MinHash over word 3-shingles, or None when the text is too short to judge."""
    return minhash_of_words(_words(text))


def minhash_of_words(words: list[str]) -> LeanMinHash | None:
    if len(words) < MIN_WORDS_FOR_MINHASH:
        return None
    # MinHash.update_batch(shingles) with hashfunc=shingle_hash, as array arithmetic: a
    # shingle seen twice only repeats a value the minimum already took, so no set is needed
    h = np.fromiter(map(_word_hash, words), dtype=np.uint32, count=len(words))
    hv = ((h[:-2] * _M1) ^ (h[1:-1] * _M2) ^ (h[2:] * _M3)).reshape(-1, 1)
    s1, m1, s2, m2, s3 = _FMIX  # MurmurHash3's finalizer, as datasketch pre-mixes inputs
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    signature = (hv * _A + _B).min(axis=0)
    return LeanMinHash(seed=SEED, hashvalues=signature, scheme="affine32")


def is_current(sketch: LeanMinHash) -> bool:
    """Made by this scheme (comparable with minhash_of's signatures)?"""
    return sketch.seed == SEED and len(sketch.hashvalues) == NUM_PERM


def minhash_to_bytes(sketch: LeanMinHash) -> bytes:
    buf = bytearray(sketch.bytesize())
    sketch.serialize(buf)
    return bytes(buf)


def minhash_from_bytes(data: bytes) -> LeanMinHash | None:
    try:
        return LeanMinHash.deserialize(data)
    except Exception:  # a corrupt or foreign signature only costs us one comparison
        return None


@lru_cache(maxsize=8)
def _bands(threshold: float) -> tuple[int, int]:
    """(bands, rows) for `threshold`, as MinHashLSH would choose them."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


class NearDuplicateIndex:
    """An LSH index over recent documents' signatures, kept in memory between polls.

    Built from the database once and then topped up with newer ids, so a poll every
    30 seconds does not reload thousands of signatures; rebuilt daily to drop old ones.
    """

    REBUILD_AFTER = timedelta(hours=24)

    def __init__(self, threshold: float = NEAR_DUPLICATE_THRESHOLD) -> None:
        self.threshold = threshold
        # the bands are the same every time: datasketch finds them by numeric integration,
        # close to a second of CPU, so once per process rather than per (daily) rebuild
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, params=_bands(threshold))
        self._sketches: dict[int, LeanMinHash] = {}
        self.loaded_up_to = 0
        self.built_at: datetime | None = None

    def __len__(self) -> int:
        return len(self._sketches)

    def needs_rebuild(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.built_at is None or now - self.built_at > self.REBUILD_AFTER

    def add(self, doc_id: int, sketch: LeanMinHash) -> None:
        if doc_id in self._sketches:
            return
        self._sketches[doc_id] = sketch
        self._lsh.insert(doc_id, sketch, check_duplication=False)
        self.loaded_up_to = max(self.loaded_up_to, doc_id)

    def add_serialized(self, rows: list[tuple[int, bytes]]) -> list[int]:
        """Add stored signatures; returns the ids whose signature is of an earlier scheme
        (LEGACY_SEEDS): not comparable, to be made again from their documents."""
        stale: list[int] = []
        for doc_id, data in rows:
            sketch = minhash_from_bytes(data)
            if sketch is not None and is_current(sketch):
                self.add(doc_id, sketch)
            elif sketch is not None and sketch.seed in LEGACY_SEEDS:
                stale.append(doc_id)
            self.loaded_up_to = max(self.loaded_up_to, doc_id)
        return stale

    def find(self, sketch: LeanMinHash) -> int | None:
        """The most similar stored document above the threshold, if any."""
        best_id, best_score = None, self.threshold
        for doc_id in self._lsh.query(sketch):
            score = sketch.jaccard(self._sketches[doc_id])
            if score >= best_score:
                best_id, best_score = doc_id, score
        return best_id
