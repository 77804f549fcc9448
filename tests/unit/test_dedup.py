"""Canonical URLs, content hashes and MinHash near-duplicates."""

from __future__ import annotations

import pytest

from bot.services.ingest.dedup import (
    NearDuplicateIndex,
    canonical_url,
    content_hash,
    minhash_from_bytes,
    minhash_of,
    minhash_to_bytes,
)

STORY = (
    "Foreign ministers of the coalition of the willing met in Paris on Tuesday to discuss "
    "a reassurance force for Ukraine after a ceasefire. The meeting agreed that air policing "
    "and maritime demining would come first, while ground troops remain a matter of debate "
    "among the participating states. Officials said a headquarters could be set up in Kyiv "
    "within weeks of a ceasefire, and that the United States had been asked for a backstop "
    "covering intelligence, air defence and logistics for the mission."
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM:443/a/b/?utm_source=rss&utm_medium=x", "https://example.com/a/b"),
        ("http://example.com:80/", "http://example.com/"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://example.com/a?b=2&a=1#section", "https://example.com/a?a=1&b=2"),
        (
            "https://example.com/a?fbclid=1&gclid=2&yclid=3&mc_cid=4&mc_eid=5",
            "https://example.com/a",
        ),
        (
            "https://example.com/a?ref=tw&ref_src=x&igshid=1&_ga=2&spm=3&id=7",
            "https://example.com/a?id=7",
        ),
        ("https://example.com/news/story/amp", "https://example.com/news/story"),
        ("https://example.com/news/story/amp/", "https://example.com/news/story"),
        ("https://example.com/news/story.amp.html", "https://example.com/news/story.html"),
        ("https://example.com/news/story?amp=1", "https://example.com/news/story"),
        ("https://example.com/news/story?outputType=amp", "https://example.com/news/story"),
        ("https://example.com/amplifier", "https://example.com/amplifier"),
        ("https://example.com//a//b", "https://example.com/a/b"),
        ("https://example.com/a?q=", "https://example.com/a?q="),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_keeps_what_it_cannot_parse() -> None:
    assert canonical_url("  mailto:someone@example.com ") == "mailto:someone@example.com"
    assert canonical_url("http://example.com:notaport/") == "http://example.com:notaport/"


def test_canonical_url_is_idempotent() -> None:
    url = "HTTPS://News.Example.org/a/b/?z=1&utm_campaign=c&a=2#top"
    assert canonical_url(canonical_url(url)) == canonical_url(url)


def test_content_hash_ignores_case_spacing_and_punctuation() -> None:
    assert content_hash("Hello,  World!\n") == content_hash("hello world")
    assert content_hash("hello world") != content_hash("hello there world")


def test_near_duplicate_found_above_threshold() -> None:
    index = NearDuplicateIndex()
    original = minhash_of(STORY)
    assert original is not None
    index.add(1, original)
    edited = STORY.replace("Tuesday", "Wednesday")  # true Jaccard of 3-shingles: 0.93
    assert index.find(minhash_of(edited)) == 1  # type: ignore[arg-type]


def test_different_story_is_not_a_near_duplicate() -> None:
    index = NearDuplicateIndex()
    index.add(1, minhash_of(STORY))  # type: ignore[arg-type]
    other = " ".join(reversed(STORY.split()))  # same words, different shingles
    assert index.find(minhash_of(other)) is None  # type: ignore[arg-type]


def test_short_texts_get_no_signature() -> None:
    assert minhash_of("Ceasefire talks resume in Geneva") is None


def test_signature_round_trips_through_bytes() -> None:
    sketch = minhash_of(STORY)
    assert sketch is not None
    restored = minhash_from_bytes(minhash_to_bytes(sketch))
    assert restored is not None and restored.jaccard(sketch) == 1.0
    assert minhash_from_bytes(b"junk") is None


def test_index_tops_up_from_serialized_rows() -> None:
    index = NearDuplicateIndex()
    data = minhash_to_bytes(minhash_of(STORY))  # type: ignore[arg-type]
    index.add_serialized([(5, data), (9, b"corrupt")])
    assert len(index) == 1 and index.loaded_up_to == 9
    assert index.find(minhash_of(STORY)) == 5  # type: ignore[arg-type]


def test_signature_is_datasketchs_minhash_of_the_shingle_hash() -> None:
    """minhash_of computes hashes and permutations itself, all shingles at once; it has to be
    exactly MinHash.update_batch over the shingles with shingle_hash as the hash function."""
    from datasketch import LeanMinHash, MinHash

    from bot.services.ingest.dedup import SEED, _words, shingle_hash

    text = " ".join(f"word{i % 37} story{i % 11} ministry{i}" for i in range(120))
    for sample in (text, text + " Київ, прем’єр Zelensky’s «гарантії» 5 allies", STORY * 2):
        words = _words(sample)
        shingles = {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
        reference = MinHash(num_perm=128, seed=SEED, hashfunc=shingle_hash)
        reference.update_batch([s.encode("utf-8") for s in shingles])
        ours = minhash_of(sample)
        assert ours is not None and ours.seed == SEED
        assert list(ours.hashvalues) == list(reference.hashvalues)
        assert ours.jaccard(LeanMinHash(reference)) == 1.0


def test_signatures_of_the_sha1_scheme_are_not_indexed_but_reported() -> None:
    """Seed-1 signatures (SHA-1 of each shingle, stored before) hash differently: never
    compared with new ones, but handed back so that they are recomputed."""
    from datasketch import LeanMinHash, MinHash

    from bot.services.ingest.dedup import _words

    words = _words(STORY)
    old = MinHash(num_perm=128, seed=1)
    old.update_batch([" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)])
    index = NearDuplicateIndex()
    current = minhash_to_bytes(minhash_of(STORY))  # type: ignore[arg-type]
    stale = index.add_serialized([(3, minhash_to_bytes(LeanMinHash(old))), (4, current)])
    assert stale == [3] and len(index) == 1 and index.loaded_up_to == 4
    assert index.find(minhash_of(STORY)) == 4  # type: ignore[arg-type]
