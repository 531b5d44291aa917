"""The exam engine: start a sitting (freeze the paper), save answers, finish, grade,
release, and the exactly-once pass event.

Concurrency rules (portable to SQLite, which ignores SELECT … FOR UPDATE):
- finishing is a conditional ``UPDATE … WHERE status='open'``; only the request that
  changed the row grades the sitting;
- an answer save is ``UPDATE … WHERE revision=<the revision the client saw>``;
- the pass event is guarded by ``UPDATE … WHERE pass_notified=false``.
"""
import logging
import random
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from officers.events import exam_passed, exam_result_released
from officers.hours import credit
from officers.models import SOURCE_EXAM
from portal.rows import Columns, Insert, Statement

from . import grading
from .models import (
    Answer, AnswerOrder, EndReason, Exam, ExamKind, ExamQuestion, ExtraTime, PaperMode, Question, QuestionStatus,
    QuestionTag, QuestionType, QuestionVersion, Sitting, SittingStatus, WrongItem,
)

log = logging.getLogger("academy")


class ExamError(ValidationError):
    """A refusal the user sees (with a code tests can match)."""


# --- eligibility and start ------------------------------------------------------------------


def is_eligible(exam, officer):
    """The exam's audience: officers of its units (with their sub-units) and, when the exam
    names training tiers, of one of those tiers (an officer whose tier HR has not recorded is
    outside every tier-limited exam). Uses the paths ``read_eligible_paths`` read, else the
    (prefetched) ``eligible_units``."""
    unit_paths = getattr(exam, "eligible_paths", None)
    if unit_paths is None:
        unit_paths = [u.path for u in exam.eligible_units.all()]
    if unit_paths and not any(officer.unit.path.startswith(p) for p in unit_paths):
        return False
    tiers = exam.eligible_tiers or []
    if tiers and officer.training_tier not in tiers:
        return False
    return True


def read_eligible_paths(exam):
    """Read the paths of the exam's units into ``exam.eligible_paths`` (``is_eligible``), in one
    query of the paths alone, for a page about one exam; returns the exam."""
    exam.eligible_paths = list(exam.eligible_units.order_by().values_list("path", flat=True))
    return exam


def open_exams_for(officer, *, exam_ids=(), kinds=(), now=None):
    """[(exam id, exam kind, title)] of the published exams among ``exam_ids`` or of one of
    ``kinds`` that the officer can take now: open (opened, not closed), meant for the officer
    (``is_eligible``), and with an attempt left or a sitting still open. Soonest closing first.
    Offered to the officers app through the ``academy_open_exams`` hook (我的资格's next steps)."""
    if not (exam_ids or kinds):
        return []
    now = now or timezone.now()
    qs = (Exam.objects.filter(models.Q(pk__in=list(exam_ids)) | models.Q(kind__in=list(kinds)), draft=False)
          .filter(models.Q(opens_at__isnull=True) | models.Q(opens_at__lte=now))
          .filter(models.Q(closes_at__isnull=True) | models.Q(closes_at__gt=now))
          .prefetch_related("eligible_units")
          .order_by(models.F("closes_at").asc(nulls_last=True), "pk"))
    exams = [e for e in qs if is_eligible(e, officer)]
    used, open_ids = {}, set()
    for exam_id, status in Sitting.objects.filter(officer=officer, exam__in=exams).values_list("exam_id", "status"):
        used[exam_id] = used.get(exam_id, 0) + 1
        if status == SittingStatus.OPEN:
            open_ids.add(exam_id)
    gated = gate_reasons(officer, [e for e in exams if e.pk not in open_ids], now)
    result = []
    for e in exams:
        allowed = e.attempts_allowed()
        if e.pk in gated:
            continue
        if e.pk in open_ids or not allowed or used.get(e.pk, 0) < allowed:
            result.append((e.pk, e.kind, e.title))
    return result


def gate_reasons(officer, exams, now=None):
    """{exam id: why the officer may not sit it yet} for ``exams``, as the apps that hold exams
    back say through the ``academy_exam_gates`` hook (officers: an annual exam waits until the
    year's training hours are complete, where the qualification type says so)."""
    exams = list(exams)
    reasons = {}
    if not exams:
        return reasons
    for gate in hooks.get_hooks("academy_exam_gates"):
        for exam_id, reason in (gate(officer, exams, now=now) or {}).items():
            reasons.setdefault(exam_id, reason)
    return reasons


def annual_sitting_states(officer_ids, year, *, exam_ids=(), in_progress, finished):
    """{officer id: [(exam id, exam kind, state)]} of the sittings started in ``year`` at an
    annual-kind exam or one of ``exam_ids``: ``finished`` once the result is released,
    else ``in_progress``. Offered to the officers app through the ``academy_annual_sittings``
    hook (the annual exam status of 我的资格, HR lists and the report)."""
    result = {}
    rows = (Sitting.objects.filter(models.Q(exam__kind=ExamKind.ANNUAL) | models.Q(exam_id__in=list(exam_ids)),
                                   officer_id__in=officer_ids, started_at__year=year)
            .values_list("officer_id", "exam_id", "exam__kind", "status", "passed", "released_at"))
    for officer_id, exam_id, kind, status, passed, released_at in rows:
        released = status == SittingStatus.GRADED and passed is not None and released_at is not None
        result.setdefault(officer_id, []).append((exam_id, kind, finished if released else in_progress))
    return result


def attempts_used(exam, officer):
    return Sitting.objects.filter(exam=exam, officer=officer).count()


class Standing(NamedTuple):
    """An officer's standing on one exam (``standing``)."""

    #: the officer's sittings of the exam, by attempt, each with ``exam`` set
    sittings: list
    #: the officer's accommodation on the exam (ExtraTime), in minutes; 0 without one
    extra_minutes: int


_STANDING_SITTING = Columns(Sitting)
_STANDING_EXTRA = Columns(ExtraTime, ["id", "exam_id", "officer_id", "minutes"])
#: The officer's extra minutes on the exam and their sittings of it, in one statement: always
#: one row (the extra minutes, NULL without any; an officer has at most one ExtraTime per exam)
#: and one per sitting, by attempt.
_STANDING = Statement(lambda q: f"""
    SELECT {q("x")}.{_STANDING_EXTRA.column(q, "minutes")}, {_STANDING_SITTING.select(q, "s")}
    FROM (SELECT 1 AS {q("one")}) {q("o")}
    LEFT JOIN {_STANDING_EXTRA.table(q)} {q("x")}
      ON {q("x")}.{_STANDING_EXTRA.column(q, "exam_id")} = %s
     AND {q("x")}.{_STANDING_EXTRA.column(q, "officer_id")} = %s
    LEFT JOIN {_STANDING_SITTING.table(q)} {q("s")}
      ON {q("s")}.{_STANDING_SITTING.column(q, "exam_id")} = %s
     AND {q("s")}.{_STANDING_SITTING.column(q, "officer_id")} = %s
    ORDER BY {q("s")}.{_STANDING_SITTING.column(q, "attempt")}""")


def standing(exam, officer):
    """The officer's sittings of this exam (one per attempt, so few) and extra minutes on it,
    in one query: what ``open_sitting``, ``check_can_start``, ``services.best_result`` and a
    start otherwise read in a query each."""
    rows = _STANDING.rows([exam.pk, officer.pk, exam.pk, officer.pk])
    sittings = []
    for row in rows:
        sitting = _STANDING_SITTING.build(row, 1)
        if sitting is not None:
            sitting.exam = exam
            sittings.append(sitting)
    return Standing(sittings, rows[0][0] or 0)


def check_can_start(exam, officer, now=None, used=None):
    """Raise ExamError (with a code) when the officer may not start the exam now; else
    return how many attempts the officer has used (``used``, when the caller has counted
    them)."""
    now = now or timezone.now()
    if exam.draft:
        raise ExamError(_("该考试尚未发布。"), code="draft")
    if exam.opens_at and now < exam.opens_at:
        raise ExamError(_("考试尚未开始。"), code="not_open")
    if exam.closes_at and now >= exam.closes_at:
        raise ExamError(_("考试已关闭。"), code="closed")
    if not is_eligible(exam, officer):
        raise ExamError(_("您不在本次考试的适用范围内。"), code="not_eligible")
    if used is None:
        used = attempts_used(exam, officer)
    allowed = exam.attempts_allowed()
    if allowed and used >= allowed:
        raise ExamError(_("您的考试次数已用完。"), code="no_attempts")
    reason = gate_reasons(officer, [exam], now).get(exam.pk)
    if reason:
        raise ExamError(reason, code="gated")
    return used


def _option_order(content, answer_order, rng):
    options = content.get("options") or []
    keys = [o["key"] for o in options]
    if content["qtype"] == "truefalse":
        return keys
    if answer_order == AnswerOrder.RANDOM:
        rng.shuffle(keys)
    elif answer_order == AnswerOrder.CONTENT:
        keys = [o["key"] for o in sorted(options, key=lambda o: o["text"])]
    return keys


def draw_paper(exam, rng):
    """[(question, points)] for a new sitting: the fixed list (shuffled and capped as set),
    or a fresh draw by the exam's rules."""
    if exam.mode == PaperMode.RULES:
        # one query for the active bank's facets; the rules filter in memory
        bank = list(Question.objects.filter(status=QuestionStatus.ACTIVE).order_by("pk")
                    .values_list("pk", "qtype", "category", "difficulty"))
        rules = list(exam.draw_rules.all())
        wanted = {rule.tag for rule in rules if rule.tag}
        tagged = {}  # tag name → ids of active questions with exactly that tag
        for qid, name in (QuestionTag.objects.filter(tag__name__in=wanted, content_object__status=QuestionStatus.ACTIVE)
                          .values_list("content_object_id", "tag__name") if wanted else ()):
            tagged.setdefault(name, set()).add(qid)
        chosen, seen = [], set()
        for rule in rules:
            ids = [pk for pk, qtype, category, difficulty in bank
                   if pk not in seen and (not rule.qtype or qtype == rule.qtype)
                   and (not rule.category or category == rule.category)
                   and (not rule.difficulty or difficulty == rule.difficulty)
                   and (not rule.tag or pk in tagged.get(rule.tag, ()))]
            if len(ids) < rule.count:
                raise ExamError(_("题库中符合规则“%(rule)s”的试题不足（需要 %(n)s 道，仅有 %(have)s 道）。")
                                % {"rule": rule, "n": rule.count, "have": len(ids)}, code="draw_short")
            picked = rng.sample(ids, rule.count)
            seen.update(picked)
            chosen.extend((pk, rule.points) for pk in picked)
        questions = Question.objects.select_related("current_version").in_bulk([pk for pk, _p in chosen])
        paper = [(questions[pk], pts) for pk, pts in chosen]
        if exam.random_order:
            rng.shuffle(paper)
        return paper
    lines = _fixed_lines(exam, rng)
    questions = Question.objects.select_related("current_version").in_bulk([line[0] for line in lines])
    return [(questions[line[0]], line[2]) for line in lines]


_LINE_OF_EXAM = Columns(ExamQuestion, ["id", "exam_id", "question_id", "points", "sort_order"])
_LINE_QUESTION = Columns(Question, ["id", "status", "current_version_id"])
_LINE_VERSION = Columns(QuestionVersion, ["id", "content"])
#: A fixed paper's active questions in the exam's order, with points and current version.
_FIXED_LINES = Statement(lambda q: f"""
    SELECT {q("eq")}.{_LINE_OF_EXAM.column(q, "question_id")},
           {q("qn")}.{_LINE_QUESTION.column(q, "current_version_id")},
           {q("eq")}.{_LINE_OF_EXAM.column(q, "points")}, {q("v")}.{_LINE_VERSION.column(q, "content")}
    FROM {_LINE_OF_EXAM.table(q)} {q("eq")}
    JOIN {_LINE_QUESTION.table(q)} {q("qn")}
      ON {q("qn")}.{q("id")} = {q("eq")}.{_LINE_OF_EXAM.column(q, "question_id")}
    LEFT JOIN {_LINE_VERSION.table(q)} {q("v")}
      ON {q("v")}.{q("id")} = {q("qn")}.{_LINE_QUESTION.column(q, "current_version_id")}
    WHERE {q("eq")}.{_LINE_OF_EXAM.column(q, "exam_id")} = %s AND {q("qn")}.{_LINE_QUESTION.column(q, "status")} = %s
    ORDER BY {q("eq")}.{_LINE_OF_EXAM.column(q, "sort_order")}, {q("eq")}.{q("id")}""")


def _fixed_lines(exam, rng):
    """[(question id, current version id, points, that version's content)] of a fixed paper:
    its active questions in the exam's order (``ExamQuestion.Meta.ordering``), shuffled and
    capped as the exam says. One statement of plain values, converted as the ORM converts them
    (no model instances); version and content are None for a question never frozen yet."""
    points, content = _LINE_OF_EXAM.converter("points"), _LINE_VERSION.converter("content")
    lines = [(question_id, version_id, points(value), content(raw))
             for question_id, version_id, value, raw in _FIXED_LINES.rows([exam.pk, QuestionStatus.ACTIVE])]
    if exam.random_order:
        rng.shuffle(lines)
    if exam.max_questions:
        lines = lines[: exam.max_questions]
    if not lines:
        raise ExamError(_("该考试还没有试题。"), code="empty")
    return lines


def _paper_lines(exam, rng):
    """``draw_paper`` as [(question id, version id or None, points, content or None)], what a
    start freezes, with the content of each current version read in the same query."""
    if exam.mode == PaperMode.RULES:
        return [(q.pk, q.current_version_id, points, q.current_version.content if q.current_version_id else None)
                for q, points in draw_paper(exam, rng)]
    return _fixed_lines(exam, rng)


def compute_deadline(exam, start, extra=0):
    """Start + time limit, capped by the close time; extra minutes (an accommodation) extend
    both, so the officer gets them even when starting near the close."""
    deadline = None
    pad = timezone.timedelta(minutes=extra)
    if exam.time_limit_minutes:
        deadline = start + timezone.timedelta(minutes=exam.time_limit_minutes) + pad
    if exam.closes_at and (deadline is None or exam.closes_at + pad < deadline):
        deadline = exam.closes_at + pad
    return deadline


def open_sitting(exam, officer, sittings=None):
    """The officer's open sitting of this exam, finalising it first if it is overdue.
    ``sittings``: the officer's sittings of the exam (``standing``), when loaded."""
    if sittings is None:
        sitting = Sitting.objects.filter(exam=exam, officer=officer, status=SittingStatus.OPEN).first()
    else:
        sitting = next((s for s in sittings if s.status == SittingStatus.OPEN), None)
    if sitting is not None and sitting.is_overdue():
        finalize(sitting, ended_by=EndReason.TIMEOUT)
        return None
    return sitting


def start(exam, officer, *, seed=None, now=None):
    """Resume the officer's open sitting or start a new one with a frozen paper: the
    questions' current versions, their points and each one's option order.

    Everything is read, drawn and adapted for the database before the write transaction
    opens; the transaction holds only the INSERT of the sitting and the INSERT of its lines
    (one statement for any paper SQLite takes in one go, written by ``portal.rows.Insert``). On SQLite the write lock is taken at
    BEGIN, and every officer of an exam starts in the same minute: Python work inside it
    would make all of them queue behind it."""
    mine, extra = standing(exam, officer)
    existing = open_sitting(exam, officer, mine)
    if existing is not None:
        return existing
    now = now or timezone.now()
    used = check_can_start(exam, officer, now, used=len(mine))
    rng = random.Random(seed)
    paper = _paper_lines(exam, rng)
    contents = {vid: content for _q, vid, _p, content in paper if vid}
    lines, total = [], Decimal("0")
    for position, (question_id, version_id, points, _content) in enumerate(paper, start=1):
        if version_id is None:  # a question never frozen yet: freeze it now
            version = Question.objects.get(pk=question_id).publish_version()
            version_id, contents[version.pk] = version.pk, version.content
        lines.append(Answer(
            position=position, version_id=version_id, question_id=question_id, points=points,
            option_order=_option_order(contents[version_id], exam.answer_order, rng),
        ))
        total += Decimal(points)
    sitting = Sitting(exam=exam, officer=officer, attempt=used + 1, started_at=now, extra_minutes=extra,
                      deadline=compute_deadline(exam, now, extra), max_score=total,
                      page_token=Sitting.new_page_token())  # the page the start shows (views.officer.start)
    sitting_row, line_rows = _INSERT_SITTING.rows([sitting])[0], _INSERT_LINES.rows(lines)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                sitting.pk = _INSERT_SITTING.one(cursor, sitting_row)
                _INSERT_LINES.many(cursor, line_rows, sitting_id=sitting.pk)
    except IntegrityError:
        # A concurrent start of the same attempt won: resume that one.
        sitting = Sitting.objects.filter(exam=exam, officer=officer, status=SittingStatus.OPEN).first()
        if sitting is None:
            raise ExamError(_("请重试。"), code="retry") from None
        return sitting
    sitting._state.adding, sitting._state.db = False, connection.alias
    # The paper as written, for the page the start shows at once (``paper_lines``): nothing
    # needs to be read back.
    for line in lines:
        line.sitting = sitting
        line.version = QuestionVersion.from_db(connection.alias, _VERSION_SHOWN,
                                               (line.version_id, contents[line.version_id]))
    sitting.written_lines = lines
    return sitting


def paper_lines(sitting):
    """The lines a start has just written, each with its question version, in order; None
    for a sitting read from the database (resumed), whose lines are read as usual."""
    return getattr(sitting, "written_lines", None)


#: What the page a start shows reads of each line's version (``start``); the rest stays deferred.
_VERSION_SHOWN = ("id", "content")
#: The start's two INSERTs (``start``), written from the models' columns.
_INSERT_SITTING = Insert(Sitting)
_INSERT_LINES = Insert(Answer)


# --- answering ------------------------------------------------------------------------------

SAVED = "saved"
STALE = "stale"
LATE = "late"
CLOSED = "closed"
LOCKED = "locked"


#: What an answer save reads, in one query (``line_for_save``): the answer line, the state of
#: its sitting and the frozen question version (no exam, no officer, no other column).
SAVE_ANSWER = Columns(Answer, ["id", "sitting_id", "position", "version_id", "response", "revision", "saved_at",
                               "locked"])
SAVE_SITTING = Columns(Sitting, ["id", "status", "deadline", "exam_id", "officer_id"])
SAVE_VERSION = Columns(QuestionVersion, ["id", "content"])

_LINE = Statement(lambda q: f"""
    SELECT {SAVE_ANSWER.select(q, "a")}, {SAVE_SITTING.select(q, "s")}, {SAVE_VERSION.select(q, "v")}
    FROM {SAVE_ANSWER.table(q)} {q("a")}
    JOIN {SAVE_SITTING.table(q)} {q("s")} ON {q("s")}.{q("id")} = {q("a")}.{SAVE_ANSWER.column(q, "sitting_id")}
    JOIN {SAVE_VERSION.table(q)} {q("v")} ON {q("v")}.{q("id")} = {q("a")}.{SAVE_ANSWER.column(q, "version_id")}
    WHERE {q("a")}.{SAVE_ANSWER.column(q, "sitting_id")} = %s AND {q("s")}.{SAVE_SITTING.column(q, "officer_id")} = %s
      AND {q("a")}.{SAVE_ANSWER.column(q, "position")} = %s""")

#: The two guarded UPDATEs of a save (``save_answer``): the sitting's row while it is open, then
#: the answer while it holds the revision the client saw and is not locked.
_TOUCH_OPEN_SITTING = Statement(lambda q: f"""
    UPDATE {SAVE_SITTING.table(q)} SET {q(Sitting._meta.get_field("current_position").column)} = %s
    WHERE {SAVE_SITTING.column(q, "id")} = %s AND {SAVE_SITTING.column(q, "status")} = %s""")
_STORE_ANSWER = Statement(lambda q: f"""
    UPDATE {SAVE_ANSWER.table(q)}
    SET {SAVE_ANSWER.column(q, "response")} = %s,
        {SAVE_ANSWER.column(q, "revision")} = {SAVE_ANSWER.column(q, "revision")} + 1,
        {SAVE_ANSWER.column(q, "saved_at")} = %s
    WHERE {SAVE_ANSWER.column(q, "id")} = %s AND {SAVE_ANSWER.column(q, "revision")} = %s
      AND {SAVE_ANSWER.column(q, "locked")} = %s""")


#: The largest value of an integer column on every database used (a parameter beyond it
#: overflows SQLite's integer).
MAX_INT = 2**31 - 1


def line_for_save(sitting_id, officer_id, position):
    """The answer at ``position`` of sitting ``sitting_id`` if that sitting is officer
    ``officer_id``'s, with its sitting and version (the columns above only); None if none."""
    found = _LINE.rows([sitting_id, officer_id, position])
    if not found:
        return None
    row = found[0]
    answer = SAVE_ANSWER.build(row)
    answer.sitting = SAVE_SITTING.build(row, SAVE_ANSWER.width)
    answer.version = SAVE_VERSION.build(row, SAVE_ANSWER.width + SAVE_SITTING.width)
    return answer


def save_answer(sitting, position, raw, revision, now=None, prior=None, answer=None):
    """Store an answer if the sitting is still open, the deadline (plus grace) not passed and
    ``revision`` is the one the client last saw. Returns (status, answer).

    A replay of an answer already stored is a no-op (SAVED, revision unchanged). ``prior`` is
    an answer the paper sent on ``revision`` without hearing back (the connection dropped):
    when exactly that answer made the next revision, the new one is stored on top of it;
    any other newer revision still makes the save STALE. ``answer``: the line at
    ``position`` with its version, when the caller has loaded it (``line_for_save``)."""
    now = now or timezone.now()
    if sitting.status != SittingStatus.OPEN:
        return CLOSED, None
    if sitting.is_overdue(now):
        # A sitting loaded for a save carries only SAVE_SITTING's columns; grading wants all of it.
        finalize(Sitting.objects.get(pk=sitting.pk) if sitting.get_deferred_fields() else sitting,
                 ended_by=EndReason.TIMEOUT)
        return LATE, None
    if answer is None:
        answer = sitting.answers.select_related("version").filter(position=position).first()
    if answer is None:
        return CLOSED, None
    if answer.locked:
        return LOCKED, answer
    response = grading.normalise_response(answer.version.content, raw)
    try:
        revision = int(revision)
    except (TypeError, ValueError):
        return STALE, answer
    if not 0 <= revision <= MAX_INT:  # no such revision (and no parameter the database cannot take)
        return STALE, answer
    if response == answer.response and revision <= answer.revision:
        return SAVED, answer  # nothing changed: keep the revision
    with transaction.atomic():
        # Touching the sitting row first (only while open) serialises this save with a
        # concurrent finish: whichever commits first, the other sees it. The answer's own
        # UPDATE filters on its columns only (no join), so PostgreSQL re-checks the revision
        # on the newest row version after waiting for a lock.
        still_open = _TOUCH_OPEN_SITTING.run([position, sitting.pk, SittingStatus.OPEN])
        updated = still_open and _STORE_ANSWER.run([
            SAVE_ANSWER.prep("response", response), SAVE_ANSWER.prep("saved_at", now), answer.pk, revision,
            SAVE_ANSWER.prep("locked", False)])
    if updated:
        # The UPDATE matched this revision and nothing else may have changed it
        # since (the next save must name the new revision): no need to re-read.
        answer.response, answer.revision, answer.saved_at = response, revision + 1, now
        return SAVED, answer
    answer.refresh_from_db(fields=["revision", "response", "saved_at", "locked"])
    if not still_open:
        return CLOSED, answer
    if answer.locked:
        return LOCKED, answer
    if (isinstance(prior, dict) and answer.revision == revision + 1
            and grading.normalise_response(answer.version.content, prior) == answer.response):
        return save_answer(sitting, position, raw, answer.revision, now, answer=answer)
    return STALE, answer


def check_answer(sitting, position, multi_scoring):
    """Practice with feedback after each question: lock and grade one answer."""
    answer = sitting.answers.select_related("version").get(position=position)
    with transaction.atomic():
        if Sitting.objects.filter(pk=sitting.pk, status=SittingStatus.OPEN).update(current_position=position):
            Answer.objects.filter(pk=answer.pk).update(locked=True)
    score, correct = grading.grade(answer.version.content, answer.response, answer.points,
                                   multi_scoring=multi_scoring)
    if answer.version.content["qtype"] != QuestionType.CASE:
        Answer.objects.filter(pk=answer.pk).update(score=score, correct=correct)
    answer.refresh_from_db()
    return answer


# --- finishing, grading, release ---------------------------------------------------------------


def finalize(sitting, ended_by=EndReason.SUBMIT, now=None, forced_reason=""):
    """Close the sitting and grade it. Idempotent: of any number of concurrent calls exactly
    one does the work (a conditional update); returns True for that call. Every saved answer
    is graded, whatever ended the sitting."""
    now = now or timezone.now()
    with transaction.atomic():
        won = Sitting.objects.filter(pk=sitting.pk, status=SittingStatus.OPEN).update(
            status=SittingStatus.MARKING, ended_at=now, ended_by=ended_by, forced_reason=forced_reason,
        )
        if not won:
            sitting.refresh_from_db()
            return False
        exam = sitting.exam
        answers = list(sitting.answers.select_related("version"))
        to_update = []
        for ans in answers:
            content = ans.version.content
            if content["qtype"] == QuestionType.CASE:
                ans.needs_marking = grading.has_text(ans.response)
                if not ans.needs_marking:
                    ans.score, ans.correct = grading.ZERO, False
            else:
                ans.score, ans.correct = grading.grade(content, ans.response, ans.points,
                                                       multi_scoring=exam.multi_scoring)
                ans.needs_marking = False
            to_update.append(ans)
        # One UPDATE per distinct outcome (a handful), not a CASE expression per row.
        groups = {}
        for ans in to_update:
            groups.setdefault((ans.score, ans.correct, ans.needs_marking), []).append(ans.pk)
        for (score, correct, needs_marking), pks in groups.items():
            Answer.objects.filter(pk__in=pks).update(score=score, correct=correct, needs_marking=needs_marking,
                                                     locked=True)
        record_outcomes(sitting.officer_id, [(a.question_id, a.version_id, a.correct, a.response)
                                             for a in answers if a.correct is not None], now, sitting.pk)
        # What the UPDATE above wrote (no re-read: it would drop the exam loaded with the sitting).
        sitting.status, sitting.ended_at, sitting.ended_by, sitting.forced_reason = (
            SittingStatus.MARKING, now, ended_by, forced_reason)
        try_release(sitting, now)
    return True


#: Right answers in a row that take a question out of the wrong-question book.
RESOLVE_AFTER = 2


def record_outcomes(officer_id, outcomes, now=None, sitting_id=None):
    """Update the wrong-question book with graded answers ``outcomes`` [(question id, version
    id, correct, response)] from ``sitting_id`` (None: practice in the book). A wrong answer
    puts the question in the book (again, if it had left) with its streak reset; a right one
    advances the streak of a question still in the book, and the second right answer in a row
    takes it out. Entries remember the sitting, whose exam's review policy decides when the
    book shows them. Four statements at most, whatever the number of answers (on SQLite, whose
    statements take at most 999 parameters, the bulk writes split every hundred rows or so)."""
    outcomes = {question_id: (version_id, correct, response)
                for question_id, version_id, correct, response in outcomes}  # the last answer counts
    if not outcomes:
        return
    now = now or timezone.now()
    book = dict(WrongItem.objects.filter(officer_id=officer_id, question_id__in=list(outcomes))
                .values_list("question_id", "pk"))
    right = [qid for qid, (_v, correct, _r) in outcomes.items() if correct and qid in book]
    if right:
        WrongItem.objects.filter(pk__in=[book[qid] for qid in right], resolved_at__isnull=True).update(
            streak=models.F("streak") + 1,
            resolved_at=models.Case(models.When(streak__gte=RESOLVE_AFTER - 1, then=models.Value(now)),
                                    default=None, output_field=models.DateTimeField()))
    again = []
    for qid, (version_id, correct, response) in outcomes.items():
        if not correct and qid in book:
            item = WrongItem(pk=book[qid], version_id=version_id, last_response=response,
                             times_wrong=models.F("times_wrong") + 1, streak=0, last_wrong_at=now, resolved_at=None)
            item.sitting_id = sitting_id
            again.append(item)
    if again:
        fields = ["version", "last_response", "times_wrong", "streak", "last_wrong_at", "resolved_at"]
        WrongItem.objects.bulk_update(again, fields + (["sitting"] if sitting_id is not None else []))
    WrongItem.objects.bulk_create(
        [WrongItem(officer_id=officer_id, question_id=qid, version_id=version_id, sitting_id=sitting_id,
                   last_response=response, added_at=now, last_wrong_at=now)
         for qid, (version_id, correct, response) in outcomes.items() if not correct and qid not in book],
        ignore_conflicts=True)


def record_outcome(officer_id, question_id, version_id, correct, response, now=None, sitting_id=None):
    """Update the wrong-question book with one graded answer (``record_outcomes``)."""
    record_outcomes(officer_id, [(question_id, version_id, correct, response)], now, sitting_id)


def try_release(sitting, now=None):
    """Release the result once nothing awaits marking; fire the pass event once. Inside an
    open transaction (``finalize``) it joins it without a savepoint of its own."""
    now = now or timezone.now()
    agg = sitting.answers.aggregate(
        s=models.Sum("score"), m=models.Sum("points"),
        pending=models.Count("pk", filter=models.Q(needs_marking=True, marked_at__isnull=True)))
    if agg["pending"]:
        return False
    score = agg["s"] or Decimal("0")
    max_score = agg["m"] or Decimal("0")
    percent = grading.q2(score * 100 / max_score) if max_score else Decimal("0")
    passed = percent >= sitting.exam.pass_mark
    with transaction.atomic(savepoint=False):
        won = Sitting.objects.filter(pk=sitting.pk, status=SittingStatus.MARKING).update(
            status=SittingStatus.GRADED, score=score, max_score=max_score, percent=percent, passed=passed,
            released_at=now,
        )
        if won:
            transaction.on_commit(lambda: _send_released(sitting.pk))
        if won and passed:
            notify = Sitting.objects.filter(pk=sitting.pk, pass_notified=False).update(pass_notified=True)
            if notify:
                transaction.on_commit(lambda: _send_passed(sitting.pk))
    if not won:  # released by someone else meanwhile: show what they wrote
        sitting.refresh_from_db()
        return False
    # What the UPDATE wrote, as the database keeps it (two decimal places).
    sitting.status, sitting.score, sitting.max_score, sitting.percent, sitting.passed, sitting.released_at = (
        SittingStatus.GRADED, grading.q2(score), grading.q2(max_score), percent, passed, now)
    if passed:  # set by this call or an earlier one
        sitting.pass_notified = True
    return True


def _send_released(sitting_id):
    sitting = Sitting.objects.select_related("exam", "officer").get(pk=sitting_id)
    exam_result_released.send(sender=Sitting, officer=sitting.officer, sitting=sitting, exam=sitting.exam,
                              passed=bool(sitting.passed))


def _send_passed(sitting_id):
    sitting = Sitting.objects.select_related("exam", "officer").get(pk=sitting_id)
    exam = sitting.exam
    if exam.hours and exam.hours > 0:
        credit(sitting.officer, exam.hours, source=SOURCE_EXAM, source_key=f"exam:{exam.pk}",
               description=_("通过考试：%(t)s") % {"t": exam.title})
    exam_passed.send(sender=Sitting, officer=sitting.officer, sitting=sitting, exam=exam, score=sitting.percent)


def mark_answer(answer, marks, comment, marker, now=None):
    """Record a trainer's rubric marks for a case-analysis answer, then release the sitting
    if it was the last one. Raises ExamError on a bad mark."""
    now = now or timezone.now()
    content = answer.version.content
    try:
        score = grading.mark_case(content, marks, answer.points)
    except ValueError as exc:
        raise ExamError(_("评分要点 %(k)s 的分数无效（须在 0 到该要点分值之间）。") % {"k": exc.args[0]},
                        code="bad_mark") from None
    with transaction.atomic():
        updated = (Sitting.objects.filter(pk=answer.sitting_id, status=SittingStatus.MARKING)
                   .update(status=SittingStatus.MARKING))
        updated = updated and Answer.objects.filter(pk=answer.pk).update(
            marks=marks, comment=comment, score=score, correct=score >= answer.points,
            marked_by=marker, marked_at=now,
        )
    if not updated:
        raise ExamError(_("该答卷已发布成绩，不能再评分。"), code="released")
    answer.refresh_from_db()
    try_release(answer.sitting)
    return answer


def finalize_overdue(now=None):
    """Finalise every open sitting past its deadline plus grace. Returns how many this call closed."""
    now = now or timezone.now()
    cutoff = now - Sitting.grace()
    n = 0
    for sitting in Sitting.objects.filter(status=SittingStatus.OPEN, deadline__lt=cutoff).select_related("exam"):
        n += int(finalize(sitting, ended_by=EndReason.COMMAND, now=now))
    return n
