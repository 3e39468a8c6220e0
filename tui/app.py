"""The newsbrowse app: three panes wired together, and the actions that span them.

Widgets own their behaviour and post domain messages; this module only composes them
and answers those messages (open an article, jump to evidence, filter, export). The
widgets read through narrow protocols of the :class:`Library`; every write to the store
(a selection, a read mark, an export) is made here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from newsbrowse.store.errors import NewsbrowseError
from newsbrowse.store.library import Library
from newsbrowse.store.search import SearchHit
from newsbrowse.tui.bindings import key_sections
from newsbrowse.tui.commands import (
    APP_COMMANDS,
    ArticleCommands,
    DemandCommands,
    FilterByDemand,
    OpenArticle,
)
from newsbrowse.tui.correcting import CorrectionActions
from newsbrowse.tui.correcting_links import LinkCorrectionActions
from newsbrowse.tui.demand_views import DemandViews
from newsbrowse.tui.meta_editing import MetaEditActions
from newsbrowse.tui.screens.help import HelpScreen
from newsbrowse.tui.selection_view import SelectionView
from newsbrowse.tui.theme_memory import ThemeMemory
from newsbrowse.tui.transfers import Transfers
from newsbrowse.tui.widgets.article_list import ArticleList
from newsbrowse.tui.widgets.demands import DemandsPanel
from newsbrowse.tui.widgets.footer import AppFooter
from newsbrowse.tui.widgets.quote_info import QuoteInfo
from newsbrowse.tui.widgets.reader import Reader
from newsbrowse.tui.widgets.search_bar import SearchBar, placeholder
from textual import events
from textual.actions import SkipAction
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input

if TYPE_CHECKING:
    from newsbrowse.tui.screens.import_files import Imported
    from newsbrowse.tui.screens.reanalyse import Reanalysed

EMPTY_STORE = "The store holds no articles yet. Press i to import files, a folder or a feed."
THEMES = ("textual-dark", "textual-light")
NARROW = 100  # columns: below this the demands panel starts hidden and the footer is compact
WIDER = 120  # columns: from this on the demands panel is wide enough to name speakers and dates


class NewsbrowseApp(
    CorrectionActions,
    LinkCorrectionActions,
    MetaEditActions,
    SelectionView,
    DemandViews,
    ThemeMemory,
    Transfers,
    App[int],
):
    """Article list, reader and demands panel over one :class:`Library`."""

    TITLE = "newsbrowse"
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide"), (WIDER, "-wider")]
    COMMANDS = App.COMMANDS | {ArticleCommands, DemandCommands}

    # Footer order: what a narrow footer cuts first comes last (y and q are also in help).
    BINDINGS = [
        Binding("question_mark", "help", "Keys", id="app.help",
                tooltip="Every key, the focused pane's first."),
        # priority: keys typed right after / (in the same read) must reach the search field,
        # not the pane that had the focus; action_search passes / on to text fields.
        Binding("slash", "search", "Find", id="app.search", priority=True,
                tooltip="Search article text, quotes and speakers (speaker: side: demand:)."),
        Binding("n", "next_hit", "Next hit", show=False, id="app.next_hit",
                tooltip="Jump to the next search hit."),
        Binding("N", "previous_hit", "Prev hit", show=False, id="app.previous_hit",
                tooltip="Jump to the previous search hit."),
        Binding("e", "export", "Export", id="app.export",
                tooltip="Export the selected quotes to Markdown, CSV or JSON."),
        Binding("i", "import_files", "Import", show=False, id="app.import_files",
                tooltip="Import files, a folder, a feed or a web address into the store."),
        Binding("d", "toggle_demands", "Demands", id="app.toggle_demands",
                tooltip="Show or hide the demands panel."),
        Binding("c", "clear_filter", "Clear filter", id="app.clear_filter",
                tooltip="Show every article again after choosing a demand."),
        Binding("M", "matrix", "Matrix", show=False, id="app.matrix",
                tooltip="Each demand's statements and replies by stance."),
        Binding("l", "show_selection", "Selection", show=False, id="app.show_selection",
                tooltip="List the selected quotes; enter opens one at the quote."),
        Binding("u", "undo", "Undo", show=False, id="app.undo",
                tooltip="Undo the last correction."),
        Binding("U", "show_corrections", "Corrections", show=False, id="app.corrections",
                tooltip="List your corrections; enter undoes the highlighted one."),
        Binding("L", "show_sets", "Sets", show=False, id="app.sets",
                tooltip="The named selection sets: make, switch, rename, delete."),
        Binding("y", "copy", "Copy", id="app.copy",
                tooltip="Copy the selected quotes as Markdown to the clipboard."),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave newsbrowse."),
    ]  # fmt: skip

    def __init__(self, library: Library, *, home_label: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.home_label = home_label if home_label is not None else str(library.home)
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        codebook = self.library.codebook
        hint = placeholder(codebook.answering, codebook.slugs[0] if codebook.slugs else "SLUG")
        yield Header(show_clock=False, icon="≡")
        with Horizontal(id="panes"):
            yield ArticleList(id="articles")
            with Vertical(id="reader-pane"):
                yield Reader(codebook.sides, id="reader")
                yield QuoteInfo(codebook.sides, id="quote-info")
            yield DemandsPanel(self.library, id="demands")
        yield SearchBar(self.library, hint, id="search")
        yield AppFooter()

    def on_mount(self) -> None:
        self.restore_theme()
        articles = self.query_one(ArticleList)
        self.query_one(Reader).show_selection(self.library.selected_ids())
        articles.load(self.library, self.library.read_ids())
        if not articles.total:
            self.query_one(Reader).show_message(EMPTY_STORE)
        self.query_one(DemandsPanel).border_title = "Demands"
        self.query_one(Reader).border_title = "Reader"
        articles.focus()
        self.query_one(QuoteInfo).show(None, False, len(self.library.selected_ids()))
        self.update_selection_count()
        self.call_after_refresh(self._offer_reanalysis)

    def _offer_reanalysis(self) -> None:
        """Ask to re-analyse a store analysed by an older pipeline or other rules."""
        from newsbrowse.tui.screens import reanalyse  # the analysis, imported if needed

        reanalyse.offer(self, self.library)

    def on_reanalysed(self, _: Reanalysed) -> None:
        """After a re-analysis: every pane reads the store again, where it was."""
        self.reload_panes()

    def on_imported(self, event: Imported) -> None:
        """After an import: every pane reads the store again; the list's cursor goes to
        the first article imported (the reader previews it)."""
        self.reload_panes()
        self.query_one(ArticleList).highlight_article(event.first_id)

    def reload_panes(self) -> None:
        """Every pane reads the store again (it changed under them), where it was."""
        articles = self.query_one(ArticleList)
        articles.read = self.library.read_ids()
        articles.set_filter(articles.filter_demand, articles.filter_label)  # reloads
        reader = self.query_one(Reader)
        reader.show_selection(self.library.selected_ids())
        if reader.article is not None:
            try:
                reader.show_article(self.library.article(reader.article.id))
            except NewsbrowseError as exc:
                self.notify(str(exc), severity="error", markup=False)
        self.query_one(DemandsPanel).refresh_data()
        self.update_selection_count()

    def on_resize(self, event: events.Resize) -> None:
        """Below 100 columns the footer packs its keys tighter and drops the palette hint."""
        footer = self.screen_stack[0].query_one(AppFooter)  # under any screen pushed
        narrow = event.size.width < NARROW
        footer.compact = narrow
        footer.show_command_palette = not narrow

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help_text, action in APP_COMMANDS:
            yield SystemCommand(title, help_text, partial(self.run_action, action))

    # what the panes and the palette ask for ----------------------------------------------
    def open_article(
        self, article_id: str, span: tuple[int, int] | None = None, *, preview: bool = False
    ) -> None:
        """Show an article in the reader (at ``span`` if given); mark it read unless a preview.

        A preview follows the list's cursor; anything else (enter, a demand item, a search
        hit, the palette) also moves the list's cursor to the article.
        """
        reader = self.query_one(Reader)
        articles = self.query_one(ArticleList)
        try:
            if reader.article is None or reader.article.id != article_id:
                reader.show_article(self.library.article(article_id))
            if not preview:
                self.library.mark_read(article_id)
            if self.hits or reader.search_spans:
                reader.set_search_spans(self._spans_in(article_id))
        except NewsbrowseError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        articles.set_current(article_id, read=not preview)
        if not preview:
            articles.highlight_article(article_id)
        if span is not None:
            reader.go_to_span(*span)

    def filter_by_demand(self, slug: str, *, reveal: bool = True) -> None:
        """Narrow the article list to the articles linked to demand ``slug``.

        ``reveal`` also opens the demand in the demands panel (from the palette; not when
        the panel itself asked, where the user's enter already opened or closed it).
        """
        try:
            slug = self.library.check_demand(slug)
            demand = self.library.codebook.demand(slug)
        except NewsbrowseError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        label = demand.title if demand else slug
        self.query_one(ArticleList).set_filter(slug, label)
        if reveal:
            panel = self.query_one(DemandsPanel)
            if not panel.display:
                self.action_toggle_demands()
            panel.focus_demand(slug)
        self.refresh_bindings()

    def action_unselect_all(self) -> None:
        count = len(self.library.selected_ids())
        try:
            self.library.clear_selection()
        except NewsbrowseError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.query_one(Reader).show_selection([])
        self.update_selection_count()
        self.notify(f"Unselected {count} quote{'' if count == 1 else 's'}.", markup=False)

    def update_selection_count(self) -> None:
        """The header always names the store and the number of selected quotes (and of
        those a re-analysis no longer finds, kept in the selection as missing)."""
        from newsbrowse.store.reanalysis import missing_selection

        sets = self.library.selection_sets()
        named = f" in {self.library.current_set()}" if len(sets) > 1 else ""
        count = f"{len(self.library.selected_ids())} selected{named}"
        missing = len(missing_selection(self.library))
        lost = f" ({missing} missing)" if missing else ""
        self.sub_title = f"{self.home_label} · {count}{lost}"

    def _spans_in(self, article_id: str) -> list[tuple[int, int]]:
        """Body offsets of the current search's matches in one article."""
        spans: list[tuple[int, int]] = []
        for hit in self.hits:
            if hit.article_id == article_id:
                spans.extend(hit.matches or [(hit.start, hit.end)])
        return [(start, end) for start, end in spans if end > start]

    # messages from the panes ---------------------------------------------------------------
    def on_article_list_article_chosen(self, event: ArticleList.ArticleChosen) -> None:
        self.open_article(event.article_id)
        self.query_one(Reader).focus()

    def on_article_list_highlighted(self, event: ArticleList.Highlighted) -> None:
        reader = self.query_one(Reader)
        if reader.article is None or reader.article.id != event.article_id:
            self.open_article(event.article_id, preview=True)

    def on_article_list_filter_cleared(self, _: ArticleList.FilterCleared) -> None:
        self.refresh_bindings()

    def on_reader_selection_toggled(self, event: Reader.SelectionToggled) -> None:
        """Select or unselect the quote in the store (kept across restarts), then show it."""
        try:
            self.library.toggle_selected(event.quote.id)
        except NewsbrowseError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.query_one(Reader).show_selection(self.library.selected_ids())

    def on_open_article(self, event: OpenArticle) -> None:
        """From the palette: the article in the reader, the list's cursor on it."""
        self.open_article(event.article_id)

    def on_filter_by_demand(self, event: FilterByDemand) -> None:
        """From the palette: the list filtered to the demand, and the demand view."""
        self.filter_by_demand(event.slug)
        self.open_demand_view(event.slug)

    def on_reader_quote_changed(self, event: Reader.QuoteChanged) -> None:
        count = len(self.library.selected_ids())
        self.query_one(QuoteInfo).show(event.quote, event.selected, count)
        self.update_selection_count()

    def on_demands_panel_evidence_selected(self, event: DemandsPanel.EvidenceSelected) -> None:
        link = event.link
        self.open_article(link.article_id, (link.start, link.end))

    def on_demands_panel_demand_selected(self, event: DemandsPanel.DemandSelected) -> None:
        self.filter_by_demand(event.slug, reveal=False)
        self.open_demand_view(event.slug)

    def on_search_bar_results_changed(self, event: SearchBar.ResultsChanged) -> None:
        self.hits = event.hits
        reader = self.query_one(Reader)
        if reader.article is not None:
            reader.set_search_spans(self._spans_in(reader.article.id))

    def on_search_bar_hit_chosen(self, event: SearchBar.HitChosen) -> None:
        """Show the hit, and hand the keys to the reader so that n / N walk on from it."""
        self.open_article(event.hit.article_id, (event.hit.start, event.hit.end))
        self.query_one(Reader).focus()

    def on_search_bar_closed(self, _: SearchBar.Closed) -> None:
        self.hits = []
        self.query_one(Reader).set_search_spans([])
        self.query_one(Reader).focus()

    # actions ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = getattr(self.screen, "APP_ACTIONS", None)  # a dialog that takes the keys
        if allowed is not None:
            return action in allowed
        if action == "clear_filter":
            return self.query_one(ArticleList).filter_demand is not None
        if action in ("next_hit", "previous_hit"):
            return bool(self.hits) or None
        return True

    def action_help(self) -> None:
        panes = [
            ("Articles", self.query_one(ArticleList)),
            ("Reader", self.query_one(Reader)),
            ("Demands", self.query_one(DemandsPanel)),
            ("Search", self.query_one(SearchBar)),
        ]
        from newsbrowse.tui.screens.legend import colour_legend

        reader = self.query_one(Reader)
        style_of = partial(reader.get_component_rich_style, partial=True)
        legend = colour_legend(style_of, self.library.codebook.sides)
        self.push_screen(HelpScreen(key_sections(self, panes, [self, self.screen]), legend))

    def action_search(self) -> None:
        if self.screen is not self.screen_stack[0] or isinstance(self.focused, Input):
            raise SkipAction()  # a dialog, the palette or a text field: / is typed there
        self.query_one(SearchBar).open()

    def action_next_hit(self) -> None:
        self.query_one(SearchBar).next_hit()

    def action_previous_hit(self) -> None:
        self.query_one(SearchBar).previous_hit()

    def action_toggle_demands(self) -> None:
        from newsbrowse.tui.reader_place import keep_place

        demands = self.query_one(DemandsPanel)
        keep_place(self.query_one(Reader))  # the reader narrows or widens: keep its words
        self.screen.toggle_class("-demands-toggled")
        if demands.has_focus and not demands.display:
            self.query_one(Reader).focus()

    def action_clear_filter(self) -> None:
        self.query_one(ArticleList).set_filter(None)
        self.refresh_bindings()

    def action_switch_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]


def run_app(library: Library) -> int:
    """Run the app on an open library until the user quits; the process exit code."""
    app = NewsbrowseApp(library)
    app.run()
    return app.return_code or 0
