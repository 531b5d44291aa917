"""Fault: kill -9 a process in the middle of a search-index write.

A child process adds statute articles to the Whoosh index in chunks (the backend's own
add_items: write lock, one commit per chunk) and is killed with SIGKILL while a chunk is
being written. Then, as after a restart:
  1. the write lock is free (the kernel released the flock) and the index opens;
  2. the index holds exactly the chunks whose commit finished: no half chunk;
  3. a new writer process writes at once (no stale lock);
  4. the backend's rebuild (manage.py update_index: new generation + atomic swap) makes
     the index equal to the database: the same document ids for every indexed model.

    .venv/bin/python bench/faults/search_kill.py [--articles 1200 --chunk 100]
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PY, REPO, child, make_env, manage, migrated_sqlite, record, say  # noqa: E402

SCRIPT = Path(__file__).resolve()


# --- child side (runs inside Django) -----------------------------------------------------

def child_main(argv):
    from common import django_setup

    django_setup()
    from django.db import transaction
    from wagtail.search.backends import get_search_backend

    from casebank.models import Article, Law
    from modelsearch.index import get_indexed_models
    from search.backends import mapping

    cmd = argv[0]
    if cmd == "seed":
        n = int(argv[1])
        with transaction.atomic():
            law = Law.objects.create(source_id="bench-fault-law", full_name="压测用城市管理条例",
                                     short_name="压测条例", article_count=n)
            Article.objects.bulk_create([
                Article(law=law, position=i, number=i + 1, number_text=f"第{i + 1}条",
                        text=f"第{i + 1}条 城市管理综合执法部门对占道经营、违法建设、市容环境卫生等违法行为依法查处。"
                             f"本条编号{i + 1}，适用于压测。")
                for i in range(n)])
        print(json.dumps({"articles": Article.objects.count()}))
    elif cmd == "write":
        chunk = int(argv[1])
        backend = get_search_backend()
        index = backend.get_index_for_model(Article)
        articles = list(Article.objects.select_related("law").order_by("pk"))
        for k in range(0, len(articles), chunk):
            part = articles[k:k + chunk]
            print(f"writing {k // chunk} {part[0].pk} {part[-1].pk}", flush=True)
            index.add_items(Article, part)
            print(f"committed {k // chunk} {part[0].pk} {part[-1].pk}", flush=True)
        print("done", flush=True)
    elif cmd == "state":
        backend = get_search_backend()
        store = backend.store
        lock_held = store.write_lock.is_held()
        ix = store.open()
        with ix.searcher() as s:
            ids = sorted(f["id"] for f in s.all_stored_fields())
        ix.close()
        expected = set()
        for model in get_indexed_models():
            if model._meta.abstract:
                continue
            for pk in model.get_indexed_objects().values_list("pk", flat=True):
                expected.add(mapping.doc_id(model, pk))
        art_db = {mapping.doc_id(Article, pk) for pk in Article.objects.values_list("pk", flat=True)}
        art_ix = {i for i in ids if i.startswith("casebank.article:")}
        print(json.dumps({
            "lock_held": lock_held, "docs": len(ids), "distinct_docs": len(set(ids)),
            "article_docs": sorted(int(i.split(":")[1]) for i in art_ix),
            "articles_in_db": len(art_db), "expected_docs": len(expected),
            "missing": sorted(expected - set(ids))[:10], "n_missing": len(expected - set(ids)),
            "extra": sorted(set(ids) - expected)[:10], "n_extra": len(set(ids) - expected),
            "generation": os.readlink(store.current_link),
            "leftover_files": sorted(p.name for p in (store.root / os.readlink(store.current_link)).iterdir()
                                     if p.name.startswith(".") or p.suffix == ".tmp"),
        }))
    elif cmd == "write_one":
        article = Article.objects.order_by("-pk").first()
        article.text += " 重启后修订。"
        article.save(update_fields=["text"])
        t = time.monotonic()
        get_search_backend().get_index_for_model(Article).add_items(Article, [article])
        print(json.dumps({"seconds": round(time.monotonic() - t, 2), "pk": article.pk}))


# --- parent side ---------------------------------------------------------------------------

def wait_for_flock(path, pid, timeout=120):
    """Poll /proc/locks until ``pid`` holds a flock on ``path``; True when seen."""
    inode = os.stat(path).st_ino
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with open("/proc/locks") as fh:
            for line in fh:
                f = line.split()
                if "FLOCK" in f and str(pid) in f and f[-3].split(":")[-1] == str(inode):
                    return True
        time.sleep(0.002)
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1200)
    ap.add_argument("--chunk", type=int, default=100)
    ap.add_argument("--kill-after-chunks", type=int, default=3, help="kill during the chunk after this many")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="academy-fault-search-"))
    env = make_env(data_dir)
    checks = []
    try:
        migrated_sqlite(data_dir, env)
        manage(env, "update_index")
        seed = json.loads(child(SCRIPT, env, "seed", str(args.articles)).stdout)
        say(f"seeded {seed['articles']} statute articles (not yet indexed); data dir {data_dir}")

        writer = subprocess.Popen([PY, str(SCRIPT), "--child", "write", str(args.chunk)], env=env, cwd=REPO,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        committed = []
        victim_chunk = None
        held = False
        for line in writer.stdout:
            parts = line.split()
            if parts[0] == "committed":
                committed.append((int(parts[2]), int(parts[3])))
            if parts[0] == "writing" and int(parts[1]) == args.kill_after_chunks:
                victim_chunk = (int(parts[2]), int(parts[3]))
                # Wait until the writer holds the index's write lock (it is writing the
                # chunk into Whoosh), then kill it at a random moment of that write.
                held = wait_for_flock(data_dir / "search-index" / "write.lock", writer.pid)
                time.sleep(random.uniform(0.0, 0.15))
                os.kill(writer.pid, signal.SIGKILL)
                break
        writer.wait()
        say(f"killed the writer (pid {writer.pid}, exit {writer.returncode}) while writing articles "
            f"{victim_chunk[0]}–{victim_chunk[1]}; {len(committed)} chunks had committed")
        checks.append(("writer died by SIGKILL while holding the index write lock",
                       writer.returncode == -signal.SIGKILL and victim_chunk is not None and held))

        st = json.loads(child(SCRIPT, env, "state").stdout)
        expect_ids = sorted(pk for lo, hi in committed for pk in range(lo, hi + 1))
        say(f"after the kill: write lock held={st['lock_held']}, {st['docs']} documents, "
            f"{len(st['article_docs'])} articles indexed (committed chunks hold {len(expect_ids)})")
        checks.append(("write lock released by the kernel", st["lock_held"] is False))
        checks.append(("index opens, exactly the committed chunks (no half chunk)",
                       st["article_docs"] == expect_ids))
        checks.append(("no duplicate documents", st["docs"] == st["distinct_docs"]))

        one = json.loads(child(SCRIPT, env, "write_one").stdout)
        say(f"a new writer process wrote article {one['pk']} in {one['seconds']} s")
        checks.append(("new writer not blocked by a stale lock (< 5 s)", one["seconds"] < 5))

        t = time.monotonic()
        manage(env, "update_index")
        st2 = json.loads(child(SCRIPT, env, "state").stdout)
        say(f"rebuild (update_index) in {time.monotonic() - t:.1f} s → generation {st2['generation']}: "
            f"{st2['docs']} documents, expected from the database {st2['expected_docs']}, "
            f"missing {st2['n_missing']}, extra {st2['n_extra']}, articles {len(st2['article_docs'])}/"
            f"{st2['articles_in_db']}")
        checks.append(("after rebuild the index matches the database (same ids)",
                       st2["n_missing"] == 0 and st2["n_extra"] == 0 and st2["docs"] == st2["distinct_docs"]))
        checks.append(("generation swapped", st2["generation"] != st["generation"]))
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    ok = all(c for _n, c in checks)
    lines = [f"- {'PASS' if c else 'FAIL'}: {n}" for n, c in checks]
    print("\n".join(lines))
    print("PASS" if ok else "FAIL")
    if not args.no_record:
        record("Kill -9 during a search-index write", [
            f"`.venv/bin/python bench/faults/search_kill.py` — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
            "", f"{args.articles} articles written in chunks of {args.chunk} by the backend's add_items; "
            f"SIGKILL during chunk {args.kill_after_chunks + 1}.", "", *lines, "", f"**{'PASS' if ok else 'FAIL'}**"])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
    else:
        main()
