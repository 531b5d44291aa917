"""What the browser may see of a question during a sitting.

Templates of an open sitting receive only these dicts — built from a whitelist of
fields — never a QuestionVersion or its content, so no key, explanation or score
can reach the page by accident.
"""
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casebank.models import level_label

from . import grading
from .grading import discretion_band
from .models import (
    DEDUCTION_KINDS, QTYPE_LABELS, SECTION_POINTS, CaseFileConclusion, PaperMode, QuestionStatus, QuestionType,
    ReviewItemKind, has_response,
)

#: What the review says about one 评查 item (grading's outcome codes), in the reader's language.
OUTCOME_LABELS = {
    grading.RIGHT: gettext_lazy("评查正确"),
    grading.MISSED: gettext_lazy("漏查：案卷存在该问题"),
    grading.FALSE_ALARM: gettext_lazy("误判：案卷不存在该问题"),
    grading.DEDUCTION_OFF: gettext_lazy("问题认定正确，扣分不准确"),
    grading.BLANK: gettext_lazy("未评查"),
}


def public_question(answer, *, with_feedback=False, figure_url=None):
    """A question of a paper as the officer sees it: no key. ``figure_url(position)`` gives the
    address of the question's figure; it is called only for a question that has one."""
    content = answer.version.content
    qtype = content["qtype"]
    texts = {o["key"]: o["text"] for o in content.get("options", [])}
    response = answer.response or {}
    item = {
        "position": answer.position,
        "qtype": qtype,
        "qtype_label": QTYPE_LABELS.get(qtype, qtype),
        "text": content["text"],
        "points": answer.points,
        "image_url": figure_url(answer.position) if figure_url and content.get("image_id") else None,
        "revision": answer.revision,
        "answered": has_response(qtype, answer.response),
        "locked": answer.locked,
        "is_single": qtype in (QuestionType.SINGLE, QuestionType.TRUEFALSE),
        "is_multi": qtype == QuestionType.MULTI,
        "is_case": qtype == QuestionType.CASE,
        "is_discretion": qtype == QuestionType.DISCRETION,
        "options": [
            {"key": key, "label": chr(65 + i) if qtype != QuestionType.TRUEFALSE else "", "text": texts.get(key, ""),
             "checked": key == response.get("choice") or key in (response.get("choices") or [])}
            for i, key in enumerate(answer.option_order)
        ],
        "text_answer": response.get("text", ""),
        "levels": [{"order": lv["order"], "name": lv["name"], "label": lv["label"],
                    "checked": lv["order"] == response.get("level")} for lv in discretion_levels(content)],
        "amount": response.get("amount", ""),
        "is_casefile": qtype == QuestionType.CASEFILE,
    }
    if qtype == QuestionType.CASEFILE:
        item["casefile"] = public_casefile(content, response)
    if with_feedback:
        item["feedback"] = feedback(answer)
    return item


def discretion_levels(content):
    """The levels of a discretion question as frozen in its version, each with the ``label`` a reader sees:
    one of the usual level words in the reader's language, any other name as entered (casebank's rule)."""
    return [dict(lv, label=level_label(lv["name"])) for lv in (content.get("discretion") or {}).get("levels", [])]


def feedback(answer):
    """The review of one answered question: right answer, explanation, score."""
    content = answer.version.content
    order = {k: i for i, k in enumerate(answer.option_order)}
    correct = [o for o in content.get("options", []) if o["correct"]]
    labels = []
    for o in correct:
        if content["qtype"] == QuestionType.TRUEFALSE:
            labels.append(o["text"])
        else:
            labels.append(f"{chr(65 + order.get(o['key'], 0))}. {o['text']}")
    disc = content.get("discretion") or {}
    level_name = next((lv["label"] for lv in discretion_levels(content) if lv["order"] == disc.get("correct_level")), "")
    _lvl, lo, hi = discretion_band(content) if content["qtype"] == QuestionType.DISCRETION else (None, None, None)
    return {
        "correct": answer.correct,
        "score": answer.score,
        "points": answer.points,
        "correct_labels": labels,
        "explanation": content.get("explanation", ""),
        "reference_answer": content.get("reference_answer", ""),
        "articles": content.get("articles", []),
        "article_links": content.get("article_links", []),
        "case_links": content.get("case_links", []),
        "rubric": [dict(p, mark=(answer.marks or {}).get(p["key"], {})) for p in content.get("rubric", [])],
        "comment": answer.comment,
        "discretion_level": level_name,
        "amount_min": lo,
        "amount_max": hi,
        "needs_marking": answer.needs_marking and answer.marked_at is None,
        "casefile": casefile_review(content, getattr(answer, "response", None))
        if content["qtype"] == QuestionType.CASEFILE else None,
    }


def plain(value):
    """A decimal as people write it: 20, 1.5 (never 2E+1)."""
    return "" if value is None else f"{value.normalize():f}"


def _section_label(kind):
    if kind == ReviewItemKind.VETO:
        return _("一票否决项目（存在任一项即为不合格卷）")
    return _("%(s)s评查（%(p)s 分）") % {"s": ReviewItemKind(kind).label, "p": plain(SECTION_POINTS[kind])}


def public_casefile(content, response):
    """The case file and the 评查标准 as the officer sees them while answering: documents, and
    the items grouped 一票否决 / 卷面 / 内容 with the officer's own marks — never the reference."""
    spec = content.get("casefile") or {}
    entries = (response or {}).get("items") or {}
    sections = []
    for kind in ReviewItemKind.values:
        items = []
        for it in spec.get("items", []):
            if it["kind"] != kind:
                continue
            entry = entries.get(it["key"]) or {}
            finding = entry.get("finding")
            items.append({"key": it["key"], "text": it["text"], "deducts": kind in DEDUCTION_KINDS,
                          "max": plain(grading.to_decimal(it.get("max"))),
                          "finding": {True: "yes", False: "no"}.get(finding, ""),
                          "deduction": entry.get("deduction") or ""})
        if items:
            sections.append({"kind": kind, "label": _section_label(kind), "items": items})
    return {
        "documents": [{"key": d["key"], "title": d["title"], "text": d.get("text", ""),
                       "attachment": d.get("attachment")} for d in spec.get("documents", [])],
        "sections": sections,
        "conclusion": (response or {}).get("conclusion") or "",
        "conclusions": CaseFileConclusion.choices,
    }


def _marked(item, entry):
    finding = (entry or {}).get("finding")
    if finding is None:
        return _("未评查")
    if not finding:
        return _("不存在")
    if item["kind"] in DEDUCTION_KINDS:
        deduction = grading.to_decimal((entry or {}).get("deduction"))
        return _("存在，扣 %(d)s 分") % {"d": plain(deduction)} if deduction is not None else _("存在，未填扣分")
    return _("存在")


def casefile_review(content, response):
    """The item-by-item review of a 评查 answer (the 解析 shown after the answer is graded): the
    officer's and the reference's finding and deduction, the outcome and the trainer's 评析; the
    conclusions; the file's marks out of 100 both ways."""
    spec = content.get("casefile") or {}
    items = spec.get("items", [])
    entries = (response or {}).get("items") or {}
    rows = []
    for it in items:
        outcome, _credit = grading.casefile_item_outcome(it, entries.get(it["key"]))
        rows.append({"key": it["key"], "text": it["text"], "kind_label": ReviewItemKind(it["kind"]).label,
                     "yours": _marked(it, entries.get(it["key"])),
                     "reference": _marked(it, it),
                     "outcome": outcome, "outcome_label": OUTCOME_LABELS[outcome], "right": outcome == grading.RIGHT,
                     "note": it.get("note", "")})
    labels = dict(CaseFileConclusion.choices)
    yours = (response or {}).get("conclusion")
    return {
        "rows": rows,
        "conclusion": labels.get(yours, _("未作结论")),
        "reference_conclusion": labels.get(spec.get("conclusion"), ""),
        "conclusion_right": yours == spec.get("conclusion"),
        "passed_vetoed": grading.casefile_vetoed(items) and yours == CaseFileConclusion.PASS,
        "marks": plain(grading.casefile_marks(items, entries)),
        "reference_marks": plain(grading.casefile_marks(items)),
    }


def parse_form(post, position, qtype):
    """Raw answer of one question from a plain form post (field names q<position>-…)."""
    prefix = f"q{position}-"
    if qtype in (QuestionType.SINGLE, QuestionType.TRUEFALSE):
        return {"choice": post.get(prefix + "choice")}
    if qtype == QuestionType.MULTI:
        return {"choices": post.getlist(prefix + "choices")}
    if qtype == QuestionType.CASE:
        return {"text": post.get(prefix + "text", "")}
    if qtype == QuestionType.DISCRETION:
        return {"level": post.get(prefix + "level"), "amount": post.get(prefix + "amount", "")}
    if qtype == QuestionType.CASEFILE:
        # Every item the post names is handed on (q<n>-f-<item> finding, q<n>-d-<item> deduction):
        # grading refuses an item that is not in the standard rather than dropping it.
        items = {}
        for name in post:
            for field, part in (("finding", prefix + "f-"), ("deduction", prefix + "d-")):
                if name.startswith(part):
                    items.setdefault(name[len(part):], {})[field] = post.get(name)
        return {"items": items, "conclusion": post.get(prefix + "conclusion")}
    return {}


def form_touched(post, position):
    """Whether a form post carries this question at all (a revision field marks it)."""
    return f"q{position}-rev" in post


def composition(exam):
    """The paper's make-up shown before the start: rows of {qtype_label, count, each, subtotal}
    per question type (``each`` None when points differ within the type), the number of
    questions, the total points, and whether a fixed list is drawn from at random
    (``drawn_from``: the size of the list, or None)."""
    lines = []  # (qtype, points)
    drawn_from = None
    if exam.mode == PaperMode.RULES:
        for rule in exam.draw_rules.all():
            lines.extend([(rule.qtype or "", rule.points)] * rule.count)
    else:
        lines = list(exam.exam_questions.filter(question__status=QuestionStatus.ACTIVE)
                     .values_list("question__qtype", "points"))
        if exam.max_questions and exam.max_questions < len(lines):
            drawn_from = len(lines)
    rows = {}
    for qtype, points in lines:
        row = rows.setdefault(qtype, {"qtype_label": QTYPE_LABELS.get(qtype, "") or _("任意题型"), "count": 0,
                                      "points": set(), "subtotal": Decimal("0")})
        row["count"] += 1
        row["points"].add(Decimal(points))
        row["subtotal"] += Decimal(points)
    out = []
    for row in rows.values():
        points = row.pop("points")
        row["each"] = next(iter(points)) if len(points) == 1 else None
        out.append(row)
    if drawn_from is not None:
        n = exam.max_questions
        total = None  # depends on which questions are drawn
    else:
        n = len(lines)
        total = sum((r["subtotal"] for r in out), Decimal("0"))
    return {"rows": out, "n": n, "total": total, "drawn_from": drawn_from}
