"""Search benchmark: the Whoosh + jieba backend against Wagtail's database backend
on the full statute library, with known-item queries generated from the corpus.

    .venv/bin/python bench/search.py [--queries 200] [--scale10]

Prints: index build rate (articles/s) for both backends; recall@10, p50/p95
latency in-process (first queries of a fresh process, and after --warmup other
queries, when the posting lists of common words are in memory) and through
/api/search/ (as an officer). --scale10 also
builds a synthetic corpus ten times larger (sentences of real articles
recombined) directly in a Whoosh index and reports its p95.
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "site"), str(REPO)]
DATA = tempfile.mkdtemp(prefix="bench-search-")
os.environ["ACADEMY_DATA_DIR"] = DATA
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

WHOOSH = {"BACKEND": "search.backends.whoosh", "PATH": str(Path(DATA) / "whoosh")}
DB = {"BACKEND": "wagtail.search.backends.database"}


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def make_queries(articles, n, seed=7, picked=None):
    """Known-item queries: the law's short name and a distinctive clause of the article."""
    rng = random.Random(seed)
    picked = picked if picked is not None else rng.sample(articles, n)
    queries = []
    for art in picked:
        clauses = [c for c in art.text.replace("；", "，").replace("。", "，").split("，") if 6 <= len(c) <= 30]
        if not clauses:
            clauses = [art.text[:20]]
        clause = rng.choice(clauses)
        queries.append((f"{art.law.short_name} {clause}", art.pk))
    return queries


def build(backend_conf, label):
    from wagtail.search.backends import get_search_backend

    from casebank.models import Article, Law

    conf = {"default": backend_conf}
    with override_settings(WAGTAILSEARCH_BACKENDS=conf):
        backend = get_search_backend()
        index = backend.get_index_for_model(Article)
        rebuilder = backend.rebuilder_class(index) if backend.rebuilder_class else None
        target = rebuilder.start() if rebuilder else index
        started = time.perf_counter()
        target.add_model(Law)
        target.add_items(Law, list(Law.objects.all()))
        target.add_model(Article)
        qs = Article.get_indexed_objects().filter(law_status="in_force").order_by("pk")
        n = 0
        chunk = []
        for art in qs.iterator(chunk_size=2000):
            chunk.append(art)
            if len(chunk) == 2000:
                target.add_items(Article, chunk)
                n += len(chunk)
                chunk = []
        if chunk:
            target.add_items(Article, chunk)
            n += len(chunk)
        if rebuilder:
            rebuilder.finish()
        elapsed = time.perf_counter() - started
    print(f"[{label}] indexed {n} articles in {elapsed:.1f} s: {n / elapsed:,.0f} articles/s")
    return n / elapsed


def warm_up(backend_conf, queries, make_query):
    """Answer other queries first, as a server does before the measured ones."""
    from wagtail.search.backends import get_search_backend

    from casebank.models import Article

    with override_settings(WAGTAILSEARCH_BACKENDS={"default": backend_conf}):
        backend = get_search_backend()
        qs = Article.objects.filter(law_status="in_force")
        started = time.perf_counter()
        for text, _target in queries:
            list(backend.search(make_query(text), qs)[:10])
    print(f"(warm-up: {len(queries)} other queries in {time.perf_counter() - started:.1f} s)")


def in_process(backend_conf, label, queries, make_query):
    from wagtail.search.backends import get_search_backend

    from casebank.models import Article

    with override_settings(WAGTAILSEARCH_BACKENDS={"default": backend_conf}):
        backend = get_search_backend()
        qs = Article.objects.filter(law_status="in_force")
        hits, times = 0, []
        for text, target in queries[:5]:
            list(backend.search(make_query(text), qs)[:10])
        for text, target in queries:
            t = time.perf_counter()
            found = [a.pk for a in backend.search(make_query(text), qs)[:10]]
            times.append((time.perf_counter() - t) * 1000)
            hits += target in found
    recall = hits / len(queries)
    print(f"[{label}] recall@10 {recall:.3f}  in-process p50 {pct(times, 50):.1f} ms  p95 {pct(times, 95):.1f} ms")
    return recall, times


def through_api(queries):
    from officers import roles
    from tests.factories import make_user

    user = make_user(roles.OFFICER, username="bench_officer")
    client = Client()
    client.force_login(user)
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": WHOOSH}):
        hits, times = 0, []
        for text, _target in queries[:5]:
            client.get("/api/search/", {"q": text})
        for text, target in queries:
            t = time.perf_counter()
            data = client.get("/api/search/", {"q": text, "type": "statute"}).json()
            times.append((time.perf_counter() - t) * 1000)
            hits += any(r.get("url", "").endswith(f"#a{_number(target)}") and r.get("law") for r in data["results"])
    print(f"[whoosh via /api/search/] recall@10 {hits / len(queries):.3f}  p50 {pct(times, 50):.1f} ms  "
          f"p95 {pct(times, 95):.1f} ms")
    return times


_numbers = {}


def _number(pk):
    from casebank.models import Article

    if pk not in _numbers:
        _numbers[pk] = Article.objects.get(pk=pk).number
    return _numbers[pk]


def scale10(queries, warm):
    """Ten times the corpus, synthesised from real sentences, straight into Whoosh."""
    from whoosh import index as wix

    from casebank.models import Article
    from search.backends import mapping
    from search.backends.store import IndexStore
    from search.query import BestMatch

    sentences = [s for t in Article.objects.values_list("text", flat=True) for s in t.split("。") if s]
    rng = random.Random(3)
    path = Path(DATA) / "whoosh10"
    store = IndexStore(path, mapping.make_schema)
    gen = store._new_generation()
    ix = wix.open_dir(str(gen), indexname="MAIN")
    writer = ix.writer(procs=2, multisegment=True, limitmb=128)
    n = Article.objects.filter(law_status="in_force").count() * 10
    started = time.perf_counter()
    for i in range(n):
        text = "。".join(rng.sample(sentences, 2))
        writer.add_document(id=f"casebank.article:{10_000_000 + i}", pk=str(10_000_000 + i), pkn=10_000_000 + i,
                            ct="casebank.article", all=text, pairs=text, fs_law_status="in_force")
    writer.commit()
    print(f"[whoosh 10x] synthesised {n} documents in {time.perf_counter() - started:.0f} s")
    with store.write_lock.hold():
        store.swap_to(gen)
    from django.test.utils import override_settings as ov
    from wagtail.search.backends import get_search_backend

    with ov(WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": "search.backends.whoosh", "PATH": str(path)}}):
        backend = get_search_backend()
        qs = Article.objects.filter(law_status="in_force")
        for text, _t in warm:
            list(backend.search(BestMatch(text), qs)[:10])
        times = []
        for text, _t in queries:
            t = time.perf_counter()
            list(backend.search(BestMatch(text), qs)[:10])
            times.append((time.perf_counter() - t) * 1000)
    print(f"[whoosh 10x] in-process p50 {pct(times, 50):.1f} ms  p95 {pct(times, 95):.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=300,
                        help="other queries answered before the warm measurement")
    parser.add_argument("--scale10", action="store_true")
    args = parser.parse_args()
    print(f"data dir {DATA}")
    call_command("migrate", verbosity=0)
    from casebank.importers import import_statutes
    from casebank.models import Article
    from modelsearch.query import PlainText

    from search import analysis
    from search.query import BestMatch

    t = time.perf_counter()
    print(import_statutes(None), f"({time.perf_counter() - t:.0f} s)")
    analysis.warm_up()
    articles = list(Article.objects.filter(law_status="in_force").select_related("law"))
    # Disjoint sets of articles: measured on a fresh process, warm-up, measured warm, through the API.
    n = args.queries
    picked = random.Random(7).sample(articles, 3 * n + args.warmup)
    queries = make_queries(articles, n, seed=7, picked=picked[:n])
    warm = make_queries(articles, args.warmup, seed=99, picked=picked[n:n + args.warmup])
    warm_queries = make_queries(articles, n, seed=8, picked=picked[n + args.warmup:2 * n + args.warmup])
    api_queries = make_queries(articles, n, seed=9, picked=picked[2 * n + args.warmup:])
    print(f"{len(articles)} articles in force; {n} known-item queries per measurement, e.g. {queries[0][0]!r}")
    build(WHOOSH, "whoosh+jieba")
    build(DB, "wagtail database (baseline)")
    in_process(WHOOSH, "whoosh+jieba, fresh process", queries, BestMatch)
    warm_up(WHOOSH, warm, BestMatch)
    in_process(WHOOSH, "whoosh+jieba, warm", warm_queries, BestMatch)
    in_process(DB, "wagtail database (baseline)", queries, lambda q: PlainText(q, operator="or"))
    through_api(api_queries)
    if args.scale10:
        scale10(warm_queries, warm)
    print(f"settings: {settings.WAGTAILSEARCH_BACKENDS['default']['BACKEND']}; cpu count {os.cpu_count()}; "
          f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
