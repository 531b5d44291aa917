"""The 执法证 lifecycle decisions as plain functions: dates and counts in, a
Decision (state, reason, the transition to make) out. No database, no models:
officers.qualifications reads the data, asks these, and makes the transition
(which writes the audit log); the HR lists filter by the same dates.

The numbers come from the qualification type (QualificationType fields, whose
help texts give each default and its source):

- validity (默认 60 个月) and the renewal window before expiry (默认 6 个月), in
  which the renewal exam is required (湖南);
- 年审 every ``interval`` months (默认 12, 河北吴桥 每年验审一次), with an exam at
  every N-th 年审 (默认 N=1; 山东: 每 2 次年审);
- a 年审 overdue beyond the grace (默认 30 天) → 暂扣 with the reason;
- the renewal exam failed twice → 吊销, with a bar on re-applying (默认 24 个月, 淄博).
"""
import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

#: Lifecycle states shown beside the stored statuses (evaluated from dates, not stored).
S_RENEWAL_DUE = "renewal_due"        # 待换证: in the renewal window
S_REVIEW_OVERDUE = "review_overdue"  # 年审逾期: past the 年审 due date, within the grace
S_REVIEW_DUE = "review_due"          # 年审待办: the 年审 can be done now
S_ACTIVE = "active"                  # nothing due
S_BARRED = "barred"                  # revoked, no new application yet
S_ALLOWED = "allowed"                # may apply (again)

#: Transitions a decision may ask for (officers.qualifications makes them).
T_REVIEW = "review"
T_RENEW = "renew"
T_EXPIRE = "expire"
T_SUSPEND = "suspend"
T_REVOKE = "revoke"

#: By default a 年审 may be completed this many days before it is due
#: (setting QUALIFICATION_REVIEW_WINDOW_DAYS).
REVIEW_OPENS_DAYS = 90
#: A coming 年审 is announced to the officer and listed for HR (60 天内须年审) this many days
#: ahead (山东: a 2-month warning).
REVIEW_WARNING_DAYS = 60


@dataclass(frozen=True)
class Decision:
    """What the rules say: the state, why (for the officer and HR), and the transition to make ("" for none)."""

    state: str
    reason: str = ""
    action: str = ""


def add_months(day, months):
    """The same day ``months`` later or earlier (the month's last day where it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def renewal_window_start(expires_at, window_months):
    """The first day of the renewal window (None without an expiry)."""
    if expires_at is None:
        return None
    return add_months(expires_at, -max(window_months or 0, 0))


def renewal_window_open(today, expires_at, window_months, exam_required):
    """Whether a renewal (with its exam) is due: the type asks for a renewal exam and
    ``today`` lies in the window before ``expires_at``."""
    start = renewal_window_start(expires_at, window_months)
    return bool(exam_required) and start is not None and start <= today


def latest_expiry_in_window(today, window_months):
    """The latest expiry date whose renewal window has opened by ``today``: a record
    is in its window exactly when ``expires_at <= latest_expiry_in_window(today, w)``
    (the HR lists filter with it, so they agree with ``renewal_window_start``)."""
    day = add_months(today, max(window_months or 0, 0))
    while renewal_window_start(day + datetime.timedelta(days=1), window_months) <= today:
        day += datetime.timedelta(days=1)
    return day


def next_review_due(anchor, interval_months, expires_at):
    """The 年审 due ``interval_months`` after ``anchor`` (the grant, the renewal or the
    last 年审's due date); None when it would fall on or after the expiry, where
    the renewal takes its place."""
    if anchor is None or not interval_months or interval_months < 1:
        return None
    due = add_months(anchor, interval_months)
    if expires_at is not None and due >= expires_at:
        return None
    return due


def review_number(granted_at, due, interval_months):
    """Which 年审 since the grant or renewal the one due on ``due`` is (1, 2, …)."""
    if granted_at is None or due is None or not interval_months or interval_months < 1:
        return 1
    months = (due.year - granted_at.year) * 12 + due.month - granted_at.month
    return max(1, round(months / interval_months))


def review_requires_exam(number, every):
    """An exam is required at every ``every``-th 年审 (every=1: at each one)."""
    every = every if every and every >= 1 else 1
    return number % every == 0


def review_decision(*, today, due, grace_days, requirements_met, opens_days=REVIEW_OPENS_DAYS):
    """The 年审 due on ``due``: done now (T_REVIEW) once its requirements are met and
    it is open (``opens_days`` before the due date), or overdue, and past the grace
    a 暂扣 (T_SUSPEND) with the reason."""
    if due is None:
        return Decision(S_ACTIVE)
    opens = due - datetime.timedelta(days=opens_days)
    if today < opens:
        return Decision(S_ACTIVE)
    if requirements_met:
        return Decision(S_ACTIVE, _("%(d)s 年审合格") % {"d": due.isoformat()}, T_REVIEW)
    limit = due + datetime.timedelta(days=max(grace_days or 0, 0))
    if today > limit:
        return Decision(S_REVIEW_OVERDUE, _("年审逾期：应于 %(d)s 完成，宽限至 %(g)s 仍未完成，暂扣执法证") % {
            "d": due.isoformat(), "g": limit.isoformat()}, T_SUSPEND)
    if today > due:
        return Decision(S_REVIEW_OVERDUE, _("年审已逾期（应于 %(d)s 完成），%(g)s 后仍未完成将暂扣执法证") % {
            "d": due.isoformat(), "g": limit.isoformat()})
    return Decision(S_REVIEW_DUE, _("须于 %(d)s 前完成年审") % {"d": due.isoformat()})


def renewal_decision(*, today, expires_at, window_months, requirements_met, failures, failures_to_revoke):
    """The renewal (换证) of a qualification expiring on ``expires_at``: renew
    (T_RENEW) once its requirements are met in the window; revoke (T_REVOKE) after
    ``failures_to_revoke`` failed renewal exams in the window (0: never); past the
    expiry without renewal, expire (T_EXPIRE)."""
    start = renewal_window_start(expires_at, window_months)
    if start is None or today < start:
        return Decision(S_ACTIVE)
    if failures_to_revoke and failures >= failures_to_revoke:
        return Decision(S_RENEWAL_DUE, _("换证考试 %(n)s 次未通过，吊销执法证") % {"n": failures}, T_REVOKE)
    if requirements_met:
        return Decision(S_ACTIVE, _("换证合格"), T_RENEW)
    if today > expires_at:
        return Decision(S_RENEWAL_DUE, _("有效期 %(d)s 届满，未完成换证") % {"d": expires_at.isoformat()}, T_EXPIRE)
    return Decision(S_RENEWAL_DUE, _("换证期 %(s)s 起：须在 %(d)s 前完成换证") % {
        "s": start.isoformat(), "d": expires_at.isoformat()})


def reapply_until(revoked_on, bar_months):
    """The first day a revoked holder may apply again (None: no bar)."""
    if revoked_on is None or not bar_months or bar_months <= 0:
        return None
    return add_months(revoked_on, bar_months)


def reapply_decision(*, today, reapply_after):
    """Whether a revoked holder may apply again today."""
    if reapply_after is not None and today < reapply_after:
        return Decision(S_BARRED, _("%(d)s 前不得重新申请") % {"d": reapply_after.isoformat()})
    return Decision(S_ALLOWED)
