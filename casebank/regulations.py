"""Import 行政法规, 部门规章 and 地方性法规 into the statute library from Markdown texts.

    import_regulations()                              the default selection from the shipped archive
    import_regulations(provinces=["浙江省"])           … plus every local regulation of a province
    import_regulations(files=[path], level=…, …)      texts a legal reviewer adds in the same format

The shipped archive (``casebank/data/regulations.tar.xz``, see its README) holds the texts of the LawRefBook/Laws
collection with their metadata. By default every 行政法规 and 部门规章 is imported, every version present, and
from every province the local regulations whose names concern city management (CITY_MANAGEMENT_WORDS).

Each text is one version of a regulation: versions share the full name and region; the newest is in force
(repealed when the collection marks it superseded), the older ones are historical versions. The import is
idempotent and runs in one transaction: every text is parsed first, and a text that cannot be read, repeats an
article number or has an unreadable date stops the import with its file and line, before anything is written.
An unchanged text (same checksum) is skipped; a text with no content at all is reported and skipped.
"""
import hashlib
import json
import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .citations import invalidate_cache
from .importers import ImportSummary, StatuteImportError, _sync_articles, file_checksum
from .lawtext import LawTextError, parse_date, parse_filename, parse_markdown
from .library import ImportRecord, Law

DEFAULT_ARCHIVE = Path(__file__).resolve().parent / "data" / "regulations.tar.xz"
#: Law fields an import writes.
FIELDS = ["full_name", "short_name", "doc_type", "level", "issuing_body", "publish_date", "effective_date",
          "version_date", "local", "province", "city", "region", "source", "source_path", "status",
          "source_checksum"]

#: A local regulation whose name contains one of these is imported by default.
CITY_MANAGEMENT_WORDS = (
    "市容", "环境卫生", "城市管理", "综合行政执法", "综合执法", "户外广告", "招牌", "牌匾", "建筑垃圾", "违法建设",
    "城乡规划", "物业", "绿化", "园林", "燃气", "排水", "供水", "道路", "停车", "养犬", "烟花爆竹", "生活垃圾",
    # Also enforced by city-management bureaus in most provinces:
    "市政", "扬尘", "渣土", "噪声", "公园", "文明行为",
)

#: The collection's province folders (DLC/<name>地方法规) → province.
PROVINCE_FOLDERS = {
    "北京": "北京市", "上海": "上海市", "天津": "天津市", "重庆": "重庆市",
    "内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区", "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
}
#: 部门规章 folders → the issuing ministry's name.
MINISTRIES = {"市场监督管理总局": "国家市场监督管理总局", "人力资源社会保障部": "人力资源和社会保障部"}

_CITY_RE = re.compile(r"^([\u4e00-\u9fff]{2,10}?(?:自治州|自治县|市|州|县|盟))")
_SPECIAL_ZONE_RE = re.compile(r"^([\u4e00-\u9fff]{2,4})经济特区")


def province_of_folder(folder):
    """'浙江地方法规' → '浙江省'."""
    short = folder.removesuffix("地方法规")
    return PROVINCE_FOLDERS.get(short, f"{short}省")


def city_of(title, province):
    """The city (or county) a local regulation belongs to, from its name; '' for a provincial one."""
    if title.startswith(province) or title.startswith(province.rstrip("省市")):
        return ""
    m = _SPECIAL_ZONE_RE.match(title)
    if m:
        return f"{m.group(1)}市"
    m = _CITY_RE.match(title)
    if m and m.group(1) != province:
        return m.group(1)
    return ""


def normalise_province(name, known):
    """'浙江' / '浙江省' → '浙江省' when it is one of ``known``; StatuteImportError otherwise."""
    name = (name or "").strip()
    for p in known:
        if name in (p, p.removesuffix("省"), p.removesuffix("市"), p.removesuffix("自治区")):
            return p
    raise StatuteImportError(_("未知的省份“%(name)s”。数据中有：%(known)s") % {
        "name": name, "known": "、".join(sorted(known)) or "—"})


@dataclass
class Text:
    """One text to import: where it came from and what it says about itself."""

    path: str
    data: bytes
    level: str
    province: str = ""
    city: str = ""
    issuing_body: str = ""
    publish: str = ""
    valid_from: str = ""
    expired: bool = False


@dataclass
class RegulationSummary(ImportSummary):
    texts: int = 0
    texts_unchanged: int = 0
    skipped: list = field(default_factory=list)  # (path, reason)
    warnings: list = field(default_factory=list)  # (path, line, message)

    def __str__(self):
        if self.unchanged_file:
            return _("法规数据未变化，跳过导入。")
        lines = [_("法规文本 %(n)d 件（未变 %(u)d 件）；") % {"n": self.texts, "u": self.texts_unchanged}
                 + ImportSummary.__str__(self)]
        for path, reason in self.skipped:
            lines.append(_("  未导入 %(path)s：%(reason)s") % {"path": path, "reason": reason})
        for path, line, message in self.warnings:
            lines.append(_("  提示 %(path)s 第 %(line)d 行：%(msg)s") % {"path": path, "line": line, "msg": message})
        return "\n".join(lines)


def read_archive(path=None):
    """(manifest, {member path: bytes}) of a regulation archive; StatuteImportError when unreadable."""
    path = Path(path) if path else DEFAULT_ARCHIVE
    if not path.exists():
        raise StatuteImportError(_("找不到法规数据文件：%(path)s") % {"path": path})
    try:
        with tarfile.open(path, "r:*") as tar:
            members = {m.name: m for m in tar.getmembers() if m.isfile()}
            if "manifest.json" not in members:
                raise StatuteImportError(_("%(path)s 中缺少 manifest.json。") % {"path": path})
            manifest = json.loads(tar.extractfile(members.pop("manifest.json")).read().decode("utf-8"))
            blobs = {name: tar.extractfile(m).read() for name, m in members.items() if name.endswith(".md")}
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise StatuteImportError(_("无法读取法规数据文件 %(path)s：%(err)s") % {"path": path, "err": exc}) from exc
    return manifest, blobs


def provinces_in(manifest):
    return {province_of_folder(p.split("/")[1]) for p in manifest.get("files", {}) if p.startswith("DLC/")}


def select_texts(manifest, blobs, provinces=()):
    """The texts of the default selection, plus every local regulation of ``provinces``."""
    known = provinces_in(manifest)
    wanted = {normalise_province(p, known) for p in provinces}
    texts = []
    for path in sorted(blobs):
        meta = manifest.get("files", {}).get(path, {})
        parts = path.split("/")
        title = parts[-1].split("(", 1)[0]  # the file name's title; dates are checked when the text is parsed
        if parts[0] == "DLC":
            province = province_of_folder(parts[1])
            if province not in wanted and not any(w in title for w in CITY_MANAGEMENT_WORDS):
                continue
            texts.append(Text(path, blobs[path], meta.get("level") or Law.LOCAL_REGULATION, province=province,
                              publish=meta.get("publish", ""), valid_from=meta.get("valid_from", ""),
                              expired=bool(meta.get("expired"))))
        elif parts[0] in ("行政法规", "部门规章"):
            body = "国务院" if parts[0] == "行政法规" else MINISTRIES.get(parts[1], parts[1]) if len(parts) > 2 else ""
            texts.append(Text(path, blobs[path], meta.get("level") or parts[0], issuing_body=body,
                              publish=meta.get("publish", ""), valid_from=meta.get("valid_from", ""),
                              expired=bool(meta.get("expired"))))
    return texts


@dataclass
class _Version:
    text: Text
    checksum: str
    full_name: str
    values: dict
    articles: list


def _parse(texts, summary):
    """Parse every text; (versions, errors). Nothing is written here."""
    versions, errors = [], []
    for t in texts:
        where = t.path
        try:
            source = t.data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            errors.append(_("%(path)s：不是 UTF-8 文本（第 %(pos)d 字节）") % {"path": where, "pos": exc.start})
            continue
        try:
            version_date = parse_filename(t.path)[1]
            publish = parse_date(t.publish) if t.publish else None
            valid_from = parse_date(t.valid_from) if t.valid_from else None
            law = parse_markdown(source)
        except LawTextError as exc:
            if "正文为空" in exc.message:
                summary.skipped.append((where, exc.message))
                continue
            line = _("第 %(n)d 行：") % {"n": exc.line} if exc.line else ""
            errors.append(f"{where}：{line}{exc.message}")
            continue
        for line, message in law.warnings:
            summary.warnings.append((where, line, message))
        version_date = version_date or publish or max((d for d, _t in law.history if d), default=None)
        effective = valid_from or law.effective_date() or version_date
        province = t.province
        city = t.city or (city_of(law.title, province) if province else "")
        values = {
            "full_name": law.title[:255],
            "short_name": Law.make_short_name(law.title)[:255],
            "doc_type": Law.LOCAL_REGULATION if province else t.level,
            "level": t.level,
            "issuing_body": (law.issuing_body() or t.issuing_body)[:255],
            "publish_date": publish or version_date,
            "effective_date": effective,
            "version_date": version_date,
            "local": bool(province),
            "province": province,
            "city": city,
            "region": f"{province}{city}" if city and not city.startswith(province) else province,
            "source": Law.SOURCE_MARKDOWN,
            "source_path": t.path[:255],
        }
        articles = [{"number": a.number, "number_text": a.number_text[:40], "chapter": a.chapter[:120],
                     "section": a.section[:120], "text": a.text, "source_id": None} for a in law.articles]
        checksum = hashlib.sha256(t.data + repr(sorted(values.items(), key=str)).encode()).hexdigest()
        versions.append(_Version(t, checksum, law.title, values, articles))
    return versions, errors


def _statuses(versions):
    """In force / repealed for the newest version of each regulation, historical for the older ones."""
    groups = {}
    for v in versions:
        groups.setdefault((v.values["full_name"], v.values["region"]), []).append(v)
    for group in groups.values():
        group.sort(key=lambda v: (v.values["version_date"] is not None, v.values["version_date"]))
        for v in group[:-1]:
            v.values["status"] = Law.HISTORICAL
        newest = group[-1]
        newest.values["status"] = Law.REPEALED if newest.text.expired else Law.IN_FORCE
    # Two texts of one regulation with the same version date would be one version twice.
    seen = {}
    for v in versions:
        key = (v.values["full_name"], v.values["region"], v.values["version_date"])
        if key in seen:
            raise StatuteImportError(_("%(a)s 与 %(b)s 是同一法规的同一版本（%(date)s）。") % {
                "a": seen[key], "b": v.text.path, "date": v.values["version_date"] or "—"})
        seen[key] = v.text.path


def _restatus(groups):
    """Within each regulation (full name, region) only the newest version stays in force or repealed: versions
    imported earlier, or added by hand, become historical when a newer one arrives."""
    for full_name, region in groups:
        rows = list(Law.objects.filter(full_name=full_name, region=region).order_by("-version_date", "-pk"))
        for law in rows[1:]:
            if law.status in (Law.IN_FORCE, Law.AMENDED) and law.version_date and rows[0].version_date \
                    and law.version_date < rows[0].version_date:
                law.status = Law.HISTORICAL
                Law.objects.filter(pk=law.pk).update(status=Law.HISTORICAL)
                law.articles.update(law_status=Law.HISTORICAL)


def source_id_for(values):
    key = f"{values['full_name']}|{values['region']}|{values['version_date'] or ''}"
    return "md-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]  # noqa: S324 — an id, not security


def import_texts(texts, summary=None):
    """Import parsed-and-selected texts in one transaction; returns the summary."""
    summary = summary or RegulationSummary()
    versions, errors = _parse(texts, summary)
    if errors:
        raise StatuteImportError("\n".join(errors))
    _statuses(versions)
    summary.texts = len(versions)
    with transaction.atomic():
        ids = {source_id_for(v.values): v for v in versions}
        existing = {law.source_id: law for law in Law.objects.filter(source_id__in=list(ids))}
        to_create, changed_fields = [], []
        sync = []
        for source_id, v in ids.items():
            law = existing.get(source_id)
            values = dict(v.values, source_checksum=v.checksum)
            if law is None:
                law = Law(source_id=source_id, **values)
                to_create.append(law)
                sync.append(v)
                continue
            if law.source_checksum == v.checksum and law.article_count == len(v.articles):
                summary.texts_unchanged += 1
                if law.status != values["status"]:
                    law.status = values["status"]
                    changed_fields.append(law)
                else:
                    summary.laws_skipped += 1
                continue
            for f, value in values.items():
                setattr(law, f, value)
            changed_fields.append(law)
            sync.append(v)
        Law.objects.bulk_create(to_create, batch_size=500)
        if changed_fields:
            Law.objects.bulk_update(changed_fields, FIELDS, batch_size=500)
            # Keep the articles' denormalised status in step with their law.
            for law in changed_fields:
                law.articles.exclude(law_status=law.status).update(law_status=law.status)
        summary.laws_created += len(to_create)
        summary.laws_updated += len(changed_fields)
        by_id = {law.source_id: law for law in Law.objects.filter(source_id__in=[source_id_for(v.values) for v in sync])}
        rows = {by_id[source_id_for(v.values)].pk: v.articles for v in sync}
        _sync_articles([by_id[source_id_for(v.values)] for v in sync], rows, summary)
        _restatus({(v.values["full_name"], v.values["region"]) for v in versions})
    invalidate_cache()
    return summary


def import_regulations(archive=None, *, provinces=(), if_changed=False):
    """Import the default selection of the archive (plus every local regulation of ``provinces``)."""
    path = Path(archive) if archive else DEFAULT_ARCHIVE
    key = "regulations:" + ",".join(sorted(provinces))
    checksum = file_checksum(path) if path.exists() else ""
    if if_changed and checksum:
        record = ImportRecord.objects.filter(source=key[:100]).first()
        if record and record.checksum == checksum and Law.objects.filter(source=Law.SOURCE_MARKDOWN).exists():
            return RegulationSummary(unchanged_file=True)
    manifest, blobs = read_archive(path)
    summary = import_texts(select_texts(manifest, blobs, provinces))
    ImportRecord.objects.update_or_create(source=key[:100], defaults={"checksum": checksum,
                                                                     "summary": str(summary)[:255]})
    return summary


def import_files(paths, *, level, province="", city="", issuing_body=""):
    """Import Markdown files a legal reviewer supplies (one version each, named <名称>(<YYYY-MM-DD>).md)."""
    if level not in Law.Level.values:
        raise StatuteImportError(_("效力级别“%(level)s”无法识别，应为：%(all)s") % {
            "level": level, "all": "、".join(Law.Level.values)})
    if level in (Law.LOCAL_REGULATION, Law.LOCAL_RULE) and not province:
        raise StatuteImportError(_("地方性法规和地方政府规章须指定省份（--province）。"))
    texts = []
    for p in paths:
        p = Path(p)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise StatuteImportError(_("无法读取 %(path)s：%(err)s") % {"path": p, "err": exc}) from exc
        texts.append(Text(p.name, data, level, province=province, city=city, issuing_body=issuing_body))
    return import_texts(texts)
