"""API token keys: how they are made and how they are found again from their hash.

A key is 40 hexadecimal characters (the shape DRF's keys had, so clients that stored one need
no change). Its SHA-256 is what the database keeps; a key carries 160 random bits, so a plain
hash (no salt, no slow hasher) is enough to make a leaked table useless and lets the lookup stay
one indexed query."""

import hashlib
import secrets

PREFIX_LENGTH = 8


def new_key() -> str:
    return secrets.token_hex(20)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(key: str) -> str:
    return key[:PREFIX_LENGTH]
