"""Fault: the data folder's disk fills up during an import.

The data folder (SQLite database + search index) is a size-limited tmpfs a little larger
than the migrated, indexed database. Then:
  1. manage.py import_statutes (the full national statute file, ~26 000 articles) runs out
     of space: it must fail with a clear error, and the database must be unchanged (same
     row counts, integrity_check ok, no import record) — one transaction, rolled back;
  2. a search-index rebuild (manage.py update_index) on the still-full disk must fail
     without touching the live index: same generation, same documents, no half-written
     generation left behind;
  3. after space is freed (a larger tmpfs), the import and the rebuild succeed.
Needs root (mount). SQLite only: PostgreSQL keeps its data outside the data folder.

    .venv/bin/python bench/faults/disk_full.py [--headroom-kb 1024]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import child, make_env, manage, migrated_sqlite, record, say  # noqa: E402

SCRIPT = Path(__file__).resolve()


def child_main(argv):
    from common import django_setup

    django_setup()
    from django.apps import apps
    from django.db import connection
    from wagtail.search.backends import get_search_backend

    if argv[0] == "state":
        counts = {}
        for model in apps.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            counts[model._meta.label] = model._default_manager.count()
        with connection.cursor() as cur:
            cur.execute("PRAGMA integrity_check")
            integrity = cur.fetchone()[0]
        store = get_search_backend().store
        gen = os.readlink(store.current_link) if store.current_link.is_symlink() else None
        docs = []
        if gen:
            ix = store.open()
            with ix.searcher() as s:
                docs = sorted(f["id"] for f in s.all_stored_fields())
            ix.close()
        print(json.dumps({"counts": counts, "integrity": integrity, "generation": gen, "docs": docs,
                          "generations": sorted(p.name for p in store.root.glob("gen-*")),
                          "stray": sorted(p.name for p in store.root.iterdir() if p.name.startswith("."))}))


def mount_tmpfs(path, size_kb):
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)], check=True)


def umount(path):
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def copy_tree(src, dst):
    for item in src.iterdir():
        if item.is_dir() and not item.is_symlink():
            shutil.copytree(item, dst / item.name, symlinks=True)
        else:
            shutil.copy2(item, dst / item.name, follow_symlinks=False)


def last_lines(text, n=3):
    return [line for line in text.strip().splitlines() if line.strip()][-n:]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--headroom-kb", type=int, default=1024, help="free space left on the small disk")
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("SKIP: needs root to mount a size-limited tmpfs")
        sys.exit(0)
    work = Path(tempfile.mkdtemp(prefix="academy-fault-disk-"))
    staging, small = work / "staging", work / "data"
    staging.mkdir()
    checks, notes = [], []
    mounted = False
    try:
        env_staging = make_env(staging)
        migrated_sqlite(staging, env_staging)
        manage(env_staging, "update_index")
        used_kb = sum(p.stat().st_size for p in staging.rglob("*") if p.is_file()) // 1024
        size_kb = used_kb + args.headroom_kb
        mount_tmpfs(small, size_kb)
        mounted = True
        copy_tree(staging, small)
        env = make_env(small)
        before = json.loads(child(SCRIPT, env, "state").stdout)
        df = shutil.disk_usage(small)
        say(f"data folder on a {size_kb} KB tmpfs ({df.free // 1024} KB free); database and index: "
            f"{sum(before['counts'].values())} rows, {len(before['docs'])} indexed documents, "
            f"generation {before['generation']}")

        t = time.monotonic()
        imp = manage(env, "import_statutes", check=False)
        err = last_lines(imp.stderr + imp.stdout)
        say(f"import_statutes exited {imp.returncode} after {time.monotonic() - t:.1f} s; it printed: "
            + " / ".join(err))
        after = json.loads(child(SCRIPT, env, "state").stdout)
        changed = {k: (before["counts"][k], v) for k, v in after["counts"].items() if before["counts"].get(k) != v}
        say(f"after the failed import: integrity_check={after['integrity']}, changed tables: {changed or 'none'}")
        full_msg = any("disk is full" in line or "No space left" in line or "磁盘" in line for line in err)
        traceback_shown = "Traceback" in imp.stderr
        checks.append(("import fails (non-zero exit)", imp.returncode != 0))
        checks.append(("the error names the cause (disk full)", full_msg))
        notes.append(f"import_statutes output (last lines): `{' / '.join(err)[:400]}`"
                     + (" — printed as a Python traceback, not a one-line command error" if traceback_shown else ""))
        checks.append(("database unchanged (row counts of every table) and intact",
                       not changed and after["integrity"] == "ok"))
        checks.append(("index untouched by the failed import", after["docs"] == before["docs"]
                       and after["generation"] == before["generation"]))

        # Fill what is left (the rolled-back import may have freed space), then rebuild the index.
        filler = small / "filler.bin"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            for block in (65536, 4096, 512, 1):
                try:
                    while True:
                        os.write(fd, b"\0" * block)
                except OSError:
                    pass
        finally:
            os.close(fd)
        say(f"filled the rest of the disk ({shutil.disk_usage(small).free} bytes free)")
        reb = manage(env, "update_index", check=False)
        rerr = last_lines(reb.stderr + reb.stdout)
        filler.unlink()  # SQLite needs a little space even to open the database for the checks
        after2 = json.loads(child(SCRIPT, env, "state").stdout)
        say(f"update_index on the full disk exited {reb.returncode}: {' / '.join(rerr)[:300]}; live generation "
            f"{after2['generation']}, {len(after2['docs'])} documents, generations on disk {after2['generations']}, "
            f"stray files {after2['stray']}")
        checks.append(("rebuild on a full disk fails", reb.returncode != 0))
        checks.append(("failed rebuild leaves the live index as it was (same generation, same documents)",
                       after2["generation"] == before["generation"] and after2["docs"] == before["docs"]))
        partial = sorted(set(after2["generations"]) - set(before["generations"]))
        if partial:
            notes.append(f"the failed rebuild left generation folder(s) {partial} beside the live one "
                         "(not live; searches never see them; the next successful rebuild prunes old ones)")
        checks.append(("no stray temporary file in the index folder", not after2["stray"]))

        # Free space: a larger disk with the same contents, then the import succeeds.
        big = work / "big"
        mount_tmpfs(big, 512 * 1024)
        copy_tree(small, big)
        env_big = make_env(big)
        ok_imp = manage(env_big, "import_statutes", check=False)
        final = json.loads(child(SCRIPT, env_big, "state").stdout)
        say(f"with space: import_statutes exited {ok_imp.returncode}: {' / '.join(last_lines(ok_imp.stdout, 1))}; "
            f"laws {final['counts'].get('casebank.Law')}, articles {final['counts'].get('casebank.Article')}")
        checks.append(("with enough space the same import succeeds",
                       ok_imp.returncode == 0 and final["counts"].get("casebank.Article", 0) > 20000))
        umount(big)
    finally:
        if mounted:
            umount(small)
        umount(work / "big")
        shutil.rmtree(work, ignore_errors=True)
    ok = all(c for _n, c in checks)
    lines = [f"- {'PASS' if c else 'FAIL'}: {name}" for name, c in checks]
    print("\n".join(lines + [f"- note: {n}" for n in notes]))
    print("PASS" if ok else "FAIL")
    if not args.no_record:
        record("Disk full during the statute import (SQLite)", [
            f"`.venv/bin/python bench/faults/disk_full.py` — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
            "", f"Data folder on a tmpfs of the migrated database's size + {args.headroom_kb} KB.", "",
            *lines, *[f"- note: {n}" for n in notes], "", f"**{'PASS' if ok else 'FAIL'}**"])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
    else:
        main()
