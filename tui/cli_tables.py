"""The reading subcommands (``list``, ``show``, ``quotes``, ``links``, ``search``): a table
on a terminal or a pipe, JSON with ``--json``.

Dates, sides, stances and speakers are written as the app writes them
(:mod:`newsbrowse.tui.labels`), so a quote looks the same in a table and on screen.
"""

from __future__ import annotations

import argparse

from newsbrowse.store.errors import BadInput
from newsbrowse.store.labels import DATE_LEGEND
from newsbrowse.store.library import Library
from newsbrowse.store.meta_edits import basis_label
from newsbrowse.store.model import Article, ArticleSummary, Link, Quote
from newsbrowse.tui.cli_output import console, id_column, plain, print_json, table
from newsbrowse.tui.labels import (
    date_text,
    side_style,
    side_text,
    speaker_text,
    stance_text,
    with_marks,
)
from rich.console import Console
from rich.text import Text

INFERRED_CAPTION = f"{DATE_LEGEND} from events"


def cmd_list(lib: Library, args: argparse.Namespace) -> int:
    summaries = lib.articles()
    if args.json:
        print_json([s.to_dict() for s in summaries])
        return 0
    out = console()
    if not summaries:
        out.print("The store holds no articles; `newsbrowse import PATH` adds some.")
        return 0
    inferred = any(s.date and s.date_basis == "inferred" for s in summaries)
    shown = table(
        title=f"{len(summaries)} articles",
        caption=INFERRED_CAPTION if inferred else None,
        caption_justify="left",
    )
    id_column(shown, "id", max(len(s.id) for s in summaries))
    shown.add_column("date", min_width=11, no_wrap=True)
    shown.add_column("title", ratio=1, min_width=16)
    shown.add_column("source")
    for name in ("words", "quotes", "links"):
        shown.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    for s in summaries:
        shown.add_row(
            plain(s.id),
            with_marks(date_text(s.date, s.date_basis), "date" in s.edited, False),
            with_marks(plain(s.title), "title" in s.edited, False),
            with_marks(plain(s.source or "—"), "source" in s.edited, False),
            str(s.words),
            str(s.quote_count),
            str(s.link_count),
        )
    out.print(shown)
    return 0


def _meta_line(art: Article | ArticleSummary) -> Text:
    """Id, source, date and where it comes from, words, url: the reader's header line."""
    edited = art.edited

    def marked(text: Text, name: str) -> Text:
        return with_marks(text, name in edited, False)

    parts: list[Text] = [Text.assemble(("id ", "dim"), (art.id, "cyan"))]
    source = plain(art.source) if art.source else Text("source unknown", style="dim")
    parts.append(marked(source, "source"))
    author = getattr(art, "author", None)  # an Article's; the list's summaries hold none
    if author:
        parts.append(marked(plain(f"by {author}"), "author"))
    parts.append(marked(date_text(art.date, art.date_basis), "date"))
    parts.append(Text(basis_label(art), style="dim"))
    parts.append(Text(f"{art.words} words"))
    if art.url:
        parts.append(marked(plain(art.url), "url"))
    return Text(" · ", style="dim").join(parts)


def _highlighted_body(lib: Library, art: Article) -> Text:
    body = Text(art.body)
    for sq in art.scare_quotes:
        body.stylize("italic", sq.start, sq.end)
    sides = lib.codebook.sides
    for q in art.quotes:
        body.stylize(f"bold {side_style(q.side, sides)}", q.start, q.end)
    return body


def cmd_show(lib: Library, args: argparse.Namespace) -> int:
    art = lib.article(args.id)
    if args.json:
        print_json(art.to_dict())
        return 0
    out = console()
    out.print(with_marks(Text(art.title, style="bold"), "title" in art.edited, False))
    out.print(_meta_line(art))
    out.print()
    out.print(_highlighted_body(lib, art))
    out.print()
    print_quotes(out, lib, art.quotes, f"{len(art.quotes)} quotes")
    print_links(out, lib, art.links)
    if art.removed:
        out.print(Text(f"{len(art.removed)} lines removed as web junk:", style="dim"))
        for line in art.removed:
            out.print(Text(f"  - {line}", style="dim"))
    return 0


def print_quotes(out: Console, lib: Library, quotes: list[Quote], title: str) -> None:
    if not quotes:
        out.print("No quotes.")
        return
    sides = lib.codebook.sides
    shown = table(title=title)
    id_column(shown, "id", max(len(q.id) for q in quotes))
    shown.add_column("speaker")
    shown.add_column("side", no_wrap=True)
    shown.add_column("quote", ratio=1)
    shown.add_column("offsets", no_wrap=True, justify="right")
    for q in quotes:
        text = plain(q.text)
        if q.note:
            text.append_text(plain(f"\nnote: {q.note}", "italic"))
        shown.add_row(
            plain(q.id),
            with_marks(speaker_text(q.speaker), q.corrected, q.checked),
            with_marks(side_text(q.side, sides), q.corrected, False),
            text,
            f"{q.start}-{q.end}",
        )
    out.print(shown)


def cmd_quotes(lib: Library, args: argparse.Namespace) -> int:
    quotes = lib.quotes(
        article=args.article, speaker=args.speaker, side=args.side, demand=args.demand
    )
    if args.json:
        print_json([q.to_dict() for q in quotes])
        return 0
    print_quotes(console(), lib, quotes, f"{len(quotes)} quotes")
    return 0


def print_links(out: Console, lib: Library, links: list[Link], only: str | None = None) -> None:
    """One table per demand, in codebook order; then the demands nothing links to."""
    by_demand: dict[str, list[Link]] = {}
    for link in links:
        by_demand.setdefault(link.demand, []).append(link)
    if not links:
        out.print("No links" + (f" for demand {only}." if only else "."))
        return
    codebook = lib.codebook
    for slug in [only] if only else [s for s in codebook.slugs if s in by_demand]:
        demand = codebook.demand(slug)
        title = Text.assemble((slug, "bold"), " — ", demand.title if demand else "")
        shown = table(title=title, show_header=True)
        shown.add_column("side", no_wrap=True)
        shown.add_column("stance", no_wrap=True)
        id_column(shown, "article", 12)
        shown.add_column("evidence", ratio=1)
        shown.add_column("offsets", no_wrap=True, justify="right")
        for link in by_demand.get(slug, []):
            evidence = plain(link.evidence)
            if link.note:
                evidence.append_text(plain(f"\nnote: {link.note}", "italic"))
            shown.add_row(
                with_marks(side_text(link.side, codebook.sides), link.corrected, link.checked),
                stance_text(link.side, link.stance, codebook.sides),
                plain(link.article_id),
                evidence,
                f"{link.start}-{link.end}",
            )
        out.print(shown)
    silent = [s for s in codebook.slugs if s not in by_demand]
    if silent and not only:
        out.print(Text(f"No links yet for: {', '.join(silent)}", style="dim"))


def cmd_links(lib: Library, args: argparse.Namespace) -> int:
    links = lib.links(demand=args.demand, side=args.side)
    if args.json:
        print_json([lk.to_dict() for lk in links])
        return 0
    print_links(console(), lib, links, only=args.demand)
    return 0


def cmd_search(lib: Library, args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise BadInput(f"--limit must be at least 1, not {args.limit}")
    hits = lib.search(" ".join(args.query), limit=args.limit)
    if args.json:
        print_json([h.to_dict() for h in hits])
        return 0
    out = console()
    if not hits:
        out.print("No hits.")
        return 0
    shown = table(title=f"{len(hits)} hits")
    shown.add_column("#", justify="right")
    shown.add_column("kind")
    id_column(shown, "article", 12)
    shown.add_column("title", ratio=1)
    shown.add_column("speaker")
    shown.add_column("snippet", ratio=2)
    shown.add_column("offsets", no_wrap=True, justify="right")
    for n, hit in enumerate(hits, start=1):
        snippet = Text(hit.snippet)
        for lo, hi in hit.snippet_matches:
            snippet.stylize("bold reverse", lo, hi)
        shown.add_row(
            str(n),
            hit.kind,
            plain(hit.article_id),
            plain(hit.title),
            with_marks(
                speaker_text(hit.speaker) if hit.kind == "quote" else plain(hit.speaker or ""),
                hit.corrected,
                False,
            ),
            snippet,
            f"{hit.start}-{hit.end}",
        )
    out.print(shown)
    return 0
