"""A saved web page's article: its main text and what the page says of itself.

trafilatura finds the main text (navigation, scripts, share bars and related-article
lists left out) and the title, site name, author and canonical URL; htmldate the
publication date, from the page's metadata only (``extensive_search`` off: a date
guessed from the text would be cited as the page's own). The text then goes through
the cleaning and analysis every article does, so offsets are into the stored cleaned
text as always.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from newsbrowse.store.errors import BadInput
from newsbrowse.store.meta_fields import iso_date, page_url, tidy_field
from newsbrowse.store.model import ArticleMeta

MIN_WORDS = 15
"""Words of main text a page must hold to be an article: fewer is what is left of a page
whose content its scripts write ("Enable JavaScript"), a gallery or a paywall."""
MAX_TREE = 200_000
"""Elements a page may hold (a news page has a few thousand): a page built to exhaust the
extractor is refused, not parsed for minutes."""

# trafilatura and htmldate report a page they cannot read through logging, which would
# print to stderr beside newsbrowse's one-line message: newsbrowse says it instead.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


@dataclass(frozen=True)
class Page:
    """A page's article text (paragraphs apart by blank lines) and its metadata."""

    text: str
    meta: ArticleMeta


def read_page(html: str) -> Page:
    """The article of a saved page; BadInput with a one-line reason if it holds none."""
    import trafilatura

    tree = trafilatura.load_html(html)
    if tree is None:  # a fragment ("<p>...</p>", an article's markup saved alone)
        html = f"<html><body>{html}</body></html>"
        tree = trafilatura.load_html(html)
    if tree is None:
        raise BadInput("not an HTML page that can be read")
    if sum(1 for _ in tree.iter()) > MAX_TREE:
        raise BadInput(f"a page of more than {MAX_TREE:,} elements is not an article")
    date = _stated_date(tree)
    document = _extracted(html)
    text = getattr(document, "text", None) if document is not None else None
    words = len(text.split()) if text else 0
    if words < MIN_WORDS:
        raise BadInput(f"no article text found in the page ({words} words outside its markup)")
    meta = ArticleMeta(
        title=tidy_field(getattr(document, "title", None)),
        source=tidy_field(getattr(document, "sitename", None)),
        url=page_url(getattr(document, "url", None)),
        date=date,
        date_basis="stated" if date else None,
        author=tidy_field(getattr(document, "author", None)),
    )
    # trafilatura puts one paragraph a line; the cleaner reads a line that goes on in
    # lower case as a hard-wrapped one, so paragraphs are set apart as a text's are.
    return Page("\n\n".join(line for line in text.splitlines() if line.strip()), meta)


def _extracted(html: str) -> Any:
    """trafilatura's document of the page: its text and metadata, else (its metadata's
    date search fails on some malformed trees, as :func:`_stated_date` says) its text
    alone; any other failure on a hostile page refuses that page, in one line."""
    import trafilatura

    failure: Exception | None = None
    for with_metadata in (True, False):
        try:
            return trafilatura.bare_extraction(
                trafilatura.load_html(html),
                with_metadata=with_metadata,
                include_comments=False,
                include_tables=False,
                include_images=False,
                deduplicate=False,
                prune_xpath="//noscript",
            )
        except Exception as exc:  # noqa: BLE001 - see above
            failure = exc
    raise BadInput(f"the page cannot be read ({type(failure).__name__})")


def _stated_date(tree: object) -> str | None:
    """The publication date the page's metadata states, if htmldate finds one. It fails
    on some malformed trees (an assertion in lxml's ``drop_tree``): such a page is read
    undated, not refused, since its text may still be an article."""
    import htmldate

    try:
        date = htmldate.find_date(tree, extensive_search=False, original_date=True)
    except Exception:  # noqa: BLE001 - see above
        return None
    return iso_date(date) if isinstance(date, str) else None
