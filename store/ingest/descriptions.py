"""Descriptions that may stand for a speaker, found before anything is resolved.

"the diplomat", "the U.S. ambassador to Russia", "the head of US diplomacy" (a nominal
head of roles.json with its side words and tail); "a NATO official" (an unnamed speaker
of a side); "the statement", "a Russian document" (documents); "he", "she", "it". What
each stands for is :mod:`mentions`' to decide, in reading order.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsbrowse.store.ingest.actors import Actor, ActorIndex, Mention
from newsbrowse.store.ingest.frame import Frame
from newsbrowse.store.ingest.roles import RoleRules, title_key

_TOKEN = re.compile(r"[\w.'\u2019]+(?:-[\w.'\u2019]+)*")
_DEFINITE = frozenset({"the", "this", "that"})
_INDEFINITE = frozenset({"a", "an", "one", "another"})
_DETERMINERS = _DEFINITE | _INDEFINITE
_POSSESSIVES = frozenset({"his", "her", "their", "its", "our", "my", "your"})
_MAX_MODIFIERS = 4
_QUALIFIER_REACH = 60  # characters before a noun where its determiner or side word stands
_AROUND_BEFORE = 60  # characters: four modifiers and a determiner
_AROUND_AFTER = 90  # characters: the noun, its tail and the word after
_MAX_TAIL = 6
_TAIL_JOINERS = frozenset({"of", "to", "for", "in", "at", "the"})
_COMPOUND_HEADS = frozenset({"states", "countries", "nations", "governments", "state"})
_NAME_TOKEN = re.compile(r"[A-Z][a-z]+(?:['\u2019-][A-Za-z][a-z]+)*")
_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")


@dataclass(frozen=True)
class Found:
    """A reference before resolution: its candidates, or the key to resolve it by."""

    start: int
    end: int
    form: str
    candidates: tuple[Actor, ...] = ()
    key: str = ""  # a nominal's head, a pronoun's gender
    side: str | None = None
    possessive: bool = False
    learned: tuple[Actor, ...] = ()
    text: str = ""  # a nominal's side word and noun ("NATO official")


def nominals(frame: Frame, actors: ActorIndex, known: list[Mention]) -> list[Found]:
    """ "the diplomat", "the U.S. ambassador to Russia", "a senior US official", "the
    document", "a Russian document"."""
    roles, unnamed = actors.roles, actors.speech.unnamed_words
    documents = actors.speech.document_words
    masked = frame.masked
    found: list[Found] = []
    for match in actors.head_finder.finditer(masked, frame.words):
        if not _qualified(masked, roles, match.start()):
            continue  # "Officials said": no determiner, no side word, nothing to find
        tokens, k = _tokens_around(masked, match.start())
        if k is None:
            continue
        token = tokens[k]
        head = title_key(token.group().rstrip("."))
        begin = k
        while begin > max(0, k - _MAX_MODIFIERS) and _modifier(masked, roles, tokens, begin - 1):
            begin -= 1
        det = ""
        if begin > 0 and _adjacent(masked, tokens[begin - 1], tokens[begin]):
            det = tokens[begin - 1].group().lower()
        end = _tail_end(masked, roles, tokens, k)
        if end < len(tokens) and _names_next(masked, roles, tokens[end - 1], tokens[end]):
            continue  # a title before a name: "Kremlin spokesman Dmitry Peskov"
        start = (
            tokens[begin - 1].start() if det in _DEFINITE | _INDEFINITE else tokens[begin].start()
        )
        stop = tokens[end - 1].end()
        text = masked[start:stop]
        noun = token.group().rstrip(".")
        if head in documents:
            if not _issuer_named(known, start, token.start()):
                found += _document(actors, text, det, start, stop)
        elif det in _DEFINITE and head in roles.nominal_heads:
            side = roles.side_of(text)
            text = _unnamed_name(text, noun, roles)[: -len(" (unnamed)")]
            found.append(Found(start, stop, "nominal", key=head, side=side, text=text))
        elif head in unnamed and _compound(tokens, k):
            continue  # "NATO member states": the noun is "states"
        elif head in unnamed and det not in _POSSESSIVES and (side := roles.side_word(text)):
            found.append(
                Found(start, stop, "unnamed", key=_unnamed_name(text, noun, roles), side=side)
            )
    return found


def _qualified(masked: str, roles: RoleRules, pos: int) -> bool:
    """Whether a determiner or a side word stands in the few words before ``pos``."""
    window = masked[max(0, pos - _QUALIFIER_REACH) : pos]
    last = window.split()[-_MAX_MODIFIERS - 1 :]
    if any(w.lower() in _DETERMINERS for w in last):
        return True
    return roles.side_pattern.search(window) is not None or any(
        w.endswith(("'s", "\u2019s")) for w in last
    )


def _tokens_around(masked: str, pos: int) -> tuple[list[re.Match[str]], int | None]:
    """The tokens near ``pos`` (enough for a noun's modifiers and tail) and the index of
    the one starting there."""
    lo = max(0, pos - _AROUND_BEFORE)
    while 0 < lo < pos and not masked[lo - 1].isspace():
        lo += 1  # start at a whole token
    tokens = list(_TOKEN.finditer(masked, lo, min(len(masked), pos + _AROUND_AFTER)))
    k = next((i for i, t in enumerate(tokens) if t.start() == pos), None)
    return tokens, k


def _compound(tokens: list[re.Match[str]], k: int) -> bool:
    """Whether the noun at ``k`` qualifies the next one ("member states")."""
    following = tokens[k + 1].group().lower() if k + 1 < len(tokens) else ""
    return following in _COMPOUND_HEADS


def _issuer_named(known: list[Mention], start: int, end: int) -> bool:
    """Whether a person or body of actors.json stands in ``start``-``end`` ("the Kremlin
    statement": the statement is the Kremlin's, attribution's business)."""
    i = bisect.bisect_left(known, start, key=lambda m: m.start)
    return any(
        m.start < end and any(a.kind in ("person", "body") for a in m.actors)
        for m in known[i : i + 4]
    )


def _document(actors: ActorIndex, text: str, det: str, start: int, stop: int) -> list[Found]:
    """ "a Russian document" is the one document of that side in actors.json (the one
    whose names hold the side word, if there are several); "the statement" is left to
    attribution, which knows whose it is."""
    match = actors.roles.side_pattern.search(text)
    if match is None:
        return [Found(start, stop, "document")] if det in _DEFINITE else []
    side = actors.roles.side_words.get(match.group().replace("\u2019", "'"))
    of_side = [a for a in actors.actors if a.kind == "document" and a.side == side]
    word = title_key(match.group())
    named = [a for a in of_side if word in a.descriptors] or of_side
    if len(named) != 1:
        return []
    return [Found(start, stop, "document", (named[0],))]


def _adjacent(masked: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Whether only spaces stand between two tokens, the first ending no sentence."""
    gap = masked[left.end() : right.start()]
    if gap.strip() or "\n" in gap:
        return False
    text = left.group()
    return not text.endswith(".") or _DOTTED.fullmatch(text) is not None


def _modifier(masked: str, roles: RoleRules, tokens: list[re.Match[str]], i: int) -> bool:
    """Whether token ``i`` qualifies the noun after it ("Russian", "senior", "NATO")."""
    token = tokens[i]
    if not _adjacent(masked, token, tokens[i + 1]):
        return False
    text = token.group()
    low = title_key(text)
    if low in _DEFINITE or low in _INDEFINITE:
        return False
    return (
        text[:1].isupper()
        or low in roles.title_parts
        or roles.side_pattern.fullmatch(text) is not None
    )


def _tail_end(masked: str, roles: RoleRules, tokens: list[re.Match[str]], k: int) -> int:
    """One past the last token of a noun's tail ("of US diplomacy", "to Russia")."""
    end = k + 1
    while (
        end < len(tokens)
        and end - k <= _MAX_TAIL
        and _adjacent(masked, tokens[end - 1], tokens[end])
    ):
        text = tokens[end].group()
        low = title_key(text)
        if end == k + 1 and low not in _TAIL_JOINERS:
            break  # a tail starts "of", "to", "for": "the head of US diplomacy"
        if _name_starts(masked, roles, tokens, end):
            break  # "the Russian Ambassador to the United States Anatoly Antonov"
        if not (low in _TAIL_JOINERS or text[:1].isupper() or low in roles.title_parts):
            break
        end += 1
    while end - 1 > k and title_key(tokens[end - 1].group()) in _TAIL_JOINERS:
        end -= 1
    return end


def _name_starts(masked: str, roles: RoleRules, tokens: list[re.Match[str]], i: int) -> bool:
    """Whether tokens ``i`` and ``i + 1`` are a capitalised name ("Anatoly Antonov")."""
    if i + 1 >= len(tokens) or not _adjacent(masked, tokens[i], tokens[i + 1]):
        return False
    return all(
        _NAME_TOKEN.fullmatch(t.group()) and t.group() not in roles.not_names
        for t in (tokens[i], tokens[i + 1])
    )


def _names_next(masked: str, roles: RoleRules, left: re.Match[str], right: re.Match[str]) -> bool:
    text = right.group()
    return (
        _adjacent(masked, left, right)
        and text[:1].isupper()
        and text.rstrip(".,") not in roles.not_names
        and title_key(text) not in roles.titles
    )


def _unnamed_name(text: str, noun: str, roles: RoleRules) -> str:
    """ "a senior US official" is "US official (unnamed)": its first side word and noun."""
    match = roles.side_pattern.search(text)
    words = [match.group()] if match else []
    return " ".join([*words, noun]) + " (unnamed)"


_GENDER = {"he": "m", "she": "f", "him": "m", "her": "f", "it": "body"}
# One literal pattern per form (no look-behind: ``re`` then finds the literal at C speed).
_PRONOUNS = {
    word: re.compile(rf"{word}(?![\w'\u2019-])")
    for word in ("he", "He", "she", "She", "it", "It", "him", "her")
}


def pronouns(frame: Frame) -> list[Found]:
    """ "he", "she", "according to him"; "it" only as the subject of a speech verb."""
    masked, found = frame.masked, []
    for word in _PRONOUNS.keys() & frame.words:
        kind = _GENDER[word.lower()]
        for match in _PRONOUNS[word].finditer(masked):
            start, end = match.span()
            if start and (masked[start - 1].isalnum() or masked[start - 1] in "_-"):
                continue  # inside a word: "the", "Shell"
            if word in ("him", "her") and not masked.endswith("to ", 0, start):
                continue  # "according to him"; "her talks" is no reference
            if kind == "body" and frame.verb_at(end, 2) is None:
                continue
            found.append(Found(start, end, "pronoun", key=kind))
    return found
    for token in frame.tokens:
        word = token.group().rstrip(".")
        if word not in _PRONOUNS:
            continue
        start = token.start()
        end = start + len(word)
        kind = _GENDER[word.lower()]
        if word in ("him", "her") and not masked.endswith("to ", 0, start):
            continue  # "according to him"; "her talks" is no reference
        if kind == "body" and frame.verb_at(end, 2) is None:
            continue
        found.append(Found(start, end, "pronoun", key=kind))
    return found
