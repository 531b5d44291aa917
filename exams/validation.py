"""Whether a question can be graded: the one set of rules, used by the model
(``Question.clean``), the admin form (through the model, with the options and rubric
points being edited) and the spreadsheet importer.

``validate_question(content)`` reads the dict ``Question.content()`` builds (the same
shape a QuestionVersion freezes) and returns a list of ValidationErrors, each with a
``code``; ``FIELD_OF_CODE`` names the model field an error belongs to (None: the
question as a whole, e.g. its options).
"""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from .questiontypes import (
    CHOICE_TYPES, DEDUCTION_KINDS, QTYPE_LABELS, SECTION_POINTS, CaseFileConclusion, QuestionType, ReviewItemKind,
)

MAX_TEXT = 5000

FIELD_OF_CODE = {
    "bad_type": "qtype",
    "text_required": "text",
    "text_too_long": "text",
    "too_few_options": None,
    "single_correct": None,
    "multi_correct": None,
    "truefalse_answer": "truefalse_answer",
    "rubric_required": None,
    "bad_rubric_score": None,
    "too_few_levels": "discretion_levels",
    "bad_levels": "discretion_levels",
    "discretion_correct_level": "discretion_correct_level",
    "discretion_band": "discretion_amount_max",
    "casefile_documents_required": None,
    "casefile_bad_document": None,
    "casefile_items_required": None,
    "casefile_bad_item": None,
    "casefile_bad_max": None,
    "casefile_bad_deduction": None,
    "casefile_section_total": None,
    "casefile_conclusion": "casefile_conclusion",
    "casefile_veto_conclusion": "casefile_conclusion",
}


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _tenths(value):
    """Whether a 评查 deduction fits its field (one decimal place): 1.25 would be stored as 1.2."""
    return value == value.quantize(Decimal("0.1"))


def validate_question(content):
    """[ValidationError] of everything that keeps this question from being graded; [] if none."""
    errors = []

    def error(message, code):
        errors.append(ValidationError(message, code=code))

    qtype = content.get("qtype")
    if qtype not in QTYPE_LABELS:
        error(_("题型无效。"), "bad_type")
        return errors
    text = (content.get("text") or "").strip()
    if not text:
        error(_("题干不能为空。"), "text_required")
    elif len(text) > MAX_TEXT:
        error(_("题干过长（超过 5000 字）。"), "text_too_long")

    if qtype in CHOICE_TYPES:
        options = [o for o in content.get("options") or [] if (o.get("text") or "").strip()]
        n_correct = sum(1 for o in options if o.get("correct"))
        if len(options) < 2:
            error(_("选择题至少需要两个选项。"), "too_few_options")
        elif qtype == QuestionType.SINGLE and n_correct != 1:
            error(_("单选题必须恰有一个正确选项。"), "single_correct")
        elif qtype == QuestionType.MULTI and n_correct < 1:
            error(_("多选题至少需要一个正确选项。"), "multi_correct")
    elif qtype == QuestionType.TRUEFALSE:
        if sum(1 for o in content.get("options") or [] if o.get("correct")) != 1:
            error(_("判断题须设置答案。"), "truefalse_answer")
    elif qtype == QuestionType.CASE:
        rubric = content.get("rubric") or []
        if not rubric:
            error(_("案例分析题至少需要一个评分要点。"), "rubric_required")
        elif any((_decimal(p.get("score")) or 0) <= 0 for p in rubric):
            error(_("评分要点的分值须大于 0。"), "bad_rubric_score")
    elif qtype == QuestionType.DISCRETION:
        spec = content.get("discretion") or {}
        orders = [lv.get("order") for lv in spec.get("levels") or []]
        if len(orders) < 2:
            error(_("裁量题至少需要两个裁量等级。"), "too_few_levels")
        elif len(set(orders)) != len(orders):
            error(_("裁量等级的序号不能重复。"), "bad_levels")
        if spec.get("correct_level") is None:
            error(_("裁量题须设置正确裁量等级。"), "discretion_correct_level")
        elif len(orders) >= 2 and spec.get("correct_level") not in orders:
            error(_("正确裁量等级须是所列等级之一（按序号）。"), "discretion_correct_level")
        lo, hi = _decimal(spec.get("amount_min")), _decimal(spec.get("amount_max"))
        if (lo is not None and lo < 0) or (hi is not None and hi < 0) or (
                lo is not None and hi is not None and lo > hi):
            error(_("罚款区间无效：下限、上限不能为负，且下限不能高于上限。"), "discretion_band")
    elif qtype == QuestionType.CASEFILE:
        errors.extend(casefile_errors(content.get("casefile") or {}))
    return errors


def casefile_errors(spec):
    """What keeps a 案卷评查 question from being graded: the case file needs documents, the
    评查标准 items, and the reference evaluation must fit the standard (a deduction within the
    item's maximum, each table within its 20 / 80 points, a file with a one-veto finding 不合格)."""
    errors = []

    def error(message, code):
        errors.append(ValidationError(message, code=code))

    documents = spec.get("documents") or []
    if not documents:
        error(_("案卷评查题至少需要一份案卷材料（文书）。"), "casefile_documents_required")
    for n, doc in enumerate(documents, start=1):
        if not (doc.get("title") or "").strip() or not ((doc.get("text") or "").strip() or doc.get("attachment")):
            error(_("第 %(n)s 份案卷材料须有文书名称，以及文书内容或附件。") % {"n": n}, "casefile_bad_document")
            break
    items = spec.get("items") or []
    if not items:
        error(_("案卷评查题至少需要一个评查项目。"), "casefile_items_required")
    totals = {kind: Decimal("0") for kind in DEDUCTION_KINDS}
    for n, item in enumerate(items, start=1):
        kind = item.get("kind")
        if kind not in ReviewItemKind.values or not (item.get("text") or "").strip():
            error(_("第 %(n)s 个评查项目须有项目内容和类别（一票否决、卷面或内容）。") % {"n": n}, "casefile_bad_item")
            continue
        if kind == ReviewItemKind.VETO:
            continue
        cap = SECTION_POINTS[kind]
        top = _decimal(item.get("max"))
        if top is None or top <= 0 or top > cap or not _tenths(top):
            error(_("评查项目“%(t)s”的最高扣分须大于 0 且不超过 %(cap)s 分，最多一位小数。")
                  % {"t": item["text"], "cap": cap}, "casefile_bad_max")
            continue
        if item.get("finding"):
            got = _decimal(item.get("deduction"))
            if got is None or got <= 0 or got > top or not _tenths(got):
                error(_("参考评查中评查项目“%(t)s”的扣分须大于 0 且不超过最高扣分 %(m)s 分，最多一位小数。")
                      % {"t": item["text"], "m": top}, "casefile_bad_deduction")
                continue
            totals[kind] += got
    for kind, total in totals.items():
        if total > SECTION_POINTS[kind]:
            error(_("参考评查中%(s)s扣分合计 %(t)s 分，超过该部分的 %(cap)s 分。")
                  % {"s": ReviewItemKind(kind).label, "t": total, "cap": SECTION_POINTS[kind]},
                  "casefile_section_total")
    conclusion = spec.get("conclusion")
    if conclusion not in CaseFileConclusion.values:
        error(_("须给出参考评查结论：合格卷或不合格卷。"), "casefile_conclusion")
    elif conclusion == CaseFileConclusion.PASS and any(
            i.get("kind") == ReviewItemKind.VETO and i.get("finding") for i in items):
        error(_("参考评查认定了一票否决项，评查结论只能是不合格卷。"), "casefile_veto_conclusion")
    return errors


def level_shape_errors(raw_levels):
    """Errors in the admin's JSON list of discretion levels before it can be read at all."""
    if raw_levels in (None, ""):
        return []
    if not isinstance(raw_levels, list) or not all(isinstance(lv, dict) for lv in raw_levels):
        return [ValidationError(_('裁量等级须为列表，如 [{"order": 1, "name": "轻微"}]。'), code="bad_levels")]
    for lv in raw_levels:
        try:
            int(lv.get("order"))
        except (TypeError, ValueError):
            return [ValidationError(_("每个裁量等级须有整数序号 order。"), code="bad_levels")]
        if not str(lv.get("name") or "").strip():
            return [ValidationError(_("每个裁量等级须有名称 name。"), code="bad_levels")]
    return []


def as_error_dict(errors):
    """{model field or NON_FIELD_ERRORS: [errors]} for raising from a model's clean()."""
    out = {}
    for e in errors:
        out.setdefault(FIELD_OF_CODE.get(e.code) or NON_FIELD_ERRORS, []).append(e)
    return out


def question_errors(question):
    """validate_question over a Question as it stands (with the children it holds in memory),
    as {field: [errors]}."""
    shape = level_shape_errors(question.discretion_levels) if not question.discretion_benchmark_id else []
    if shape:
        return {"discretion_levels": shape}
    return as_error_dict(validate_question(question.content()))
