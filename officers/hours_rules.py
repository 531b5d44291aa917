"""The training-hour rules of a qualification type, as plain functions over an officer's ledger.

A type asks, every calendar year:

- a minimum total (``QualificationType.min_hours_per_year``; new types start from the
  ``ACADEMY_DEFAULT_ANNUAL_HOURS`` setting);
- a minimum per hours category (``HoursRequirement``: 公共法律知识, 业务知识, 执法技能 …);
- at least one 集中培训 (``central_training_required``);
- over a rolling window of the last N years, this year included (``window_years``), a
  minimum of hours, of 集中培训 only or of every mode (``window_min_hours``,
  ``window_central_only``), e.g. 轮训 every 3 or 5 years.

``hours_gaps`` returns one ``HoursGap`` per unmet rule; the qualification evaluation turns each
into its own unmet requirement. ``load_ledgers`` reads the ledgers of many officers with one
aggregate query per 900 officers. The annual exam can be held back until the yearly rules are
met (``annual_exam_needs_hours``) and until the rolling window is (``annual_exam_needs_window``);
``exam_gate_reasons`` says why, for the exams app.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.apps import apps
from django.db.models import Q, Sum
from django.utils.translation import get_language, gettext, pgettext

from .models import (
    MODE_CENTRAL, MODE_SELF_STUDY, Q_NOT_QUALIFIED, Q_REVOKED, HoursCategory, HoursEntry, HoursRequirement,
    QualificationRecord, QualificationType, RequiredExam,
)

ZERO = Decimal("0")

#: Codes of the rules in ``HoursGap.code`` and ``QualificationRecord.hours_gaps`` (a category
#: rule is "cat:<category code>").
GAP_TOTAL = "total"
GAP_CENTRAL = "central"
GAP_WINDOW = "window"
GAP_CATEGORY_PREFIX = "cat:"
#: The exam kind whose sittings the gate holds back when a type names no annual exam.
EXAM_KIND_ANNUAL = "annual"


@lru_cache(maxsize=512)
def _translate(message, language):
    return gettext(message)


def _(message):
    """gettext, memoised per language: the rules format the same few messages for every
    officer, and catalogue look-ups dominated bulk evaluation."""
    return _translate(message, get_language())


def fmt_hours(value):
    """The one number format for hours and scores: whole numbers as integers ("60",
    never "60.0"), anything else with one decimal ("12.5")."""
    value = Decimal(value or 0)
    if value == value.to_integral():
        return str(value.quantize(Decimal("1")))
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --- The ledger of one officer ------------------------------------------------------------


@dataclass
class HoursLedger:
    """An officer's hours summed by (year, category id or None, mode)."""

    cells: dict = field(default_factory=dict)

    def add(self, year, category_id, mode, hours):
        key = (year, category_id, mode)
        self.cells[key] = self.cells.get(key, ZERO) + (hours or ZERO)

    def total(self, year):
        return sum((v for (y, _c, _m), v in self.cells.items() if y == year), ZERO)

    def by_category(self, year, category_id):
        return sum((v for (y, c, _m), v in self.cells.items() if y == year and c == category_id), ZERO)

    def by_mode(self, year, mode):
        return sum((v for (y, _c, m), v in self.cells.items() if y == year and m == mode), ZERO)

    def window(self, year, years, *, central_only):
        """Hours of the ``years`` calendar years up to ``year`` (included)."""
        first = year - years + 1
        return sum((v for (y, _c, m), v in self.cells.items()
                    if first <= y <= year and (not central_only or m == MODE_CENTRAL)), ZERO)

    def years(self):
        return {y for (y, _c, _m) in self.cells}


def load_ledgers(officer_ids, year, years_back=1):
    """{officer id: HoursLedger} of the calendar years ``year - years_back + 1`` … ``year``,
    one aggregate query per 900 officers (SQLite's parameter limit)."""
    ledgers = {pk: HoursLedger() for pk in officer_ids}
    ids = list(ledgers)
    first = year - max(1, years_back) + 1
    for start in range(0, len(ids), 900):
        rows = (HoursEntry.objects.filter(officer_id__in=ids[start:start + 900], year__gte=first, year__lte=year)
                .values_list("officer_id", "year", "category_id", "mode").annotate(total=Sum("hours")).order_by())
        for officer_id, y, category_id, mode, total in rows:
            ledgers[officer_id].add(y, category_id, mode, total)
    return ledgers


def years_needed(types):
    """How many calendar years of ledger the rules of these types read (at least two: this
    year and the last)."""
    return max([2] + [t.window_years or 0 for t in types])


def requirements_by_type(types):
    """{type id: [HoursRequirement with its category]} in category order."""
    result = defaultdict(list)
    for req in (HoursRequirement.objects.filter(qualification_type__in=types).select_related("category")
                .order_by("category__sort_order", "category__code")):
        result[req.qualification_type_id].append(req)
    return result


# --- The rules ----------------------------------------------------------------------------


@dataclass
class HoursGap:
    """One unmet hours rule: what the officer has against what is needed."""

    code: str
    have: Decimal
    need: Decimal
    year: int
    category: HoursCategory = None
    #: GAP_WINDOW: the window's length and whether only 集中培训 counts.
    years: int = 0
    central_only: bool = False

    @property
    def short(self):
        return max(ZERO, Decimal(self.need) - Decimal(self.have))

    @property
    def yearly(self):
        """A rule of this calendar year (the window spans several)."""
        return self.code != GAP_WINDOW

    @property
    def reason(self):
        values = {"year": self.year, "have": fmt_hours(self.have), "need": fmt_hours(self.need),
                  "short": fmt_hours(self.short), "years": self.years,
                  "name": self.category.label if self.category else ""}
        if self.code == GAP_CATEGORY_PREFIX + getattr(self.category, "code", ""):
            return _("%(year)s 年「%(name)s」学时 %(have)s/%(need)s") % values
        if self.code == GAP_CENTRAL:
            return _("%(year)s 年尚未参加集中培训（每年至少一次）") % values
        if self.code == GAP_WINDOW:
            template = (_("近 %(years)s 年集中培训（轮训）学时 %(have)s/%(need)s") if self.central_only
                        else _("近 %(years)s 年学时 %(have)s/%(need)s"))
            return template % values
        return _("%(year)s 年学时 %(have)s/%(need)s") % values


def yearly_gaps(qtype, requirements, ledger, year):
    """The unmet yearly rules of the type: the total, each category, at least one 集中培训."""
    gaps = []
    need = qtype.min_hours_per_year or ZERO
    have = ledger.total(year)
    if need > 0 and have < need:
        gaps.append(HoursGap(GAP_TOTAL, have, need, year))
    for req in requirements:
        have = ledger.by_category(year, req.category_id)
        if req.min_hours > 0 and have < req.min_hours:
            gaps.append(HoursGap(GAP_CATEGORY_PREFIX + req.category.code, have, req.min_hours, year,
                                 category=req.category))
    if central_training_missing(qtype, ledger, year):
        gaps.append(HoursGap(GAP_CENTRAL, ZERO, ZERO, year))
    return gaps


def central_training_missing(qtype, ledger, year):
    """The type asks for at least one 集中培训 a year and the year has none."""
    return bool(qtype.central_training_required and ledger.by_mode(year, MODE_CENTRAL) <= 0)


def central_training_status(qtype, ledger, year):
    """The year's 集中培训 rule as a word for reports: 已参加, 未参加 (required and missing) or
    不要求 (the type does not ask for it)."""
    if not qtype.central_training_required:
        return pgettext("central training", "不要求")
    return (pgettext("central training", "未参加") if central_training_missing(qtype, ledger, year)
            else pgettext("central training", "已参加"))


def window_gap(qtype, ledger, year):
    """The rolling window rule, or None when met or not set."""
    if not (qtype.window_years and qtype.window_min_hours and qtype.window_min_hours > 0):
        return None
    have = ledger.window(year, qtype.window_years, central_only=qtype.window_central_only)
    if have >= qtype.window_min_hours:
        return None
    return HoursGap(GAP_WINDOW, have, qtype.window_min_hours, year, years=qtype.window_years,
                    central_only=qtype.window_central_only)


def hours_gaps(qtype, requirements, ledger, year):
    """Every unmet hours rule of the type for the year: the yearly ones, then the window."""
    gaps = yearly_gaps(qtype, requirements, ledger, year)
    window = window_gap(qtype, ledger, year)
    if window is not None:
        gaps.append(window)
    return gaps


def gaps_text(gaps):
    """The stored form of the unmet rules (QualificationRecord.hours_gaps): padded codes."""
    return f" {' '.join(g.code for g in gaps)} " if gaps else ""


def category_gap_q(code):
    """The lookup that finds records short of one category ("" or None: of any category)."""
    return {"hours_gaps__contains": f" {GAP_CATEGORY_PREFIX}{code} " if code else f" {GAP_CATEGORY_PREFIX}"}


# --- Figures for the pages ----------------------------------------------------------------


@dataclass
class FigureRow:
    name: str
    central: Decimal
    self_study: Decimal
    code: str = ""

    @property
    def total(self):
        return self.central + self.self_study

    @property
    def central_text(self):
        return fmt_hours(self.central)

    @property
    def self_text(self):
        return fmt_hours(self.self_study)

    @property
    def total_text(self):
        return fmt_hours(self.total)


def figures(ledger, year, categories):
    """Rows of the year's hours by category (then 未分类 when any) with 集中培训 / 自学, and
    the total row."""
    rows = []
    for category in categories:
        rows.append(FigureRow(category.label, _cell(ledger, year, category.pk, MODE_CENTRAL),
                              _cell(ledger, year, category.pk, MODE_SELF_STUDY), category.code))
    other = FigureRow(_("未分类"), _cell(ledger, year, None, MODE_CENTRAL), _cell(ledger, year, None, MODE_SELF_STUDY))
    if other.total:
        rows.append(other)
    total = FigureRow(_("合计"), ledger.by_mode(year, MODE_CENTRAL), ledger.by_mode(year, MODE_SELF_STUDY))
    return {"year": year, "rows": rows, "total": total}


def _cell(ledger, year, category_id, mode):
    return ledger.cells.get((year, category_id, mode), ZERO)


def officer_figures(officer, year):
    """The year's hours table of one officer (two queries)."""
    ledger = load_ledgers([officer.pk], year, 1)[officer.pk]
    return figures(ledger, year, list(HoursCategory.objects.all()))


def course_catalogue_url():
    """The course catalogue's URL (课程中心; it filters by ``?hours_category=<code>``), "" without
    the courses app or a published catalogue. The page model is taken by its label: officers
    does not import courses."""
    if not apps.is_installed("courses"):
        return ""
    page = apps.get_model("courses", "CourseIndexPage").objects.live().first()
    return (page.url if page is not None else "") or ""


# --- The annual exam gate -----------------------------------------------------------------


def holds_exam(qtype, gap):
    """Whether an unmet hours rule holds the type's annual exam back: a yearly rule with
    ``annual_exam_needs_hours``, the rolling window (轮训) with ``annual_exam_needs_window``."""
    return bool(qtype.annual_exam_needs_hours if gap.yearly else qtype.annual_exam_needs_window)


def gate_gaps(qtype, gaps):
    """The unmet hours rules among ``gaps`` that hold the type's annual exam back."""
    return [gap for gap in gaps if holds_exam(qtype, gap)]


def exam_gate_reasons(officer, exams, today):
    """{exam id: why the officer may not sit it yet} for the annual exams among ``exams``
    (objects with ``pk`` and ``kind``) held back by a type until its hours rules are met: the
    yearly ones (``annual_exam_needs_hours``) and the rolling window (``annual_exam_needs_window``).
    Types count that are the base type or that the officer holds or seeks (a record neither
    revoked nor 未取得). Empty when nothing holds an exam back."""
    exams = list(exams)
    types = list(QualificationType.objects.filter(is_active=True).filter(
        Q(annual_exam_needs_hours=True) | Q(annual_exam_needs_window=True)))
    if not exams or not types:
        return {}
    held = set(QualificationRecord.objects.filter(officer=officer, qualification_type__in=types)
               .exclude(status__in=[Q_REVOKED, Q_NOT_QUALIFIED]).values_list("qualification_type_id", flat=True))
    types = [t for t in types if t.is_base or t.pk in held]
    named = defaultdict(set)
    for type_id, exam_id in RequiredExam.objects.filter(qualification_type__in=types, annual=True).values_list(
            "qualification_type_id", "exam_id"):
        named[type_id].add(exam_id)
    ledger = load_ledgers([officer.pk], today.year, years_needed(types))[officer.pk]
    requirements = requirements_by_type(types)
    reasons = {}
    for qtype in types:
        gated = [e for e in exams if (e.pk in named[qtype.pk] if named[qtype.pk]
                                      else qtype.annual_exam_required and e.kind == EXAM_KIND_ANNUAL)]
        if not gated:
            continue
        gaps = gate_gaps(qtype, hours_gaps(qtype, requirements.get(qtype.pk, []), ledger, today.year))
        if not gaps:
            continue
        reason = gate_reason(gaps)
        for exam in gated:
            reasons.setdefault(exam.pk, reason)
    return reasons


def gate_reason(gaps):
    """Why the annual exam is not open yet, naming each unmet rule that holds it back."""
    template = (_("年度考试须先修满本年学时：%(gaps)s") if all(gap.yearly for gap in gaps)
                else _("年度考试须先修满规定学时：%(gaps)s"))
    return template % {"gaps": "；".join(str(g.reason) for g in gaps)}
