"""Demo content of the case bank: the statute library, power-list items,
discretion benchmarks and cases (casebank/demo_data/*.json).

Idempotent: the statute import is skipped when the data file is unchanged
(checksum), and records that exist (by code or slug) are left as they are."""
import datetime
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test.utils import override_settings

from portal.models import HomePage

from .citations import resolve_law_name
from .importers import StatuteImportError, import_statutes
from .models import (
    Article,
    CaseIndexPage,
    CaseLegalBasis,
    CasePage,
    CaseProcedureStep,
    DiscretionBenchmark,
    DiscretionBenchmarkBasis,
    DiscretionLevel,
    DutyArea,
    EnforcementMeasure,
    PowerItem,
    PowerItemBasis,
)
from .regulations import import_regulations

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
#: Measure codes used by the demo files that differ from casebank.domain's.
MEASURE_ALIASES = {"order_correction": "order_correct", "confiscation": "confiscate_gains",
                   "seal": "seal_seize", "seize": "seal_seize"}


def _read(name, stdout):
    path = DATA_DIR / f"{name}.json"
    if not path.exists():
        stdout.write(f"  casebank: {path.name} 不存在，跳过")
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        stdout.write(f"  casebank: {path.name} 无法读取（{exc}），跳过")
        return []
    return [row for row in data if isinstance(row, dict)] if isinstance(data, list) else []


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _date(value):
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


class _Articles:
    """Looks up articles by (law name, number) with a cache; reports what it cannot find."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.cache = {}
        self.missing = set()

    def get(self, ref):
        if not isinstance(ref, dict):
            return None
        name, number = ref.get("law") or "", ref.get("article")
        key = (name, number)
        if key not in self.cache:
            law = resolve_law_name(name) if name else None
            art = None
            if law is not None and isinstance(number, int):
                art = Article.objects.filter(law=law, number=number).order_by("position").first()
            if art is None:
                self.missing.add(f"{name}第{number}条")
            self.cache[key] = art
        return self.cache[key]


def _load_power_items(rows, areas, articles, stdout):
    existing = set(PowerItem.objects.values_list("code", flat=True))
    created = 0
    for i, row in enumerate(rows):
        code = (row.get("code") or "").strip()
        if not code or code in existing or not row.get("name"):
            continue
        item = PowerItem(
            code=code, name=row["name"][:255], power_type=row.get("power_type") or "other",
            implementing_body=(row.get("implementing_body") or "")[:255],
            legal_basis_text=row.get("legal_basis_text") or "", procedure=row.get("procedure") or "",
            dispute_resolution=row.get("dispute_resolution") or "", supervision=row.get("supervision") or "",
            accountability=row.get("accountability") or "", sort_order=(i + 1) * 10)
        item.duty_areas = [areas[c] for c in row.get("duty_areas") or [] if c in areas]
        item.basis = [PowerItemBasis(article=a, note=(ref.get("note") or "")[:120] if isinstance(ref, dict) else "")
                      for ref in row.get("legal_basis") or [] for a in [articles.get(ref)] if a is not None]
        item.save()
        existing.add(code)
        created += 1
    stdout.write(f"  casebank: 权力清单事项 新建 {created}，共 {PowerItem.objects.count()}")


def _load_benchmarks(rows, areas, articles, stdout):
    existing = set(DiscretionBenchmark.objects.values_list("code", flat=True))
    items = {p.code: p for p in PowerItem.objects.all()}
    created, invalid = 0, []
    for i, row in enumerate(rows):
        code = (row.get("code") or "").strip()
        if not code or code in existing or not row.get("violation"):
            continue
        bm = DiscretionBenchmark(
            code=code, violation=row["violation"][:255], power_item=items.get(row.get("power_item")),
            duty_area=areas.get(row.get("duty_area")), description=row.get("description") or "",
            legal_basis_text=row.get("legal_basis_text") or "",
            article_fine_min=_decimal(row.get("article_fine_min")),
            article_fine_max=_decimal(row.get("article_fine_max")), sort_order=(i + 1) * 10)
        levels = []
        for j, lv in enumerate(sorted((x for x in row.get("levels") or [] if isinstance(x, dict)),
                                      key=lambda x: x.get("order") or 0)):
            levels.append(DiscretionLevel(
                sort_order=lv.get("order") or j + 1, name=(lv.get("name") or "")[:40],
                circumstances=lv.get("circumstances") or "", measure=(lv.get("measure") or "")[:255],
                fine_min=_decimal(lv.get("fine_min")), fine_max=_decimal(lv.get("fine_max")),
                notes=lv.get("notes") or ""))
        try:
            bm.validate_levels(levels)
        except ValidationError as exc:
            invalid.append(f"{code}: {'；'.join(e.message % (e.params or {}) for e in exc.error_list)}")
        bm.levels = levels
        bm.basis = [DiscretionBenchmarkBasis(article=a) for ref in row.get("legal_basis") or []
                    for a in [articles.get(ref)] if a is not None]
        bm.save()
        existing.add(code)
        created += 1
    stdout.write(f"  casebank: 裁量基准 新建 {created}，共 {DiscretionBenchmark.objects.count()}")
    for msg in invalid:
        stdout.write(f"  casebank: 裁量基准校验提示 {msg}")


def _ensure_index():
    index = CaseIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    if home is None:
        return None
    index = CaseIndexPage(title="案例库", slug="cases",
                          intro="城市管理综合执法典型案例：案情、争议焦点、法律依据、裁量与程序、评析。")
    home.add_child(instance=index)
    return index


def _load_cases(rows, areas, articles, stdout):
    index = _ensure_index()
    if index is None:
        stdout.write("  casebank: 没有首页，跳过案例")
        return
    existing = set(CasePage.objects.child_of(index).values_list("slug", flat=True))
    measures = {m.code: m for m in EnforcementMeasure.objects.all()}
    levels = {}
    for lv in DiscretionLevel.objects.select_related("benchmark"):
        levels[(lv.benchmark.code, lv.sort_order)] = lv
    items = {p.code: p for p in PowerItem.objects.all()}
    stages = {"filing", "investigation", "notice", "statement", "hearing", "legal_review", "decision", "service",
              "execution", "other"}
    created = 0
    for row in rows:
        slug = (row.get("slug") or "").strip()[:255]
        if not slug or slug in existing or not row.get("title"):
            continue
        disc = row.get("discretion") if isinstance(row.get("discretion"), dict) else None
        questions = row.get("discussion_questions") or []
        page = CasePage(
            title=row["title"][:255], slug=slug, case_number=(row.get("case_number") or "")[:80],
            decision_date=_date(row.get("decision_date")), district=(row.get("district") or "")[:60],
            violation_type=(row.get("violation_type") or "")[:255], fine_amount=_decimal(row.get("fine_amount")),
            discretion_level=levels.get((disc.get("benchmark"), disc.get("level"))) if disc else None,
            summary=row.get("summary") or "", facts=row.get("facts") or "", issues=row.get("issues") or "",
            legal_basis_text=row.get("legal_basis_note") or row.get("legal_basis_text") or "",
            outcome=row.get("outcome") or "", review_result=row.get("review_result") or "",
            teaching_points=row.get("teaching_points") or "",
            discussion_questions="\n".join(questions) if isinstance(questions, list) else str(questions),
            is_public=bool(row.get("public")), citations_acknowledged=True,
        )
        page.duty_areas = [areas[c] for c in row.get("duty_areas") or [] if c in areas]
        codes = [MEASURE_ALIASES.get(c, c) for c in row.get("measures") or []]
        page.measures = [measures[c] for c in dict.fromkeys(codes) if c in measures]
        page.power_items = [items[c] for c in row.get("power_items") or [] if c in items]
        page.legal_basis = [CaseLegalBasis(article=a) for ref in row.get("legal_basis") or []
                            for a in [articles.get(ref)] if a is not None]
        page.procedure_steps = [
            CaseProcedureStep(stage=s.get("stage") if s.get("stage") in stages else "other",
                              date=_date(s.get("date")), note=s.get("note") or "")
            for s in row.get("timeline") or [] if isinstance(s, dict)]
        tags = [t for t in row.get("tags") or [] if isinstance(t, str) and t.strip()]
        index.add_child(instance=page)
        if tags:
            page.tags.add(*tags)
        page.save_revision().publish()
        existing.add(slug)
        created += 1
    stdout.write(f"  casebank: 案例 新建并发布 {created}，共 {CasePage.objects.live().count()}")


def _without_search_auto_update():
    """Settings override that stops per-save search indexing during the bulk load:
    search.demo builds the whole index afterwards (it runs after casebank.demo)."""
    backends = {name: {**config, "AUTO_UPDATE": False}
                for name, config in getattr(settings, "WAGTAILSEARCH_BACKENDS", {}).items()}
    return override_settings(WAGTAILSEARCH_BACKENDS=backends)


def load(stdout, password=None):
    """Import the statutes and load the demo power list, benchmarks and cases."""
    with _without_search_auto_update():
        _load(stdout)


def _load(stdout):
    try:
        summary = import_statutes(if_changed=True)
        stdout.write(f"  casebank: 法规库 {summary}")
    except StatuteImportError as exc:
        stdout.write(f"  casebank: 法规库导入失败：{exc}")
    try:
        summary = import_regulations(if_changed=True)
        stdout.write(f"  casebank: 行政法规、部门规章、地方性法规 {summary}")
    except StatuteImportError as exc:
        stdout.write(f"  casebank: 法规导入失败：{exc}")
    areas = {a.code: a for a in DutyArea.objects.all()}
    articles = _Articles(stdout)
    with transaction.atomic():
        _load_power_items(_read("power_items", stdout), areas, articles, stdout)
        _load_benchmarks(_read("benchmarks", stdout), areas, articles, stdout)
    with transaction.atomic():  # one commit for all pages: much faster on SQLite
        _load_cases(_read("cases", stdout), areas, articles, stdout)
    if articles.missing:
        stdout.write("  casebank: 法规库中找不到的条文：" + "、".join(sorted(articles.missing)))
