"""What the browser may see of a question during a sitting.

Templates of an open sitting receive only these dicts — built from a whitelist of
fields — never a QuestionVersion or its content, so no key, explanation or score
can reach the page by accident.
"""
from decimal import Decimal

from django.utils.translation import gettext as _

from .grading import discretion_band
from .models import QTYPE_LABELS, PaperMode, QuestionStatus, QuestionType, has_response


def public_question(answer, *, with_feedback=False, image_url=None):
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
        "image_url": image_url if content.get("image_id") else None,
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
        "levels": [{"order": lv["order"], "name": lv["name"], "checked": lv["order"] == response.get("level")}
                   for lv in (content.get("discretion") or {}).get("levels", [])],
        "amount": response.get("amount", ""),
    }
    if with_feedback:
        item["feedback"] = feedback(answer)
    return item


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
    level_name = next((lv["name"] for lv in disc.get("levels", []) if lv["order"] == disc.get("correct_level")), "")
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
