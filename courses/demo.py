"""Demo courses, lessons, assignments, on-site sessions and the demo officer's
progress (idempotent: a second run creates nothing and takes seconds)."""
import datetime
import json
import uuid
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from casebank.models import Article, CasePage, DutyArea
from officers import hours as hours_service
from officers.models import MODE_CENTRAL, SOURCE_ONSITE, HoursCategory, Officer, Unit
from portal.models import HomePage

from . import progress
from .pages import CourseIndexPage, CoursePage, LessonPage
from .records import Assignment, Attendance, CourseEnrollment, LessonProgress, OnsiteSession, SessionSignup

DATA_DIR = Path(__file__).resolve().parent / "demo_data"

#: (course slug, unit code, include sub-units, position, due in days from today)
ASSIGNMENTS = [
    ("entry-law-foundations", "SZ", True, "", 30),
    ("entry-procedure-basics", "SZ", True, "", 45),
    ("entry-documents-basics", "SZ-JB", True, "", -3),
    ("entry-civility-basics", "SZ", True, "", 60),
    ("inservice-three-systems", "SZ-JB", True, "", 90),
    ("inservice-administrative-coercion", "SZ-JN", True, "", 60),
    ("inservice-conflict-communication", "SZ-GX", True, "", 75),
    ("special-illegal-construction", "SZ-JB-01", False, "", 120),
    ("special-environment-sanitation", "SZ-JN", True, "", 120),
    ("special-traffic-order", "SZ", True, "squad_leader", 90),
]


def _read(name):
    path = DATA_DIR / name
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def _index_page():
    index = CourseIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first()
        index = home.add_child(instance=CourseIndexPage(title="课程中心", slug="courses", live=True))
    return index


class _Refs:
    """Looks up statute articles and cases named in the demo data (cached)."""

    def __init__(self):
        self.articles = {}
        self.missing = []

    def article(self, law, number):
        key = (law, number)
        if key not in self.articles:
            art = (Article.objects.filter(law__full_name=law, number=number).order_by("position").first()
                   or Article.objects.filter(law__short_name=law, number=number).order_by("position").first())
            self.articles[key] = art.pk if art else None
            if art is None:
                self.missing.append(f"{law} 第{number}条")
        return self.articles[key]

    def case(self, slug):
        pk = CasePage.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if pk is None:
            self.missing.append(f"case {slug}")
        return pk


def _body(blocks, refs):
    """Demo block list → raw StreamField data."""
    out = []
    for b in blocks:
        kind = b.get("type")
        value = None
        if kind == "markdown":
            value = b.get("value", "")
        elif kind == "article":
            pk = refs.article(b["law"], b["article"])
            value = {"article": pk, "note": b.get("note", "")} if pk else None
        elif kind == "case":
            pk = refs.case(b.get("case_slug") or b.get("case") or b.get("slug"))
            value = {"case": pk, "note": b.get("note", "")} if pk else None
        elif kind == "self_check":
            answer = b.get("answer", 0)
            value = {
                "question": b["question"],
                "options": [{"type": "item", "id": str(uuid.uuid4()),
                             "value": {"text": text, "correct": i == answer}}
                            for i, text in enumerate(b["options"])],
                "explanation": b.get("explanation", ""),
            }
        elif kind == "onsite_note":
            value = {"location": b.get("location", ""), "note": b.get("note", "")}
        elif kind == "video" and b.get("url"):
            value = {"video": None, "url": b["url"], "caption": b.get("caption", "")}
        if value is not None:
            out.append({"type": kind, "value": value, "id": str(uuid.uuid4())})
    return json.dumps(out, ensure_ascii=False)


#: The hours category of a demo course by its subject; a course of a duty area is 业务知识.
SUBJECT_HOURS_CATEGORY = {"law_basics": "public_law", "procedure": "skills", "documents": "skills",
                          "civility": "skills"}


def _load_courses(stdout, index):
    data = _read("courses.json")
    categories = {c.code: c for c in HoursCategory.objects.all()}
    existing = {c.slug: c for c in CoursePage.objects.child_of(index)}
    areas = {a.code: a for a in DutyArea.objects.all()}
    refs = _Refs()
    created_courses = created_lessons = 0
    for spec in data:
        course = existing.get(spec["slug"])
        if course is None:
            course = CoursePage(
                title=spec["title"], slug=spec["slug"], live=True, tier=spec["tier"],
                subject=spec.get("subject") or "", hours=Decimal(str(spec.get("hours", 2))),
                estimated_minutes=spec.get("estimated_minutes", 60), intro=spec.get("intro", ""),
                objectives=spec.get("objectives", ""),
                audience=spec.get("audience", "") + (
                    "（" + "、".join(spec["positions"]) + "）" if spec.get("positions") else ""),
                requires_legal_review=True, issues_certificate=spec["tier"] in ("entry", "advanced"),
                duty_area_codes=" ".join(sorted(spec.get("duty_areas", []))),
                hours_category=categories.get(SUBJECT_HOURS_CATEGORY.get(spec.get("subject") or "", "business")),
            )
            index.add_child(instance=course)
            course.duty_areas.set([areas[c] for c in spec.get("duty_areas", []) if c in areas])
            course.save()
            existing[course.slug] = course
            created_courses += 1
        have = set(LessonPage.objects.child_of(course).values_list("slug", flat=True))
        for lesson_spec in spec.get("lessons", []):
            if lesson_spec["slug"] in have:
                continue
            lesson = LessonPage(
                title=lesson_spec["title"], slug=lesson_spec["slug"], live=True,
                summary=lesson_spec.get("summary", ""), estimated_minutes=lesson_spec.get("estimated_minutes", 20),
                body=_body(lesson_spec.get("body", []), refs),
            )
            # Demo text is checked with check_citations instead of blocking the load.
            lesson.skip_citation_check = True
            course.add_child(instance=lesson)
            created_lessons += 1
    for spec in data:  # prerequisites, once every course exists
        course = existing[spec["slug"]]
        wanted = [existing[s] for s in spec.get("prerequisites", []) if s in existing]
        if {p.pk for p in course.prerequisites.all()} != {p.pk for p in wanted}:
            course.prerequisites.set(wanted)
            course.save()
    stdout.write(f"  courses: {len(existing)} ({created_courses} new), lessons: {created_lessons} new")
    if refs.missing:
        stdout.write(f"  skipped references not in the library: {', '.join(sorted(set(refs.missing))[:10])}")
    return existing


def _load_assignments(stdout, courses):
    units = {u.code: u for u in Unit.objects.all()}
    admin = get_user_model().objects.filter(username="hr").first()
    today = timezone.localdate()
    created = 0
    for slug, unit_code, subunits, position, due_in in ASSIGNMENTS:
        if slug not in courses or unit_code not in units:
            continue
        _a, new = Assignment.objects.get_or_create(
            course=courses[slug], unit=units[unit_code], position=position,
            defaults={"include_subunits": subunits, "due_date": today + datetime.timedelta(days=due_in),
                      "assigned_by": admin, "note": "年度培训计划"})
        created += int(new)
    stdout.write(f"  assignments: {created} new")


def _load_sessions(stdout, courses):
    trainer = get_user_model().objects.filter(username="trainer").first()
    created = 0
    sessions = []
    for spec in _read("sessions.json"):
        course = courses.get(spec["course"])
        if course is None:
            continue
        start = datetime.datetime.fromisoformat(spec["start"])
        session, new = OnsiteSession.objects.get_or_create(course=course, title=spec["title"], defaults={
            "starts_at": start, "ends_at": start + datetime.timedelta(hours=spec.get("duration_hours", 3)),
            "place": spec.get("location", ""), "trainer": trainer, "capacity": spec.get("capacity", 20),
            "hours": Decimal(str(spec.get("hours", 3))), "description": spec.get("description", ""),
        })
        created += int(new)
        sessions.append(session)
    # Sign-ups from the demo district; attendance (and hours) for a past session.
    people = list(Officer.objects.filter(unit__code__startswith="SZ-JB", is_active=True).order_by("employee_number"))
    n_attended = 0
    for session in sessions:
        if session.signups.exists():
            continue
        chosen = people[: min(len(people), max(1, session.capacity // 2))]
        SessionSignup.objects.bulk_create([SessionSignup(session=session, officer=o) for o in chosen],
                                          ignore_conflicts=True)
        if session.is_past:
            for officer in chosen[:-1]:  # one signed-up officer did not come
                _att, new = Attendance.objects.get_or_create(session=session, officer=officer,
                                                             defaults={"recorded_by": trainer})
                if new:
                    hours_service.credit(officer, session.hours, source=SOURCE_ONSITE,
                                         source_key=f"onsite:{session.pk}", description=f"现场教学：{session.title}",
                                         date=timezone.localtime(session.starts_at).date(), actor=trainer,
                                         category=session.course.hours_category_id, mode=MODE_CENTRAL)
                    n_attended += 1
    stdout.write(f"  on-site sessions: {len(sessions)} ({created} new), attendance recorded: {n_attended}")


def _demo_officer_progress(stdout, courses):
    officer = Officer.objects.filter(user__username="officer").first()
    if officer is None or CourseEnrollment.objects.filter(officer=officer).exists():
        return
    long_ago = timezone.now() - datetime.timedelta(days=20)
    plan = [("entry-law-foundations", None), ("entry-civility-basics", 1), ("entry-procedure-basics", 2)]
    for slug, n_done in plan:
        course = courses.get(slug)
        if course is None:
            continue
        lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
        todo = lessons if n_done is None else lessons[:n_done + 1]
        for i, lesson in enumerate(todo):
            p = progress.open_lesson(officer, lesson, course)
            study = lesson.study  # the demo officer studied each lesson for its required time
            LessonProgress.objects.filter(pk=p.pk).update(
                opened_at=long_ago, active_seconds=study.required_seconds if study.counted else 0,
                last_heartbeat_at=long_ago)
            if n_done is None or i < n_done:
                progress.complete_lesson(officer, lesson, course)
    stdout.write("  demo officer: one course completed, two in progress")


def load(stdout, password):
    with transaction.atomic():
        index = _index_page()
        courses = _load_courses(stdout, index)
        _load_assignments(stdout, courses)
        _load_sessions(stdout, courses)
        _demo_officer_progress(stdout, courses)
