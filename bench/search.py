"""Search benchmark: the Whoosh + jieba backend against Wagtail's database backend
on the full statute library (national laws, and the regulations and local
regulations when the importer is there), with known-item queries generated from
the corpus.

    .venv/bin/python bench/search.py [--queries 200] [--scale10] [--sample N] [--skip-db]
    DATABASE_URL=postgres://… .venv/bin/python bench/search.py --backend postgres [--queries 100]

Prints: index build rate (articles/s) of this backend, of the previous build
pipeline (Whoosh's own writer, per-field copies), of a plain Whoosh + jieba index
(one text field, jieba's ChineseAnalyzer, Whoosh's 2-process writer) and of the
database backend, each with the CPU seconds it used and the load average (the
machine is shared); 法条直达 (citation queries whose article comes first);
recall@10, p50/p95
latency in-process (first queries of a fresh process, and after --warmup other
queries, when the posting lists of common words are in memory) and through
/api/search/ (as an officer). --scale10 also
builds a synthetic corpus ten times larger (sentences of real articles
recombined) directly in a Whoosh index and reports its p95.

--backend postgres (needs a PostgreSQL DATABASE_URL; the library goes into a database of its
own, ``<name>_bench_search``, dropped at the end) measures the PostgreSQL backend
(search.backends.postgres) beside the Whoosh backend in the same run: build time, recall@10 and
latency in-process and through /api/search/ (with the CPU time each request costs this process
and, when PostgreSQL runs on this machine, its server process, and the SQL statements per
request), 法条直达 — leaving out the Whoosh build-pipeline baselines. Without --sample every article
in force of the library is indexed and searched: the laws and the regulations the importer ships.

--backend postgres --indexed uses DATABASE_URL's database as it is — the library imported and
indexed with the PostgreSQL backend by an earlier run (e.g. a copy made with
``CREATE DATABASE copy TEMPLATE indexed``) — and neither imports nor builds the PostgreSQL index;
add --postgres-only to leave out the Whoosh backend (no Whoosh build).
"""
import argparse
import atexit
import contextlib
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
BACKEND = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv[:-1] else "whoosh"
#: --indexed: DATABASE_URL's database already holds the library indexed with the PostgreSQL backend.
INDEXED = "--indexed" in sys.argv


def _scratch_database():
    """--backend postgres: a fresh database beside DATABASE_URL's, dropped at exit."""
    import dj_database_url
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("--backend postgres needs DATABASE_URL=postgres://… (a role that may create databases)")
    conf = dj_database_url.parse(url)
    name = f"{conf['NAME']}_bench_search"
    admin = url

    def run(sql):
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    atexit.register(run, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name


if BACKEND == "postgres" and not INDEXED:
    _scratch_database()
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

#: With --sample N: the primary keys of the N articles (of all levels) everything is measured on.
SAMPLE = {"pks": None}


def in_force_articles():
    from casebank.models import Article

    qs = Article.objects.filter(law_status="in_force")
    return qs.filter(pk__in=SAMPLE["pks"]) if SAMPLE["pks"] is not None else qs


WHOOSH = {"BACKEND": "search.backends.whoosh", "PATH": str(Path(DATA) / "whoosh")}
DB = {"BACKEND": "wagtail.search.backends.database"}
POSTGRES = {"BACKEND": "search.backends.postgres"}


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


def cpu_seconds():
    """CPU time of this process and of its finished children (the index workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def report_rate(label, n, wall, cpu, load_before):
    print(f"[{label}] indexed {n} articles in {wall:.1f} s: {n / wall:,.0f} articles/s "
          f"(CPU {cpu:.1f} s = {n / cpu:,.0f} articles per CPU-second; load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after)")


@contextlib.contextmanager
def previous_pipeline():
    """The build as it was before: per-field copies of the article text and Whoosh's own
    multi-process writer (limitmb 128)."""
    from search.backends import mapping, whoosh

    saved = set(mapping.CATCH_ALL_ONLY), whoosh._BuildingIndex._open_writer

    def open_writer(self, parallel):
        if parallel and self.procs > 1:
            whoosh.analysis.warm_up()
            self.writer = self.ix.writer(procs=self.procs, multisegment=True, limitmb=128)
        else:
            self.writer = self.ix.writer(limitmb=256)
        for doc in self.pending:
            self.writer.add_document(**doc)
        self.pending = []

    mapping.CATCH_ALL_ONLY.clear()
    whoosh._BuildingIndex._open_writer = open_writer
    try:
        yield
    finally:
        mapping.CATCH_ALL_ONLY.update(saved[0])
        whoosh._BuildingIndex._open_writer = saved[1]


def build_plain():
    """A plain Whoosh + jieba index of the same articles: one text field, jieba's own
    ChineseAnalyzer, Whoosh's 2-process writer."""
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields as wf
    from whoosh import index as wix

    from casebank.models import Article

    path = Path(DATA) / "plain"
    path.mkdir()
    schema = wf.Schema(id=wf.ID(unique=True, stored=True), text=wf.TEXT(analyzer=ChineseAnalyzer()))
    ix = wix.create_in(str(path), schema)
    load, cpu, started = os.getloadavg()[0], cpu_seconds(), time.perf_counter()
    writer = ix.writer(procs=2, multisegment=True, limitmb=128)
    n = 0
    for pk, text in in_force_articles().order_by("pk").values_list("pk", "text").iterator(chunk_size=2000):
        writer.add_document(id=str(pk), text=text)
        n += 1
    writer.commit()
    report_rate("plain whoosh + jieba (reference)", n, time.perf_counter() - started, cpu_seconds() - cpu, load)


def build(backend_conf, label):
    from wagtail.search.backends import get_search_backend

    from casebank.models import Article, Law

    conf = {"default": backend_conf}
    with override_settings(WAGTAILSEARCH_BACKENDS=conf):
        backend = get_search_backend()
        index = backend.get_index_for_model(Article)
        rebuilder = backend.rebuilder_class(index) if backend.rebuilder_class else None
        target = rebuilder.start() if rebuilder else index
        load, cpu, started = os.getloadavg()[0], cpu_seconds(), time.perf_counter()
        target.add_model(Law)
        target.add_items(Law, list(Law.objects.all()))
        target.add_model(Article)
        qs = Article.get_indexed_objects().filter(pk__in=in_force_articles().values("pk")).order_by("pk")
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
    report_rate(label, n, elapsed, cpu_seconds() - cpu, load)
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


def citations_first(articles, n, seed=11, conf=WHOOSH, label="whoosh"):
    """法条直达: "<law name>第<n>条" (Chinese numerals or digits, with or without 《》) puts that article first."""
    rng = random.Random(seed)
    picked = [a for a in rng.sample(articles, min(len(articles), n * 3)) if a.number][:n]
    forms = [lambda a: f"{a.law.short_name}{a.number_text}", lambda a: f"{a.law.short_name}第{a.number}条",
             lambda a: f"《{a.law.full_name}》{a.number_text}"]
    user = bench_officer(f"bench_citations_{label}")
    client = Client()
    client.force_login(user)
    first, times = 0, []
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": conf}):
        for i, art in enumerate(picked):
            q = forms[i % len(forms)](art)
            t = time.perf_counter()
            data = client.get("/api/search/", {"q": q}).json()
            times.append((time.perf_counter() - t) * 1000)
            top = data["results"][0] if data["results"] else {}
            first += top.get("law") == art.law.full_name and top.get("article") == art.number
    print(f"[{label} 法条直达] {first}/{len(picked)} citation queries put the cited article first "
          f"(p95 {pct(times, 95):.1f} ms), e.g. {forms[0](picked[0])!r}")


def bench_officer(username):
    """An officer to search as: the one of an earlier run on a kept database (--indexed), else a new one."""
    from django.contrib.auth import get_user_model

    from officers import roles
    from tests.factories import make_user

    found = get_user_model().objects.filter(username=username, officer__isnull=False).first()
    if found is not None:
        return found
    get_user_model().objects.filter(username=username).delete()
    return make_user(roles.OFFICER, username=username, employee_number=f"B-{username[-16:]}")


def database_cpu():
    """CPU seconds of this process's PostgreSQL backend (read from /proc when the server runs on
    this machine), else None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def through_api(queries, conf=WHOOSH, label="whoosh"):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = bench_officer(f"bench_officer_{label}")
    client = Client()
    client.force_login(user)
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": conf}):
        hits, times, statements = 0, [], []
        for text, _target in queries[:5]:
            client.get("/api/search/", {"q": text})
        cpu, db_cpu = time.process_time(), database_cpu()
        for text, target in queries:
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                data = client.get("/api/search/", {"q": text, "type": "statute"}).json()
                times.append((time.perf_counter() - t) * 1000)
            statements.append(len(ctx.captured_queries))
            hits += any(r.get("url", "").endswith(f"#a{_number(target)}") and r.get("law") for r in data["results"])
        cpu = (time.process_time() - cpu) * 1000 / len(queries)
        db_after = database_cpu()
    db = f", PostgreSQL {(db_after - db_cpu) * 1000 / len(queries):.1f} ms" if db_cpu is not None and db_after is not None else ""
    print(f"[{label} via /api/search/] recall@10 {hits / len(queries):.3f}  p50 {pct(times, 50):.1f} ms  "
          f"p95 {pct(times, 95):.1f} ms; CPU per request: Django process {cpu:.1f} ms{db}; "
          f"SQL statements per request {min(statements)}–{max(statements)}; load {os.getloadavg()[0]:.1f}")
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": conf}):
        ftimes, facets = [], {}
        for text, _target in queries:
            t = time.perf_counter()
            data = client.get("/api/search/", {"q": text.split()[-1], "type": "statute"}).json()
            ftimes.append((time.perf_counter() - t) * 1000)
            for value in data["facets"].get("level", {}).get("values", []):
                facets[value["label"]] = facets.get(value["label"], 0) + value["count"]
        level = max(facets, key=facets.get) if facets else ""
        ltimes = []
        for text, _target in queries:
            t = time.perf_counter()
            client.get("/api/search/", {"q": text.split()[-1], "type": "statute", "level": level})
            ltimes.append((time.perf_counter() - t) * 1000)
    print(f"[{label} via /api/search/, clause only, with 效力级别/region facets] p50 {pct(ftimes, 50):.1f} ms  "
          f"p95 {pct(ftimes, 95):.1f} ms; filtered to {level}: p95 {pct(ltimes, 95):.1f} ms")
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


def compare_postgres(articles, queries, warm, warm_queries, api_queries, n, indexed=False, postgres_only=False):
    """The PostgreSQL backend and the Whoosh backend on the same library, queries and machine.
    ``indexed``: the PostgreSQL index is there already; ``postgres_only``: no Whoosh backend."""
    from search.query import BestMatch

    backends = [(POSTGRES, "postgres+jieba")]
    if not postgres_only:
        build(WHOOSH, "whoosh+jieba")
        backends.insert(0, (WHOOSH, "whoosh+jieba"))
    if not indexed:
        build(POSTGRES, "postgres+jieba")
    for conf, label in backends:
        in_process(conf, f"{label}, fresh process", queries, BestMatch)
        warm_up(conf, warm, BestMatch)
        in_process(conf, f"{label}, warm", warm_queries, BestMatch)
        through_api(api_queries, conf, label)
        citations_first(articles, n, conf=conf, label=label)
    print(f"database {settings.DATABASES['default']['ENGINE']}; cpu count {os.cpu_count()}; "
          f"load {os.getloadavg()[0]:.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=300,
                        help="other queries answered before the warm measurement")
    parser.add_argument("--scale10", action="store_true")
    parser.add_argument("--sample", type=int, default=0,
                        help="measure on N articles in force drawn evenly from all levels (a busy machine)")
    parser.add_argument("--skip-db", action="store_true", help="leave out Wagtail's database backend")
    parser.add_argument("--backend", choices=["whoosh", "postgres"], default="whoosh",
                        help="postgres: also the PostgreSQL backend, beside Whoosh (a PostgreSQL DATABASE_URL)")
    parser.add_argument("--indexed", action="store_true",
                        help="with --backend postgres: DATABASE_URL's database holds the library indexed with the "
                             "PostgreSQL backend already (a copy of an earlier run's database): no import, no "
                             "PostgreSQL build, the database is kept")
    parser.add_argument("--postgres-only", action="store_true",
                        help="with --backend postgres: leave out the Whoosh backend")
    args = parser.parse_args()
    if args.indexed and args.backend != "postgres":
        parser.error("--indexed needs --backend postgres")
    print(f"data dir {DATA}")
    call_command("migrate", verbosity=0)
    from casebank.importers import import_statutes
    from casebank.models import Article
    from modelsearch.query import PlainText

    from search import analysis
    from search.query import BestMatch

    t = time.perf_counter()
    if args.indexed:
        print(f"(the library and its PostgreSQL index as found: {Article.objects.count()} articles)")
    else:
        print(import_statutes(None), f"({time.perf_counter() - t:.0f} s)")
    if args.indexed:
        pass
    elif "import_regulations" in get_commands():
        t = time.perf_counter()
        call_command("import_regulations")
        print(f"(regulations imported in {time.perf_counter() - t:.0f} s)")
    else:
        print("(no import_regulations command: national laws only)")
    analysis.warm_up()
    if args.sample:
        pks = sorted(Article.objects.filter(law_status="in_force").values_list("pk", flat=True))
        SAMPLE["pks"] = pks[::max(1, len(pks) // args.sample)][:args.sample]
    articles = list(in_force_articles().select_related("law"))
    levels = {}
    for art in articles:
        levels[art.law.level or "?"] = levels.get(art.law.level or "?", 0) + 1
    print(f"articles in force by 效力级别: {levels}")
    # Disjoint sets of articles: measured on a fresh process, warm-up, measured warm, through the API.
    n = args.queries
    picked = random.Random(7).sample(articles, 3 * n + args.warmup)
    queries = make_queries(articles, n, seed=7, picked=picked[:n])
    warm = make_queries(articles, args.warmup, seed=99, picked=picked[n:n + args.warmup])
    warm_queries = make_queries(articles, n, seed=8, picked=picked[n + args.warmup:2 * n + args.warmup])
    api_queries = make_queries(articles, n, seed=9, picked=picked[2 * n + args.warmup:])
    print(f"{len(articles)} articles in force{' (sample)' if args.sample else ''}; {n} known-item queries per measurement, e.g. {queries[0][0]!r}")
    if args.backend == "postgres":
        compare_postgres(articles, queries, warm, warm_queries, api_queries, n, indexed=args.indexed,
                         postgres_only=args.postgres_only)
        return
    build(WHOOSH, "whoosh+jieba")
    with previous_pipeline():
        build(WHOOSH, "whoosh+jieba, previous build pipeline (baseline)")
    build_plain()
    build(WHOOSH, "whoosh+jieba, again")
    if not args.skip_db:
        build(DB, "wagtail database (baseline)")
    in_process(WHOOSH, "whoosh+jieba, fresh process", queries, BestMatch)
    warm_up(WHOOSH, warm, BestMatch)
    in_process(WHOOSH, "whoosh+jieba, warm", warm_queries, BestMatch)
    if not args.skip_db:
        in_process(DB, "wagtail database (baseline)", queries, lambda q: PlainText(q, operator="or"))
    through_api(api_queries)
    citations_first(articles, n)
    if args.scale10:
        scale10(warm_queries, warm)
    print(f"settings: {settings.WAGTAILSEARCH_BACKENDS['default']['BACKEND']}; cpu count {os.cpu_count()}; "
          f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
