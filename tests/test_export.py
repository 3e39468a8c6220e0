"""Export: each format's content and citation, CSV formula neutralising, and safe writing."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import stat
from pathlib import Path

import pytest
from newsbrowse.store import export as export_module
from newsbrowse.store import files
from newsbrowse.store.errors import BadInput, StoreWriteFailed
from newsbrowse.store.export import (
    CSV_COLUMNS,
    FORMATS,
    default_export_name,
    export_text,
    write_export,
)
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article


def test_markdown_block_quotes_with_attribution(library: Library, sample: Article) -> None:
    text = export_text(library, sample.quotes[:2], "md")
    assert text == (
        "> We need a direct telephone connection between Moscow and NATO to avoid incidents.\n"
        "\n"
        "\u2014 Sergei Lavrov (Russia), *A hand-made article*, Test Wire, 2022-01-26 (inferred), "
        "para. 2 (attribution automatic)\n"
        "Demands: Moscow-NATO hotline (demands)\n"
        "\n"
        "> The United States would consider various reciprocal agreements on exercises.\n"
        "\n"
        "\u2014 Jen Psaki (US/NATO), *A hand-made article*, Test Wire, 2022-01-26 (inferred), "
        "para. 3 (attribution automatic)\n"
        "Demands: Limits on exercises (open)\n"
    )


def test_an_export_reads_only_its_quotes_articles(
    library: Library, sample: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Listing every summary cost 767 ms per export (and per `y` copy) at 100,000 articles.
    def every_article() -> None:
        raise AssertionError("an export listed every article")

    monkeypatch.setattr(library, "articles", every_article)
    for fmt in FORMATS:
        assert "A hand-made article" in export_text(library, sample.quotes[:1], fmt)


def test_markdown_says_unknown_speaker_and_escapes_title(library: Library, add_article) -> None:
    art = add_article(
        "Someone said \u201cline one\nline two of it\u201d.",
        title="*Bold* [link](x)",
        date="2022-02-21",
        date_basis="stated",
        source=None,
        quotes=[("line one\nline two of it", None, "unknown")],
    )
    text = export_text(library, art.quotes, "md")
    assert text.startswith("> line one\n> line two of it\n\n")
    assert (
        "\u2014 Unknown speaker (unknown side), *\\*Bold\\* \\[link\\](x)*, 2022-02-21, "
        "para. 1 (attribution automatic)\n"
    ) in text
    assert "[stated]" not in text


def test_csv_has_header_and_one_row_per_quote(library: Library, sample: Article) -> None:
    rows = list(csv.DictReader(io.StringIO(export_text(library, sample.quotes, "csv"))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [r["speaker"] for r in rows] == ["Sergei Lavrov", "Jen Psaki", ""]
    assert rows[0]["text"] == sample.quotes[0].text
    assert rows[0]["date"] == "2022-01-26" and rows[0]["date_basis"] == "inferred"
    assert rows[1]["citation"] == (
        "Jen Psaki (US/NATO), \u201cA hand-made article\u201d, Test Wire, 2022-01-26 (inferred), "
        "para. 3"
    )
    assert rows[2]["citation"].startswith("Unknown speaker (unknown side)")


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_csv_neutralises_formula_cells(library: Library, add_article, lead: str) -> None:
    quoted = f"{lead}HYPERLINK(1) said the quoted words here"
    art = add_article(
        f"A man said \u201c{quoted}\u201d.",
        title=f"{lead}cmd title",
        quotes=[(quoted, f"{lead}Speaker", "other")],
    )
    row = next(csv.DictReader(io.StringIO(export_text(library, art.quotes, "csv"))))
    for column in ("text", "title", "speaker"):
        assert row[column].startswith("'" + lead), column
    assert row["start"].isdigit()


def test_json_is_a_list_of_records(library: Library, sample: Article) -> None:
    records = json.loads(export_text(library, sample.quotes, "json"))
    assert [r["id"] for r in records] == [q.id for q in sample.quotes]
    first = records[0]
    for key in ("id", "article_id", "text", "speaker", "side", "cue", "start", "end"):
        assert first[key] == getattr(sample.quotes[0], key)
    assert first["title"] == sample.title and first["source"] == "Test Wire"
    assert first["date_basis"] == "inferred" and "citation" in first
    assert sample.body[first["start"] : first["end"]] == first["text"]


def test_unknown_format(library: Library, sample: Article) -> None:
    with pytest.raises(BadInput, match="unknown export format 'pdf'"):
        export_text(library, sample.quotes, "pdf")


def test_default_name() -> None:
    endings = {"md": "md", "csv": "csv", "json": "json", "csl-json": "csl.json", "ris": "ris"}
    for fmt in FORMATS:
        ending = re.escape(endings.get(fmt, "bib"))
        assert re.fullmatch(
            rf"newsbrowse-quotes-\d{{8}}-\d{{6}}\.{ending}", default_export_name(fmt)
        )


def test_write_refuses_existing_file_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old")
    with pytest.raises(BadInput, match="already exists.*--force"):
        write_export(target, "new")
    assert target.read_text() == "old"
    assert write_export(target, "new", force=True) == target
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"], "no temp file left"


def test_write_refuses_a_planted_symlink_even_with_force(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    for force in (False, True):
        with pytest.raises(BadInput, match="is a symbolic link; an export replaces regular"):
            write_export(link, "exported", force=force)
    assert victim.read_text() == "precious"
    assert link.is_symlink() and link.read_text() == "precious"


def test_force_replaces_regular_files_only_never_a_fifo_or_a_device(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(BadInput, match="not a regular file") as info:
        write_export(fifo, "x", force=True)
    assert "\n" not in str(info.value) and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    device = Path("/dev/null")
    before = os.stat(device)
    with pytest.raises(BadInput, match="/dev/null is not a regular file"):
        write_export(device, "x", force=True)
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (
        before.st_ino,
        before.st_rdev,
    )


def test_a_full_disk_is_a_failed_write_not_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "atomic_write_bytes", full)
    with pytest.raises(StoreWriteFailed, match="No space left on device; nothing was written"):
        write_export(tmp_path / "out.md", "x")
    assert StoreWriteFailed.exit_code == 6


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing-folder/out.md", "does not exist"),
        ("x" * 300 + ".md", "too long"),
        ("nul\x00.md", "NUL"),
        (".", "is a folder"),
    ],
)
def test_write_bad_paths(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(BadInput, match=message) as info:
        write_export(tmp_path / name, "x")
    assert "\n" not in str(info.value)


def test_write_unwritable_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/newsbrowse-export.md")  # even root cannot create files here
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o500)
        target = folder / "out.md"
    with pytest.raises(BadInput, match="cannot write"):
        write_export(target, "x")


def test_new_export_gets_the_normal_mode_and_a_replaced_one_keeps_its_mode(
    tmp_path: Path,
) -> None:
    mask = os.umask(0o027)
    try:
        files.default_file_mode.cache_clear()
        fresh = write_export(tmp_path / "fresh.md", "x")
        assert fresh.stat().st_mode & 0o777 == 0o640, "0o666 less the umask, not mkstemp's 0600"
        shared = tmp_path / "shared.csv"
        shared.write_text("old")
        shared.chmod(0o664)
        write_export(shared, "new", force=True)
        assert shared.stat().st_mode & 0o777 == 0o664
    finally:
        os.umask(mask)
        files.default_file_mode.cache_clear()
