"""类案推送: the cases most like a case, by violation, circumstances and discretion level, each with
a short reason ("同一违法行为 · 同一裁量等级").

A plain rule over the case's features, scored with ``WEIGHTS``:

- violation: a shared power-list item (权力清单事项), else the same discretion benchmark (the
  benchmark is per violation), else the same violation type written the same way;
- discretion: the same benchmark level, or the level next to it in the same benchmark;
- circumstances: shared tags (up to ``MAX_TAGS`` count) and a shared duty area.

A case scoring less than ``MIN_SCORE`` (a shared duty area alone) is not similar. Only cases the
viewer may open are proposed (``visible_cases``): live, without a view restriction, and for a
visitor who is not signed in only the public ones; drafts and unpublished cases never are.

The queries are bounded: a few to read the case, one per signal to find candidates, one for
their duty areas and one for the visible candidates, however many cases there are.
The page models are named by label: this module sits below casebank.pages."""
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext as _

#: Points per signal.
WEIGHTS = {
    "power_item": 40,
    "benchmark": 35,
    "violation_type": 20,
    "same_level": 25,
    "near_level": 12,
    "tag": 6,
    "area": 5,
}
#: Shared tags that count (and are named in the reason).
MAX_TAGS = 3
#: Below this a candidate is not similar.
MIN_SCORE = 10
#: Cases proposed on a case page.
LIMIT = 5


def case_model():
    return apps.get_model("casebank", "CasePage")


def visible_cases(user):
    """The cases ``user`` may open: live and unrestricted; only the public ones when not signed in."""
    qs = case_model().objects.live().public()
    if not getattr(user, "is_authenticated", False):
        qs = qs.filter(is_public=True)
    return qs


@dataclass
class Similar:
    case: object
    score: int = 0
    reasons: list = field(default_factory=list)

    @property
    def reason(self):
        return " · ".join(self.reasons)


@dataclass
class _Features:
    power_items: set
    tags: dict  # tag id → name
    areas: set
    level_id: int | None
    benchmark_id: int | None
    level_order: int | None
    violation_type: str


def _features(case):
    """What the rule compares, read from the case (also from a draft's in-memory relations)."""
    level = None
    if case.discretion_level_id:
        level = (apps.get_model("casebank", "DiscretionLevel").objects.filter(pk=case.discretion_level_id)
                 .values("benchmark_id", "sort_order").first())
    return _Features(
        power_items={p.pk for p in case.power_items.all()},
        tags={t.pk: t.name for t in case.tags.all() if t.pk},
        areas={a.pk for a in case.duty_areas.all()},
        level_id=case.discretion_level_id if level else None,
        benchmark_id=level["benchmark_id"] if level else None,
        level_order=level["sort_order"] if level else None,
        violation_type=(case.violation_type or "").strip(),
    )


class _Score:
    def __init__(self):
        self.violation = 0
        self.level = 0
        self.level_reason = ""
        self.tags = []
        self.area = False

    @property
    def total(self):
        return (self.violation + self.level + WEIGHTS["tag"] * len(self.tags[:MAX_TAGS])
                + (WEIGHTS["area"] if self.area else 0))

    def reasons(self):
        out = []
        if self.violation:
            out.append(_("同一违法行为"))
        if self.level_reason:
            out.append(self.level_reason)
        if self.tags:
            out.append(_("相同情节：%(tags)s") % {"tags": "、".join(self.tags[:MAX_TAGS])})
        if self.area and not self.violation:
            out.append(_("同一职责领域"))
        return out


def score_candidates(case):
    """{case id: _Score} of every other case sharing a violation, level or tag with ``case``."""
    Case = case_model()
    f = _features(case)
    scores = {}

    def get(pk):
        if pk not in scores:
            scores[pk] = _Score()
        return scores[pk]

    if f.power_items:
        rows = Case.power_items.through.objects.filter(poweritem_id__in=f.power_items).values_list(
            "casepage_id", flat=True)
        for pk in rows:
            get(pk).violation = WEIGHTS["power_item"]
    if f.benchmark_id:
        rows = Case.objects.filter(discretion_level__benchmark_id=f.benchmark_id).values_list(
            "pk", "discretion_level_id", "discretion_level__sort_order")
        for pk, level_id, order in rows:
            s = get(pk)
            s.violation = max(s.violation, WEIGHTS["benchmark"])
            if level_id == f.level_id:
                s.level, s.level_reason = WEIGHTS["same_level"], _("同一裁量等级")
            elif order is not None and f.level_order is not None and abs(order - f.level_order) == 1:
                s.level, s.level_reason = WEIGHTS["near_level"], _("相邻裁量等级")
    if f.violation_type:
        for pk in Case.objects.filter(violation_type=f.violation_type).values_list("pk", flat=True):
            s = get(pk)
            s.violation = max(s.violation, WEIGHTS["violation_type"])
    if f.tags:
        tag_model = Case.tags.through
        for pk, tag_id in tag_model.objects.filter(tag_id__in=f.tags).values_list("content_object_id", "tag_id"):
            s = get(pk)
            if f.tags[tag_id] not in s.tags:
                s.tags.append(f.tags[tag_id])
    scores.pop(case.pk, None)
    if scores and f.areas:
        shared = Case.duty_areas.through.objects.filter(casepage_id__in=list(scores), dutyarea_id__in=f.areas)
        for pk in shared.values_list("casepage_id", flat=True).distinct():
            scores[pk].area = True
    return scores


def similar_cases(case, user, limit=LIMIT):
    """[Similar] of the cases most like ``case`` that ``user`` may open, best first (score, then
    the most recent decision)."""
    scores = {pk: s for pk, s in score_candidates(case).items() if s.total >= MIN_SCORE}
    if not scores:
        return []
    pages = (visible_cases(user).filter(pk__in=list(scores))
             .only("pk", "title", "url_path", "decision_date", "district", "violation_type", "case_number"))
    ranked = sorted(pages, key=lambda p: (-scores[p.pk].total, -(p.decision_date.toordinal() if p.decision_date
                                                                 else 0), p.pk))
    return [Similar(p, scores[p.pk].total, scores[p.pk].reasons()) for p in ranked[:limit]]
