"""The verifiable random draw (DESIGN §4 "Verifiable random draw"), shared by bidding's `random`
selection method and ratings' random inspections.

Before anything is known about the candidates, the platform draws a secret and publishes its
commitment. At the draw it reveals the secret; anyone can then recompute the result with nothing
but SHA-256:

    commitment = sha256(secret.encode("ascii")).hexdigest()
    candidates = sorted(candidates)                       # e.g. the valid bids' receipts
    seed       = sha256((secret + "".join(candidates)).encode("ascii")).hexdigest()
    index      = int(seed, 16) % len(candidates)          # the winner is candidates[index]

Pure functions only: no database, no clock, so the same code serves every caller and tests.
"""

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

SECRET_BYTES = 32  # 64 hex characters
_SECRET_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class DrawResult:
    commitment: str
    secret: str
    candidates: tuple[str, ...]
    seed: str
    index: int

    @property
    def winner(self) -> str:
        return self.candidates[self.index]

    def as_dict(self) -> dict:
        return {
            "commitment": self.commitment,
            "secret": self.secret,
            "candidates": list(self.candidates),
            "seed": self.seed,
            "index": self.index,
        }


def make_secret() -> str:
    """A fresh secret: 64 lowercase hex characters from the OS's CSPRNG."""
    return secrets.token_hex(SECRET_BYTES)


def commitment(secret: str) -> str:
    """The public commitment to `secret`: the SHA-256 hex digest of its ASCII."""
    _check_secret(secret)
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def draw(secret: str, candidates: Iterable[str]) -> DrawResult:
    """Draw one of `candidates` (ASCII strings, distinct) with `secret`.

    The candidates are sorted here, so the caller's order never matters. Callers normalise them
    first where the rule says so (bidding passes receipts in lowercase hex).
    """
    _check_secret(secret)
    ordered = _ordered(candidates)
    seed = hashlib.sha256((secret + "".join(ordered)).encode("ascii")).hexdigest()
    return DrawResult(
        commitment=commitment(secret),
        secret=secret,
        candidates=ordered,
        seed=seed,
        index=int(seed, 16) % len(ordered),
    )


def draw_many(secret: str, candidates: Iterable[str], count: int) -> list[DrawResult]:
    """`count` distinct winners by successive draws: each round is `draw` over the candidates
    left after removing the earlier winners (round one is exactly `draw(secret, candidates)`)."""
    remaining = list(_ordered(candidates))
    if count < 0 or count > len(remaining):
        raise ValueError(f"Cannot draw {count} of {len(remaining)} candidates")
    results = []
    for _round in range(count):
        result = draw(secret, remaining)
        results.append(result)
        remaining.remove(result.winner)
    return results


def verify(
    *, commitment: str, secret: str, candidates: Iterable[str], seed: str, index: int
) -> bool:
    """Whether a published draw holds: the secret matches the commitment published before the
    draw, and the seed and index follow from the secret and the candidates as published."""
    try:
        expected = draw(secret, candidates)
    except ValueError:
        return False
    published = list(candidates)
    return (
        expected.commitment == commitment
        and published == list(expected.candidates)
        and expected.seed == seed
        and expected.index == index
    )


def _check_secret(secret: str) -> None:
    if not isinstance(secret, str) or not _SECRET_RE.match(secret):
        raise ValueError("A draw secret is 64 lowercase hexadecimal characters")


def _ordered(candidates: Iterable[str]) -> tuple[str, ...]:
    ordered = tuple(sorted(candidates))
    if not ordered:
        raise ValueError("A draw needs at least one candidate")
    if len(set(ordered)) != len(ordered):
        raise ValueError("Draw candidates must be distinct")
    for candidate in ordered:
        if not candidate.isascii():
            raise ValueError("Draw candidates must be ASCII strings")
    return ordered
