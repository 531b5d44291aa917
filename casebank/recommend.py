"""案例推荐: a squad recommends a local case to the case bank.

Who: the squad's leadership and its legal officer — an active officer of a squad (中队) whose
position is 中队长, 副中队长 or 法制员. A bureau takes a squad's recommendation from those who
answer for the squad's case files; other officers propose a case to them. Trainers and legal
reviewers write cases in the admin directly.

What happens: the form's case (the case page's own fields) becomes a draft case page under the
case index, owned by the recommender, and the index's review workflow (法制审核) starts on it, so
it waits in the legal reviewers' 待法制审核 list; a reviewer completes, approves (publishes) or
rejects it in the admin. At most ``DAILY_LIMIT`` recommendations per squad a day
(Asia/Shanghai)."""
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import WorkflowState

from officers.models import LEVEL_SQUAD, Position
from officers.scoping import own_profile
from portal import desk

from .casework import CaseRecommendation

#: Positions that may recommend for their squad.
RECOMMENDER_POSITIONS = (Position.SQUAD_LEADER.value, Position.DEPUTY_SQUAD_LEADER.value,
                         Position.LEGAL_OFFICER.value)
#: Recommendations one squad may make per calendar day.
DAILY_LIMIT = 5
#: The case page's fields the form fills (the rest are the reviewers' to complete).
PAGE_FIELDS = ("title", "case_number", "decision_date", "district", "violation_type", "fine_amount", "facts",
               "issues", "legal_basis_text", "outcome", "review_result")


class RecommendationError(ValidationError):
    """A refused recommendation (with a code tests can match)."""


def may_recommend(user):
    """True for an active officer of a squad holding one of RECOMMENDER_POSITIONS."""
    officer = own_profile(user)
    return bool(officer is not None and officer.is_active and officer.position in RECOMMENDER_POSITIONS
                and officer.unit.level == LEVEL_SQUAD)


def recommendations_today(unit, now=None):
    return desk.sent_today(CaseRecommendation.objects.filter(unit=unit), now)


def for_unit(unit):
    """The squad's recommendations with their pages, newest first."""
    return CaseRecommendation.objects.filter(unit=unit).select_related("page", "recommended_by__officer")


def with_states(recommendations):
    """[(recommendation, code, label)]: published, in review (法制审核) or returned; two queries."""
    recommendations = list(recommendations)
    pending = set(WorkflowState.objects.active().filter(
        base_content_type__app_label="wagtailcore", base_content_type__model="page",
        object_id__in=[str(r.page_id) for r in recommendations]).values_list("object_id", flat=True))
    rows = []
    for r in recommendations:
        if r.page.live:
            rows.append((r, "published", _("已采用发布")))
        elif str(r.page_id) in pending:
            rows.append((r, "in_review", _("待法制审核")))
        else:
            rows.append((r, "returned", _("已退回")))
    return rows


def _case_index():
    return apps.get_model("casebank", "CaseIndexPage").objects.first()


def _slug(now):
    return f"tuijian-{timezone.localtime(now):%Y%m%d-%H%M%S}"


def recommend(user, data, reason="", now=None):
    """Create the draft case from ``data`` (cleaned form data: PAGE_FIELDS and ``duty_areas``) and
    start its review. Raises RecommendationError (not_allowed, daily_limit, no_index, no_workflow).
    Returns the CaseRecommendation."""
    if not may_recommend(user):
        raise RecommendationError(_("只有中队长、副中队长或中队法制员可以推荐案例。"), code="not_allowed")
    officer = own_profile(user)
    now = now or timezone.now()
    if recommendations_today(officer.unit, now) >= DAILY_LIMIT:
        raise RecommendationError(_("本中队今天已推荐 %(n)s 个案例，已达每日上限，请明天再推荐。") % {
            "n": DAILY_LIMIT}, code="daily_limit")
    index = _case_index()
    if index is None:
        raise RecommendationError(_("案例库尚未建立，暂不能推荐。"), code="no_index")
    workflow = index.get_workflow()
    if workflow is None or not workflow.active:
        raise RecommendationError(_("案例库未配置法制审核流程，请联系系统管理员。"), code="no_workflow")
    Case = apps.get_model("casebank", "CasePage")
    with transaction.atomic():
        page = Case(live=False, has_unpublished_changes=True, owner=user, **{name: data.get(name) for name in PAGE_FIELDS
                                               if data.get(name) not in (None, "")})
        page.slug = _unique_slug(Case, index, _slug(now))
        page.duty_areas = list(data.get("duty_areas") or [])
        index.add_child(instance=page)
        page.save_revision(user=user, log_action=True)
        recommendation = CaseRecommendation.objects.create(page=page, unit=officer.unit, recommended_by=user,
                                                           reason=(reason or "").strip())
        workflow.start(page, user)
    return recommendation


def _unique_slug(Case, index, base):
    taken = set(Case.objects.child_of(index).filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug

