"""Build casebank/data/regulations.tar.xz from a checkout of the LawRefBook/Laws collection.

    python casebank/data/build_regulations.py PATH_TO_LAWS_GIT_REPOSITORY

Takes, from the repository's HEAD, every Markdown text under 行政法规/, 部门规章/ and DLC/<省>地方法规/, and the
collection's metadata (its SQLite files: level, publication date, date of effect, whether a version has been
superseded), and writes one reproducible archive (sorted members, fixed times) holding the texts at their
paths and a manifest.json that records the source repository, commit and date. README.md beside the archive
is rewritten with the same facts. Only the texts of laws and regulations are taken, as data.
"""
import argparse
import datetime
import io
import json
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

SOURCE_REPOSITORY = "LawRefBook/Laws"
FOLDERS = ("行政法规", "部门规章", "DLC")
HERE = Path(__file__).resolve().parent
ARCHIVE = HERE / "regulations.tar.xz"
FIXED_MTIME = 946684800  # 2000-01-01: the archive's bytes depend on its content only


def git(repo, *args, binary=False):
    out = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    return out.stdout if binary else out.stdout.decode("utf-8")


def read_metadata(db_bytes, folder_prefix):
    """{(name, publish date): {level, publish, valid_from, expired}} from one of the collection's SQLite files."""
    with tempfile.NamedTemporaryFile(suffix=".sqlite3") as fh:
        fh.write(db_bytes)
        fh.flush()
        conn = sqlite3.connect(fh.name)
        try:
            rows = conn.execute("SELECT name, level, publish, valid_from, expired FROM law").fetchall()
        finally:
            conn.close()
    meta = {}
    for name, level, publish, valid_from, expired in rows:
        meta[(folder_prefix, name, publish or "")] = {
            "level": level or "", "publish": publish or "", "valid_from": valid_from or "",
            "expired": bool(expired)}
    return meta


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repository", help="a git repository (bare or not) of LawRefBook/Laws")
    parser.add_argument("--output", default=str(ARCHIVE))
    args = parser.parse_args(argv)
    repo = Path(args.repository)
    commit = git(repo, "rev-parse", "HEAD").strip()
    commit_date = git(repo, "log", "-1", "--format=%cI", "HEAD").strip()
    listing = git(repo, "-c", "core.quotepath=off", "ls-tree", "-r", "--name-only", "HEAD", "--", *FOLDERS)
    paths = sorted(p for p in listing.splitlines() if p)
    metadata = read_metadata(git(repo, "show", "HEAD:db.sqlite3", binary=True), "")
    for p in paths:
        if p.startswith("DLC/") and p.endswith("/db.sqlite3"):
            metadata.update(read_metadata(git(repo, "show", f"HEAD:{p}", binary=True), p.split("/")[1]))
    files = {}
    blobs = {}
    for p in paths:
        if not p.endswith(".md") or p.endswith("/_index.md"):
            continue
        blobs[p] = git(repo, "show", f"HEAD:{p}", binary=True)
        base = p.rsplit("/", 1)[-1][:-3]
        name, _sep, date = base.partition("(")
        date = date.rstrip(")")
        prefix = p.split("/")[1] if p.startswith("DLC/") else ""
        files[p] = metadata.get((prefix, name.strip(), date), {})
    manifest = {
        "source": SOURCE_REPOSITORY,
        "commit": commit,
        "commit_date": commit_date,
        "built": datetime.date.today().isoformat(),
        "folders": list(FOLDERS),
        "files": files,
    }
    out = Path(args.output)
    with tarfile.open(out, "w:xz", preset=9) as tar:
        def add(name, data):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), FIXED_MTIME, 0o644
            tar.addfile(info, io.BytesIO(data))
        add("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=0, sort_keys=True).encode("utf-8"))
        for p in sorted(blobs):
            add(p, blobs[p])
    counts = {}
    for p in files:
        key = p.split("/")[1] if p.startswith("DLC/") else p.split("/")[0]
        counts[key] = counts.get(key, 0) + 1
    write_readme(manifest, counts, out)
    print(f"{out}: {len(files)} texts from {SOURCE_REPOSITORY}@{commit[:12]} ({commit_date}), "
          f"{out.stat().st_size:,} bytes")
    return 0


def write_readme(manifest, counts, archive):
    rows = "\n".join(f"| {k} | {v} |" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    (HERE / "README.md").write_text(f"""# Statute data: regulations, rules and local regulations

`regulations.tar.xz` holds the texts of 行政法规, 部门规章 and 地方性法规 that the statute library imports
(`manage.py import_regulations`; `make run` imports the default selection). It is data only: official texts of
laws and regulations are not protected by copyright (著作权法 第五条).

| | |
|---|---|
| source | the public repository **{manifest['source']}** (texts of the national 法律法规数据库 as Markdown) |
| commit | `{manifest['commit']}` |
| commit date | {manifest['commit_date']} |
| archive built | {manifest['built']} |
| size | {archive.stat().st_size:,} bytes, {len(manifest['files'])} texts |

| folder | texts |
|---|---|
{rows}

Each member keeps its path in the source (`行政法规/城市道路管理条例(2019-03-24).md`: name and version date);
`manifest.json` records, per text, the collection's own metadata (level, publication date, date of effect,
whether the version has been superseded). The Markdown format is described in `casebank/lawtext.py`; a legal
reviewer adds a text the source lacks in the same format (`import_regulations --file PATH.md --level … --region …`)
or through the local-regulation CSV (`import_local_regulations`).

To refresh: `python casebank/data/build_regulations.py PATH_TO_A_CLONE_OF_LawRefBook/Laws`, then
`manage.py import_regulations` (unchanged texts are skipped by checksum).
""", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
