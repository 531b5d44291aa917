"""Case bank test data: cases, power items and benchmarks."""
import datetime
import itertools
from decimal import Decimal

from casebank.models import (
    CaseIndexPage,
    CasePage,
    DiscretionBenchmark,
    DiscretionLevel,
    DutyArea,
    EnforcementMeasure,
    PowerItem,
)

_seq = itertools.count(1)


def case_index():
    return CaseIndexPage.objects.get()


def make_case(title=None, *, live=True, areas=(), measures=(), tags=(), level=None, **fields):
    n = next(_seq)
    fields.setdefault("decision_date", datetime.date(2025, 5, n % 28 + 1))
    fields.setdefault("district", "江北区")
    page = CasePage(title=title or f"测试案例{n}", slug=f"case-{n}", discretion_level=level, **fields)
    page.duty_areas = list(DutyArea.objects.filter(code__in=areas))
    page.measures = list(EnforcementMeasure.objects.filter(code__in=measures))
    case_index().add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    revision = page.save_revision()
    if live:
        revision.publish()
    else:
        CasePage.objects.filter(pk=page.pk).update(live=False)
    page.refresh_from_db()
    return page


def make_power_item(code="CG-T-001", **fields):
    fields.setdefault("name", "对测试违法行为的处罚")
    fields.setdefault("power_type", "penalty")
    item = PowerItem(code=code, **fields)
    item.save()
    return item


def make_benchmark(code="BM-T-001", levels=((0, 1000, "轻微"), (1000, 5000, "一般")), **fields):
    fields.setdefault("violation", "测试违法行为")
    fields.setdefault("article_fine_min", Decimal("0"))
    fields.setdefault("article_fine_max", Decimal("5000"))
    bm = DiscretionBenchmark(code=code, **fields)
    bm.levels = [DiscretionLevel(name=name, circumstances=f"{name}情形", measure="罚款", sort_order=i + 1,
                                 fine_min=Decimal(lo), fine_max=Decimal(hi))
                 for i, (lo, hi, name) in enumerate(levels)]
    bm.save()
    return bm
