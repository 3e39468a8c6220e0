"""Search over article text and quotes, ranked by relevance (SQLite FTS5, BM25).

(First version; refined by the search and CLI work.)
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from newsbrowse.store.index import Index

if TYPE_CHECKING:
    from newsbrowse.store.library import Library

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "article" or "quote"
    article_id: str
    quote_id: str | None
    title: str
    snippet: str
    start: int
    end: int
    speaker: str | None
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def search(library: Library, index: Index, query: str, limit: int = 50) -> list[SearchHit]:
    words = _WORD.findall(query)
    if not words:
        return []
    match = " ".join(f'"{w}"*' for w in words)
    rows = index.conn.execute(
        'SELECT kind, ref, article_id, text, speaker, start, "end", bm25(docs) AS score '
        "FROM docs WHERE docs MATCH ? ORDER BY score LIMIT ?",
        (match, limit),
    ).fetchall()
    titles = {r["id"]: r["title"] for r in index.conn.execute("SELECT id, title FROM articles")}
    hits = []
    for r in rows:
        text = r["text"]
        m = re.search(re.escape(words[0]), text, re.IGNORECASE)
        pos = m.start() if m else 0
        lo = max(0, pos - 40)
        snippet = text[lo : pos + 80].replace("\n", " ")
        base = r["start"] if r["kind"] == "quote" else 0
        hits.append(
            SearchHit(
                kind=r["kind"],
                article_id=r["article_id"],
                quote_id=r["ref"] if r["kind"] == "quote" else None,
                title=titles.get(r["article_id"], ""),
                snippet=snippet,
                start=base + pos,
                end=base + pos + (len(m.group()) if m else 0),
                speaker=r["speaker"],
                score=-float(r["score"]),
            )
        )
    return hits
