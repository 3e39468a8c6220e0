"""Saved web pages imported: the article's text without the page around it, its metadata,
its declared charset, and hostile pages refused whole with a one-line reason.

The pages in tests/data/pages/ are written for these tests (invented text, realistic
markup: navigation, scripts, a cookie banner, share bars, related-article lists,
entities, og: and JSON-LD metadata).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsbrowse.store.file_kinds import PAGE, TEXT, declared_charset, decode_page, kind_of
from newsbrowse.store.importer import MAX_PAGE_BYTES
from newsbrowse.store.library import Library

PAGES = Path(__file__).parent / "data" / "pages"
JUNK = (
    "cookies",
    "Accept all",
    "Share on",
    "Related articles",
    "Oil prices",
    "Football",
    "recipes",
    "All rights reserved",
    "Privacy policy",
    "dataLayer",
    "Politics",
    "Facebook",
    "Ice hockey",
    "Got it",
    "Advertise",
)


def _import_one(library: Library, path: Path):
    [result] = library.import_paths([path])
    assert result.id is not None, result.skipped
    return library.article(result.id)


def _offsets_hold(article) -> None:
    for q in article.quotes:
        assert article.body[q.start : q.end] == q.text
    for lk in article.links:
        assert article.body[lk.start : lk.end] == lk.evidence


def test_a_saved_page_gives_its_article_and_its_metadata(library: Library) -> None:
    art = _import_one(library, PAGES / "geneva-talks.html")
    assert art.title == "Ryabkov says Geneva talks hit a wall on NATO expansion"
    assert art.source == "Northern Wire"
    assert art.author == "Maria Lindqvist"
    assert art.url == "https://northernwire.example/world/2022/01/10/ryabkov-geneva-talks"
    assert (art.date, art.date_basis) == ("2022-01-10", "stated")
    assert art.body.startswith("Russian Deputy Foreign Minister Sergei Ryabkov said on Monday")
    assert art.body.endswith("for the first time in more than two years.")
    for junk in JUNK:
        assert junk not in art.body, junk
    assert "<" not in art.body and "&ldquo;" not in art.body
    assert "“We will not allow anyone" in art.body  # &ldquo; read as the mark it names
    speakers = {(q.speaker, q.side) for q in art.quotes}
    assert ("Sergei Ryabkov", "russia") in speakers
    assert ("Wendy Sherman", "us_nato") in speakers
    assert {lk.demand for lk in art.links} >= {"no-enlargement", "legal-guarantees"}
    _offsets_hold(art)


def test_a_page_of_json_ld_and_og_url_and_other_markup(library: Library) -> None:
    art = _import_one(library, PAGES / "nato-reply.htm")
    assert art.title == "NATO answers Moscow in writing"
    assert (art.source, art.author) == ("Baltic Ledger", "Tomas Berzins")
    assert art.url == "https://balticledger.example/news/nato-answers-moscow"
    assert (art.date, art.date_basis) == ("2022-01-26", "stated")
    assert art.body.startswith("NATO Secretary General Jens Stoltenberg said on Wednesday")
    for junk in JUNK:
        assert junk not in art.body, junk
    assert {q.speaker for q in art.quotes} == {"Jens Stoltenberg", "Dmitry Peskov"}
    _offsets_hold(art)


def test_a_page_follows_its_declared_charset(library: Library) -> None:
    data = (PAGES / "lavrov-cp1251.html").read_bytes()
    assert declared_charset(data) == "cp1251"
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    art = _import_one(library, PAGES / "lavrov-cp1251.html")
    assert art.title == "Лавров ждёт письменного ответа НАТО"
    assert art.source == "Вечерний обозреватель"
    assert art.date == "2022-01-14"
    assert "«Мы ждём конкретного ответа, статья за статьёй" in art.body
    assert any(q.text.startswith("Мы ждём конкретного ответа") for q in art.quotes)
    _offsets_hold(art)


def test_a_page_declaring_latin_1_is_read_as_windows_1252() -> None:
    data = b'<meta charset="iso-8859-1"><p>\x93We are ready,\x94 he said.</p>'
    assert "\u201cWe are ready,\u201d" in decode_page(data)


def test_a_page_is_known_by_its_suffix_or_its_first_bytes(tmp_path: Path) -> None:
    page = b"\xef\xbb\xbf\n<!-- saved -->\n<!DOCTYPE html><html><body>"
    assert kind_of(Path("a.HTM"), b"plain", named=False) == PAGE
    assert kind_of(Path("a.txt"), page, named=True) == PAGE
    assert kind_of(Path("story"), b"<html lang=en>", named=False) == PAGE
    assert kind_of(Path("a.txt"), b"Text that mentions <html> later", named=False) == TEXT
    assert kind_of(Path("a.pdf"), b"%PDF-1.4", named=False) is None
    assert kind_of(Path("notes.log"), b"plain text", named=True) == TEXT


def test_a_page_saved_as_txt_is_read_as_a_page(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    shutil.copy(PAGES / "geneva-talks.html", path)
    art = _import_one(library, path)
    assert art.source == "Northern Wire" and "<p>" not in art.body


def test_a_fragment_of_markup_is_read_as_a_page(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "body-only.html"
    words = "Ryabkov said the talks in Geneva were long and difficult. " * 3
    path.write_text(f"<p>{words}</p>\n<p>\u201cWe need guarantees now,\u201d he said.</p>", "utf-8")
    art = _import_one(library, path)
    assert art.body.startswith("Ryabkov said") and "<p>" not in art.body


def test_a_page_with_no_charset_must_be_utf8(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "legacy.html"
    path.write_bytes(b"<html><body><p>\xe9t\xe9 " + b"word " * 40 + b"</p></body></html>")
    [result] = library.import_paths([path])
    assert result.id is None
    assert result.skipped.startswith("not UTF-8 and the page declares no charset")


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        pytest.param(
            "<html><head><script>var q = '\u201cWe will never accept this deal at all,\u201d"
            " he said.';</script></head><body><script>document.write(q)</script>"
            "<noscript>Enable JavaScript to read this article</noscript></body></html>",
            "no article text found in the page",
            id="scripts-only",
        ),
        pytest.param(
            "<html><head><title>Gallery</title></head><body><nav><a href='/'>Home</a>"
            "</nav><img src='a.jpg'><img src='b.jpg'></body></html>",
            "no article text found in the page",
            id="no-text",
        ),
        pytest.param(
            "<html><body>" + "<p>a</p>" * 210_000 + "</body></html>",
            "a page of more than 200,000 elements is not an article",
            id="too-many-elements",
        ),
    ],
)
def test_a_hostile_page_is_refused_and_nothing_is_stored(
    library: Library, tmp_path: Path, html: str, reason: str
) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(html, encoding="utf-8")
    before = len(library.articles())
    [result] = library.import_paths([path])
    assert result.id is None and result.skipped.startswith(reason)
    assert "\n" not in result.skipped
    assert len(library.articles()) == before


def test_markup_in_a_page_title_is_not_kept(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "title.html"
    body = "Russian Deputy Foreign Minister Sergei Ryabkov said on Monday the talks were long. "
    path.write_text(
        "<html><head><title>Talks <script>alert(1)</script></title>"
        '<meta property="og:title" content="&lt;b&gt;Geneva talks&lt;/b&gt; '
        '&lt;img src=x onerror=alert(1)&gt; end\x1b[31m">'
        '<meta property="og:site_name" content="&lt;i&gt;Wire&lt;/i&gt;">'
        f"</head><body><article><p>{body * 3}</p>"
        "<p>\u201cWe need legally binding guarantees now,\u201d Ryabkov told reporters.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    art = _import_one(library, path)
    assert art.title == "Geneva talks end[31m"
    assert art.source == "Wire"
    assert "<" not in art.title + art.body and "\x1b" not in art.title


def test_a_page_over_the_size_limit_is_refused_unread(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as f:
        f.write(b"<!DOCTYPE html><html><body><p>")
        f.truncate(MAX_PAGE_BYTES + 1)
    before = len(library.articles())
    [result] = library.import_paths([path])
    assert result.skipped == "too large for one article (5.0 MB; limit 5 MB)"
    assert len(library.articles()) == before


def test_a_page_imported_twice_is_a_duplicate(library: Library) -> None:
    first = _import_one(library, PAGES / "nato-reply.htm")
    [again] = library.import_paths([PAGES / "nato-reply.htm"])
    assert again.skipped == f"duplicate of article {first.id}"


def test_the_app_finds_a_page_by_its_words(library: Library) -> None:
    art = _import_one(library, PAGES / "geneva-talks.html")
    assert art.id in {hit.article_id for hit in library.search("waterproof bulletproof")}


def test_the_stamp_stays_right_after_an_import_of_pages(library: Library) -> None:
    """An import of pages records this analysis; a home's edit of the dateline rules (part
    of cleaning.json, digested with every rules file) marks the store for a reanalyse."""
    import json

    from newsbrowse.store.rule_files import fixture_path
    from newsbrowse.store.staleness import is_stale

    results = library.import_paths([PAGES])
    assert all(r.id is not None for r in results)
    assert not is_stale(library.corpus, library.home)
    rules = json.loads(fixture_path("cleaning.json").read_text(encoding="utf-8"))
    rules["wire_services"]["Baltic News Service"] = ["BNS"]
    (library.home / "cleaning.json").write_text(json.dumps(rules), encoding="utf-8")
    assert is_stale(library.corpus, library.home)


MARKUP = [
    "<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<title>", "</title>",
    "<table>", "<tr><td>", "<!--", "-->", "<![CDATA[", "]]>", "<meta charset=x>",
    "<svg><foreignObject>", "<math>", "<template>", "<br/>", "&amp;", "&#0;", "&#xD800;",
    "<html>", "<body>", "\x00", "\ufeff", "<?xml version='1.0'?>", "<!DOCTYPE html>",
    "<h1>", "<article>", "<nav>", "<li>", "<pre>", "\u201c", "\u201d",
    "<meta property='og:url' content='javascript:alert(1)'>", "<link rel=canonical href=x>",
    "Ryabkov said the talks were long and NATO must stop, ",
]  # fmt: skip


def test_a_malformed_tree_that_fails_htmldate_is_read_undated() -> None:
    from newsbrowse.store.ingest.page import read_page

    words = "Ryabkov said the talks were long and that NATO must stop. " * 4
    page = read_page(f"<math><meta charset=x>{words}</div><li></script><p>{words}")
    assert page.meta.date is None and page.text.startswith("Ryabkov said")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(MARKUP), max_size=60))
def test_any_markup_is_a_page_or_one_line_refusal(parts: list[str]) -> None:
    from newsbrowse.store.errors import BadInput
    from newsbrowse.store.ingest.page import read_page

    try:
        page = read_page("".join(parts))
    except BadInput as exc:
        assert "\n" not in str(exc)
    else:  # markup that libxml reads as text (in a CDATA section) may stay, as text
        assert len(page.text.split()) >= 15
        assert page.meta.url is None or page.meta.url.startswith(("http://", "https://"))


def test_a_reanalysis_keeps_what_the_page_said_of_itself(library: Library) -> None:
    before = _import_one(library, PAGES / "nato-reply.htm")
    library.reanalyse()
    after = library.article(before.id)
    assert (after.title, after.source, after.author, after.url, after.date) == (
        before.title,
        before.source,
        before.author,
        before.url,
        before.date,
    )
    assert after.body == before.body and after.quotes == before.quotes
