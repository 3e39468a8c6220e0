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
    import htmldate
    import trafilatura
    from lxml.etree import LxmlError

    try:
        tree = trafilatura.load_html(html)
        if tree is None:
            raise BadInput("not an HTML page that can be read")
        if sum(1 for _ in tree.iter()) > MAX_TREE:
            raise BadInput(f"a page of more than {MAX_TREE:,} elements is not an article")
        date = htmldate.find_date(tree, extensive_search=False, original_date=True)
        document = trafilatura.bare_extraction(
            trafilatura.load_html(html),
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            deduplicate=False,
            prune_xpath="//noscript",
        )
    except (LxmlError, ValueError, RecursionError) as exc:
        raise BadInput(f"the page cannot be read ({type(exc).__name__})") from None
    text = getattr(document, "text", None) if document is not None else None
    words = len(text.split()) if text else 0
    if words < MIN_WORDS:
        raise BadInput(f"no article text found in the page ({words} words outside its markup)")
    date = iso_date(date) if isinstance(date, str) else None
    meta = ArticleMeta(
        title=tidy_field(document.title),
        source=tidy_field(document.sitename),
        url=page_url(document.url),
        date=date,
        date_basis="stated" if date else None,
        author=tidy_field(document.author),
    )
    # trafilatura puts one paragraph a line; the cleaner reads a line that goes on in
    # lower case as a hard-wrapped one, so paragraphs are set apart as a text's are.
    return Page("\n\n".join(line for line in text.splitlines() if line.strip()), meta)
