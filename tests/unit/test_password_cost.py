"""Only APP_ENV=test hashes at argon2id's lowest cost; every other environment keeps the standard."""

from __future__ import annotations

import pytest

from services import passwords


@pytest.fixture(autouse=True)
def _restore():
    yield
    passwords.configure("test")  # what the rest of the suite runs with


@pytest.mark.parametrize("env", ["production", "development"])
def test_real_environments_hash_at_the_standard_cost(env: str) -> None:
    passwords.configure(env)
    hashed = passwords.hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2id$") and ",t=3," in hashed and "m=65536" in hashed
    assert passwords.verify_password(hashed, "correct horse battery staple")


def test_the_test_environment_hashes_cheaply_and_still_verifies_standard_hashes() -> None:
    passwords.configure("production")
    standard = passwords.hash_password("correct horse battery staple")
    passwords.configure("test")
    cheap = passwords.hash_password("correct horse battery staple")
    assert cheap.startswith("$argon2id$") and "m=8,t=1,p=1" in cheap
    assert passwords.verify_password(standard, "correct horse battery staple")
    assert not passwords.verify_password(cheap, "wrong")
