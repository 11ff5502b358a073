"""The verifiable draw, checked against the DESIGN formula recomputed here with hashlib."""

import hashlib

import pytest

from marketplace import draw

SECRET = "0f" * 32
RECEIPTS = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(5)]


def _expected_index(secret: str, candidates: list[str]) -> tuple[str, int]:
    ordered = sorted(candidates)
    seed = hashlib.sha256((secret + "".join(ordered)).encode("ascii")).hexdigest()
    return seed, int(seed, 16) % len(ordered)


def test_make_secret_is_64_lowercase_hex_and_fresh():
    first, second = draw.make_secret(), draw.make_secret()
    assert len(first) == 64 and int(first, 16) >= 0 and first == first.lower()
    assert first != second


def test_commitment_is_sha256_of_the_secret_ascii():
    assert draw.commitment(SECRET) == hashlib.sha256(SECRET.encode("ascii")).hexdigest()


def test_draw_follows_the_published_formula():
    result = draw.draw(SECRET, RECEIPTS)
    seed, index = _expected_index(SECRET, RECEIPTS)
    assert result.candidates == tuple(sorted(RECEIPTS))
    assert (result.seed, result.index) == (seed, index)
    assert result.winner == sorted(RECEIPTS)[index]
    assert result.commitment == draw.commitment(SECRET)


def test_draw_does_not_depend_on_the_callers_order():
    assert draw.draw(SECRET, RECEIPTS) == draw.draw(SECRET, list(reversed(RECEIPTS)))


def test_verify_accepts_the_published_draw_and_rejects_any_tampering():
    published = draw.draw(SECRET, RECEIPTS).as_dict()
    assert draw.verify(**published)
    assert not draw.verify(**{**published, "index": (published["index"] + 1) % 5})
    assert not draw.verify(**{**published, "commitment": "0" * 64})
    assert not draw.verify(**{**published, "secret": "1f" * 32})
    assert not draw.verify(**{**published, "candidates": published["candidates"][:-1]})
    assert not draw.verify(**{**published, "seed": "f" * 64})


@pytest.mark.parametrize("secret", ["", "abc", "0F" * 32, "g" * 64, None])
def test_malformed_secrets_are_refused(secret):
    with pytest.raises(ValueError):
        draw.draw(secret, RECEIPTS)


def test_empty_or_duplicate_candidates_are_refused():
    with pytest.raises(ValueError):
        draw.draw(SECRET, [])
    with pytest.raises(ValueError):
        draw.draw(SECRET, [RECEIPTS[0], RECEIPTS[0]])


def test_draw_many_removes_each_winner_before_the_next_round():
    results = draw.draw_many(SECRET, RECEIPTS, 3)
    winners = [r.winner for r in results]
    assert len(set(winners)) == 3
    assert results[0] == draw.draw(SECRET, RECEIPTS)
    remaining = [c for c in RECEIPTS if c != winners[0]]
    assert results[1] == draw.draw(SECRET, remaining)
    with pytest.raises(ValueError):
        draw.draw_many(SECRET, RECEIPTS, 6)
