"""The legal plan names its entity with the article a reader says: "an Illinois nonprofit", "an LLC"."""

from __future__ import annotations

import pytest

from agents.offline_answers.specialists import indefinite


@pytest.mark.parametrize(("noun", "said"), [
    ("Illinois nonprofit corporation", "an Illinois nonprofit corporation"),
    ("Texas LLC", "a Texas LLC"),
    ("LLC", "an LLC"),
    ("S.A.S.", "an S.A.S."),
    ("GmbH", "a GmbH"),
    ("UG (haftungsbeschränkt)", "a UG (haftungsbeschränkt)"),
    ("Estonian OÜ", "an Estonian OÜ"),
    ("United Kingdom private company", "a United Kingdom private company"),
    ("Private limited company (Ltd)", "a Private limited company (Ltd)"),
])
def test_the_article_follows_the_sound(noun: str, said: str) -> None:
    assert indefinite(noun) == said
