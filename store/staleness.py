"""Whether a store was analysed by today's pipeline and the home's rules.

Every commit of the corpus records in ``meta.json`` the stamp of the analysis its articles
had (``analysis_stamp``: the pipeline's version and a digest of every rules file, the
home's copies included). When the stamp the current code and rules would give differs
(a newer newsbrowse, a rules file edited in the home), or none was recorded (a store
made before stamps), the store is *stale*: every command says so in one note, and the app
offers to re-analyse it (:mod:`newsbrowse.store.reanalysis`). Finding this out reads
``meta.json`` and the rules files and nothing else: it writes nothing, and it imports only
the analysis's version (:mod:`newsbrowse.store.ingest.version`), not the analysis (150 ms).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newsbrowse.store.errors import BadInput
from newsbrowse.store.ingest.version import ANALYSIS_VERSION
from newsbrowse.store.rules import rules_digest

if TYPE_CHECKING:
    from newsbrowse.store.corpus import Corpus
    from newsbrowse.store.rules import Rules

STALE_NOTE = (
    "the store was analysed by an older pipeline or other rules: run `newsbrowse reanalyse`"
)


def current_stamp(home: Path) -> str:
    """The stamp an analysis by this code with ``home``'s rules gives: what the pipeline's
    ``analysis_stamp(load_rules(home))`` is, without loading the rules. BadInput if a
    rules file cannot be read."""
    return f"{ANALYSIS_VERSION}:{rules_digest(home)}"


def stamp_of(rules: Rules) -> str:
    """The stamp of an analysis with ``rules`` (imports the pipeline, as analysing does)."""
    from newsbrowse.store.ingest.pipeline import analysis_stamp

    return analysis_stamp(rules)


def is_stale(corpus: Corpus, home: Path) -> bool:
    """Whether the committed articles were analysed otherwise than this code and
    ``home``'s rules would: no stamp recorded counts as stale, an empty store never does.
    A rules file that cannot be read says nothing here: the command that needs the rules
    reports it."""
    if not corpus.meta_path.exists() or not any(corpus.chunk_counts().values()):
        return False
    try:
        return corpus.analysis() != current_stamp(home)
    except BadInput:
        return False


def import_stamp(corpus: Corpus, rules: Rules) -> str | None:
    """What an import into ``corpus`` records: this analysis's stamp when the store holds
    no articles yet; otherwise None, keeping the stamp recorded (a stale store stays
    stale until re-analysed: its older articles were not analysed again)."""
    if corpus.meta_path.exists() and any(corpus.chunk_counts().values()):
        return None
    return stamp_of(rules)
