"""The HR lists (expiring, expired, short of hours, failed the last exam, by
status) as querysets within the viewer's scope. Views and exports share them,
so an export has exactly the rows of the list on screen."""
import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import exam_results, roles
from .models import (
    Q_EXPIRED, Q_NOT_QUALIFIED, Q_QUALIFIED, Q_REVOKED, Q_SUSPENDED, Officer, QualificationRecord,
    QualificationType,
)
from .qualifications import S_EXPIRING, STATUS_LABELS, expiring_days
from .scoping import visible_officers, visible_units

LISTS = {
    "all": _("全部人员"),
    "expiring_30": _("30 天内到期"),
    "expiring_60": _("60 天内到期"),
    "expiring_90": _("90 天内到期"),
    "expired": _("已过期"),
    "short_hours": _("本年学时不足"),
    "failed_exam": _("最近一次考试未通过"),
    "suspended": _("暂扣"),
    "revoked": _("取消"),
    "not_qualified": _("未取得"),
}
STATUS_FILTERS = [Q_QUALIFIED, S_EXPIRING, Q_EXPIRED, Q_SUSPENDED, Q_REVOKED, Q_NOT_QUALIFIED]


def base_type(type_id=None):
    qs = QualificationType.objects.filter(is_active=True)
    if type_id and str(type_id).isdigit():
        found = qs.filter(pk=type_id).first()
        if found:
            return found
    return qs.filter(is_base=True).first() or qs.order_by("sort_order", "code").first()


def scoped_officers(user, unit_id=None):
    """Active officers in the viewer's scope, narrowed to a unit subtree in scope
    (a unit outside the scope gives no one)."""
    officers = visible_officers(user).filter(is_active=True)
    if unit_id:
        unit = visible_units(user).filter(pk=unit_id).first() if str(unit_id).isdigit() else None
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
            unit = units.filter(pk=unit_id).first() if str(unit_id).isdigit() else None
            if unit is None:
                return Q(pk__in=[])
            units = units.filter(path__startswith=unit.path)
        return Q(officer__unit_id__in=units.values("pk"), officer__is_active=True)
    return Q(officer__in=scoped_officers(user, unit_id).values("pk"))


def status_q(status, today):
    soon = today + datetime.timedelta(days=expiring_days())
    if status == S_EXPIRING:
        return Q(status=Q_QUALIFIED, expires_at__gte=today, expires_at__lte=soon)
    if status == Q_QUALIFIED:
        return Q(status=Q_QUALIFIED) & (Q(expires_at__gt=soon) | Q(expires_at__isnull=True))
    if status == Q_EXPIRED:
        return Q(status=Q_EXPIRED) | Q(status=Q_QUALIFIED, expires_at__lt=today)
    return Q(status=status)


def records(user, *, qtype, list_name="all", unit_id=None, status="", today=None):
    """QualificationRecords of the type for officers in scope, for one list."""
    today = today or timezone.localdate()
    qs = (QualificationRecord.objects.filter(record_scope(user, unit_id), qualification_type=qtype)
          .select_related("officer", "officer__unit", "qualification_type"))
    if list_name.startswith("expiring_"):
        days = int(list_name.split("_")[1])
        qs = qs.filter(status=Q_QUALIFIED, expires_at__gte=today,
                       expires_at__lte=today + datetime.timedelta(days=days)).order_by("expires_at", "officer_id")
    elif list_name == "expired":
        qs = qs.filter(status_q(Q_EXPIRED, today)).order_by("expires_at", "officer_id")
    elif list_name == "short_hours":
        qs = qs.filter(hours_short=True).order_by("year_hours", "officer_id")
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
        qs = qs.filter(status_q(status, today))
    return qs


def counts(user, *, qtype, unit_id=None, today=None):
    """Officers by evaluated status (adds up to the officers in scope: an
    officer with no record yet counts as 未取得), plus the list sizes. Two
    queries, each one pass without sorting: the officers in scope, and
    conditional counts over their records."""
    today = today or timezone.localdate()
    n_officers = scoped_officers(user, unit_id).count()
    recs = QualificationRecord.objects.filter(record_scope(user, unit_id), qualification_type=qtype)
    agg = {s: Count("pk", filter=status_q(s, today)) for s in STATUS_FILTERS}
    for days in (30, 60, 90):
        agg[f"expiring_{days}"] = Count("pk", filter=Q(status=Q_QUALIFIED, expires_at__gte=today,
                                                        expires_at__lte=today + datetime.timedelta(days=days)))
    agg["short_hours"] = Count("pk", filter=Q(hours_short=True))
    agg["n_records"] = Count("pk")
    result = recs.aggregate(**agg)
    result[Q_NOT_QUALIFIED] += n_officers - result.pop("n_records")
    result["expired"] = result[Q_EXPIRED]
    result["total"] = n_officers
    return result


def failed_count(user, *, qtype, unit_id=None):
    if exam_results.sitting_model() is None:
        return None
    return records(user, qtype=qtype, list_name="failed_exam", unit_id=unit_id).count()


def status_label(rec, today=None):
    """The evaluated status of a stored record (即将到期 and 已过期 from its dates)."""
    today = today or timezone.localdate()
    if rec.status == Q_QUALIFIED and rec.expires_at:
        if rec.expires_at < today:
            return Q_EXPIRED
        if rec.expires_at <= today + datetime.timedelta(days=expiring_days()):
            return S_EXPIRING
    return rec.status


def status_display(code):
    return STATUS_LABELS.get(code, code)


__all__ = ["LISTS", "STATUS_FILTERS", "records", "counts", "base_type", "scoped_officers", "Officer"]
