"""The people an article introduces that actors.json does not know.

"U.S. Ambassador to Russia John Sullivan", "Lucia Abellan, chief editor at El Pais, told",
"Spokeswoman for the National Security Council, Emily Horne, said": a capitalised name
with a title before it, or a description set off by commas beside it, or a speech verb
right after it, is a person. The title's words give the side (:mod:`roles`); a person
whose title shows none is ``other``. From then on the article may call them by their
surname. A newspaper or agency named beside "daily", "newspaper"... is a body of no side.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsbrowse.store.ingest.actors import Actor, Mention
from newsbrowse.store.ingest.frame import Frame
from newsbrowse.store.ingest.quotes import DOUBLE
from newsbrowse.store.ingest.roles import RoleRules, title_key

# A run of capitalised tokens ("U.S. Ambassador to Russia John J. Sullivan" gives two runs).
# No look-behind: a pattern that starts with a capital is searched for at C speed; a run
# that starts inside a word or a handle ("@Bundeskanzler") is skipped by the caller.
_RUN = re.compile(r"[A-Z][\w.'\u2019-]*(?:[ \t]+[A-Z][\w.'\u2019-]*)+")
_NAME_TOKEN = re.compile(r"[A-Z][a-z]+(?:['\u2019-][A-Za-z][a-z]+)*")
_INITIAL = re.compile(r"[A-Z]\.")
_TITLE_TAIL = re.compile(r"[\w.'\u2019-]+")
_BREAKS = ",.;:\n" + DOUBLE
_MEDIA_NAME = re.compile(r"\s+(?P<name>[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,2})")
_MEDIA_NAME_BEFORE = re.compile(r"(?P<name>[A-Z][\w'\u2019-]*)\s+$")
_JOINERS = frozenset({"of", "for", "to", "the", "at", "and", "in", "on"})
_MAX_TITLE_WORDS = 9
_LONGEST_TITLE_WORD = 30  # characters back where the word before a name is looked at
_MAX_DESCRIPTION_WORDS = 14
_AFTER_NAME_WORDS = 2  # "Emily Horne said", "Horne also said"


@dataclass(frozen=True)
class Introduction:
    """Where the article names a person (or body) it introduces: ``start``-``end`` is the
    name; ``actor`` the person learnt, with the surname as alias."""

    start: int
    end: int
    actor: Actor
    title_start: int  # where a title before the name begins ("U.S. Ambassador to ..."), or start


def learn_people(frame: Frame, roles: RoleRules, known: list[Mention]) -> list[Introduction]:
    """The people and bodies the article introduces, in order, each once (the first time)."""
    masked = frame.masked
    found: list[Introduction] = []
    names: dict[str, Actor] = {}
    for run in _RUN.finditer(masked):
        if run.start() and (masked[run.start() - 1].isalnum() or masked[run.start() - 1] in "_@#"):
            continue
        text = run.group()
        if text.endswith(".") and not _INITIAL.fullmatch(text.split()[-1]):
            text = text[:-1]  # "... Mark Ellison." ends a sentence
        name = _name_at_end(text, roles)
        if name is None:
            continue
        end = run.start() + len(text)
        start = end - len(name)
        if _known_overlap(known, name, start, end):
            continue
        title = title_before(masked, roles, start)
        title_start = start - len(title) - 1 if title else start
        if name in names:
            found.append(Introduction(start, end, names[name], title_start))
            continue
        actor = _person(frame, roles, known, name, start, end, title)
        if actor is None:
            continue
        names[name] = actor
        found.append(Introduction(start, end, actor, title_start))
    found += _media(frame, roles, known, names, found)
    found.sort(key=lambda i: i.start)
    return found


def _media(
    frame: Frame,
    roles: RoleRules,
    known: list[Mention],
    names: dict[str, Actor],
    found: list[Introduction],
) -> list[Introduction]:
    """Newspapers, agencies and channels of a single or all-capital name ("the daily
    TAZ", "the Kommersant newspaper"): bodies of no side. Two-word names were found with
    the people."""
    masked = frame.masked
    taken = [(i.start, i.end) for i in found] + [(m.start, m.end) for m in known]
    media: list[Introduction] = []
    for noun in roles.media_finder.finditer(masked, frame.words):
        after = _MEDIA_NAME.match(masked, noun.end())
        before = _MEDIA_NAME_BEFORE.search(masked, max(0, noun.start() - 40), noun.start())
        match = after or before
        if match is None:
            continue
        name, start = match.group("name"), match.start("name")
        end = start + len(name)
        if name in roles.not_names or any(s < end and start < e for s, e in taken):
            continue
        actor = names.setdefault(
            name, Actor(name=name, side="other", kind="body", aliases=(), roles=(noun.group(),))
        )
        media.append(Introduction(start, end, actor, start))
    return media


def _known_overlap(known: list[Mention], name: str, start: int, end: int) -> bool:
    """Whether a name actors.json knows overlaps ``name``: it is that actor, unless the
    known name is only a surname inside it with another first name ("John Sullivan" is
    not "Jake Sullivan"; "Volodymir Zelensky" is "Volodymyr Zelensky")."""
    i = bisect.bisect_left(known, start + 1, key=lambda m: m.end)
    for mention in known[i:]:
        if mention.start >= end:
            break
        inside = start < mention.start and mention.end <= end
        if not inside or not all(a.is_person for a in mention.actors):
            return True
        first = name.split()[0][:3]
        if any(a.name.split()[0][:3] == first for a in mention.actors):
            return True
    return False


def _name_at_end(run: str, roles: RoleRules) -> str | None:
    """The person's name a run of capitalised tokens ends with: two or three name tokens
    (a middle initial allowed), none a title, side or never-a-name word."""
    tokens = run.split()
    kept: list[str] = []
    for token in reversed(tokens):
        plain = token.rstrip(".,")
        if _INITIAL.fullmatch(token) and kept:
            kept.append(token)
            continue
        if (
            not _NAME_TOKEN.fullmatch(plain)
            or plain != token
            or plain in roles.not_names
            or title_key(plain) in roles.titles
            or roles.side_pattern.fullmatch(plain)
        ):
            break
        kept.append(token)
        if len([t for t in kept if not _INITIAL.fullmatch(t)]) == 3:
            break
    while kept and _INITIAL.fullmatch(kept[-1]):
        kept.pop()
    if len([t for t in kept if not _INITIAL.fullmatch(t)]) < 2:
        return None
    return " ".join(reversed(kept))


def _person(
    frame: Frame,
    roles: RoleRules,
    known: list[Mention],
    name: str,
    start: int,
    end: int,
    title: str,
) -> Actor | None:
    """The person ``name`` is, from the words around it (``title``: the words before
    it); None when nothing says so."""
    masked = frame.masked
    description = title if roles.title_words_in(title) else ""
    if description and roles.side_of(description) is None:
        # "the head of the Russian delegation, Deputy Foreign Minister Alexander Grushko"
        before = _description_before(masked, roles, start - len(title) - 1)
        description = f"{before}, {description}" if before else description
    if not description:
        description = _description_after(masked, roles, end) or _description_before(
            masked, roles, start
        )
    media = _media_noun(masked, roles, start, end)
    if media:
        return Actor(name=name, side="other", kind="body", aliases=(), roles=(media,))
    if not description and not _speaks(frame, start, end):
        return None
    side = roles.side_of(description) if description else None
    if side is None and description:
        side = _employer_side(known, roles, masked, description, start)
    surname = name.split()[-1]
    return Actor(
        name=name,
        side=side or "other",
        kind="person",
        aliases=(surname,),
        gender=roles.gender_of(description) if description else None,
        roles=(description,) if description else (),
    )


def title_before(masked: str, roles: RoleRules, start: int) -> str:
    """The title right before a name: capitalised words, title words and joiners back to
    the last punctuation ("White House national security adviser", "Ambassador to Russia")."""
    previous = masked[max(0, start - _LONGEST_TITLE_WORD) : start]
    if not previous.endswith(" ") or not _title_like(
        previous.split()[-1] if previous.split() else "", roles
    ):
        return ""  # the word before is no title's: most names stand after a verb or a comma
    words = list(_TITLE_TAIL.finditer(masked, max(0, start - 120), start))
    kept: list[re.Match[str]] = []
    edge = start
    for word in reversed(words):
        gap = masked[word.end() : edge]
        if gap.strip() or "\n" in gap or not _title_like(word.group(), roles):
            break
        kept.append(word)
        edge = word.start()
        if len(kept) >= _MAX_TITLE_WORDS:
            break
    while kept and title_key(kept[-1].group()) in _JOINERS:
        kept.pop()
    return masked[kept[-1].start() : start].strip() if kept else ""


def _title_like(word: str, roles: RoleRules) -> bool:
    if not word:
        return False
    low = title_key(word)
    return (
        word[:1].isupper()
        or low in roles.title_parts
        or low in _JOINERS
        or roles.side_pattern.fullmatch(word) is not None
    )


def _description_after(masked: str, roles: RoleRules, end: int) -> str:
    """ "Lucia Abellan, chief editor at El Pais, said": the description after a comma."""
    if not masked.startswith(", ", end):
        return ""
    stop = _clause_end(masked, end + 2)
    text = masked[end + 2 : stop]
    if len(text.split()) > _MAX_DESCRIPTION_WORDS or not roles.title_words_in(text):
        return ""
    return text.strip()


def _description_before(masked: str, roles: RoleRules, start: int) -> str:
    """ "Spokeswoman for the National Security Council, Emily Horne, said"."""
    before = masked[max(0, start - 160) : start]
    if not before.endswith(", "):
        return ""
    head = before[:-2]
    cut = max(head.rfind(c) for c in _BREAKS)
    text = head[cut + 1 :].strip()
    words = text.split()
    if not words or len(words) > _MAX_DESCRIPTION_WORDS or not roles.title_words_in(text):
        return ""
    return text


def _clause_end(masked: str, pos: int) -> int:
    """Where the clause from ``pos`` ends: the next comma, full stop or line end."""
    ends = [i for i in (masked.find(c, pos, pos + 160) for c in ",.;\n") if i >= 0]
    return min(ends) if ends else min(len(masked), pos + 160)


def _media_noun(masked: str, roles: RoleRules, start: int, end: int) -> str | None:
    """ "the daily TAZ", "the Kommersant newspaper": the media noun beside the name."""
    before = masked[max(0, start - 30) : start].split()
    after = masked[end : end + 30].split()
    for word in (before[-1:] if before else []) + (after[:1] if after else []):
        if title_key(word) in roles.media:
            return word
    return None


def _speaks(frame: Frame, start: int, end: int) -> bool:
    """ "Emily Horne said", "said Emily Horne", "Ann Lee, who teaches in Oslo, said": a
    speech verb beside the name, or after a description set off by commas."""
    if frame.verb_at(end, _AFTER_NAME_WORDS + 1) is not None:
        return True
    masked = frame.masked
    if masked.startswith(", ", end):
        close = masked.find(", ", end + 2, end + 200)
        between = masked[end + 2 : close] if close > 0 else ""
        if (
            between
            and len(between.split()) <= _MAX_DESCRIPTION_WORDS
            and not any(c in between for c in ".;:\n")
        ):
            return frame.verb_at(close + 1, _AFTER_NAME_WORDS + 1) is not None
    before = frame.verbs_between(max(0, start - 40), start)
    return bool(before) and not frame.masked[before[-1].end() : start].strip(" ,")


def _employer_side(
    known: list[Mention], roles: RoleRules, masked: str, description: str, start: int
) -> str | None:
    """ "adviser to President Vladimir Putin": the side of the actor the person works for
    (the word before the actor's name and its title is "to", "for", "of" or "at")."""
    lo = max(0, start - 200)
    for mention in known:
        if not lo <= mention.start < start + 200:
            continue
        text = masked[mention.start : mention.end]
        if text not in description:
            continue
        before = description[: description.index(text)].split()
        while before and before[-1][:1].isupper():
            before.pop()  # the actor's title: "President"
        if before and title_key(before[-1]) in roles.employer_words:
            sides = {a.side for a in mention.actors}
            if len(sides) == 1:
                return sides.pop()
    return None
