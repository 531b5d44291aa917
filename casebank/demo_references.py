"""Demo step after every app's content is loaded: rebuild the 法条联想 index (idempotent)."""
from .references import rebuild_all


def load(stdout, password=None):
    counts = rebuild_all()
    stdout.write("  casebank: 法条联想 " + "，".join(f"{kind} {n}" for kind, n in counts.items()))
