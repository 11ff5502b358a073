"""Endpoint signing secrets, sealed at rest like the sealed bids (marketplace.sealing): the
secret must be recoverable to sign each delivery, so it is encrypted, not hashed; the data key
is wrapped by the platform's key-encryption key, and the endpoint's id is the associated data
(a secret copied onto another endpoint does not open)."""

import secrets as random

from marketplace import sealing
from marketplace.webhooks.models import Endpoint

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + random.token_urlsafe(32)


def _aad(endpoint: Endpoint) -> bytes:
    return f"webhooks.endpoint:{endpoint.pk}:organization:{endpoint.organization_id}".encode()


def seal(endpoint: Endpoint, secret: str) -> None:
    """Set the endpoint's sealed secret (the caller saves). The endpoint must have its id."""
    key = sealing.new_data_key()
    endpoint.secret_kek_id, wrapped = sealing.configured_keys().wrap(key)
    endpoint.secret_wrapped_key = sealing.to_text(wrapped)
    endpoint.secret_sealed = sealing.to_text(
        sealing.encrypt(key, secret.encode("utf-8"), _aad(endpoint)))


def unseal(endpoint: Endpoint) -> str:
    """The signing secret; `SealBroken` when its key is missing or the data was altered."""
    key = sealing.configured_keys().unwrap(endpoint.secret_kek_id,
                                           sealing.from_text(endpoint.secret_wrapped_key))
    return sealing.decrypt(key, sealing.from_text(endpoint.secret_sealed),
                           _aad(endpoint)).decode("utf-8")
