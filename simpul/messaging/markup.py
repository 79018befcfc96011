"""Messages are written in a safe subset of Markdown and shown as sanitised HTML.

markdown-it-py parses CommonMark with raw HTML switched off (a `<script>` in a
message is shown as text, never run); nh3 (the Ammonia sanitiser) then keeps
only the tags of the subset below, whatever the parser produced, and makes
every link `rel="noopener noreferrer nofollow"`. Two maintained libraries
instead of hand-written escaping: each guards against the other's mistakes.

Mentions are `@username`; `mentioned_usernames` finds them (never inside
code), and the rendered mention links to nothing: it is only highlighted.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

# What a message may contain: paragraphs, emphasis, lists, quotes, code, links.
# No images (an image URL would tell an outside server who read the message),
# no headings or tables (a message is not a document).
ALLOWED_TAGS = {"p", "br", "strong", "em", "del", "s", "ul", "ol", "li", "blockquote", "code", "pre", "a", "span"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

MENTION = re.compile(r"(?<![\w@.])@([\w.+-]{1,150})")
CODE = re.compile(r"`[^`]*`|```.*?```", re.DOTALL)

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).disable(
    ["image", "heading", "lheading"]
)


def mentioned_usernames(text: str) -> list[str]:
    """The usernames mentioned in a message, in order, each once (a mention inside code is not one)."""
    plain = CODE.sub(" ", text or "")
    seen: dict[str, None] = {}
    for match in MENTION.finditer(plain):
        seen.setdefault(match.group(1).rstrip(".").lower(), None)
    return list(seen)


def render(text: str, *, mentions: set[str] | None = None) -> str:
    """The message as sanitised HTML; `@name` of the mentioned people is highlighted."""
    html = _parser.render(text or "")
    if mentions:

        def highlight(match: re.Match[str]) -> str:
            name = match.group(1).rstrip(".")
            if name.lower() not in mentions:
                return match.group(0)
            rest = match.group(1)[len(name) :]
            return f'<span class="mention">@{name}</span>{rest}'

        # Only in text between tags, never in an attribute or inside code.
        parts = re.split(r"(<code>.*?</code>|<[^>]+>)", html, flags=re.DOTALL)
        html = "".join(part if part.startswith("<") else MENTION.sub(highlight, part) for part in parts)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        allowed_classes={"span": {"mention"}},
    )
