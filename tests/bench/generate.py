"""A deterministic corpus of invented news articles for the benchmark and its smoke test.

Articles are assembled from templates and word lists (never copied from real ones) so
that they look like the scraped coverage newsbrowse reads: a headline, a byline, a
dateline, paragraphs of about 450 words with quotes in curly and straight marks and
their attributions, codebook phrasings of every demand, US/NATO replies with stances,
and web junk (cookie banners, "See also" teasers, hashtag rows, "Post a Comment").

Run ``python tests/bench/generate.py N FOLDER`` to write N files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ACTORS_JSON = Path(__file__).resolve().parents[2] / "fixtures" / "actors.json"

START = dt.date(2021, 12, 1)
DAYS = (dt.date(2022, 2, 28) - START).days + 1

SOURCES = (
    "Baltic Courier",
    "Danube Dispatch",
    "Northern Wire",
    "Atlantic Ledger",
    "Caspian Herald",
    "Continental Post",
    "Harbour Tribune",
    "Meridian Daily",
)
REPORTERS = (
    "Anna Kowal",
    "Tomas Reed",
    "Lena Varga",
    "Piotr Adler",
    "Mira Holt",
    "Owen Brandt",
    "Sofia Lind",
    "Karl Mertens",
)
CITIES = ("MOSCOW", "WASHINGTON", "BRUSSELS", "GENEVA", "VIENNA", "KYIV")

# Speakers by side: (full name on first mention, short name, pronoun). Drawn from
# fixtures/actors.json so that the generated text names the actors the app knows.
Speaker = tuple[str, str, str]
# A quote the generator attributes beyond doubt: (text inside the marks, canonical speaker).
Attributed = tuple[str, str]


def _speakers() -> dict[str, list[Speaker]]:
    """People of actors.json by side, with the first alias no other actor shares as the
    name used later."""
    data = json.loads(ACTORS_JSON.read_text(encoding="utf-8"))
    sides: dict[str, list[Speaker]] = {"russia": [], "us_nato": [], "other": []}
    taken: dict[str, int] = {}
    for actor in data["actors"]:
        for alias in actor.get("aliases", []):
            taken[alias] = taken.get(alias, 0) + 1
    for actor in data["actors"]:
        if actor.get("kind") != "person":
            continue
        # A short name two actors share ("Sullivan") names neither beyond doubt.
        own = [a for a in actor.get("aliases", []) if taken[a] == 1]
        short = own[0] if own else actor["name"]
        pronoun = "she" if actor.get("gender") == "f" else "he"
        sides[actor["side"]].append((actor["name"], short, pronoun))
    return sides


SPEAKERS = _speakers()
RUSSIAN_BODIES = ("the Kremlin", "the Russian Foreign Ministry", "Moscow")
WESTERN_BODIES = ("the White House", "the State Department", "NATO", "Washington")

# What Russia demands, one or more phrasings per codebook slug (worded for this
# generator, not taken from the seeds).
DEMANDS = {
    "no-enlargement": (
        "an end to NATO's eastward expansion",
        "a pledge that the alliance will not admit new members",
        "a halt to further enlargement of the alliance",
    ),
    "ukraine-georgia": (
        "a promise that Ukraine will never join NATO",
        "guarantees that Georgia and Ukraine stay out of the alliance",
    ),
    "1997-lines": (
        "the withdrawal of NATO forces to their 1997 positions",
        "that allied troops stay out of Eastern Europe",
    ),
    "strike-weapons": (
        "no offensive strike weapons near Russia's borders",
        "a ban on deploying intermediate-range missiles close to Russian territory",
    ),
    "legal-guarantees": (
        "legally binding security guarantees",
        "written, legally binding guarantees instead of verbal promises",
    ),
    "exercises": (
        "limits on NATO military exercises near its borders",
        "advance notice of large military exercises",
    ),
    "hotline": (
        "a direct telephone line between Moscow and NATO",
        "an emergency hotline between Moscow and the alliance",
    ),
    "talks": (
        "substantive negotiations without delay",
        "a written answer to its draft treaties",
    ),
}

# US/NATO replies with the stance the codebook should read in them.
REPLIES = (
    "would never agree to close the door on countries that want to join the alliance",
    "rejected the demand to pull allied forces out of Eastern Europe",
    "was ready to discuss reciprocal limits on military exercises",
    "would consider talks on missile deployments, but only if Russia withdraws its troops",
    "said a ban on new members was a non-starter",
    "was willing to explore confidence-building steps such as a hotline",
)

QUOTES = (
    "We need guarantees that are written down and legally binding, not words",
    "Our patience is not unlimited and we expect a concrete answer",
    "There can be no security in Europe at the expense of others",
    "We are ready to meet in Geneva and talk about every point",
    "The door of the alliance remains open and that will not change",
    "We will not allow anyone to decide for Ukraine who its partners are",
    "We are prepared to talk, but we will not negotiate about our allies",
    "Diplomacy is the best path forward and we remain committed to it",
    "The proposals deserve a serious and quick reply from our partners",
    "Nobody wants a war, yet the build-up of forces continues every day",
    "These talks will be difficult and we should not expect quick results",
    "Any further expansion of the bloc would be a threat we cannot ignore",
)

FILLER = (
    "Officials on both sides described the mood of the meeting as businesslike.",
    "Diplomats said the next round could take place within weeks.",
    "Analysts noted that the positions of the two sides remain far apart.",
    "The talks followed weeks of rising tension along the border.",
    "Markets in the region reacted calmly to the news on {weekday}.",
    "Satellite images published this week showed new camps near the frontier.",
    "European governments have asked to be included in any negotiation.",
    "The sanctions debate in several capitals has grown louder since the talks began.",
    "Some {number} troops are reported to be stationed within reach of the border.",
    "Observers expect the exchange of letters to continue into the spring.",
)

JUNK = (
    "Our website uses cookies to enhance your experience. Learn more",
    "Ok, Go it!",
    "See also:  {teaser}",
    "#NATO #Russia #Ukraine #Diplomacy",
    "Post a Comment",
    "Subscribe to our newsletter and follow us on Google News, thank you",
    "Related Posts",
)
TEASERS = (
    "Ten gadgets for winter travel",
    "Why the price of gas keeps rising",
    "Football: five things we learned this weekend",
    "The best soups for a cold evening",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
HEADLINES = (
    "{ru} presses {west} on security guarantees",
    "{ru} demands answer on NATO expansion as talks near",
    "{west} replies to Russian draft treaties",
    "Security talks: {ru} and {west} trade proposals",
    "{ru} warns time is running out for guarantees",
    "{west} rules out veto on NATO membership",
)


@dataclass(frozen=True)
class GeneratedArticle:
    """One invented article: its file name, its text and the date it was given."""

    name: str
    text: str
    date: dt.date
    attributed: tuple[Attributed, ...] = ()


def _marks(rng: random.Random) -> tuple[str, str]:
    """A pair of quotation marks, curly most of the time as in edited copy."""
    return ("\u201c", "\u201d") if rng.random() < 0.6 else ('"', '"')


def _quote_paragraph(rng: random.Random, side: str) -> tuple[list[str], list[Attributed]]:
    """One or two paragraphs quoting an actor in one of the press's attribution forms.

    Also returns the quotes whose speaker the text names beyond doubt, as (the text
    inside the marks, the actor's canonical name): what a correct import must find.
    """
    full, short, pronoun = rng.choice(SPEAKERS[side])
    words, more = rng.sample(QUOTES, 2)
    op, cl = _marks(rng)
    form = rng.randrange(7)
    if form == 0:
        said = [f"{full} spoke to reporters on {rng.choice(WEEKDAYS)}.",
                f"{op}{words},{cl} {pronoun} said."]  # fmt: skip
        return said, [(f"{words},", full)]
    if form == 1:
        return [f"{op}{words},{cl} said {short}."], [(f"{words},", full)]
    if form == 2:
        body = rng.choice(RUSSIAN_BODIES if side == "russia" else WESTERN_BODIES)
        return [f"According to {body}, {op}{words[0].lower() + words[1:]}.{cl}"], []
    if form == 3:
        return [f"{op}{words},{cl} {full} said. {op}{more}.{cl}"], []
    if form == 4:
        return [f"{full} added:", f"{op}{words}. {more}.{cl}"], []
    if form == 5:  # one quotation split by its attribution: two quotes, one speaker
        rest = more[0].lower() + more[1:] + "."
        return [f"{op}{words},{cl} {short} said, {op}{rest}{cl}"], [
            (f"{words},", full),
            (rest, full),
        ]
    return [f"{op}{words},{cl} {short} told journalists.", f"{op}{more}.{cl}"], []


def _demand_paragraph(rng: random.Random) -> str:
    """Background restating Russia's demands, two or three codebook phrases at once."""
    slugs = rng.sample(sorted(DEMANDS), rng.randint(2, 3))
    items = [rng.choice(DEMANDS[s]) for s in slugs]
    body = rng.choice(RUSSIAN_BODIES)
    body = body[0].upper() + body[1:]
    return f"{body} has demanded {', '.join(items[:-1])} and {items[-1]}."


def _reply_paragraph(rng: random.Random) -> str:
    """A US/NATO answer with a stance."""
    full, _short, _ = rng.choice(SPEAKERS["us_nato"])
    return f"{full} {rng.choice(REPLIES)}."


def _filler(rng: random.Random) -> str:
    picks = rng.sample(FILLER, 3)
    return " ".join(
        p.format(weekday=rng.choice(WEEKDAYS), number=f"{rng.randrange(60, 180) * 1000:,}")
        for p in picks
    )


def generate_article(index: int, seed: int = 1, extra: str | None = None) -> GeneratedArticle:
    """Article ``index`` of the corpus ``seed``: the same pair always gives the same text.

    ``extra`` is a paragraph placed after the opening one (a phrase a test searches for).
    """
    rng = random.Random(seed * 1_000_003 + index)
    date = START + dt.timedelta(days=rng.randrange(DAYS))
    ru = rng.choice(SPEAKERS["russia"])[1]
    west = rng.choice(SPEAKERS["us_nato"])[1]
    title = rng.choice(HEADLINES).format(ru=ru, west=west)
    source = rng.choice(SOURCES)
    lines = [title, "", f"By {rng.choice(REPORTERS)} | {source}", ""]
    if rng.random() < 0.5:
        lines += [f"{date.day} {date.strftime('%B')} {date.year}", ""]
    paragraphs = [
        f"{rng.choice(CITIES)} \u2014 {_demand_paragraph(rng)}",
        _filler(rng),
    ]
    if extra:
        paragraphs.insert(1, extra)
    attributed: list[Attributed] = []
    while sum(len(p.split()) for p in paragraphs) < 420:
        kind = rng.random()
        if kind < 0.35:
            side = rng.choice(("russia", "russia", "us_nato", "other"))
            said, named = _quote_paragraph(rng, side)
            paragraphs += said
            attributed += named
        elif kind < 0.5:
            paragraphs.append(_demand_paragraph(rng))
        elif kind < 0.65:
            paragraphs.append(_reply_paragraph(rng))
        else:
            paragraphs.append(_filler(rng))
    # A closing line that no other article shares: the id is a hash of the text.
    paragraphs.append(f"Reporting by the {source} desk, story {seed}-{index}.")
    junk = rng.sample(JUNK, rng.randint(1, 4))
    for line in junk:
        if line.startswith("See also") and len(paragraphs) > 3:
            paragraphs.insert(
                rng.randrange(2, len(paragraphs)), line.format(teaser=rng.choice(TEASERS))
            )
        else:
            paragraphs.append(line)
    lines.append("\n\n".join(paragraphs))
    text = "\n".join(lines) + "\n"
    return GeneratedArticle(f"{index:06d}.txt", text, date, tuple(attributed))


def write_corpus(
    folder: Path, count: int, seed: int = 1, plant: dict[int, str] | None = None
) -> list[Path]:
    """Write ``count`` articles into ``folder``; ``plant`` adds a sentence to given articles."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        art = generate_article(i, seed, extra=(plant or {}).get(i))
        path = folder / art.name
        path.write_text(art.text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    write_corpus(args.folder, args.count, args.seed)
    took = time.perf_counter() - began
    print(f"wrote {args.count} articles to {args.folder} in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
