"""The demands panel: the codebook as a tree, each demand with what the demanding side
said and every reply of the answering side.

It reads links through a narrow protocol of the :class:`Library` and never looks at
article text itself. The demand rows come from one count query; children are built when
a demand is first expanded and each group loads a page of items at a time from the store,
so that a large corpus still gives a short summary and a quick start. Those reads stay on
the UI thread: the counts are a table of a few dozen rows and a page is an index walk
from whichever end is nearer, about a millisecond at 10,000 articles, so a worker would
only show an empty group for a frame. How each row is worded: :mod:`.demand_labels`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Protocol

from newsbrowse.store.errors import NotFound
from newsbrowse.store.ingest.codebook import Codebook
from newsbrowse.store.labels import (
    CORRECTED_MARK,
    UNDATED,
    date_label,
    side_slugs,
    speaker_label,
    stance_parts,
)
from newsbrowse.store.model import STANCES, ArticleSummary, Link, Quote
from newsbrowse.tui.widgets.demand_labels import (
    COUNTS_BREAK,
    EXCERPT,
    NOTHING,
    ROLE,
    DemandItem,
    EvidenceItem,
    GroupItem,
    MoreItem,
    NodeData,
    SideWords,
    article_label,
    excerpt,
    fit,
    is_direct,
    line,
    quoted,
    spoken,
)
from newsbrowse.tui.widgets.display import display_text
from newsbrowse.tui.widgets.link_keys import LinkCorrectionAsked
from rich.style import Style
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

PAGE = 5
"""Items shown per group before a "… N more" node."""

MIN_EXCERPT = 14
"""Fewest excerpt characters an item keeps before its article name is shortened."""

WIDE_ROOM = 28
"""Label cells from which an item names its date and speaker before its text: what an
item has in the panel at 120 columns (more when the panel has the focus, which widens
it). Below, the stance, the excerpt and the article's short name."""
WORDED_ROOM = 56
"""Label cells from which a wide item writes its stance's word beside the symbol."""
NARRATIVE = "the article"
"""Who an item is by when it quotes nobody: the article's own sentence (no marks)."""


class DemandsLibrary(Protocol):
    """What the panel (and the demand view) needs from a
    :class:`~newsbrowse.store.library.Library`."""

    @property
    def codebook(self) -> Codebook: ...

    def links(
        self,
        demand: str | None = None,
        side: str | None = None,
        offset: int = 0,
        limit: int | None = None,
        stance: str | None = None,
    ) -> list[Link]: ...

    def link_counts(self) -> dict[str, dict[str, int]]: ...

    def summaries(self, ids: Iterable[str]) -> dict[str, ArticleSummary]: ...

    def quote(self, quote_id: str) -> Quote: ...


class DemandsPanel(Tree[NodeData]):
    """The codebook of demands, each with the demanding side's statements and the
    answering side's replies."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open / choose", id="demands.choose",
                tooltip="A demand on the whole screen (the list filtered to it), or an "
                        "item's article at the evidence."),
        Binding("space", "toggle_node", "Expand", id="demands.expand",
                tooltip="Show or hide a demand's items here."),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "correct_link", "Correct link", show=False, id="demands.correct_link",
                tooltip="Correct the highlighted item's link: demand, side, stance, or remove."),
    ]  # fmt: skip

    COMPONENT_CLASSES: ClassVar[set[str]] = Tree.COMPONENT_CLASSES | {
        f"{ROLE}{role}" for role in ("title", "count", "group", "source", "empty", "more", *STANCES)
    }

    DEFAULT_CSS = """
    DemandsPanel {
        background: $surface;
        padding: 0 1;
        overflow-x: hidden;
    }
    DemandsPanel > .demands-panel--title { text-style: bold; }
    DemandsPanel > .demands-panel--count { color: $text-muted; }
    DemandsPanel > .demands-panel--group { color: $text-secondary; text-style: italic; }
    DemandsPanel > .demands-panel--source { color: $text-muted; }
    DemandsPanel > .demands-panel--empty { color: $text-muted; text-style: italic; }
    DemandsPanel > .demands-panel--more { color: $accent; }
    DemandsPanel > .demands-panel--rejects { color: $error; text-style: bold; }
    DemandsPanel > .demands-panel--open { color: $success; text-style: bold; }
    DemandsPanel > .demands-panel--conditional { color: $warning; text-style: bold; }
    DemandsPanel > .demands-panel--neutral { color: $text-muted; text-style: bold; }
    """

    class DemandSelected(Message):
        """The user chose a demand (the app filters the article list to it)."""

        def __init__(self, slug: str) -> None:
            super().__init__()
            self.slug = slug

    class EvidenceSelected(Message):
        """The user chose an item (the app opens its article at the evidence)."""

        def __init__(self, link: Link) -> None:
            super().__init__()
            self.link = link

    def __init__(self, library: DemandsLibrary, **kwargs: Any) -> None:
        super().__init__("Demands", **kwargs)
        self.show_root = False
        self.auto_expand = False  # enter opens the demand view; space expands
        self.guide_depth = 2
        self.library = library
        self.words = SideWords(library.codebook.sides)
        self.border_subtitle = self.words.legend
        self._counts: dict[str, dict[str, int]] = {}
        self._articles: dict[str, ArticleSummary] = {}
        self._quotes: dict[str, Quote | None] = {}  # by id: the wide items' speakers

    def on_mount(self) -> None:
        self.refresh_data()

    # data -------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        """Reload the codebook and counts from the library, keeping open what was open."""
        was_open = {
            node.data.slug
            for node in self.root.children
            if isinstance(node.data, DemandItem) and node.is_expanded
        }
        self._counts = self.library.link_counts()
        self._articles = {}
        self._quotes = {}
        self.clear()
        demands = self.library.codebook.demands
        if not demands:
            self.root.add_leaf(line(("the codebook holds no demands", "empty")))
        for demand in demands:
            label = self._demand_label(demand.slug, demand.title)
            node = self.root.add(label, DemandItem(demand.slug))
            if demand.slug in was_open:
                node.expand()
        if self.cursor_line < 0 and self.root.children:
            self.cursor_line = 0

    def count(self, slug: str, key: str) -> int:
        """A demand's links of a side, or its answering side's replies of a stance."""
        return self._counts.get(slug, {}).get(key, 0)

    def sides_of(self, slug: str) -> list[str]:
        """The sides with links to ``slug``: the demanding, the answering, then any other
        by name."""
        groups = self.words.groups
        present = [side for side in side_slugs(self.words.sides) if self.count(slug, side)]
        return [*(s for s in groups if s in present), *sorted(set(present) - set(groups))]

    def focus_demand(self, slug: str) -> None:
        """Put the cursor on a demand and open it (the palette's "jump to a demand")."""
        for node in self.root.children:
            if isinstance(node.data, DemandItem) and node.data.slug == slug:
                node.expand()
                self.move_cursor(node)
                return

    # labels -------------------------------------------------------------------------------
    def _demand_label(self, slug: str, title: str) -> Text:
        said = self.count(slug, self.words.demanding)
        replied = self.count(slug, self.words.answering)
        counts = f"{COUNTS_BREAK}{self.words.counts(said, replied)}"
        return line((display_text(title), "title"), (counts, "count"))

    def _group_label(self, slug: str, side: str) -> Text:
        title = display_text(self.words.group_title(side))
        parts: list[tuple[str, str]] = [(f"{title} ({self.count(slug, side)})", "group")]
        if side == self.words.answering:
            for stance in STANCES:
                if self.count(slug, stance):
                    symbol, _word = stance_parts(stance)
                    parts.append((f"  {symbol}{self.count(slug, stance)}", stance))
        return line(*parts)

    def _evidence_label(self, link: Link, width: int | None = None) -> Text:
        """Stance, excerpt and article; within ``width`` the excerpt and the name shrink.
        Where there is room (:data:`WIDE_ROOM`): stance, speaker, date and the excerpt."""
        if width is not None and width >= WIDE_ROOM:
            return self._wide_label(link, width)
        parts: list[tuple[str, str]] = []
        if link.corrected:  # the user's demand, side or stance: marked first
            parts.append((f"{CORRECTED_MARK} ", ""))
        if link.side != self.words.demanding:  # a reply: its stance first
            symbol, word = stance_parts(link.stance)
            role = word if word in STANCES else "neutral"
            parts.append((f"{symbol} {word}  ", role))
        summary = self._articles.get(link.article_id)
        source = f"  — {article_label(summary)}"
        room = EXCERPT
        if width is not None:
            room = width - sum(len(text) for text, _ in parts) - len(source) - 2
            if room < MIN_EXCERPT:  # too narrow: the subtitle names the article instead
                source = ""
                room = width - sum(len(text) for text, _ in parts) - 2
            room = max(MIN_EXCERPT, min(EXCERPT, room))
        parts.append((quoted(excerpt(display_text(link.evidence), room)), ""))
        if source:
            parts.append((source, "source"))
        return line(*parts)

    def _wide_label(self, link: Link, width: int) -> Text:
        """``✗ rejects  ~2021-12-17 · Jen Psaki  “We are not flexible…”``: when and who
        first (the date before the name, which a short row cuts first), then as much of
        the evidence as fits (the subtitle names the article)."""
        parts: list[tuple[str, str]] = []
        if link.corrected:  # the user's demand, side or stance: marked first
            parts.append((f"{CORRECTED_MARK} ", ""))
        if link.side != self.words.demanding:
            symbol, word = stance_parts(link.stance)
            role = word if word in STANCES else "neutral"
            parts.append((f"{symbol} {word}  " if width >= WORDED_ROOM else f"{symbol} ", role))
        quote = self._quotes.get(link.quote_id) if link.quote_id else None
        who = speaker_label(quote.speaker) if quote else NARRATIVE
        summary = self._articles.get(link.article_id)
        when = date_label(summary.date, summary.date_basis) if summary else UNDATED
        parts.append((f"{when} · {display_text(who)}  ", "source"))
        room = max(MIN_EXCERPT, width - sum(len(text) for text, _ in parts))
        words = display_text(link.evidence)
        if is_direct(link, quote):  # a direct quote between marks, a sentence without
            parts.append((quoted(excerpt(spoken(words), room - 2)), ""))
        else:
            parts.append((excerpt(words, room), ""))
        return line(*parts)

    def _label_room(self, node: TreeNode[NodeData]) -> int | None:
        """Cells left for ``node``'s label after its guides and icon (None before layout)."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return None
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        icon = len(self.ICON_NODE) if node.allow_expand else 0
        return max(1, width - depth * self.guide_depth - icon)

    def render_label(self, node: TreeNode[NodeData], base_style: Style, style: Style) -> Text:
        """Draw a label to the panel's width with the component styles its spans name.

        A demand keeps its title first and its counts at the right edge; an item cuts its
        excerpt to fit. Nothing is ever read as markup.
        """
        room = self._label_room(node)
        label = node._label
        if room is not None and isinstance(node.data, EvidenceItem):
            label = self._evidence_label(node.data.link, room)
        painted = Text(label.plain, no_wrap=True, overflow="ellipsis")
        for span in label.spans:
            if isinstance(span.style, str) and span.style.startswith(ROLE):
                painted.stylize(self.get_component_rich_style(span.style), span.start, span.end)
        if room is not None:
            painted = fit(painted, room, counts=isinstance(node.data, DemandItem))
        painted.stylize(style)
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            prefix = (icon, base_style + Style(bold=True))
        else:
            prefix = ("", base_style)
        return Text.assemble(prefix, painted)

    # lazy children ----------------------------------------------------------------------------
    @on(Tree.NodeExpanded)
    def _fill_on_expand(self, event: Tree.NodeExpanded[NodeData]) -> None:
        event.stop()
        node = event.node
        if isinstance(node.data, DemandItem) and not node.children:
            self._fill_demand(node, node.data.slug)

    def _fill_demand(self, node: TreeNode[NodeData], slug: str) -> None:
        sides = self.sides_of(slug)
        if not sides:
            node.add_leaf(line((NOTHING, "empty")))
            return
        groups = self.words.groups
        for side in (*groups, *(side for side in sides if side not in groups)):
            group = node.add(self._group_label(slug, side), GroupItem(slug, side), expand=True)
            if not self.count(slug, side):
                group.add_leaf(line((display_text(self.words.empty(side)), "empty")))
            else:
                self._add_page(group, slug, side)

    def _add_page(self, group: TreeNode[NodeData], slug: str, side: str) -> TreeNode[NodeData]:
        """Load and add the next page of items to a group (and a "more" node).

        Returns the first item added (the group itself if the store has no more).
        """
        shown = sum(isinstance(child.data, EvidenceItem) for child in group.children)
        page = self.library.links(demand=slug, side=side, offset=shown, limit=PAGE)
        missing = {link.article_id for link in page} - self._articles.keys()
        if missing:
            self._articles.update(self.library.summaries(missing))
        for link in page:
            if link.quote_id and link.quote_id not in self._quotes:
                self._quotes[link.quote_id] = self._quote(link.quote_id)
        first: TreeNode[NodeData] | None = None
        for link in page:
            leaf = group.add_leaf(self._evidence_label(link), EvidenceItem(link))
            first = first or leaf
        rest = self.count(slug, side) - shown - len(page)
        if rest > 0 and page:
            group.add_leaf(line((f"… {rest} more", "more")), MoreItem(slug, side))
        return first or group

    def _quote(self, quote_id: str) -> Quote | None:
        try:
            return self.library.quote(quote_id)
        except NotFound:  # a link kept after its quote: no name rather than a guess
            return None

    # choosing -------------------------------------------------------------------------------
    def action_correct_link(self) -> None:
        """Ask the app to correct the link of the highlighted evidence item."""
        node = self.cursor_node
        if node is None or not isinstance(node.data, EvidenceItem):
            self.notify("Move to an item of a demand first.", severity="warning", markup=False)
            return
        self.post_message(LinkCorrectionAsked(node.data.link))

    @on(Tree.NodeSelected)
    def _chosen(self, event: Tree.NodeSelected[NodeData]) -> None:
        event.stop()
        node, data = event.node, event.node.data
        if isinstance(data, DemandItem):
            self.post_message(self.DemandSelected(data.slug))
        elif isinstance(data, EvidenceItem):
            self.post_message(self.EvidenceSelected(data.link))
        elif isinstance(data, MoreItem) and node.parent is not None:
            group = node.parent
            node.remove()
            first = self._add_page(group, data.slug, data.side)
            self.call_after_refresh(self.move_cursor, first)

    @on(Tree.NodeHighlighted)
    def _name_article(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        """The subtitle names the whole article of the item under the cursor, else the legend."""
        event.stop()
        data = event.node.data
        if isinstance(data, EvidenceItem):
            summary = self._articles.get(data.link.article_id)
            self.border_subtitle = article_label(summary, date_first=True)
        else:
            self.border_subtitle = self.words.legend

    @on(Tree.NodeCollapsed)
    def _quiet(self, event: Message) -> None:
        """The app listens to the domain messages above, not to the tree's own."""
        event.stop()
