"""Organization private keys, sealed at rest with the bid seal's envelope (marketplace.sealing):
the PKCS#8 key under a fresh AES-256-GCM data key, the data key wrapped by the current KEK.
The associated data binds a sealed key to its certificate's serial."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from marketplace import sealing


def new_private_key():
    return ec.generate_private_key(ec.SECP256R1())


def _aad(serial: str) -> bytes:
    return f"pki-key:{serial}".encode("ascii")


def seal(private_key, serial: str) -> dict:
    """The model fields (`sealed_key`, `wrapped_key`, `kek_id`) of a sealed key."""
    data_key = sealing.new_data_key()
    der = private_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    kek_id, wrapped = sealing.configured_keys().wrap(data_key)
    return {"sealed_key": sealing.to_text(sealing.encrypt(data_key, der, _aad(serial))),
            "wrapped_key": sealing.to_text(wrapped), "kek_id": kek_id}


def open_key(certificate) -> bytes:
    """The PKCS#8 DER of the certificate's private key (SealBroken when it cannot be opened)."""
    data_key = sealing.configured_keys().unwrap(certificate.kek_id,
                                                sealing.from_text(certificate.wrapped_key))
    return sealing.decrypt(data_key, sealing.from_text(certificate.sealed_key),
                           _aad(certificate.serial))
