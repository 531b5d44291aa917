"""Benchmark of the statute library: full import time (national laws, then the regulations, rules and local
regulations of the shipped archive), and citation checks per second over all demo case texts against the
whole library, against a naive regex scan measured in the same run. Wall and CPU seconds are both reported.

    .venv/bin/python bench/statutes.py
"""
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("ACADEMY_DATA_DIR", tempfile.mkdtemp(prefix="bench-statutes-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

CASE_FIELDS = ["title", "facts", "issues", "legal_basis_note", "outcome", "review_result", "teaching_points"]
NAIVE = re.compile(r"《[^》]{1,60}》?\s*第[0-9〇零一二两三四五六七八九十百千]+条")


def case_texts():
    path = ROOT / "casebank" / "demo_data" / "cases.json"
    if not path.exists():
        return []
    texts = []
    for row in json.loads(path.read_text(encoding="utf-8")):
        parts = [row.get(f) or "" for f in CASE_FIELDS]
        parts += [q for q in row.get("discussion_questions") or [] if isinstance(q, str)]
        parts += [s.get("note") or "" for s in row.get("timeline") or [] if isinstance(s, dict)]
        texts.append("\n".join(p for p in parts if isinstance(p, str)))
    return texts


def rate(fn, texts, min_seconds=2.0):
    """(texts per second, results of one pass)."""
    result = [fn(t) for t in texts]
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < min_seconds:
        for t in texts:
            fn(t)
        n += len(texts)
    return n / (time.perf_counter() - start), result


def main():
    print(f"data dir: {os.environ['ACADEMY_DATA_DIR']}")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t0:.1f} s")

    from casebank.importers import import_statutes
    from casebank.models import Article, Law

    t0 = time.perf_counter()
    summary = import_statutes()
    first = time.perf_counter() - t0
    print(f"full import: {first:.2f} s — {Law.objects.count()} laws, {Article.objects.count()} articles "
          f"({Article.objects.filter(law_status='in_force').count()} in force)")
    print(f"  {summary}")
    t0 = time.perf_counter()
    summary = import_statutes()
    print(f"second import (idempotent, full compare): {time.perf_counter() - t0:.2f} s — {summary}")
    t0 = time.perf_counter()
    summary = import_statutes(if_changed=True)
    print(f"third import (checksum unchanged): {time.perf_counter() - t0:.3f} s — {summary}")

    from casebank.regulations import import_regulations
    from casebank.models import Law as _Law

    t0, c0 = time.perf_counter(), time.process_time()
    summary = import_regulations()
    print(f"regulations import: {time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} s CPU — "
          f"{_Law.objects.filter(source=_Law.SOURCE_MARKDOWN).count()} regulation versions; library now "
          f"{Law.objects.count()} laws, {Article.objects.count()} articles")
    print(f"  {str(summary).splitlines()[0]}")
    t0, c0 = time.perf_counter(), time.process_time()
    summary = import_regulations()
    print(f"second regulations import (every text compared by checksum): {time.perf_counter() - t0:.2f} s wall, "
          f"{time.process_time() - c0:.2f} s CPU — {str(summary).splitlines()[0]}")
    t0 = time.perf_counter()
    summary = import_regulations(if_changed=True)
    print(f"third regulations import (archive unchanged): {time.perf_counter() - t0:.3f} s — {summary}")

    texts = case_texts()
    if not texts:
        print("no demo case texts: citation benchmark skipped")
        return
    from casebank.citations import check_text, find_citations

    chars = sum(len(t) for t in texts)
    find_citations(texts[0])  # warm the law-name cache
    naive_rate, naive = rate(lambda t: NAIVE.findall(t), texts)
    full_rate, found = rate(lambda t: find_citations(t, fetch_articles=False), texts)
    fetch_rate, _ = rate(find_citations, texts)
    check_rate, _ = rate(check_text, texts)
    n_naive = sum(len(x) for x in naive)
    n_found = sum(len(x) for x in found)
    statuses = {}
    for cites in found:
        for c in cites:
            statuses[c.status] = statuses.get(c.status, 0) + 1
    print(f"case texts: {len(texts)} ({chars} characters)")
    print(f"baseline naive regex scan: {naive_rate:,.0f} texts/s, {n_naive} matches (no resolution, "
          "no lists/ranges/bare articles)")
    print(f"find_citations (parse + resolve + verify, cached article index): {full_rate:,.0f} texts/s, "
          f"{full_rate * n_found / len(texts):,.0f} citations/s, {n_found} citations {statuses}")
    print(f"find_citations with article objects (for rendering): {fetch_rate:,.0f} texts/s")
    print(f"check_text (publish check): {check_rate:,.0f} texts/s")
    print(f"cost relative to the naive scan: {naive_rate / full_rate:.0f}×")


if __name__ == "__main__":
    main()
