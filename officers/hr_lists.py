"""The HR lists (expiring, expired, 待换证, 年审 due or overdue, short of hours,
failed the last exam, by status and personnel category) as querysets within the
viewer's scope. Views and exports share them, so an export has exactly the rows
of the list on screen."""
import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.params import from_param

from . import exam_results, hours_rules, lifecycle, roles
from .models import (
    LEVEL_SQUAD, PERSONNEL_CATEGORY_CHOICES, Q_EXPIRED, Q_NOT_QUALIFIED, Q_QUALIFIED, Q_REVOKED, Q_SUSPENDED, Officer,
    QualificationRecord, QualificationType,
)
from .qualifications import S_EXPIRING, S_RENEWAL_DUE, S_REVIEW_OVERDUE, STATUS_LABELS, expiring_days
from .scoping import visible_officers, visible_units

LISTS = {
    "all": _("全部人员"),
    "expiring_30": _("30 天内到期"),
    "expiring_60": _("60 天内到期"),
    "expiring_90": _("90 天内到期"),
    "expired": _("已过期"),
    "renewal_due": _("待换证"),
    "review_due_60": _("60 天内须年审"),
    "review_overdue": _("年审逾期"),
    "short_hours": _("本年学时不足"),
    "short_category": _("学时不足（分类）"),
    "failed_exam": _("最近一次考试未通过"),
    "suspended": _("暂扣"),
    "revoked": _("取消"),
    "not_qualified": _("未取得"),
}
#: The evaluated statuses, a partition of the records (status_label and status_q agree).
STATUS_FILTERS = [Q_QUALIFIED, S_RENEWAL_DUE, S_REVIEW_OVERDUE, S_EXPIRING, Q_EXPIRED, Q_SUSPENDED, Q_REVOKED,
                  Q_NOT_QUALIFIED]
#: Personnel categories HR can filter by (执法人员 / 辅助执法人员).
CATEGORY_FILTERS = PERSONNEL_CATEGORY_CHOICES
#: The 年审 warning before its due date (山东: the list turns dark red 2 months before).


def base_type(type_id=None):
    qs = QualificationType.objects.filter(is_active=True)
    found = from_param(qs, type_id)
    if found:
        return found
    return qs.filter(is_base=True).first() or qs.order_by("sort_order", "code").first()


def scoped_officers(user, unit_id=None):
    """Active officers in the viewer's scope, narrowed to a unit subtree in scope
    (a unit outside the scope gives no one)."""
    officers = visible_officers(user).filter(is_active=True)
    if unit_id:
        unit = from_param(visible_units(user), unit_id)
        officers = officers.filter(unit__path__startswith=unit.path) if unit else officers.none()
    return officers


def record_scope(user, unit_id=None):
    """A filter on QualificationRecord for the viewer's scope (active officers only).

    For HR and superusers, whose scope is whole units (officers.scoping), the
    filter goes through the handful of visible units rather than a list of
    every visible officer: the same rows, and far cheaper on 20,000 officers."""
    if user.is_superuser or roles.has_role(user, roles.HR):
        units = visible_units(user)
        if unit_id:
            unit = from_param(units, unit_id)
            if unit is None:
                return Q(pk__in=[])
            units = units.filter(path__startswith=unit.path)
        return Q(officer__unit_id__in=units.values("pk"), officer__is_active=True)
    return Q(officer__in=scoped_officers(user, unit_id).values("pk"))


def _window_q(qtype, today):
    """Records of the type in their renewal window (none when the type has no renewal exam)."""
    if qtype is None or not qtype.renewal_exam_required:
        return Q(pk__in=[])
    return Q(expires_at__isnull=False,
             expires_at__lte=lifecycle.latest_expiry_in_window(today, qtype.renewal_window_months))


def status_q(status, today, qtype=None):
    """The records with an evaluated status, in the order status_label decides it:
    expired, expiring, 年审逾期, 待换证, valid."""
    soon = today + datetime.timedelta(days=expiring_days())
    valid = Q(status=Q_QUALIFIED) & (Q(expires_at__gt=soon) | Q(expires_at__isnull=True))
    overdue = Q(review_due__lt=today)
    not_overdue = Q(review_due__isnull=True) | Q(review_due__gte=today)
    if status == S_EXPIRING:
        return Q(status=Q_QUALIFIED, expires_at__gte=today, expires_at__lte=soon)
    if status == S_REVIEW_OVERDUE:
        return valid & overdue
    if status == S_RENEWAL_DUE:
        return valid & not_overdue & _window_q(qtype, today)
    if status == Q_QUALIFIED:
        return valid & not_overdue & ~_window_q(qtype, today)
    if status == Q_EXPIRED:
        return Q(status=Q_EXPIRED) | Q(status=Q_QUALIFIED, expires_at__lt=today)
    return Q(status=status)


def category_q(category):
    """Records of officers in one personnel category ("" or an unknown code: all)."""
    if category in dict(CATEGORY_FILTERS):
        return Q(officer__personnel_category=category)
    return Q()


def records(user, *, qtype, list_name="all", unit_id=None, status="", today=None, category="",
            hours_category=None):
    """QualificationRecords of the type for officers in scope, for one list; ``category`` is the
    personnel category, ``hours_category`` (an HoursCategory) narrows any list to the officers short
    of that hours category this year."""
    today = today or timezone.localdate()
    qs = (QualificationRecord.objects.filter(record_scope(user, unit_id), category_q(category),
                                             qualification_type=qtype)
          .select_related("officer", "officer__unit", "qualification_type"))
    if list_name.startswith("expiring_"):
        days = int(list_name.split("_")[1])
        qs = qs.filter(status=Q_QUALIFIED, expires_at__gte=today,
                       expires_at__lte=today + datetime.timedelta(days=days)).order_by("expires_at", "officer_id")
    elif list_name == "expired":
        qs = qs.filter(status_q(Q_EXPIRED, today)).order_by("expires_at", "officer_id")
    elif list_name == "renewal_due":
        qs = qs.filter(status_q(S_RENEWAL_DUE, today, qtype)).order_by("expires_at", "officer_id")
    elif list_name == "review_due_60":
        qs = qs.filter(_review_soon_q(today)).order_by("review_due", "officer_id")
    elif list_name == "review_overdue":
        qs = qs.filter(status_q(S_REVIEW_OVERDUE, today)).order_by("review_due", "officer_id")
    elif list_name == "short_hours":
        qs = qs.filter(hours_short=True).order_by("year_hours", "officer_id")
    elif list_name == "short_category":
        qs = qs.filter(hours_year=today.year, **hours_rules.category_gap_q("")).order_by(
            "officer__unit__path", "officer__employee_number")
    elif list_name == "failed_exam":
        sub = exam_results.failed_last_exam_subquery()
        qs = (qs.filter(officer_id__in=exam_results.ever_failed_officers()).annotate(last_passed=sub)
              .filter(last_passed=False) if sub is not None else qs.none())
        qs = qs.order_by("officer__unit__path", "officer__employee_number")
    elif list_name in (Q_SUSPENDED, Q_REVOKED, Q_NOT_QUALIFIED):
        qs = qs.filter(status=list_name).order_by("officer__unit__path", "officer__employee_number")
    else:
        qs = qs.order_by("officer__unit__path", "officer__employee_number")
    if status in STATUS_FILTERS:
        qs = qs.filter(status_q(status, today, qtype))
    if hours_category is not None:
        qs = qs.filter(hours_year=today.year, **hours_rules.category_gap_q(hours_category.code))
    return qs


def _review_soon_q(today):
    return Q(status=Q_QUALIFIED, review_due__gte=today,
             review_due__lte=today + datetime.timedelta(days=lifecycle.REVIEW_WARNING_DAYS))


def counts(user, *, qtype, unit_id=None, today=None, category=""):
    """Officers by evaluated status (adds up to the officers in scope: an
    officer with no record yet counts as 未取得), plus the list sizes. Two
    queries, each one pass without sorting: the officers in scope, and
    conditional counts over their records."""
    today = today or timezone.localdate()
    officers = scoped_officers(user, unit_id).filter(personnel_category=qtype.personnel_category)
    if category in dict(CATEGORY_FILTERS):
        officers = officers.filter(personnel_category=category)
    n_officers = officers.count()
    recs = QualificationRecord.objects.filter(record_scope(user, unit_id), category_q(category),
                                              qualification_type=qtype)
    agg = {s: Count("pk", filter=status_q(s, today, qtype)) for s in STATUS_FILTERS}
    for days in (30, 60, 90):
        agg[f"expiring_{days}"] = Count("pk", filter=Q(status=Q_QUALIFIED, expires_at__gte=today,
                                                        expires_at__lte=today + datetime.timedelta(days=days)))
    agg["short_hours"] = Count("pk", filter=Q(hours_short=True))
    agg["review_due_60"] = Count("pk", filter=_review_soon_q(today))
    agg["short_category"] = Count("pk", filter=Q(hours_year=today.year, **hours_rules.category_gap_q("")))
    agg["n_records"] = Count("pk")
    result = recs.aggregate(**agg)
    result[Q_NOT_QUALIFIED] += n_officers - result.pop("n_records")
    result["expired"] = result[Q_EXPIRED]
    result["renewal_due"] = result[S_RENEWAL_DUE]
    result["review_overdue"] = result[S_REVIEW_OVERDUE]
    result["total"] = n_officers
    return result


def unit_chart(user, *, qtype, unit_id=None, today=None):
    """达标率 by squad (中队) in the viewer's scope: per squad, the active officers, those whose
    hours rules were all met when last evaluated this year, and those holding a valid
    qualification of the type. Officers of a unit above the squads count under that unit.
    Three queries whatever the number of officers or units."""
    today = today or timezone.localdate()
    units = list(visible_units(user).only("pk", "path", "depth", "level", "name"))
    if unit_id:
        chosen = next((u.path for u in units if str(u.pk) == str(unit_id)), None)
        units = [u for u in units if chosen is not None and u.path.startswith(chosen)]
    squads = sorted((u for u in units if u.level == LEVEL_SQUAD), key=lambda u: len(u.path), reverse=True)
    group_of = {u.pk: next((s for s in squads if u.path.startswith(s.path)), u) for u in units}
    people = dict(scoped_officers(user, unit_id).values("unit_id").annotate(n=Count("pk")).order_by()
                  .values_list("unit_id", "n"))
    recs = (QualificationRecord.objects.filter(record_scope(user, unit_id), qualification_type=qtype)
            .values("officer__unit_id").order_by()
            .annotate(hours_ok=Count("pk", filter=Q(hours_year=today.year, hours_gaps="")),
                      qualified=Count("pk", filter=Q(status=Q_QUALIFIED) & (
                          Q(expires_at__gte=today) | Q(expires_at__isnull=True)))))
    groups = {}
    for unit, n in people.items():
        groups.setdefault(group_of.get(unit), [0, 0, 0])[0] += n
    for row in recs:
        group = groups.setdefault(group_of.get(row["officer__unit_id"]), [0, 0, 0])
        group[1] += row["hours_ok"]
        group[2] += row["qualified"]
    rows = []
    for unit in sorted((g for g in groups if g is not None), key=lambda u: u.path):
        n, hours_ok, qualified = groups[unit]
        if n:
            rows.append(UnitRate(unit.full_name, n, hours_ok, qualified))
    return rows


class UnitRate:
    """One bar pair of the HR chart: a squad's 达标率 of hours and of qualifications."""

    def __init__(self, name, officers, hours_ok, qualified):
        self.name, self.officers, self.hours_ok, self.qualified = name, officers, hours_ok, qualified

    @staticmethod
    def _percent(part, whole):
        return int((200 * part + whole) // (2 * whole)) if whole else 0  # rounded half up

    @property
    def hours_rate(self):
        return self._percent(self.hours_ok, self.officers)

    @property
    def qualified_rate(self):
        return self._percent(self.qualified, self.officers)


def failed_count(user, *, qtype, unit_id=None, category=""):
    if exam_results.sitting_model() is None:
        return None
    return records(user, qtype=qtype, list_name="failed_exam", unit_id=unit_id, category=category).count()


def status_label(rec, today=None):
    """The evaluated status of a stored record from its dates: 已过期, 即将到期, 年审逾期,
    待换证 (the same order as status_q and the evaluation)."""
    today = today or timezone.localdate()
    if rec.status != Q_QUALIFIED:
        return rec.status
    if rec.expires_at:
        if rec.expires_at < today:
            return Q_EXPIRED
        if rec.expires_at <= today + datetime.timedelta(days=expiring_days()):
            return S_EXPIRING
    if rec.review_due and rec.review_due < today:
        return S_REVIEW_OVERDUE
    qtype = rec.qualification_type
    if lifecycle.renewal_window_open(today, rec.expires_at, qtype.renewal_window_months,
                                     qtype.renewal_exam_required):
        return S_RENEWAL_DUE
    return rec.status


def renewal_from(rec):
    """The first day of the record's renewal window (None without an expiry)."""
    return lifecycle.renewal_window_start(rec.expires_at, rec.qualification_type.renewal_window_months)


def status_display(code):
    return STATUS_LABELS.get(code, code)


__all__ = ["LISTS", "STATUS_FILTERS", "CATEGORY_FILTERS", "records", "counts", "base_type", "scoped_officers",
           "unit_chart", "Officer"]
