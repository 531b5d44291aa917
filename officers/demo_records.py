"""Demo qualification types, records and certificates (idempotent).

The demo officers get a realistic mix as of today: valid, expiring within 30 /
60 / 90 days, expired, short of hours, not yet qualified, and one suspended.
Every record is made through the lifecycle service, so the audit trail and the
certificates are the real thing.
"""
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import hours as hours_service
from . import qualifications
from .models import (
    ACH_EXAM, SOURCE_MANUAL, Achievement, Officer, QualificationRecord, QualificationType,
)

TYPES = [
    # code, name, duty area, base, validity months, min hours, annual exam
    ("ZF-BASE", "行政执法资格", "", True, 12, Decimal("60"), True),
    ("ZF-PLAN", "违法建设查处专项资格", "planning", False, 24, Decimal("20"), False),
    ("ZF-ENV", "市容环卫执法专项资格", "environment", False, 24, Decimal("20"), False),
]


def ensure_types():
    created = 0
    types = {}
    for order, (code, name, area, base, months, hours, annual) in enumerate(TYPES):
        qtype, new = QualificationType.objects.get_or_create(code=code, defaults={
            "name": name, "duty_area": area, "is_base": base, "validity_months": months,
            "min_hours_per_year": hours, "annual_exam_required": annual, "sort_order": order,
            "description": "城市管理综合执法人员持证上岗的基础资格。" if base else f"{name}：从事该领域执法须另行取得。",
        })
        types[code] = qtype
        created += int(new)
    base = types["ZF-BASE"]
    for code in ("ZF-PLAN", "ZF-ENV"):
        if types[code].prerequisite_id is None:
            types[code].prerequisite = base
            types[code].save(update_fields=["prerequisite"])
    return types, created


def _exam(officer, key, title, kind, score, when):
    Achievement.objects.get_or_create(officer=officer, source_key=f"demo:{key}", defaults={
        "kind": ACH_EXAM, "ref_id": 0, "ref_kind": kind, "title": title, "score": Decimal(score),
        "achieved_at": timezone.make_aware(datetime.datetime.combine(when, datetime.time(10, 0))),
    })


def _hours(officer, amount, today):
    if amount:
        hours_service.credit(officer, amount, source=SOURCE_MANUAL, source_key=f"demo:hours:{today.year}",
                             description=f"{today.year} 年度岗位培训（集中轮训）",
                             date=min(today, datetime.date(today.year, 3, 15)))


#: Scenario per officer index (ZF0001…): (days until expiry or None, hours this year, annual exam passed).
SCENARIOS = {
    0: ("valid", 200, 64, True),
    1: ("suspended", 160, 62, True),
    2: ("valid", 240, 72, True),
    3: ("valid", 120, 60, True),
    4: ("expiring", 20, 38, True),       # within 30 days, hours short
    5: ("expiring", 45, 66, False),      # within 60 days, annual exam not passed
    6: ("expiring", 80, 44, False),      # within 90 days
    7: ("expired", -40, 22, False),
    8: ("short", 260, 18, True),         # valid, far from review, short of hours
    9: ("new", None, 12, False),         # not yet qualified
}


@transaction.atomic
def load(stdout, password):
    today = timezone.localdate()
    types, n_types = ensure_types()
    base = types["ZF-BASE"]
    if QualificationRecord.objects.filter(qualification_type=base, granted_at__isnull=False).exists():
        stdout.write(f"  qualification types: {len(types)} (0 new); records already loaded")
        return
    officers = list(Officer.objects.filter(employee_number__startswith="ZF").order_by("employee_number"))
    demo_login = Officer.objects.filter(user__username="officer").first()
    n_records = 0
    for i, officer in enumerate(officers):
        kind, days, hours, annual = SCENARIOS[i % 10]
        _hours(officer, hours, today)
        if kind == "new":
            continue
        expires = today + datetime.timedelta(days=days)
        granted = qualifications.add_months(expires, -base.validity_months)
        _exam(officer, "qual", "行政执法资格考试", "qualification", 78 + i % 20, granted - datetime.timedelta(days=10))
        if annual:
            _exam(officer, f"annual:{today.year}", f"{today.year} 年度执法能力考试", "annual", 70 + i % 25,
                  datetime.date(today.year, 6, 20))
        qualifications.grant(officer, base, today=granted, reason="历史持证信息导入")
        n_records += 1
        if kind == "suspended":
            rec = QualificationRecord.objects.get(officer=officer, qualification_type=base)
            qualifications.suspend(rec, actor=None, reason="涉嫌违规执法，调查期间暂扣执法资格")
        if i % 10 in (0, 2):
            special = types["ZF-PLAN"] if i % 20 == 0 else types["ZF-ENV"]
            qualifications.grant(officer, special, today=granted, reason="历史持证信息导入")
    if demo_login is not None:
        _hours(demo_login, 48, today)
        granted = today - datetime.timedelta(days=215)
        _exam(demo_login, "qual", "行政执法资格考试", "qualification", 86, granted - datetime.timedelta(days=10))
        qualifications.grant(demo_login, base, today=granted, reason="历史持证信息导入")
        n_records += 1
    changes = qualifications.evaluate_many(Officer.objects.filter(is_active=True).order_by("pk"), today)
    stdout.write(f"  qualification types: {len(types)} ({n_types} new), records granted: {n_records}, "
                 f"re-evaluated with {len(changes)} changes; certificates: "
                 f"{sum(o.certificates.count() for o in officers)}")
