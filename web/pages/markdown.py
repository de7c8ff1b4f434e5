"""Report Markdown → safe HTML: markdown-it-py renders (raw HTML off), nh3 sanitises the result."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# What a report needs and nothing that loads or runs anything: no img, no style, no event handlers.
TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code",
    "ul", "ol", "li", "dl", "dt", "dd", "strong", "em", "b", "i", "s", "del", "ins", "sub", "sup",
    "table", "thead", "tbody", "tr", "th", "td", "a", "abbr", "span",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(["table", "strikethrough"])


def render_markdown(text: str, *, shift_headings: int = 0) -> Markup:
    """Sanitised HTML of `text`, safe to put in a page as is.

    `shift_headings` demotes headings (1: `#` becomes h2) when the page already has its own h1.
    """
    tokens = _md.parse(text or "")
    if shift_headings:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(6, int(token.tag[1]) + shift_headings)}"
    html = _md.renderer.render(tokens, _md.options, {})
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow")
    return Markup(clean)  # noqa: S704 - nh3 keeps only the allowed tags, attributes and URL schemes
