"""Grading rules: plain functions from (frozen question content, response, points) to a score.

``content`` is a QuestionVersion's content dict; ``response`` the officer's answer:
single / truefalse ``{"choice": key}``; multi ``{"choices": [keys]}``;
case ``{"text": "..."}``; discretion ``{"level": order, "amount": "200"}``;
casefile ``{"items": {item key: {"finding": true, "deduction": "1.00"}}, "conclusion": "fail"}``.

案卷评查 (casefile) is scored against the trainer's reference evaluation, item by item:

- an item of the 评查标准 is right when the officer's finding (the file has this problem or not)
  is the reference's and, for a 卷面 / 内容 item the file has, the deduction equals the reference
  deduction; a found problem with another deduction earns half the item;
- the items together carry ``CASEFILE_ITEM_SHARE`` (80 %) of the question's points, in equal
  parts; the conclusion (合格卷 / 不合格卷) carries the rest (``CASEFILE_CONCLUSION_SHARE``);
- one-veto items decide: when the reference finds a one-veto problem and the officer still
  calls the file 合格卷, the question scores 0 (a file that must fail was passed);
- the answer is correct when every item and the conclusion are right.
"""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import DEDUCTION_KINDS, SECTION_POINTS, CaseFileConclusion, MultiScoring, QuestionType, ReviewItemKind

ZERO = Decimal("0")
CENT = Decimal("0.01")
HALF = Decimal("0.5")
ONE = Decimal("1")
#: 案卷评查: the share of the points the items carry together, and the conclusion's.
CASEFILE_ITEM_SHARE = Decimal("0.8")
CASEFILE_CONCLUSION_SHARE = ONE - CASEFILE_ITEM_SHARE
#: The file's full marks (卷面 20 + 内容 80) before deductions.
CASEFILE_FULL_MARKS = sum(SECTION_POINTS.values())

#: Outcomes of one 评查 item (``casefile_items``).
RIGHT = "right"
MISSED = "missed"  # the file has the problem; the officer said it has not (or left it open)
FALSE_ALARM = "false_alarm"  # the officer found a problem the file does not have
DEDUCTION_OFF = "deduction_off"  # the problem found, with another deduction
BLANK = "blank"

FINDING_WORDS = {True: {"yes", "true", "1", "是", "有"}, False: {"no", "false", "0", "否", "无"}}


class AnswerRefused(ValidationError):
    """An answer that cannot be stored as sent (e.g. a 评查 answer naming an item that is not in
    the question's standard). Nothing is saved; the answer stored before stays."""


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
    if qtype == QuestionType.CASEFILE:
        return grade_casefile(content, response, points)
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
    if qtype == QuestionType.CASEFILE:
        return normalise_casefile(content, data)
    return {}


# --- 案卷评查 ------------------------------------------------------------------------------------


def _finding(value):
    """True / False / None (not marked) from a posted finding; ValueError when unreadable."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    for result, words in FINDING_WORDS.items():
        if word in words:
            return result
    raise ValueError(word)


def normalise_casefile(content, data):
    """The stored shape of a 评查 answer. Raises AnswerRefused for an item that is not in the
    question's standard, an unreadable finding, a deduction outside 0 … the item's maximum or a
    conclusion other than 合格卷 / 不合格卷: such an answer is refused whole, never trimmed."""
    items = {i["key"]: i for i in (content.get("casefile") or {}).get("items", [])}
    raw = data.get("items") or {}
    if not isinstance(raw, dict):
        raise AnswerRefused(_("评查作答的格式错误，未保存。"), code="bad_casefile")
    unknown = [str(k)[:20] for k in raw if str(k) not in items]
    if unknown:
        raise AnswerRefused(_("评查标准中没有项目“%(k)s”，本次作答未保存；已保存的作答不受影响。")
                            % {"k": "、".join(unknown[:3])}, code="unknown_item")
    out = {}
    for key, entry in raw.items():
        key = str(key)
        item = items[key]
        entry = entry if isinstance(entry, dict) else {"finding": entry}
        try:
            finding = _finding(entry.get("finding"))
        except ValueError:
            raise AnswerRefused(_("评查项目“%(t)s”的评查结论无法识别，本次作答未保存。") % {"t": item["text"]},
                                code="bad_finding") from None
        deduction = None
        if item["kind"] in DEDUCTION_KINDS and str(entry.get("deduction") or "").strip():
            deduction = to_decimal(entry.get("deduction"))
            if deduction is None or deduction < 0 or deduction > Decimal(item["max"]):
                raise AnswerRefused(_("评查项目“%(t)s”的扣分须是 0 到 %(m)s 之间的数，本次作答未保存。")
                                    % {"t": item["text"], "m": f"{Decimal(item['max']).normalize():f}"},
                                    code="bad_deduction")
            deduction = str(q2(deduction))
        if finding is None and deduction is None:
            continue
        out[key] = {"finding": finding, "deduction": deduction}
    conclusion = data.get("conclusion") or None
    if conclusion is not None and conclusion not in CaseFileConclusion.values:
        raise AnswerRefused(_("评查结论只能是合格卷或不合格卷，本次作答未保存。"), code="bad_conclusion")
    return {"items": out, "conclusion": conclusion}


def casefile_item_outcome(item, entry):
    """(outcome, credit 0 / ½ / 1) of one 评查 item: the reference ``item`` against the officer's
    ``entry`` ({"finding", "deduction"} or None)."""
    finding = (entry or {}).get("finding")
    if finding is None:
        return (BLANK if not item["finding"] else MISSED), ZERO
    if finding != item["finding"]:
        return (MISSED if item["finding"] else FALSE_ALARM), ZERO
    if finding and item["kind"] in DEDUCTION_KINDS:
        if to_decimal(entry.get("deduction")) != to_decimal(item["deduction"]):
            return DEDUCTION_OFF, HALF
    return RIGHT, ONE


def casefile_vetoed(items):
    """Whether the reference finds a one-veto problem in the file."""
    return any(item["kind"] == ReviewItemKind.VETO and item["finding"] for item in items)


def casefile_marks(items, entries=None):
    """The file's marks out of 100 (卷面 20 + 内容 80 less the deductions, each table at most its
    points) by the officer's ``entries``, or by the reference (an item carries its own
    "finding" and "deduction", the shape of an entry) when ``entries`` is None."""
    if entries is None:
        entries = {item["key"]: item for item in items}
    taken = {kind: ZERO for kind in DEDUCTION_KINDS}
    for item in items:
        entry = entries.get(item["key"]) or {}
        if item["kind"] in DEDUCTION_KINDS and entry.get("finding"):
            taken[item["kind"]] += to_decimal(entry.get("deduction")) or ZERO
    return CASEFILE_FULL_MARKS - sum(min(v, SECTION_POINTS[k]) for k, v in taken.items())


def grade_casefile(content, response, points):
    """(score, correct) of a 评查 answer by the rule in this module's docstring."""
    spec = content.get("casefile") or {}
    items = spec.get("items") or []
    entries = (response or {}).get("items") or {}
    conclusion = (response or {}).get("conclusion")
    if not items:
        return ZERO, False
    if casefile_vetoed(items) and conclusion == CaseFileConclusion.PASS:
        return ZERO, False
    credits = [casefile_item_outcome(item, entries.get(item["key"]))[1] for item in items]
    conclusion_right = conclusion == spec.get("conclusion")
    share = CASEFILE_ITEM_SHARE * sum(credits, ZERO) / len(items)
    if conclusion_right:
        share += CASEFILE_CONCLUSION_SHARE
    return q2(Decimal(points) * share), conclusion_right and all(c == ONE for c in credits)


def has_text(response):
    return bool(response and str(response.get("text") or "").strip())
