"""Item analysis of an exam (试卷分析): score distribution, facility and discrimination
indices per question, option choice counts, per-category results by unit.

Definitions (classical test theory):
- facility index p of a question = points scored on it / points available, over the
  sittings that had it (0 … 1; higher is easier);
- discrimination index D = p(upper group) − p(lower group), where the groups are the
  top and bottom 27 % of sittings by total percent (at least one sitting each; ties
  broken by sitting id) (−1 … 1; ≥ 0.3 discriminates well);
- the distribution counts sittings in ten bands of percent: [0,10), [10,20) … [90,100].

For a 案卷评查 question the 评查 items take the place of options: each item's agreement is the
share of answers whose finding on it is the reference's (``grading.casefile_item_outcome``
right); an item on which few agree shows where officers misjudge case files.

A question that looks broken is flagged with the reason (``flags``): P below 0.2 or above
0.9, D below 0.2, or a wrong option (distractor) nobody chose. Flags need at least
``FLAG_MIN_RESPONSES`` answers: below that the figures say little.
"""
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from officers.models import Unit

from . import grading
from .models import (
    CHOICE_TYPES, QTYPE_LABELS, Answer, QuestionType, QuestionVersion, ReviewItemKind, SittingStatus, category_label,
    has_response,
)
from .paper import discretion_levels

GROUP_SHARE = Decimal("0.27")
#: Flag thresholds (Moodle's and the usual classical test theory limits).
FACILITY_LOW, FACILITY_HIGH, DISCRIMINATION_LOW = 0.2, 0.9, 0.2
FLAG_MIN_RESPONSES = 5


def flags(row):
    """[(code, reason)] of what looks broken in one question's figures (a row of ``analyse``)."""
    if row["n"] < FLAG_MIN_RESPONSES:
        return []
    found = []
    p, d = row["facility"], row["discrimination"]
    if p < FACILITY_LOW:
        found.append(("too_hard", _("难度系数 P=%(p)s，低于 %(t)s：几乎没人答对，请检查答案是否设错、题干是否有歧义。")
                      % {"p": p, "t": FACILITY_LOW}))
    elif p > FACILITY_HIGH:
        found.append(("too_easy", _("难度系数 P=%(p)s，高于 %(t)s：几乎人人答对，区分不出掌握程度。")
                      % {"p": p, "t": FACILITY_HIGH}))
    if d is not None and d < DISCRIMINATION_LOW:
        if d < 0:
            reason = _("区分度 D=%(d)s 为负：低分组比高分组答得好，答案可能设错。") % {"d": d}
        else:
            reason = _("区分度 D=%(d)s，低于 %(t)s：高分组和低分组答得差不多。") % {"d": d, "t": DISCRIMINATION_LOW}
        found.append(("low_discrimination", reason))
    for option in row["options"]:
        if not option["correct"] and option["count"] == 0:
            name = f"{option['label']}. {option['text']}" if option["label"] else option["text"]
            found.append(("dead_distractor", _("干扰项“%(o)s”无人选择，起不到干扰作用。") % {"o": name}))
    return found


def _ratio(score, points):
    return float(score) / float(points) if points else 0.0


def analyse(exam, sittings=None):
    """Figures of the released sittings of ``exam`` (optionally a narrower queryset)."""
    if sittings is None:
        sittings = exam.sittings.all()
    srows = list(sittings.filter(exam=exam, status=SittingStatus.GRADED)
                 .values_list("pk", "percent", "officer__unit_id", "officer__unit__name"))
    n = len(srows)
    result = {"n": n, "distribution": [0] * 10, "questions": [], "units": [], "mean": None, "pass_rate": None}
    if not n:
        return result
    percent = {pk: float(p or 0) for pk, p, _u, _n in srows}
    unit_of = {pk: (uid, uname) for pk, _p, uid, uname in srows}
    for p in percent.values():
        result["distribution"][min(9, int(p // 10))] += 1
    result["mean"] = round(sum(percent.values()) / n, 2)
    result["pass_rate"] = round(100 * sum(1 for p in percent.values() if p >= exam.pass_mark) / n, 1)
    ranked = sorted(percent, key=lambda pk: (-percent[pk], pk))
    k = max(1, int((GROUP_SHARE * n).to_integral_value()))
    upper, lower = set(ranked[:k]), set(ranked[-k:])

    answers = (Answer.objects.filter(sitting_id__in=list(percent))
               .values_list("sitting_id", "question_id", "version_id", "score", "points", "response"))
    per_q = defaultdict(lambda: {"score": 0.0, "points": 0.0, "n": 0, "up": [0.0, 0.0], "low": [0.0, 0.0],
                                 "choices": defaultdict(int), "blank": 0, "versions": set(), "casefile": []})
    per_unit_cat = defaultdict(lambda: [0.0, 0.0])
    version_ids = set()
    for sid, qid, vid, score, points, response in answers:
        s, pts = float(score or 0), float(points)
        q = per_q[qid]
        q["score"] += s
        q["points"] += pts
        q["n"] += 1
        q["versions"].add(vid)
        version_ids.add(vid)
        if sid in upper:
            q["up"][0] += s
            q["up"][1] += pts
        if sid in lower:
            q["low"][0] += s
            q["low"][1] += pts
        response = response or {}
        if "items" in response or "conclusion" in response:  # 案卷评查: agreement per item, below
            q["casefile"].append((vid, response))
            q["blank"] += int(not has_response(QuestionType.CASEFILE, response))
            per_unit_cat[(unit_of[sid], qid)][0] += s
            per_unit_cat[(unit_of[sid], qid)][1] += pts
            continue
        chosen = response.get("choices") or ([response["choice"]] if response.get("choice") else [])
        if not chosen and response.get("level") not in (None, ""):
            chosen = [f"L{response['level']}"]
        if not chosen:
            q["blank"] += 1
        for key in chosen:
            q["choices"][(vid, key)] += 1
        per_unit_cat[(unit_of[sid], qid)][0] += s
        per_unit_cat[(unit_of[sid], qid)][1] += pts

    versions = {v.pk: v.content for v in QuestionVersion.objects.filter(pk__in=version_ids)}
    cat_of = {}
    for qid, q in per_q.items():
        content = versions[max(q["versions"])]
        cat_of[qid] = content.get("category", "")
        options = []
        if content["qtype"] in CHOICE_TYPES or content["qtype"] == QuestionType.TRUEFALSE:
            by_text = defaultdict(int)
            for (vid, key), count in q["choices"].items():
                text = next((o["text"] for o in versions[vid].get("options", []) if o["key"] == key), key)
                by_text[text] += count
            for i, o in enumerate(content.get("options", [])):
                options.append({"label": chr(65 + i) if content["qtype"] != QuestionType.TRUEFALSE else "",
                                "text": o["text"], "correct": o["correct"], "count": by_text.get(o["text"], 0)})
        elif content["qtype"] == "discretion":
            for lv in discretion_levels(content):
                count = sum(c for (vid, key), c in q["choices"].items() if key == f"L{lv['order']}")
                options.append({"label": "", "text": lv["label"],
                                "correct": lv["order"] == content["discretion"].get("correct_level"),
                                "count": count})
        items = casefile_agreement(content, q["casefile"], versions) if content["qtype"] == QuestionType.CASEFILE else []
        facility = _ratio(q["score"], q["points"])
        discrimination = _ratio(*q["up"]) - _ratio(*q["low"]) if q["up"][1] and q["low"][1] else None
        result["questions"].append({
            "question_id": qid,
            "text": content["text"],
            "qtype": content["qtype"],
            "category": category_label(cat_of[qid]),
            "n": q["n"],
            "facility": round(facility, 3),
            "discrimination": None if discrimination is None else round(discrimination, 3),
            "options": options,
            "items": items,
            "blank": q["blank"],
        })
        result["questions"][-1]["flags"] = flags(result["questions"][-1])
    result["questions"].sort(key=lambda r: r["question_id"])

    units = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for ((uid, uname), qid), (s, pts) in per_unit_cat.items():
        units[(uid, uname)][cat_of[qid]][0] += s
        units[(uid, uname)][cat_of[qid]][1] += pts
    categories = sorted({c for cats in units.values() for c in cats})
    result["categories"] = [category_label(c) for c in categories]
    unit_objs = {u.pk: u for u in Unit.objects.filter(pk__in=[uid for uid, _n in units])}
    for (uid, uname), cats in sorted(units.items(), key=lambda kv: unit_objs[kv[0][0]].path):
        result["units"].append({
            "unit": unit_objs[uid].full_name,
            "n": sum(1 for pk in percent if unit_of[pk][0] == uid),
            "cells": [round(100 * _ratio(*cats[c]), 1) if c in cats else None for c in categories],
        })
    return result


def casefile_agreement(content, answers, versions):
    """[{text, kind, n, agree, rate}] per 评查 item of ``content`` (the newest version): of the
    ``answers`` [(version id, response)], how many judged the item as the reference does. Items
    are matched across versions by their text."""
    counts = defaultdict(lambda: [0, 0])
    for vid, response in answers:
        entries = response.get("items") or {}
        for item in (versions[vid].get("casefile") or {}).get("items", []):
            outcome, _credit = grading.casefile_item_outcome(item, entries.get(item["key"]))
            counts[item["text"]][0] += int(outcome == grading.RIGHT)
            counts[item["text"]][1] += 1
    rows = []
    for item in (content.get("casefile") or {}).get("items", []):
        agree, n = counts.get(item["text"], (0, 0))
        rows.append({"text": item["text"], "kind": str(ReviewItemKind(item["kind"]).label), "n": n, "agree": agree,
                     "rate": round(agree / n, 3) if n else None})
    return rows


def table_rows(result):
    """Rows for CSV/xlsx export: header then one row per question."""
    yield ["题目ID", "题型", "类别", "题干", "作答人数", "难度系数(P)", "区分度(D)", "选项分布", "未作答", "问题提示"]
    for q in result["questions"]:
        opts = "；".join(f"{o['label'] or o['text']}{'*' if o['correct'] else ''}:{o['count']}" for o in q["options"])
        opts = opts or "；".join(f"{i['text']}:{i['agree']}/{i['n']}" for i in q.get("items", []))
        yield [q["question_id"], str(QTYPE_LABELS.get(q["qtype"], q["qtype"])), str(q["category"]), q["text"], q["n"],
               q["facility"], q["discrimination"], opts, q["blank"], "\n".join(r for _c, r in q.get("flags", []))]
