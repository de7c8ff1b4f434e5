"""Report Markdown is rendered without anything that runs or loads, and headings can shift."""

from __future__ import annotations

import pytest

from web.pages.markdown import render_markdown


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "<img"),
        ("![logo](https://example.com/x.png)", "<img"),
        ("[click](javascript:alert(1))", 'href="javascript'),
        ('<a href="javascript:alert(1)">x</a>', "<a "),
        ("<svg onload=alert(1)>", "<svg"),
        ("| a |\n|--:|\n| 1 |", "style="),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", 'href="data'),
    ],
)
def test_nothing_executable_survives(source: str, forbidden: str) -> None:
    assert forbidden not in str(render_markdown(source))


def test_markdown_renders_tables_links_and_headings() -> None:
    html = str(render_markdown("# Title\n\n## Part\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[site](https://example.com)"))
    assert "<h1>Title</h1>" in html and "<table>" in html and "<td>1</td>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">site</a>' in html
    shifted = str(render_markdown("# Title\n\n###### Deep", shift_headings=1))
    assert "<h2>Title</h2>" in shifted and "<h6>Deep</h6>" in shifted
