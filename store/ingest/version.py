"""The analysis's own version, in a module of its own so that knowing it costs nothing.

Raise it whenever a change to the analysis code (not the rules, whose digest is recorded
beside it) would find other quotes, speakers or links: a store analysed before is then
stale, and newsbrowse offers to analyse it again (``newsbrowse reanalyse``).
"""

ANALYSIS_VERSION = 2
