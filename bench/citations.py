"""Micro benchmark of citation checking on the library already imported into the data folder (run
`make run` or import_statutes + import_regulations first): the plain-name scan against a regex alternation
of every name (what the parser used before regulations were added), and find_citations over the demo case
texts.

    .venv/bin/python bench/citations.py
"""
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from statutes import case_texts, rate  # noqa: E402

from casebank import citations  # noqa: E402
from casebank.models import Law  # noqa: E402


def main():
    texts = case_texts()
    if not texts or not Law.objects.exists():
        print("no demo case texts or an empty statute library: nothing to measure")
        return
    t0 = time.perf_counter()
    d = citations._directory()
    print(f"{Law.objects.count()} laws, {len(d.names)} names; directory built in {time.perf_counter() - t0:.2f} s")
    names = [n for n in d.names if len(n) >= 2 and not set("《》〈〉") & set(n)]
    alternation = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    joined = "\n".join(texts)
    for label, find in (("regex alternation", lambda t: [m.span() for m in alternation.finditer(t)]),
                        ("reversed-name scan", d.plain.find)):
        per_second, found = rate(find, [joined], 2.0)
        print(f"{label}: {per_second * len(joined) / 1e6:.2f} M characters/s, {len(found[0])} names")
    per_second, found = rate(lambda t: citations.find_citations(t, fetch_articles=False), texts, 3.0)
    n = sum(len(x) for x in found)
    print(f"find_citations over {len(texts)} case texts ({len(joined)} characters): {per_second:,.0f} texts/s, "
          f"{per_second * n / len(texts):,.0f} citations/s")


if __name__ == "__main__":
    main()
