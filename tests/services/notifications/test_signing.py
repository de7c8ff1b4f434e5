"""The documented verification example accepts what Catalyst signs, and nothing else."""

from __future__ import annotations

import re
import time
from pathlib import Path

from services.notifications.signing import digest, signature_header, verify

DOC = (Path(__file__).resolve().parents[3] / "docs" / "notifications.md").read_text(encoding="utf-8")


def _documented_verify():
    code = re.search(r"```python\n(.*?)```", DOC, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "docs/notifications.md", "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace["verify"]


def test_the_documented_example_verifies_catalysts_signature():
    documented = _documented_verify()
    body, secret = b'{"type":"run.paused","data":{}}', "whsec_example"
    header = signature_header(secret, body)
    assert documented(header, body, secret) and verify(header, body, secret)
    assert not documented(header, body + b"x", secret)
    assert not documented(header, body, "whsec_other")
    old = signature_header(secret, body, timestamp=int(time.time()) - 3600)
    assert not documented(old, body, secret) and not verify(old, body, secret)
    assert not documented("v1=deadbeef", body, secret) and not verify("garbage", body, secret)


def test_the_header_is_timestamp_and_hmac_of_timestamp_dot_body():
    header = signature_header("whsec_k", b"{}", timestamp=1764624600)
    assert header == f"t=1764624600,v1={digest('whsec_k', 1764624600, b'{}')}"
    import hashlib
    import hmac

    assert digest("whsec_k", 1764624600, b"{}") == hmac.new(b"whsec_k", b"1764624600.{}", hashlib.sha256).hexdigest()


def test_the_documented_header_is_a_real_signature():
    expected = digest("whsec_example", 1764624600, b'{"type":"webhook.test"}')
    assert f"Catalyst-Signature: t=1764624600,v1={expected}" in DOC
