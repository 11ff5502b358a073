"""The `Marketplace-Signature` header (API.md): `t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`,
checked by the documentation's own code: it refuses another secret, another body and an old
timestamp."""

import hashlib
import hmac
import re
import time

from marketplace.webhooks import signing

SECRET = "whsec_test-secret"
BODY = '{"id":"e1","event":"project.published","data":{"项目":"环评"}}'.encode()


def test_the_header_is_t_and_v1_the_hex_hmac_sha256_of_t_dot_body():
    header = signing.header(SECRET, 1796524800, BODY)
    match = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})", header)
    assert match is not None
    assert match.group(1) == "1796524800"
    expected = hmac.new(SECRET.encode(), b"1796524800." + BODY, hashlib.sha256).hexdigest()
    assert match.group(2) == expected


def test_the_documented_check_accepts_a_fresh_signature(verify_signature):
    header = signing.header(SECRET, int(time.time()), BODY)
    assert verify_signature(BODY, header, SECRET)
    assert signing.verify(SECRET, header, BODY)


def test_the_documented_check_refuses_another_secret_or_body(verify_signature):
    header = signing.header(SECRET, int(time.time()), BODY)
    assert not verify_signature(BODY, header, "whsec_other")
    assert not verify_signature(BODY + b" ", header, SECRET)
    assert not signing.verify("whsec_other", header, BODY)


def test_the_documented_check_refuses_a_timestamp_outside_the_tolerance(verify_signature):
    old = int(time.time()) - 301
    header = signing.header(SECRET, old, BODY)
    assert not verify_signature(BODY, header, SECRET)
    assert verify_signature(BODY, header, SECRET, tolerance=400)
    assert not signing.verify(SECRET, header, BODY)


def test_the_documented_check_refuses_a_malformed_header(verify_signature):
    for header in ("", "t=abc,v1=00", "v1=00", "t=1796524800"):
        assert not verify_signature(BODY, header, SECRET)
        assert not signing.verify(SECRET, header, BODY)
