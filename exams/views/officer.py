"""Officer views: exam list, start, the sitting page (form and JSON autosave), submit,
result and review."""
import json

from django.contrib import messages
from django.db.models import Q
from django.db.models.fields.json import KeyTextTransform
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.images.models import Image

from .. import engine, grading, integrity
from ..access import get_own_answer, get_own_sitting_or_404, officer_required
from ..models import EndReason, Exam, QuestionVersion, Sitting, SittingStatus, category_label, has_response
from ..review import instant_feedback, review_open
from ..paper import composition, form_touched, parse_form, public_question
from ..practice import favourite_ids
from ..services import best_result

MESSAGES = {
    engine.LATE: _("考试时间已到，答案未能保存，试卷已自动提交。"),
    engine.CLOSED: _("本场考试已结束，答案未能保存。"),
    engine.STALE: _("该题已在其他页面更新，本次提交的旧答案未保存，请以当前页面为准。"),
    engine.LOCKED: _("该题已核对答案，不能再修改。"),
}
STATUS_CODES = {engine.LATE: 409, engine.CLOSED: 409, engine.STALE: 409, engine.LOCKED: 409}


def _touch(sitting):
    """Finalise an overdue sitting, or release one whose marking is done, when it is next seen."""
    if sitting.status == SittingStatus.OPEN and sitting.is_overdue():
        engine.finalize(sitting, ended_by=EndReason.TIMEOUT)
        sitting.refresh_from_db()
    elif sitting.status == SittingStatus.MARKING:
        engine.try_release(sitting)
    return sitting


def visible_exams(officer):
    now = timezone.now()
    qs = Exam.objects.filter(draft=False).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    return [e for e in qs.prefetch_related("eligible_units") if engine.is_eligible(e, officer)]


@officer_required
def exam_list(request):
    officer = request.officer
    unfinished = [SittingStatus.OPEN, SittingStatus.MARKING]
    for s in Sitting.objects.filter(officer=officer, status__in=unfinished).select_related("exam"):
        _touch(s)
    exams = visible_exams(officer)
    sittings = Sitting.objects.filter(officer=officer).select_related("exam")
    by_exam = {}
    for s in sittings:
        by_exam.setdefault(s.exam_id, []).append(s)
    rows = []
    exams = list(exams)
    gated = engine.gate_reasons(officer, exams)
    for exam in exams:
        mine = by_exam.get(exam.pk, [])
        rows.append({
            "exam": exam,
            "gated": gated.get(exam.pk, ""),
            "open_sitting": next((s for s in mine if s.status == SittingStatus.OPEN), None),
            "used": len(mine),
            "best": best_result(officer, exam) if mine else None,
        })
    return render(request, "exams/exam_list.html", {"rows": rows, "sittings": sittings[:50]})


def _published_exam_or_404(pk):
    """A published exam with the paths of its units read (what is_eligible needs)."""
    return engine.read_eligible_paths(get_object_or_404(Exam, pk=pk, draft=False))


@officer_required
def exam_detail(request, pk):
    exam = _published_exam_or_404(pk)
    officer = request.officer
    if not engine.is_eligible(exam, officer):
        return render(request, "exams/exam_detail.html", {"exam": exam, "refusal": _("您不在本次考试的适用范围内。")},
                      status=403)
    mine, extra = engine.standing(exam, officer)
    open_sitting = engine.open_sitting(exam, officer, mine)
    refusal = None
    if open_sitting is None:
        try:
            engine.check_can_start(exam, officer, used=len(mine))
        except engine.ExamError as exc:
            refusal = exc.messages[0]
    if open_sitting:
        extra = open_sitting.extra_minutes
    return render(request, "exams/exam_detail.html", {
        "exam": exam, "open_sitting": open_sitting, "refusal": refusal,
        "used": len(mine),
        "allowed": exam.attempts_allowed(),
        "best": best_result(officer, exam, mine), "paper": composition(exam),
        "extra_minutes": extra,
        "my_minutes": exam.time_limit_minutes + extra if exam.time_limit_minutes else None,
    })


@officer_required
@require_POST
def start(request, pk):
    exam = _published_exam_or_404(pk)
    try:
        sitting = engine.start(exam, request.officer)
    except engine.ExamError as exc:
        messages.error(request, exc.messages[0])
        return redirect("exams:exam_detail", pk=exam.pk)
    # The paper in the same round trip (a redirect would cost a phone on a weak signal one
    # more, and the server a second request while every officer starts at once). Its
    # script shows the paper's own address (history.replaceState); links and the form use it.
    integrity.reopened(sitting)  # a resumed sitting: as when its page is opened again
    if sitting.status != SittingStatus.OPEN:  # reopening it passed a limit: submitted by force
        return redirect("exams:result", pk=sitting.pk)
    show_all = not exam.one_per_page
    current = sitting.current_position
    answers = engine.paper_lines(sitting)
    if answers is None:
        answers = _answers(sitting, only=None if show_all else current)
    return _paper_page(request, sitting, answers, _within(current, len(answers)), show_all)


def _within(position, n):
    """``position`` kept within a paper of ``n`` questions."""
    return min(max(position, 1), n)


def _answers(sitting, only=None):
    """The sitting's answer lines in order, each with its frozen question version. With ``only``
    (the position a one-question page shows, kept within the paper) only that line reads its
    version; the others carry their question type alone (``qtype``), which is all the
    navigation needs to tell answered from not."""
    lines = sitting.answers.order_by("position")
    if only is None:
        return list(lines.select_related("version"))
    answers = list(lines.annotate(qtype=KeyTextTransform("qtype", "version__content")))
    if answers:
        shown = answers[_within(only, len(answers)) - 1]
        shown.version = QuestionVersion.objects.get(pk=shown.version_id)
    return answers


def _answered(answer):
    qtype = answer.qtype if "qtype" in answer.__dict__ else answer.content["qtype"]
    return has_response(qtype, answer.response)


def _sitting_context(sitting, answers, current, show_all):
    exam = sitting.exam
    shown = answers if show_all else [a for a in answers if a.position == current]
    paper_url = reverse("exams:sitting", args=[sitting.pk])

    def figure_url(position):
        return reverse("exams:figure", args=[sitting.pk, position])

    return {
        "sitting": sitting,
        "exam": exam,
        "paper_url": paper_url,
        "questions": [public_question(a, with_feedback=a.locked and instant_feedback(exam), figure_url=figure_url)
                      for a in shown],
        "nav": [{"position": a.position, "answered": _answered(a), "current": a.position == current}
                for a in answers],
        "current": current,
        "total": len(answers),
        "prev": current - 1 if current > 1 else None,
        "next": current + 1 if current < len(answers) else None,
        "show_all": show_all,
        "instant_feedback": instant_feedback(exam),
        "seconds_left": sitting.seconds_left(),
        "minutes_left": (sitting.seconds_left() + 59) // 60 if sitting.deadline else None,
        "n_answered": sum(1 for a in answers if _answered(a)),
        "paper_config": dict(_paper_config(sitting), pageUrl=paper_url + ("?all=1" if show_all else f"?q={current}")),
        "watermark_cells": range(40) if exam.watermark else (),
    }


def _paper_config(sitting):
    """What the paper's script needs: the page token for events (the one a start has just
    written, else a new one), the integrity settings, and its messages (translated here;
    the script holds no user-visible text)."""
    exam = sitting.exam
    return {
        "sitting": sitting.pk,
        "token": sitting.page_token if engine.paper_lines(sitting) is not None else integrity.new_page(sitting),
        "seq": sitting.event_seq,
        "eventUrl": reverse("exams:event", args=[sitting.pk]),
        "submitUrl": reverse("exams:submit", args=[sitting.pk]),
        "resultUrl": reverse("exams:result", args=[sitting.pk]),
        "trackLeaving": exam.tracks_leaving,
        "idleSeconds": exam.idle_minutes * 60 if exam.idle_minutes else 0,
        "idleCountdown": integrity.idle_countdown_seconds(),
        "blockCopy": exam.block_copy,
        "messages": {
            "saving": _("保存中…"),
            "saved": _("已保存"),
            "notSaved": _("未保存"),
            "keptLocally": _("已保存在本机，等待网络恢复后提交"),
            "offline": _("网络中断，答案已保存在本机，恢复后将自动提交"),
            "sending": _("网络已恢复，正在提交本机保存的答案…"),
            "allSent": _("本机保存的答案已全部提交。"),
            "left": _("剩余"),
            "timeUp": _("时间到，正在交卷…"),
            "timeUpOffline": _("时间到。网络恢复后将自动提交已保存在本机的答案并交卷。"),
            "minutes": _("剩余 %(n)s 分钟"),
            "seconds": _("剩余 %(n)s 秒"),
            "idleTitle": _("您已较长时间没有操作"),
            "idleBody": _("%(n)s 秒后将自动交卷。如需继续作答，请点击“继续作答”。"),
            "idleContinue": _("继续作答"),
            "forced": _("已强制交卷，正在打开结果页…"),
            "blocked": _("考试期间不能复制、剪切或粘贴。"),
        },
    }


@officer_required
def sitting_view(request, pk):
    """The exam paper: one question per page (?q=N) or the whole paper (?all=1). A plain form
    post saves the answers shown and moves on; it works without JavaScript."""
    sitting = _touch(get_own_sitting_or_404(request, pk))
    if request.method == "GET":
        integrity.reopened(sitting)
    if sitting.status != SittingStatus.OPEN:
        if request.method == "POST":
            messages.error(request, MESSAGES[engine.CLOSED])
        return redirect("exams:result", pk=sitting.pk)
    show_all = request.GET.get("all") == "1" or not sitting.exam.one_per_page
    try:
        current = int(request.GET.get("q") or sitting.current_position)
    except ValueError:
        current = 1
    one_question = request.method == "GET" and not show_all
    answers = _answers(sitting, only=current if one_question else None)
    current = _within(current, len(answers))
    status = 200
    if request.method == "POST":
        problems = []
        for ans in answers:
            if not form_touched(request.POST, ans.position):
                continue
            raw = parse_form(request.POST, ans.position, ans.version.content["qtype"])
            try:
                result, _a = engine.save_answer(sitting, ans.position, raw, request.POST.get(f"q{ans.position}-rev"),
                                                answer=ans)
            except grading.AnswerRefused as exc:  # nothing saved; the answer stored before stays
                problems.append((ans.position, exc.messages[0]))
                continue
            if result in (engine.LATE, engine.CLOSED):
                messages.error(request, MESSAGES[result])
                sitting.refresh_from_db()
                resp = render(request, "exams/sitting_closed.html", {"sitting": sitting, "message": MESSAGES[result]},
                              status=409)
                return resp
            if result != engine.SAVED:
                problems.append((ans.position, MESSAGES[result]))
        for position, message in problems:
            messages.warning(request, _("第 %(n)s 题：%(m)s") % {"n": position, "m": message})
        action = request.POST.get("action", "")
        if action == "check" and instant_feedback(sitting.exam):
            engine.check_answer(sitting, current, sitting.exam.multi_scoring)
        if action == "submit":
            return redirect("exams:confirm_submit", pk=sitting.pk)
        target = request.POST.get("go") or ""
        if action == "check":
            target = str(current)
        if problems:
            status = 409
            answers = _answers(sitting)
        else:
            query = "?all=1" if show_all else (f"?q={target}" if target.isdigit() else f"?q={current}")
            return redirect(reverse("exams:sitting", args=[sitting.pk]) + query)
    return _paper_page(request, sitting, answers, current, show_all, status)


def _paper_page(request, sitting, answers, current, show_all, status=200):
    ctx = _sitting_context(sitting, answers, current, show_all)
    request.focused = True  # the paper alone: no menu, no tab bar (portal's navigation)
    response = render(request, "exams/sitting.html", ctx, status=status)
    response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_POST
def autosave(request, pk):
    """JSON autosave: {"position": n, "revision": r, "response": {...}} → the new revision,
    or 409 with a message when the save is stale, late or the sitting closed, or 400 with the
    reason when the answer is refused (a 评查 item not in the standard).

    The hot path of an exam (every officer, every few seconds): the answer line, its sitting
    and its version come in one query, then the two guarded UPDATEs; no template, no
    session write beyond the idle timer's."""
    try:
        data = json.loads(request.body.decode("utf-8"))
        position = int(data["position"])
        raw = data.get("response") or {}
        if not isinstance(raw, dict):
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        get_own_sitting_or_404(request, pk)  # someone else's sitting: 404 whatever was sent
        return JsonResponse({"ok": False, "error": "bad_request", "message": _("请求格式错误。")}, status=400)
    prior = data.get("prior")
    answer = get_own_answer(request, pk, position)
    if answer is None:  # not the officer's sitting (404), or no such question on it (CLOSED)
        sitting = get_own_sitting_or_404(request, pk)
    else:
        sitting = answer.sitting
    try:
        result, answer = engine.save_answer(sitting, position, raw, data.get("revision"),
                                            prior=prior if isinstance(prior, dict) else None, answer=answer)
    except grading.AnswerRefused as exc:  # nothing saved; the answer stored before stays
        return JsonResponse({"ok": False, "error": "refused", "code": exc.code, "message": exc.messages[0]},
                            status=400)
    if result == engine.SAVED:
        return JsonResponse({"ok": True, "revision": answer.revision,
                             "saved_at": timezone.localtime(answer.saved_at).strftime("%H:%M:%S")
                             if answer.saved_at else ""})
    body = {"ok": False, "error": result, "message": MESSAGES[result]}
    if answer is not None and result == engine.STALE:
        body["revision"] = answer.revision
    return JsonResponse(body, status=STATUS_CODES[result])


@officer_required
@require_POST
def event(request, pk):
    """JSON: one integrity event the paper reports, {"token", "seq", "kind", "seconds"} →
    {"ok", "forced", "message", "warning", "counts"}; 409 with the reason when the page is
    stale or the sitting already submitted (nothing is changed then), 400 on bad input."""
    sitting = get_own_sitting_or_404(request, pk)
    try:
        data = json.loads(request.body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"ok": False, "error": integrity.BAD_EVENT, "message": _("请求格式错误。")}, status=400)
    outcome = integrity.record(sitting, token=str(data.get("token") or ""), seq=data.get("seq"),
                               kind=data.get("kind"), seconds=data.get("seconds"))
    body = {"ok": outcome.ok, "status": outcome.status, "message": outcome.message, "warning": outcome.warning,
            "forced": outcome.forced, "counts": outcome.counts}
    if outcome.forced or outcome.status == integrity.CLOSED:
        body["url"] = reverse("exams:result", args=[sitting.pk])
    if outcome.ok:
        return JsonResponse(body)
    body["error"] = outcome.status
    return JsonResponse(body, status=400 if outcome.status == integrity.BAD_EVENT else 409)


@officer_required
def confirm_submit(request, pk):
    sitting = _touch(get_own_sitting_or_404(request, pk))
    if sitting.status != SittingStatus.OPEN:
        return redirect("exams:result", pk=sitting.pk)
    answers = _answers(sitting)
    unanswered = [a.position for a in answers if not a.answered]
    return render(request, "exams/confirm_submit.html", {
        "sitting": sitting, "exam": sitting.exam, "unanswered": unanswered, "total": len(answers),
        "seconds_left": sitting.seconds_left(),
    })


@officer_required
@require_POST
def submit(request, pk):
    """Finish the sitting. Idempotent: repeated or concurrent posts lead to the same result."""
    sitting = get_own_sitting_or_404(request, pk)
    engine.finalize(sitting, ended_by=EndReason.SUBMIT)  # leaves ``sitting`` as stored
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": True, "status": sitting.status, "url": reverse("exams:result", args=[sitting.pk])})
    return redirect("exams:result", pk=sitting.pk)


def category_breakdown(answers):
    rows = {}
    for a in answers:
        code = a.version.content.get("category", "")
        row = rows.setdefault(code, {"category": category_label(code), "score": 0, "points": 0, "n": 0,
                                     "n_correct": 0})
        row["score"] += a.score or 0
        row["points"] += a.points
        row["n"] += 1
        row["n_correct"] += int(bool(a.correct))
    out = sorted(rows.values(), key=lambda r: str(r["category"]))
    for r in out:
        r["percent"] = round(float(r["score"]) * 100 / float(r["points"]), 1) if r["points"] else 0
    return out


@officer_required
def result(request, pk):
    sitting = _touch(get_own_sitting_or_404(request, pk))
    if sitting.status == SittingStatus.OPEN:
        return redirect("exams:sitting", pk=sitting.pk)
    ctx = {"sitting": sitting, "exam": sitting.exam, "forced_message": integrity.forced_message(sitting)}
    if sitting.status == SittingStatus.GRADED:
        answers = _answers(sitting)
        ctx["breakdown"] = category_breakdown(answers)
        if review_open(sitting):
            favs = favourite_ids(request.officer, [a.question_id for a in answers])
            ctx["review"] = [dict(public_question(a, with_feedback=True), question_id=a.question_id,
                                  favourite=a.question_id in favs) for a in answers]
    return render(request, "exams/result.html", ctx)


@officer_required
def figure(request, pk, position):
    """The figure of a question on the officer's own paper."""
    sitting = get_own_sitting_or_404(request, pk)
    answer = get_object_or_404(sitting.answers.select_related("version"), position=position)
    image = get_object_or_404(Image, pk=answer.version.content.get("image_id") or 0)
    return redirect(image.file.url)
