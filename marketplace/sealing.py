"""Envelope encryption at rest: data under AES-256-GCM data keys, data keys wrapped by
key-encryption keys (KEKs) that never touch the database (docs/decisions.md "Sealed bids
encrypted at rest (issue 13 §2)").

    blob        = 0x01 | nonce (12 bytes) | AES-256-GCM(data key, nonce, plaintext, aad)
    wrapped key = AES key wrap (RFC 3394) of the data key under the KEK named by its id

The KEKs come from a `KeyEncryptionKeys` provider, chosen once per process by `configured_keys`:
the class named by `BID_SEAL_KMS` (a KMS client), else `BID_SEAL_KEKS` ("id:base64,id:base64",
32-byte keys) with `BID_SEAL_KEK_ID` the one that wraps new keys, else, for laptops and tests
only, one KEK derived from SECRET_KEY (the deploy check warns about it in production).
"""

import abc
import base64
import binascii
import functools
import logging
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError

logger = logging.getLogger(__name__)

KEY_BYTES = 32
NONCE_BYTES = 12
VERSION = b"\x01"
DERIVED_KEK_ID = "derived-from-secret-key"


class SealBroken(DomainError):
    """Sealed data cannot be opened: its key-encryption key is missing or wrong, or the data
    was altered or moved to another record. Never silent: the action stops, nothing written."""

    status_code = 503
    code = "seal.broken"
    default_message = _("Sealed data could not be decrypted: a key-encryption key is missing "
                        "or wrong, or the data was altered. Nothing was changed.")


class KeyEncryptionKeys(abc.ABC):
    """What wraps and unwraps data keys. A KMS plugs in as a subclass named by `BID_SEAL_KMS`:
    `wrap` asks the KMS to encrypt with its current key and returns that key's id; `unwrap`
    asks it to decrypt with the key of the stored id. Raise `SealBroken` when it cannot."""

    current_id: str = ""
    derived_default = False

    @abc.abstractmethod
    def wrap(self, data_key: bytes) -> tuple[str, bytes]:
        """`(id of the key that wrapped it, wrapped data key)`."""

    @abc.abstractmethod
    def unwrap(self, kek_id: str, wrapped: bytes) -> bytes:
        """The data key, unwrapped with the key `kek_id` names."""


class LocalKeys(KeyEncryptionKeys):
    """KEKs held by the process (from the environment). `unwrap_only` keys open old data keys
    but never wrap new ones (the SECRET_KEY-derived one, so `rotate_bid_seal_key` can move
    keys sealed before the operator set real KEKs)."""

    def __init__(self, keys: dict[str, bytes], current_id: str, *, unwrap_only=None,
                 derived_default: bool = False):
        if current_id not in keys:
            raise ImproperlyConfigured(f"BID_SEAL_KEK_ID {current_id!r} is not in BID_SEAL_KEKS.")
        self.keys = {**(unwrap_only or {}), **keys}
        self.current_id = current_id
        self.derived_default = derived_default

    def wrap(self, data_key: bytes) -> tuple[str, bytes]:
        return self.current_id, aes_key_wrap(self.keys[self.current_id], data_key)

    def unwrap(self, kek_id: str, wrapped: bytes) -> bytes:
        kek = self.keys.get(kek_id)
        if kek is None:
            raise SealBroken(gettext("The key-encryption key “%(id)s” is not configured "
                               "(BID_SEAL_KEKS); sealed data under it cannot be opened. "
                               "Nothing was changed.") % {"id": kek_id}, code="seal.kek_missing")
        try:
            return aes_key_unwrap(kek, wrapped)
        except InvalidUnwrap:
            raise SealBroken(gettext("The key-encryption key “%(id)s” is not the one that sealed "
                               "this data. Nothing was changed.") % {"id": kek_id},
                             code="seal.kek_wrong")


def derived_kek(secret_key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=b"marketplace bid seal kek v1").derive(secret_key.encode("utf-8"))


def parse_keks(text: str) -> dict[str, bytes]:
    """`"id1:base64key,id2:base64key"` as {id: key}; ImproperlyConfigured on anything else."""
    keys = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        kek_id, sep, encoded = item.partition(":")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if not sep or not kek_id.strip() or len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"BID_SEAL_KEKS: {kek_id.strip() or item[:12]!r} must be id:base64 of "
                f"{KEY_BYTES} bytes.")
        keys[kek_id.strip()] = key
    return keys


@functools.cache
def configured_keys() -> KeyEncryptionKeys:
    if getattr(settings, "BID_SEAL_KMS", ""):
        return import_string(settings.BID_SEAL_KMS)()
    derived = {DERIVED_KEK_ID: derived_kek(settings.SECRET_KEY)}
    keys = parse_keks(getattr(settings, "BID_SEAL_KEKS", ""))
    if keys:
        current = getattr(settings, "BID_SEAL_KEK_ID", "") or (
            next(iter(keys)) if len(keys) == 1 else "")
        return LocalKeys(keys, current, unwrap_only=derived)
    logger.warning("BID_SEAL_KEKS is not set: sealed bids are encrypted under a key derived "
                   "from SECRET_KEY. Fine on a laptop; production must set its own KEKs.")
    return LocalKeys(derived, DERIVED_KEK_ID, derived_default=True)


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting in ("BID_SEAL_KMS", "BID_SEAL_KEKS", "BID_SEAL_KEK_ID", "SECRET_KEY"):
        configured_keys.cache_clear()


# --- Data ---------------------------------------------------------------------------------


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def encrypt(data_key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + AESGCM(data_key).encrypt(nonce, plaintext, aad)


def decrypt(data_key: bytes, blob: bytes, aad: bytes) -> bytes:
    """The plaintext, or SealBroken when the blob is not this record's under this key."""
    if blob[:1] != VERSION:
        raise SealBroken(code="seal.unknown_format")
    nonce, body = blob[1:1 + NONCE_BYTES], blob[1 + NONCE_BYTES:]
    try:
        return AESGCM(data_key).decrypt(nonce, body, aad)
    except InvalidTag:
        raise SealBroken(gettext("Sealed data does not belong to this record or was altered; it "
                           "cannot be opened. Nothing was changed."), code="seal.mismatch")


def to_text(blob: bytes) -> str:
    return base64.b64encode(blob).decode("ascii")


def from_text(text: str) -> bytes:
    return base64.b64decode(text)


# --- Deploy check -------------------------------------------------------------------------


def check_seal_keys(app_configs=None, **kwargs):
    """`manage.py check --deploy` (registered by bidding's AppConfig): production must not
    seal bids under the derived key, and the configured keys must parse."""
    try:
        keys = configured_keys()
    except (ImproperlyConfigured, ImportError) as exc:
        return [checks.Error(str(exc), id="sealing.E001")]
    if keys.derived_default:
        return [checks.Warning(
            "Sealed bids are encrypted under a key derived from SECRET_KEY.",
            hint="Set BID_SEAL_KEKS and BID_SEAL_KEK_ID (or BID_SEAL_KMS), then run "
                 "manage.py rotate_bid_seal_key.", id="sealing.W001")]
    return []
