"""Checks that a built HTML page opens without a network: nothing remote loaded, nothing missing.

A page "loads" a file through ``src``/``href``/``data``/``poster``/``srcset`` attributes (of
``script``, ``link``, ``img``, ``iframe``, ``source``, ...), CSS ``url()`` and ``@import``, and
JavaScript that imports a module or script by URL. Plain hyperlinks (``<a href>``), which a
reader may follow or not, are allowed. The builders call :func:`remote_references` on every page
they write and refuse to finish if it finds anything; the tests call both functions.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from custkit.errors import CustkitError

_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*([^'")\s]+)""", re.IGNORECASE)
_JS_URL = re.compile(r"""['"`]((?:https?:)?//[^'"`\s]+\.(?:m?js|css)(?:\?[^'"`\s]*)?)['"`]""", re.IGNORECASE)
_ATTRS = ("src", "href", "data", "poster", "srcset", "action", "formaction", "background")
_LINK_TAGS = {"a", "area"}


def _soup(html_text: str) -> BeautifulSoup:
    if not isinstance(html_text, str):
        raise CustkitError(f"expected the text of an HTML page (str), got {type(html_text).__name__}.")
    return BeautifulSoup(html_text, "html.parser")


def _attribute_urls(soup: BeautifulSoup):
    for tag in soup.find_all(True):
        for attr in _ATTRS:
            value = tag.get(attr)
            if not isinstance(value, str):
                continue
            urls = [part.split()[0] for part in value.split(",") if part.strip()] if attr == "srcset" else [value]
            for url in urls:
                yield tag, attr, url.strip()


def _css_urls(soup: BeautifulSoup) -> list[str]:
    texts = [s.get_text() for s in soup.find_all("style")] + [t["style"] for t in soup.find_all(style=True)]
    return [m.group(1) for text in texts for m in _CSS_URL.finditer(text)]


def remote_references(html_text: str) -> list[str]:
    """Every URL the page would fetch from another host (hyperlinks ``<a href>`` excepted)."""
    soup = _soup(html_text)
    found = [url for tag, _, url in _attribute_urls(soup) if tag.name not in _LINK_TAGS and _REMOTE.match(url)]
    found += [url for url in _css_urls(soup) if _REMOTE.match(url)]
    for script in soup.find_all("script"):
        found += [m.group(1) for m in _JS_URL.finditer(script.get_text())]
    return found


def missing_local_files(html_path: str | Path) -> list[str]:
    """Relative files the page (and the CSS files it links) refers to that do not exist."""
    html_path = Path(html_path)
    if not html_path.is_file():
        raise CustkitError(f"{str(html_path)!r} is not a file; pass the path of a built HTML page.")
    soup = _soup(html_path.read_text(encoding="utf-8"))
    refs = [(html_path.parent, url) for tag, _, url in _attribute_urls(soup)]
    refs += [(html_path.parent, url) for url in _css_urls(soup)]
    missing, seen = [], set()
    while refs:
        base, url = refs.pop()
        if _REMOTE.match(url) or re.match(r"^\s*(?:[a-z][a-z0-9+.-]*:|#)", url, re.IGNORECASE):
            continue  # remote (reported elsewhere), data:, mailto:, javascript:, or an anchor
        target = (base / url.split("#")[0].split("?")[0]).resolve()
        if target in seen:
            continue
        seen.add(target)
        if not target.exists():
            missing.append(url)
        elif target.suffix == ".css":
            refs += [(target.parent, m.group(1)) for m in _CSS_URL.finditer(target.read_text(encoding="utf-8"))]
    return missing


def require_offline(html_text: str, page_name: str) -> str:
    """Return ``html_text``, or raise a CustkitError naming what ``page_name`` would download."""
    remote = remote_references(html_text)
    if remote:
        raise CustkitError(
            f"{page_name} would load {len(remote)} file(s) from the network, e.g. {remote[:3]}; "
            f"remove that output or markdown image from the notebook (or save the file beside it)."
        )
    return html_text
