"""References to speakers in an article, resolved to actors in reading order.

Who has been named as a subject or speaker so far decides what a reference means:

- a name is its actor; a surname several actors share ("Sullivan") is the one named most
  recently, else the one this article introduced, else the first in actors.json;
- a role of actors.json ("the Russian president") is its holder named most recently,
  or its only holder;
- "the diplomat", "the Russian ambassador", "the head of US diplomacy" (a nominal head of
  roles.json): the most recent person named as speaker or subject whose title fits the
  noun and whose side fits a side word before it; none fitting, nobody;
- "he"/"she": the most recent person named as speaker or subject of that gender (a
  person of unknown gender fits both); "it" before a speech verb: the most recent body;
- "a NATO official", "a senior US official": an unnamed speaker of that side, named
  "NATO official (unnamed)"; with no side word, nobody;
- "the statement", "the document": left to attribution, which knows whose it is.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsbrowse.store.ingest.actors import Actor, ActorIndex, Mention
from newsbrowse.store.ingest.descriptions import Found, nominals, pronouns
from newsbrowse.store.ingest.frame import WORD, Frame
from newsbrowse.store.ingest.people import Introduction, learn_people, title_before
from newsbrowse.store.ingest.roles import ANYONE, RoleRules

_TAIL_CHARS = 60  # characters before a reference where the words that make it an object stand
_TAIL_WORD = re.compile(r"[\w'\u2019-]+")
_ARTICLES = frozenset({"a", "an", "the"})
_IT_LOOKBACK = 6  # references back that "it" may reach


@dataclass(frozen=True)
class Ref:
    """A reference outside quotes: ``form`` is name, role, nominal, pronoun, unnamed or
    document; ``actor`` what it resolved to (None: nobody, or a document left to
    attribution)."""

    start: int
    end: int
    actor: Actor | None
    form: str
    possessive: bool
    subject: bool
    object: bool = False


def find_refs(frame: Frame, actors: ActorIndex) -> list[Ref]:
    """Every reference of the article, resolved (see the module's docstring)."""
    known = actors.mentions(frame.masked, frame.words)
    intros = learn_people(frame, actors.roles, known)
    found = _merge(frame, actors, known, intros)
    return _Resolver(frame, actors).resolve(found)


def _merge(
    frame: Frame, actors: ActorIndex, known: list[Mention], intros: list[Introduction]
) -> list[Found]:
    """Known mentions, the article's people and their surnames, nominals and pronouns, in
    order, a longer reference winning over one it overlaps."""
    items: list[Found] = []
    inside = sorted((i.title_start, i.end) for i in intros)
    inside += _known_titles(frame, actors, known)
    inside.sort()
    starts = [s for s, _ in inside]
    for m in known:
        k = bisect.bisect_right(starts, m.start) - 1
        if k >= 0 and m.end <= inside[k][1] and (m.start, m.end) != (inside[k][0], inside[k][1]):
            continue  # a title's place, or a surname inside a name the article introduces
        form = "role" if m.by_role else "name"
        if all(a.kind == "document" for a in m.actors):
            form = "document"
        items.append(Found(m.start, m.end, form, m.actors, possessive=m.possessive))
    items += [Found(i.start, i.end, "name", (i.actor,)) for i in intros]
    items += _surnames(frame, intros)
    items += nominals(frame, actors, known)
    items += pronouns(frame)
    items.sort(key=lambda f: (f.start, f.start - f.end))
    items = _without_titles(frame.masked, _names_first(items))
    kept: list[Found] = []
    for item in items:
        if kept and item.start < kept[-1].end:
            last = kept[-1]
            if (item.start, item.end) == (last.start, last.end) and item.form == "name":
                kept[-1] = Found(
                    last.start,
                    last.end,
                    last.form,
                    last.candidates,
                    possessive=last.possessive,
                    learned=last.learned + item.learned + item.candidates,
                )
            continue
        kept.append(item)
    return kept


def _known_titles(frame: Frame, actors: ActorIndex, known: list[Mention]) -> list[tuple[int, int]]:
    """The span of each known person's name with the title before it ("Kremlin
    Spokesman Dmitry Peskov"): a body or place named in a title is no reference."""
    spans = []
    for m in known:
        if all(a.kind == "person" for a in m.actors) and not m.by_role:
            title = title_before(frame.masked, actors.roles, m.start)
            if title and actors.roles.title_words_in(title):
                spans.append((m.start - len(title) - 1, m.start - 1))
    return spans


def _names_first(items: list[Found]) -> list[Found]:
    """Drop a description that runs over a person's name: the name is the reference."""
    names = [
        (f.start, f.end)
        for f in items
        if f.form == "name" and any(a.kind == "person" for a in f.candidates + f.learned)
    ]
    starts = [s for s, _ in names]
    kept = []
    for item in items:
        if item.form in ("nominal", "unnamed", "document"):
            k = bisect.bisect_left(starts, item.start)
            if k < len(names) and names[k][0] < item.end:
                continue
        kept.append(item)
    return kept


def _without_titles(masked: str, items: list[Found]) -> list[Found]:
    """Drop a description right before a name: it is the name's title ("said Russia's
    deputy foreign minister, Sergei Ryabkov", "the US envoy to NATO, Julianne Smith")."""
    kept = []
    for item, following in zip(items, [*items[1:], None], strict=False):
        if (
            item.form in ("nominal", "unnamed")
            and following is not None
            and following.form == "name"
            and following.start >= item.end
            and not masked[item.end : following.start].strip(" ,")
        ):
            continue
        kept.append(item)
    return kept


def _surnames(frame: Frame, intros: list[Introduction]) -> list[Found]:
    """Each later mention of an introduced person by surname ("Antonov believes"): the
    whole word, found with ``str.find`` (a pattern per article would crowd ``re``'s cache
    of the rules' own patterns)."""
    masked = frame.masked
    found = []
    seen: set[str] = set()
    for intro in intros:
        for alias in intro.actor.aliases:
            if alias in seen:
                continue
            seen.add(alias)
            i = masked.find(alias, intro.end)
            while i >= 0:
                end = i + len(alias)
                if (i == 0 or not (masked[i - 1].isalnum() or masked[i - 1] in "_-")) and (
                    end == len(masked) or not (masked[end].isalnum() or masked[end] in "_-")
                ):
                    possessive = masked.startswith(("'s", "\u2019s"), end)
                    found.append(
                        Found(i, end, "name", (), possessive=possessive, learned=(intro.actor,))
                    )
                i = masked.find(alias, end)
    return found


class _Resolver:
    """Resolves references in reading order, remembering who was named as a subject."""

    def __init__(self, frame: Frame, actors: ActorIndex) -> None:
        self.frame = frame
        self.speech = actors.speech
        self.roles = actors.roles
        self.history: list[tuple[Actor, bool]] = []

    def resolve(self, found: list[Found]) -> list[Ref]:
        refs: list[Ref] = []
        for item in found:
            objected = self._is_object(item.start)
            subject = not item.possessive and not objected and self._is_subject(item, refs)
            actor = self._actor(item)
            refs.append(
                Ref(item.start, item.end, actor, item.form, item.possessive, subject, objected)
            )
            if actor is not None:
                self.history.append((actor, subject))
        return refs

    def _actor(self, item: Found) -> Actor | None:
        if item.form == "pronoun" and item.key == "body":
            return self._latest_body()
        if item.form == "pronoun":
            return self._latest(lambda a: _pronoun_fits(a, item.key))
        if item.form == "nominal":
            meant = self._latest(lambda a: _nominal_fits(a, item.key, item.side, self.roles))
            if meant is None and item.key in self.speech.unnamed_words and item.side:
                # "the NATO official" with nobody named before: an unnamed official
                name = f"{item.text} (unnamed)"
                return Actor(name=name, side=item.side, kind="unnamed", aliases=(), roles=(name,))
            return meant
        if item.form == "unnamed":
            if not item.key:
                return None
            return Actor(
                name=item.key,
                side=item.side or "other",
                kind="unnamed",
                aliases=(),
                roles=(item.key,),
            )
        candidates = item.candidates + item.learned
        if len(candidates) == 1:
            return candidates[0]
        for actor, _ in reversed(self.history):
            if actor in candidates:
                return actor
        if item.learned:
            return item.learned[0]
        names = {a.name for a in candidates}
        if len(names) == 1:
            return candidates[0]  # one actor listed twice
        return None  # "Sullivan" with neither Sullivan named before: nobody, not a guess

    def _latest_body(self) -> Actor | None:
        """What "it" stands for: of the last few subjects that are no person, a document
        before a body before a place ("According to a Russian document, Moscow and NATO
        should talk. It demanded ..." is the document)."""
        recent = [a for a, subject in self.history[-_IT_LOOKBACK:] if subject and not a.is_person]
        for kind in ("document", "body", "place-actor"):
            of_kind = [a for a in recent if a.kind == kind]
            if of_kind:
                return of_kind[-1]
        return None

    def _latest(self, fits) -> Actor | None:  # noqa: ANN001 - a predicate on actors
        """The most recent actor named as a speaker or subject that ``fits``."""
        return next((a for a, subject in reversed(self.history) if subject and fits(a)), None)

    def _is_object(self, start: int) -> bool:
        """After a preposition or an object-taking verb ("told Macron", "with Putin"), but
        not after "according to", which names a speaker."""
        frame = self.frame
        sentence_start = frame.sentence_start(start)
        tail = frame.masked[max(sentence_start, start - _TAIL_CHARS) : start].rstrip()
        if not tail or not (tail[-1].isalnum() or tail[-1] in "'\u2019"):
            return False  # punctuation or a quote between: '“...” Putin said'
        words = _TAIL_WORD.findall(tail, max(0, len(tail) - _TAIL_CHARS // 2))
        while words and words[-1].lower() in _ARTICLES:
            words.pop()
        if not words or words[-1].lower() not in self.speech.object_markers:
            return False
        if words[-1].lower() in ("and", "but", "or") and re.search(r"[,;]\s*\w+\s*$", tail):
            return False  # ", and Lavrov said": a new clause's subject
        return self.speech.speaker_follows.fullmatch(" ".join(words[-2:])) is None

    def _is_subject(self, item: Found, earlier: list[Ref]) -> bool:
        """A reference is a subject when a speech verb is next to it ("Putin said", "said
        Putin"), or when it opens its sentence's references (none but objects and
        possessives before it)."""
        frame = self.frame
        start, end = item.start, item.end
        sentence_start = frame.sentence_start(start)
        if frame.verb_at(_past_apposition(frame.masked, end), 3) is not None:
            return True
        if item.form == "name" and frame.masked.rfind(" by ", max(0, start - 90), start) >= 0:
            title = title_before(frame.masked, self.roles, start)
            lead = start - len(title) - 1 if title else start
            words = frame.masked[max(0, lead - 12) : lead].split()
            while words and words[-1].lower() in _ARTICLES:
                words.pop()
            if words and words[-1] == "by":
                return True  # the agent of a passive: "This was stated by (the Ambassador) X"
        k = bisect.bisect_left(frame.verb_starts, start) - 1
        while k >= 0 and frame.verb_starts[k] >= sentence_start:
            verb = frame.verbs[k]
            k -= 1
            if verb.end() > start:
                continue
            gap = WORD.findall(frame.masked, verb.end(), start)
            if all(w.lower() in _ARTICLES for w in gap):
                return True
            break
        for ref in reversed(earlier):
            if ref.start < sentence_start:
                break
            if not ref.possessive and not ref.object:
                return False
        return True


def _past_apposition(masked: str, end: int) -> int:
    """Where the text goes on after a description set off by commas right after ``end``
    ("Lucia Abellan, chief editor at El Pais, told ...")."""
    if not masked.startswith(", ", end):
        return end
    close = masked.find(", ", end + 2, end + 160)
    if close < 0 or any(c in masked[end + 2 : close] for c in ".;:\n"):
        return end
    return close + 1 if len(masked[end + 2 : close].split()) <= 14 else end


def _pronoun_fits(actor: Actor, kind: str) -> bool:
    if kind == "body":
        return not actor.is_person
    return actor.is_person and actor.gender in (kind, None)


def _nominal_fits(actor: Actor, head: str, side: str | None, roles: RoleRules) -> bool:
    """Whether "the <head>" (with a side word of ``side``) may stand for ``actor``."""
    if not actor.is_person or (side is not None and actor.side != side):
        return False
    if actor.kind == "unnamed":  # "the official" is only an unnamed official
        return head in actor.descriptors
    fits = roles.nominal_heads.get(head, frozenset())
    if ANYONE in fits:
        return bool(actor.descriptors)
    words = actor.descriptors
    return any(all(w in words for w in fit.split()) for fit in fits)
