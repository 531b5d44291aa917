"""Demo qualification types, records and certificates (idempotent).

The demo officers get a realistic mix as of today: valid, expiring within 30 /
60 / 90 days, in the renewal window (待换证), 年审 overdue, suspended (by HR, and
by the rules for an overdue 年审), revoked with a bar on re-applying, expired,
short of hours, not yet qualified; and 辅助执法人员 with their 辅助执法证. Every
record is made through the lifecycle service, so the audit trail and the
certificates are the real thing.
"""
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import hours as hours_service
from . import lifecycle, qualifications
from .models import (
    ACH_EXAM, PERSONNEL_AUXILIARY, SOURCE_MANUAL, Achievement, Officer, QualificationRecord, QualificationType,
)

TYPES = [
    # code, name, duty area, base, validity months, min hours, annual exam, renewal exam
    ("ZF-BASE", "行政执法资格", "", True, 60, Decimal("60"), True, True),
    ("ZF-PLAN", "违法建设查处专项资格", "planning", False, 24, Decimal("20"), False, False),
    ("ZF-ENV", "市容环卫执法专项资格", "environment", False, 24, Decimal("20"), False, False),
]
AUXILIARY_TYPE = ("ZF-AUX", "辅助执法证", 36, Decimal("20"))
#: The names shown in the English interface (certificates keep the Chinese name).
NAMES_EN = {
    "ZF-BASE": "Administrative enforcement qualification",
    "ZF-PLAN": "Special qualification: illegal construction",
    "ZF-ENV": "Special qualification: city appearance and sanitation",
    "ZF-AUX": "Auxiliary enforcement permit",
}
AUXILIARY_DESCRIPTION = ("辅助执法人员（协管员）持证上岗：须通过辅助执法证考试取得。持证人员只能从事宣传、巡查、"
                         "劝阻等辅助性工作，不得实施行政处罚和行政强制措施。")


def ensure_types():
    created = 0
    types = {}
    for order, (code, name, area, base, months, hours, annual, renewal_exam) in enumerate(TYPES):
        qtype, new = QualificationType.objects.get_or_create(code=code, defaults={
            "name": name, "duty_area": area, "is_base": base, "validity_months": months,
            "min_hours_per_year": hours, "annual_exam_required": annual, "sort_order": order,
            "renewal_exam_required": renewal_exam,
            "description": "城市管理综合执法人员持证上岗的基础资格。" if base else f"{name}：从事该领域执法须另行取得。",
        })
        types[code] = qtype
        created += int(new)
    code, name, months, hours = AUXILIARY_TYPE
    types[code], new = QualificationType.objects.get_or_create(code=code, defaults={
        "name": name, "personnel_category": PERSONNEL_AUXILIARY, "validity_months": months,
        "min_hours_per_year": hours, "annual_exam_required": False, "renewal_exam_required": False,
        "sort_order": len(TYPES), "description": AUXILIARY_DESCRIPTION})
    created += int(new)
    for code, qtype in types.items():
        if not qtype.name_en and NAMES_EN.get(code):
            qtype.name_en = NAMES_EN[code]
            qtype.save(update_fields=["name_en"])
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
#: Officers whose record tells a lifecycle story (index → kind), all short of hours so the
#: daily evaluation leaves them as they are: 年审 overdue within the grace, 年审 overdue past
#: it (the evaluation suspends), 吊销 after two failed renewal exams.
LIFECYCLE_STORIES = {14: "review_late", 24: "review_late", 27: "review_suspend", 38: "revoked"}


def _granted_for(kind, expires, validity, today):
    """The grant date of a scenario (the story kinds place the 年审 due date instead)."""
    if kind == "review_late":
        return qualifications.add_months(today - datetime.timedelta(days=10), -24)
    if kind == "review_suspend":
        return qualifications.add_months(today - datetime.timedelta(days=45), -12)
    if kind == "revoked":
        return qualifications.add_months(today + datetime.timedelta(days=100), -validity)
    return qualifications.add_months(expires, -validity)


def _past_reviews(officer, qtype, until):
    """The 年审 the holder passed before ``until``, through the service (their history)."""
    rec = QualificationRecord.objects.select_related("qualification_type", "officer").get(
        officer=officer, qualification_type=qtype)
    while rec.review_due is not None and rec.review_due < until:
        rec = qualifications.review(rec, today=rec.review_due)
    return rec


def _auxiliary(aux_type, today):
    """辅助执法人员: valid, short of hours, 年审 overdue (suspended by the rules), not yet qualified."""
    n = 0
    for i, officer in enumerate(Officer.objects.filter(personnel_category=PERSONNEL_AUXILIARY)
                                .order_by("employee_number")):
        _hours(officer, (24, 8, 6, 0)[i % 4], today)
        if i % 4 == 3:
            continue
        granted = (today - datetime.timedelta(days=400) if i % 4 < 2
                   else qualifications.add_months(today - datetime.timedelta(days=50), -12))
        qualifications.grant(officer, aux_type, today=granted, reason="历史持证信息导入")
        if i % 4 < 2:
            _past_reviews(officer, aux_type, today)
        n += 1
    return n


#: The demo logins that hold the 执法证: username → (this year's hours, days since the grant, exam score).
DEMO_LOGIN_RECORDS = {"officer": (48, 215, 86), "leader": (62, 300, 91)}


def _demo_logins(base, today):
    """Hours, the qualification exam and the 执法证 of the demo logins that have none yet."""
    n = 0
    for username, (hours, days, score) in DEMO_LOGIN_RECORDS.items():
        officer = Officer.objects.filter(user__username=username).first()
        if officer is None or QualificationRecord.objects.filter(officer=officer, qualification_type=base).exists():
            continue
        _hours(officer, hours, today)
        granted = today - datetime.timedelta(days=days)
        _exam(officer, "qual", "行政执法资格考试", "qualification", score, granted - datetime.timedelta(days=10))
        qualifications.grant(officer, base, today=granted, reason="历史持证信息导入")
        n += 1
    return n


@transaction.atomic
def load(stdout, password):
    today = timezone.localdate()
    types, n_types = ensure_types()
    base = types["ZF-BASE"]
    if QualificationRecord.objects.filter(qualification_type=base, granted_at__isnull=False).exists():
        n_logins = _demo_logins(base, today)
        if n_logins:
            qualifications.evaluate_many(Officer.objects.filter(user__username__in=DEMO_LOGIN_RECORDS), today)
        stdout.write(f"  qualification types: {len(types)} (0 new); records already loaded"
                     f" ({n_logins} new for the demo logins)")
        return
    officers = list(Officer.objects.filter(employee_number__startswith="ZF").order_by("employee_number"))
    n_records = 0
    for i, officer in enumerate(officers):
        kind, days, hours, annual = SCENARIOS[i % 10]
        _hours(officer, hours, today)
        if kind == "new":
            continue
        kind = LIFECYCLE_STORIES.get(i, kind)
        expires = today + datetime.timedelta(days=days)
        granted = _granted_for(kind, expires, base.validity_months, today)
        _exam(officer, "qual", "行政执法资格考试", "qualification", 78 + i % 20, granted - datetime.timedelta(days=10))
        if annual:
            _exam(officer, f"annual:{today.year}", f"{today.year} 年度执法能力考试", "annual", 70 + i % 25,
                  datetime.date(today.year, 6, 20))
        qualifications.grant(officer, base, today=granted, reason="历史持证信息导入")
        n_records += 1
        rec = _past_reviews(officer, base, today - datetime.timedelta(days=10) if kind == "review_late"
                            else granted + datetime.timedelta(days=1) if kind == "review_suspend" else today)
        if kind == "revoked":
            qualifications.revoke(rec, actor=None, reason="换证考试 2 次未通过，吊销执法证",
                                  reapply_after=lifecycle.reapply_until(today, base.reapply_bar_months))
        if kind == "suspended":
            rec = QualificationRecord.objects.get(officer=officer, qualification_type=base)
            qualifications.suspend(rec, actor=None, reason="涉嫌违规执法，调查期间暂扣执法资格")
        if i % 10 in (0, 2):
            special = types["ZF-PLAN"] if i % 20 == 0 else types["ZF-ENV"]
            qualifications.grant(officer, special, today=granted, reason="历史持证信息导入")
    n_records += _demo_logins(base, today)
    n_records += _auxiliary(types[AUXILIARY_TYPE[0]], today)
    changes = qualifications.evaluate_many(Officer.objects.filter(is_active=True).order_by("pk"), today)
    stdout.write(f"  qualification types: {len(types)} ({n_types} new), records granted: {n_records}, "
                 f"re-evaluated with {len(changes)} changes; certificates: "
                 f"{sum(o.certificates.count() for o in officers)}")
