"""The reader's header: the title, then source, author, date and counts, then the URL a
citation gives (a link, as the terminal allows); each value the user edited
(:mod:`newsbrowse.store.meta_edits`) marked."""

from __future__ import annotations

from newsbrowse.store.labels import date_label
from newsbrowse.store.meta_edits import basis_label, marked
from newsbrowse.store.model import Article
from newsbrowse.tui.widgets.display import display_text
from rich.style import Style
from rich.text import Text


def article_header(article: Article, title_style: Style, meta_style: Style) -> Text:
    """The header drawn above the article's body (as plain text: no markup is read)."""
    source = display_text(article.source) if article.source else "source unknown"
    by = [f"by {display_text(article.author)}"] if article.author else []
    meta = " · ".join(
        [
            marked(article, "source", source),
            *(marked(article, "author", text) for text in by),
            marked(article, "date", date_label(article.date, article.date_basis)),
            basis_label(article),
            f"{len(article.quotes)} quotes, {len(article.links)} links",
        ]
    )
    header = Text()
    header.append(marked(article, "title", display_text(article.title)), title_style)
    header.append("\n")
    header.append(meta, meta_style)
    if article.url:
        # A link (OSC 8 where the terminal draws them): a click opens what `o` opens.
        link = meta_style + Style(link=article.url)
        header.append("\n")
        header.append(marked(article, "url", display_text(article.url)), link)
    header.append("\n\n")
    return header
