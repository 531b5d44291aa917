"""Grading rules: plain functions from (frozen question content, response, points) to a score.

``content`` is a QuestionVersion's content dict; ``response`` the officer's answer:
single / truefalse ``{"choice": key}``; multi ``{"choices": [keys]}``;
case ``{"text": "..."}``; discretion ``{"level": order, "amount": "200"}``.
"""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .models import MultiScoring, QuestionType

ZERO = Decimal("0")
CENT = Decimal("0.01")


def q2(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def correct_keys(content):
    return {o["key"] for o in content.get("options", []) if o["correct"]}


def to_decimal(value):
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite():
        return None
    return d


def discretion_band(content):
    """(correct level order, amount min, amount max) of a discretion question: the question's own
    band, else the band of the correct level."""
    spec = content.get("discretion") or {}
    level = spec.get("correct_level")
    lo, hi = to_decimal(spec.get("amount_min")), to_decimal(spec.get("amount_max"))
    if lo is None and hi is None:
        for lv in spec.get("levels", []):
            if lv["order"] == level:
                lo, hi = to_decimal(lv.get("fine_min")), to_decimal(lv.get("fine_max"))
    return level, lo, hi


def grade(content, response, points, *, multi_scoring=MultiScoring.ALL):
    """(score, correct) for an objective question; (None, None) for a case analysis,
    which a trainer marks."""
    points = Decimal(points)
    qtype = content["qtype"]
    response = response or {}
    if qtype == QuestionType.CASE:
        return None, None
    if qtype in (QuestionType.SINGLE, QuestionType.TRUEFALSE):
        ok = response.get("choice") in correct_keys(content) and bool(response.get("choice"))
        return (q2(points) if ok else ZERO), ok
    if qtype == QuestionType.MULTI:
        chosen = set(response.get("choices") or [])
        right = correct_keys(content)
        if chosen == right:
            return q2(points), True
        if multi_scoring == MultiScoring.PARTIAL and chosen and chosen <= right:
            return q2(points * len(chosen) / len(right)), False
        return ZERO, False
    if qtype == QuestionType.DISCRETION:
        level, lo, hi = discretion_band(content)
        try:
            chosen_level = int(response.get("level"))
        except (TypeError, ValueError):
            return ZERO, False
        amount = to_decimal(response.get("amount"))
        ok = chosen_level == level
        if ok and (lo is not None or hi is not None):
            ok = amount is not None and (lo is None or amount >= lo) and (hi is None or amount <= hi)
        return (q2(points) if ok else ZERO), ok
    return ZERO, False


def rubric_total(content):
    return sum((Decimal(p["score"]) for p in content.get("rubric", [])), ZERO)


def mark_case(content, marks, points):
    """Score of a case-analysis answer from per-point marks ({key: {"score": s}}), scaled
    from the rubric total to the question's points. Raises ValueError on a bad mark."""
    total = rubric_total(content)
    got = ZERO
    for point in content.get("rubric", []):
        entry = marks.get(point["key"]) or {}
        value = to_decimal(entry.get("score"))
        if value is None:
            raise ValueError(point["key"])
        if value < 0 or value > Decimal(point["score"]):
            raise ValueError(point["key"])
        got += value
    if total <= 0:
        return ZERO
    return q2(Decimal(points) * got / total)


def normalise_response(content, data):
    """Clean an officer's raw answer (from a form or JSON) into the stored shape; unknown
    option keys are dropped, so nothing outside the paper can be stored."""
    qtype = content["qtype"]
    keys = {o["key"] for o in content.get("options", [])}
    if qtype in (QuestionType.SINGLE, QuestionType.TRUEFALSE):
        choice = data.get("choice")
        if isinstance(choice, list):
            choice = choice[0] if choice else None
        return {"choice": choice if choice in keys else None}
    if qtype == QuestionType.MULTI:
        choices = data.get("choices") or []
        if isinstance(choices, str):
            choices = [choices]
        return {"choices": sorted({c for c in choices if c in keys})}
    if qtype == QuestionType.CASE:
        text = str(data.get("text") or "")[:20000]
        return {"text": text}
    if qtype == QuestionType.DISCRETION:
        levels = {str(lv["order"]) for lv in (content.get("discretion") or {}).get("levels", [])}
        level = str(data.get("level") or "")
        amount = str(data.get("amount") or "").strip()[:20]
        return {"level": int(level) if level in levels else None, "amount": amount}
    return {}


def has_text(response):
    return bool(response and str(response.get("text") or "").strip())
