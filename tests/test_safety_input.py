"""Hostile input at import: the corpus in tests/data/hostile, huge files, odd names and
encodings, broken JSON in the rules, and property tests over any text."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsbrowse.store.errors import BadInput
from newsbrowse.store.importer import MAX_FILE_BYTES
from newsbrowse.store.ingest.pipeline import analyse
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article
from newsbrowse.store.rules import load_rules
from newsbrowse.store.text import decode_bytes, parse_json, strip_controls
from newsbrowse.tui.cli import main

HOSTILE = Path(__file__).parent / "data" / "hostile"

# Every file of the hostile corpus: imported (None) or refused for a reason containing this.
EXPECTED: dict[str, str | None] = {
    "markup.txt": None,
    "escapes.txt": None,
    "bidi.txt": None,
    "utf8-bom.txt": None,
    "utf16-le-bom.txt": None,
    "utf16-be-bom.txt": None,
    "crlf.txt": None,
    "nested-json-lookalike.txt": None,
    "utf16-no-bom.txt": "UTF-16 without a byte-order mark",
    "cp1252.txt": "not valid UTF-8",
    "latin1.txt": "not valid UTF-8",
    "lone-surrogate-utf8.txt": "not valid UTF-8",
    "lone-surrogate-utf16.txt": "not valid UTF-16",
    "empty.txt": "empty file",
    "whitespace-only.txt": "empty file",
    "junk-only.txt": "no article text left",
    "binary.txt": "binary",
}


def _clean(value: object) -> bool:
    """No control, bidi or surrogate character anywhere in a stored value."""
    text = json.dumps(value, ensure_ascii=False)
    return strip_controls(text) == text.replace("\r", "")


def _check_article(art: Article) -> None:
    assert _clean(art.to_dict())
    for q in art.quotes:
        assert art.body[q.start : q.end] == q.text
    for lk in art.links:
        assert art.body[lk.start : lk.end] == lk.evidence
    for sq in art.scare_quotes:
        assert art.body[sq.start : sq.end] == sq.text


def test_every_hostile_file_has_an_expectation() -> None:
    assert sorted(p.name for p in HOSTILE.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_is_imported_clean_or_refused_with_a_reason(
    library: Library, name: str
) -> None:
    (result,) = library.import_paths([HOSTILE / name])
    reason = EXPECTED[name]
    if reason is None:
        assert result.id is not None, result.skipped
        _check_article(library.article(result.id))
    else:
        assert result.id is None and reason in (result.skipped or "")


def test_markup_is_stored_as_plain_text(library: Library) -> None:
    (result,) = library.import_paths([HOSTILE / "markup.txt"])
    art = library.article(result.id or "")
    assert "[@click=app.quit]Click here[/] and [/] and [Reuters] [USD]" in art.body
    (first,) = [q for q in art.quotes if "[Reuters]" in q.text]
    assert first.speaker == "Sergei Ryabkov" and first.side == "russia"


def test_escape_sequences_lose_their_control_bytes(library: Library) -> None:
    (result,) = library.import_paths([HOSTILE / "escapes.txt"])
    art = library.article(result.id or "")
    assert "We demand [2J[Hguarantees]52;c;ZWNobyBwd25lZA== now31m." in art.body
    assert not any(c in art.body for c in "\x1b\x07\x00\x7f\x85\x9b\x9d\x0c")


def test_bidi_controls_are_removed_from_quotes(library: Library) -> None:
    (result,) = library.import_paths([HOSTILE / "bidi.txt"])
    art = library.article(result.id or "")
    assert "Access is resu granted only to admins." in [q.text for q in art.quotes]


def test_utf16_and_bom_files_read_the_same_letters(library: Library) -> None:
    results = library.import_paths(
        [HOSTILE / "utf16-le-bom.txt", HOSTILE / "utf16-be-bom.txt", HOSTILE / "utf8-bom.txt"]
    )
    bodies = [library.article(r.id or "").body for r in results]
    assert "caf\u00e9 terms" in bodies[0] and "na\u00efve terms" in bodies[1]
    assert not any(b.startswith("\ufeff") for b in bodies)


# size ------------------------------------------------------------------------------------
PARAGRAPH = (
    "Russian Deputy Foreign Minister Sergei Ryabkov said: \u201cWe want guarantees "
    "that NATO will not expand further east.\u201d\n\n"
).encode()


def test_five_megabytes_is_refused_quickly_with_a_reason(library: Library, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(PARAGRAPH * (5 * 1024 * 1024 // len(PARAGRAPH) + 1))
    started = time.perf_counter()
    (result,) = library.import_paths([big])
    assert time.perf_counter() - started < 1.0
    assert result.id is None and "too large for one article (5.0 MB; limit 1 MB)" in (
        result.skipped or ""
    )


@pytest.mark.parametrize(
    "words",
    [
        "the talks in Geneva went on for hours without a result ",
        "Putin said the talks in Geneva went on for hours without a result. ",
        # thousands of speaker names in one sentence (once quadratic: 16 s)
        "Putin met officials and Psaki met the minister and Lavrov ",
    ],
)
def test_a_200000_character_line_is_imported(library: Library, tmp_path: Path, words: str) -> None:
    path = tmp_path / "line.txt"
    line = (words * (200_000 // len(words) + 1))[:200_000]
    path.write_text(line, encoding="utf-8")
    started = time.perf_counter()
    (result,) = library.import_paths([path])
    assert time.perf_counter() - started < 5.0
    assert result.id is not None
    assert library.article(result.id).body == line.strip()


def test_an_article_with_2000_quotes(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_text(
        "".join(
            f"\u201cWe want guarantee number {i} now,\u201d Lavrov said.\n\n" for i in range(2000)
        ),
        encoding="utf-8",
    )
    (result,) = library.import_paths([path])
    art = library.article(result.id or "")
    assert len(art.quotes) == 2000
    assert {q.speaker for q in art.quotes} == {"Sergei Lavrov"}
    _check_article(art)
    assert len(library.quotes(article=art.id)) == 2000


def test_the_limit_is_on_bytes_and_just_below_is_imported(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "limit.txt"
    path.write_bytes(PARAGRAPH * (MAX_FILE_BYTES // 8 // len(PARAGRAPH)))
    (result,) = library.import_paths([path])
    assert result.id is not None


# names ------------------------------------------------------------------------------------
def test_file_names_with_controls_or_broken_bytes_are_stored_clean(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = os.fsencode(tmp_path) + b"/evil\x1b]0;pwned\x07\xff" + "\u202e".encode() + b".txt"
    with open(raw, "wb") as handle:
        handle.write(b"Officials met in Geneva and said nothing at all about it.\n")
    path = Path(os.fsdecode(raw))
    (result,) = library.import_paths([path])
    assert result.id is not None
    assert _clean(result.path) and "evil]0;pwned" in result.path
    assert _clean(library.article(result.id).origin)
    code = main(["--home", str(library.home), "import", "--json", str(path)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and "duplicate" in out[0]["skipped"]


# JSON read paths ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"a": NaN}', "NaN"),
        (b'{"a": -Infinity}', "Infinity"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"a": "\\ud800"}', "lone surrogate"),
        (b'{"\\udfff": 1}', "lone surrogate"),
        (b"\xff\xfe{", "not UTF-8"),
        (b"{", "not valid JSON"),
    ],
)
def test_parse_json_refuses_what_python_would_accept_or_crash_on(data: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_json(data)


@pytest.mark.parametrize(
    "data",
    [b'{"junk": [], "x": NaN}', b"[" * 100_000 + b"]" * 100_000, b'{"junk": ["\\ud800"]}'],
)
def test_rules_file_in_the_home_with_hostile_json_is_one_line(home: Path, data: bytes) -> None:
    home.mkdir()
    (home / "cleaning.json").write_bytes(data)
    with pytest.raises(BadInput, match="cleaning.json") as info:
        load_rules(home)
    assert "\n" not in str(info.value)


# properties ------------------------------------------------------------------------------
RULES = load_rules()
FRAGMENTS = [
    "Lavrov said",
    "\u201c",
    "\u201d",
    '"',
    "NATO",
    " expansion ",
    "Putin told reporters: ",
    "\n\n",
    "\n",
    ". ",
    "\x1b[2J",
    "\u202e",
    "\ud800",
    "[bold]",
    "he said.",
    "guarantees",
]
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map(
    "".join
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_is_analysed_without_crash_and_offsets_reproduce(raw: str) -> None:
    text = strip_controls(raw)
    try:
        art = analyse(text, RULES)
    except BadInput:
        return
    _check_article(art)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_decode_or_are_refused_with_a_reason(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except ValueError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(text, str)


@settings(max_examples=150, deadline=None)
@given(
    st.binary(max_size=100) | st.text(max_size=60).map(lambda s: s.encode("utf-8", "surrogatepass"))
)
def test_any_bytes_parse_as_json_or_are_refused(data: bytes) -> None:
    try:
        parse_json(data)
    except ValueError as exc:
        assert str(exc)


def test_a_binary_file_is_called_binary_not_utf16() -> None:
    """An executable has many NULs on both byte parities: binary, not UTF-16 without a BOM."""
    from newsbrowse.store.text import decode_bytes

    elf = b"\x7fELF\x02\x01\x01\x00" + bytes([0, 0, 0, 5, 0, 0, 7, 0]) * 200
    with pytest.raises(ValueError, match="binary file"):
        decode_bytes(elf)
    with pytest.raises(ValueError, match="UTF-16 without"):
        decode_bytes("Plain words in UTF-16, no BOM.\n".encode("utf-16-le"))
