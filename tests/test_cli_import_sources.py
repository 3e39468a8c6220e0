"""``newsbrowse import`` of pages and dated texts, ``--source/--url/--date``, the skipped
files named, and the source and URL carried to ``show``, ``list --json`` and exports."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "data" / "pages"
BODY = (
    "Russian Foreign Minister Sergei Lavrov said on Friday that Moscow expected answers.\n\n"
    "\u201cWe expect a written response next week,\u201d Lavrov told reporters in Geneva.\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three saved pages, two dated texts and a PDF, as an analyst's folder holds them."""
    d = tmp_path / "coverage"
    d.mkdir()
    for page in ("geneva-talks.html", "nato-reply.htm", "lavrov-cp1251.html"):
        shutil.copy(PAGES / page, d / page)
    (d / "reuters.txt").write_text(
        "Lavrov waits for an answer\n\nGENEVA, January 21, 2022 (Reuters) - " + BODY, "utf-8"
    )
    (d / "tass.md").write_text(
        "Title: Ryabkov on the drafts\nSource: TASS\nDate: 2021-12-17\n\n"
        "Deputy Foreign Minister Sergei Ryabkov said on Friday that Russia was ready for talks."
        "\n\n\u201cWe are ready to go to Geneva even tomorrow,\u201d Ryabkov said.\n",
        "utf-8",
    )
    (d / "page.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    return d


def test_a_folder_of_pages_and_texts_is_imported_and_the_pdf_named(nb, folder: Path) -> None:
    code, out, err = nb("import", str(folder))
    assert code == 0, err
    assert "5 imported, 1 skipped (1 unsupported: page.pdf)" in out
    assert "unsupported type (.pdf)" in out
    assert err == ""
    code, out, _ = nb("list", "--json")
    rows = {r["title"]: r for r in json.loads(out)}
    assert rows["Ryabkov on the drafts"]["source"] == "TASS"
    assert rows["Ryabkov on the drafts"]["date"] == "2021-12-17"
    assert rows["Lavrov waits for an answer"]["source"] == "Reuters"
    assert rows["Lavrov waits for an answer"]["date"] == "2022-01-21"
    geneva = rows["Ryabkov says Geneva talks hit a wall on NATO expansion"]
    assert geneva["url"] == "https://northernwire.example/world/2022/01/10/ryabkov-geneva-talks"
    assert (geneva["source"], geneva["date_basis"]) == ("Northern Wire", "stated")
    code, out, _ = nb("show", geneva["id"], "--json")
    assert json.loads(out)["author"] == "Maria Lindqvist"
    code, out, _ = nb("show", geneva["id"])
    assert "Northern Wire · by Maria Lindqvist · 2022-01-10" in out.splitlines()[1]


def test_each_skipped_kind_is_counted_and_named(nb, folder: Path) -> None:
    nb("import", str(folder / "tass.md"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "legacy.txt").write_bytes("d\u00e9j\u00e0 vu".encode("latin-1"))
    code, out, err = nb("import", str(folder))
    assert code == 2
    title = out.splitlines()[0]
    assert title.startswith("4 imported, 4 skipped (")
    for part in ("1 empty: empty.txt", "1 not UTF-8: legacy.txt", "1 unsupported: page.pdf"):
        assert part in title
    assert "1 duplicate: tass.md" in title
    assert sorted(line.split(":")[1].strip() for line in err.splitlines()) == [
        f"cannot import {folder / 'empty.txt'}",
        f"cannot import {folder / 'legacy.txt'}",
    ]


def test_source_url_and_date_for_one_file(nb, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(BODY, "utf-8")
    code, out, err = nb(
        "import", str(path), "--source", "Interfax", "--url", "https://x.example/a?b=1",
        "--date", "2022-01-22", "--json",
    )  # fmt: skip
    assert code == 0, err
    [result] = json.loads(out)
    code, out, _ = nb("show", result["id"], "--json")
    shown = json.loads(out)
    assert (shown["source"], shown["url"]) == ("Interfax", "https://x.example/a?b=1")
    assert (shown["date"], shown["date_basis"]) == ("2022-01-22", "stated")
    code, out, _ = nb("show", result["id"])
    assert "Interfax" in out and "https://x.example/a?b=1" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["two"], "--source is for one file: import that file alone"),
        (["folder"], "--source is for one file: import that file alone"),
        (["--url", "x.example/a"], "--url 'x.example/a' is not an http:// or https:// address"),
        (["--date", "21/01/2022"], "--date '21/01/2022' is not a date; write it as YYYY-MM-DD"),
        (["--date", "2022-02-30"], "--date '2022-02-30' is not a date"),
        (["--source", " "], "--source is blank"),
    ],
)
def test_bad_metadata_options_are_one_line_errors(
    nb, tmp_path: Path, args: list[str], message: str
) -> None:
    path = tmp_path / "one.txt"
    path.write_text(BODY, "utf-8")
    before = nb("list", "--json")[1]
    if args == ["two"]:
        args = [str(path), "--source", "Reuters"]
    elif args == ["folder"]:
        args = ["--source", "Reuters"]
        path = tmp_path
    elif args[0] != "--source":
        args = [*args, "--source", "Reuters"]
    code, out, err = nb("import", str(path), *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err
    assert nb("list", "--json")[1] == before


def test_exports_cite_source_and_url(nb, folder: Path) -> None:
    code, out, _ = nb("import", str(folder / "geneva-talks.html"), "--json")
    article = json.loads(out)[0]["id"]
    url = "https://northernwire.example/world/2022/01/10/ryabkov-geneva-talks"
    code, out, _ = nb("quotes", "--article", article, "--json")
    ids = [q["id"] for q in json.loads(out)][:1]
    code, md, _ = nb("export", "--format", "md", "--quote", *ids)
    assert "*Ryabkov says Geneva talks hit a wall on NATO expansion*, Northern Wire" in md
    assert f"<{url}>" in md
    code, text, _ = nb("export", "--format", "csv", "--quote", *ids)
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["url"] == url and row["source"] == "Northern Wire"
    assert row["citation"].endswith(f", Northern Wire, 2022-01-10, para. 2, {url}")
    code, text, _ = nb("export", "--format", "json", "--quote", *ids)
    [record] = json.loads(text)
    assert record["citation"] == row["citation"]


def test_a_hostile_page_is_one_line_and_stores_nothing(nb, tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(
        "<html><head><title>&lt;script&gt;x</title><script>document.write('\u201cWe "
        "will never accept it,\u201d he said.')</script></head><body></body></html>",
        "utf-8",
    )
    before = nb("list", "--json")[1]
    code, out, err = nb("import", str(page))
    assert code == 2 and "0 imported, 1 skipped (1 no article text: hostile.html)" in out
    assert err.count("\n") == 1
    assert err.startswith(f"newsbrowse: cannot import {page}: no article text found in the page")
    assert nb("list", "--json")[1] == before
