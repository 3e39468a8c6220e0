"""Shared test fixtures: a library in a temporary home, and hand-made articles.

Every test runs with ``NEWSBROWSE_HOME`` pointing into its own temporary folder, so no
test can touch a real user's store.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from newsbrowse.store.library import Library
from newsbrowse.store.model import Article, Link, Quote
from newsbrowse.tui import cli

# (quoted text, speaker or None, side): the text must occur in the body.
QuoteSpec = tuple[str, str | None, str]
# (evidence text, demand slug, side, stance or None): the evidence must occur in the body.
LinkSpec = tuple[str, str, str, str | None]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes seconds (builds a wheel, runs subprocesses)")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBROWSE_HOME", str(tmp_path / "env-home"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A folder to use as a newsbrowse home; it does not exist yet (a first run)."""
    return tmp_path / "home"


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One home filled from the fixtures per session: the pipeline runs once, not per test."""
    template = tmp_path_factory.mktemp("seeded") / "home"
    Library.open(template).close()
    return template


@pytest.fixture
def seeded_home(home: Path, _seeded_template: Path) -> Path:
    """``home`` holding the store a first run builds from the fixtures (a fresh copy)."""
    shutil.copytree(_seeded_template, home)
    return home


@pytest.fixture
def nb(seeded_home: Path, capsys: pytest.CaptureFixture[str]):
    """Run ``newsbrowse --home HOME ARGS``; give back (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(["--home", str(seeded_home), *args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return run


@pytest.fixture
def library(seeded_home: Path) -> Iterator[Library]:
    """A library in ``home``, filled from the fixtures as on a first run."""
    lib = Library.open(seeded_home)
    yield lib
    lib.close()


def build_article(
    body: str,
    *,
    article_id: str = "feedc0ffee00",
    title: str = "A hand-made article",
    source: str | None = "Test Wire",
    date: str | None = "2022-01-26",
    date_basis: str = "inferred",
    quotes: Sequence[QuoteSpec] = (),
    links: Sequence[LinkSpec] = (),
) -> Article:
    """An analysed article written by hand, so store tests do not depend on the pipeline."""
    made_quotes = []
    for text, speaker, side in quotes:
        start = body.index(text)
        made_quotes.append(
            Quote(
                id=f"{article_id}-q{start}",
                article_id=article_id,
                text=text,
                speaker=speaker,
                side=side,
                cue="said" if speaker else None,
                start=start,
                end=start + len(text),
            )
        )
    made_links = []
    for evidence, demand, side, stance in links:
        start = body.index(evidence)
        end = start + len(evidence)
        inside = [q.id for q in made_quotes if q.start < end and start < q.end]
        made_links.append(
            Link(
                id=f"{article_id}-l{start}-{demand}",
                article_id=article_id,
                demand=demand,
                side=side,
                stance=stance,
                evidence=evidence,
                start=start,
                end=end,
                quote_id=inside[0] if inside else None,
            )
        )
    return Article(
        id=article_id,
        title=title,
        source=source,
        url=None,
        date=date,
        date_basis=date_basis,
        body=body,
        quotes=made_quotes,
        links=made_links,
    )


@pytest.fixture
def add_article(library: Library) -> Callable[..., Article]:
    """Store a :func:`build_article` in ``library`` (the index catches up by itself)."""

    def add(body: str, **kwargs: object) -> Article:
        article = build_article(body, **kwargs)  # type: ignore[arg-type]
        library.corpus.add([article])
        return article

    return add


SAMPLE_BODY = (
    "Moscow wants a hotline to the alliance.\n\n"
    "Russian Foreign Minister Sergei Lavrov said: \u201cWe need a direct telephone "
    "connection between Moscow and NATO to avoid incidents.\u201d\n\n"
    "Jen Psaki told reporters: \u201cThe United States would consider various reciprocal "
    "agreements on exercises.\u201d She added that Washington would never agree to bar "
    "Ukraine from joining.\n\n"
    "An analyst called the plan a \u201cnon-starter\u201d, and nobody was named "
    "when a voice said \u201cthis will not end well for anyone\u201d.\n"
)
SAMPLE_QUOTES: tuple[QuoteSpec, ...] = (
    (
        "We need a direct telephone connection between Moscow and NATO to avoid incidents.",
        "Sergei Lavrov",
        "russia",
    ),
    (
        "The United States would consider various reciprocal agreements on exercises.",
        "Jen Psaki",
        "us_nato",
    ),
    ("this will not end well for anyone", None, "unknown"),
)
SAMPLE_LINKS: tuple[LinkSpec, ...] = (
    ("Moscow wants a hotline to the alliance.", "hotline", "russia", None),
    (SAMPLE_QUOTES[0][0], "hotline", "russia", None),
    (SAMPLE_QUOTES[1][0], "exercises", "us_nato", "open"),
    (
        "She added that Washington would never agree to bar Ukraine from joining.",
        "ukraine-georgia",
        "us_nato",
        "rejects",
    ),
)


@pytest.fixture
def sample(add_article: Callable[..., Article]) -> Article:
    """An invented article with known quotes (two speakers, one unknown) and links."""
    return add_article(SAMPLE_BODY, quotes=SAMPLE_QUOTES, links=SAMPLE_LINKS)
