"""literals.py reads the words a pattern needs from ``re``'s private parser; a Python
without it (or one whose parser changed) must analyse exactly as well, only slower.

The fallback is forced in a fresh interpreter (the rules and literal caches of this one
were built with the parser) and the analysis of the seed articles and of a hostile text
is compared, record for record, with the parser's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_SCRIPT = """
import dataclasses, json, sys
from pathlib import Path
from newsbrowse.store.ingest import literals
if sys.argv[1] == "fallback":
    literals._sre = literals._sre_parse = None
from newsbrowse.store.ingest.pipeline import analyse
from newsbrowse.store.rules import load_rules

rules = load_rules()
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[2]).glob("*.txt"))]
texts.append(
    "\\u201cWe want legally binding guarantees that NATO will not expand eastward,\\u201d "
    "Deputy Foreign Minister Sergei Ryabkov told reporters. The US rejected a halt to "
    "NATO enlargement but is open to talks on missile deployments, Blinken said. "
    "\\u201cThe door is open,\\u201d Jens Stoltenberg, NATO's secretary-general, said."
)
probe = {
    "required": literals.required_literals(__import__("re").compile(r"\\bexpan(?:sion|d)")),
    "anchored": literals.anchored_at_start(__import__("re").compile(r"^Share")),
}
out = []
for text in texts:
    article = analyse(text, rules)
    out.append({
        "quotes": [dataclasses.asdict(q) for q in article.quotes],
        "links": [dataclasses.asdict(link) for link in article.links],
        "body": article.body,
    })
print(json.dumps({"probe": {k: sorted(v) if isinstance(v, frozenset) else v
                            for k, v in probe.items()}, "articles": out}))
"""


def _run(mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, mode, str(ROOT / "fixtures" / "articles")],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(done.stdout)


def test_the_fallback_without_re_parser_analyses_exactly_as_the_parser_does() -> None:
    fast, fallback = _run("parser"), _run("fallback")
    # the fallback is really taken: no words are read from patterns, nothing is anchored
    assert fast["probe"] == {"required": ["expand", "expansion"], "anchored": True}
    assert fallback["probe"] == {"required": None, "anchored": False}
    assert len(fast["articles"]) == 6
    assert sum(len(a["quotes"]) for a in fast["articles"]) > 10
    assert sum(len(a["links"]) for a in fast["articles"]) > 10
    assert fallback["articles"] == fast["articles"]
