"""Page-tree rules of 课程中心 → 课程 → 课时, the section created by migration, and workflow attachment."""
import pytest
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage
from wagtail.test.utils import WagtailPageTestCase

from courses.models import CourseIndexPage, CoursePage, LessonPage
from portal.models import HomePage
from tests.courses.factories import course_index, make_course


class PageTreeTests(WagtailPageTestCase):
    """The tree is fixed on both ends."""

    def test_allowed_subpage_types(self):
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_allowed_parent_types(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})

    def test_trainer_can_create_course_and_lesson_in_admin(self):
        """A trainer (not a superuser) creates a course and a lesson as drafts through the page
        permissions the migration gives the trainer group; publishing is not theirs."""
        from officers import roles
        from tests.factories import make_units, make_user

        trainer = make_user(roles.TRAINER, unit=make_units()["SZ"])
        self.assertFalse(trainer.is_superuser)
        self.client.force_login(trainer)
        index = course_index()
        self.assertCanCreate(index, CoursePage, {
            "title": "新课程", "slug": "new-course", "tier": "inservice", "subject": "procedure",
            "hours": "6", "estimated_minutes": "90", "year": "2026", "intro": "简介", "objectives": "目标一\n目标二",
            "audience": "全体队员", "requires_legal_review": "on",
        }, publish=False)
        course = CoursePage.objects.get(slug="new-course")
        self.assertEqual(course.tier_rank, 1)
        self.assertEqual((course.live, course.owner), (False, trainer))
        self.assertCanCreate(course, LessonPage, {
            "title": "第一课", "slug": "lesson-one", "summary": "摘要", "estimated_minutes": "20",
            "min_read_seconds": "30",
            "body-count": "1", "body-0-type": "markdown", "body-0-deleted": "", "body-0-order": "0",
            "body-0-value": "## 标题\n正文",
        }, publish=False)
        lesson = LessonPage.objects.get(slug="lesson-one")
        self.assertEqual((lesson.get_parent().pk, lesson.live, lesson.owner), (course.pk, False, trainer))
        # the trainer's own permissions on the new page: edit yes, publish no (法制审核 publishes)
        perms = course.permissions_for_user(trainer)
        self.assertTrue(perms.can_edit())
        self.assertFalse(perms.can_publish())

    def test_cannot_create_lesson_directly_under_index(self):
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(HomePage, CoursePage)


@pytest.mark.django_db
def test_migration_creates_section_with_permissions():
    """课程中心 (slug courses) sits under the home page; trainers add/change, legal reviewers publish."""
    index = course_index()
    assert index.slug == "courses" and isinstance(index.get_parent().specific, HomePage)
    perms = {(p.group.name, p.permission.codename) for p in GroupPagePermission.objects.filter(page=index)}
    assert {("trainer", "add_page"), ("trainer", "change_page"), ("legal_reviewer", "publish_page")} <= perms
    assert ("trainer", "publish_page") not in perms


@pytest.mark.django_db
def test_legal_review_workflow_follows_course_setting():
    workflow = Workflow.objects.get(name="法制审核")
    course = make_course(requires_legal_review=True, n_lessons=1)
    assert WorkflowPage.objects.get(page=course).workflow == workflow
    lesson = LessonPage.objects.child_of(course).get()
    assert lesson.get_workflow() == workflow
    course.requires_legal_review = False
    course.save()
    assert not WorkflowPage.objects.filter(page=course).exists()


@pytest.mark.django_db
def test_lessons_copy_course_filters_for_search():
    course = make_course(tier="special", n_lessons=1, year=2026)
    lesson = LessonPage.objects.child_of(course).get()
    assert (lesson.tier, lesson.year) == ("special", 2026)
    course.tier = "advanced"
    course.save()
    lesson.refresh_from_db()
    assert lesson.tier == "advanced"
    fields = {f.field_name for f in CoursePage.get_search_fields() if f.__class__.__name__ == "FilterField"}
    assert {"tier", "duty_area_codes", "year"} <= fields


@pytest.mark.django_db
def test_prerequisite_cycles_are_refused():
    from courses.admin_forms import CoursePageForm

    a = make_course(n_lessons=0)
    b = make_course(n_lessons=0, prerequisites=[a])
    c = make_course(n_lessons=0, prerequisites=[b])
    form_class = CoursePage.get_edit_handler().get_form_class()
    assert issubclass(form_class, CoursePageForm)
    form = form_class(instance=a, for_user=None)
    form.cleaned_data = {"prerequisites": [c]}
    with pytest.raises(Exception) as exc:
        form.clean_prerequisites()
    assert exc.value.code == "prerequisite_cycle"
    form.cleaned_data = {"prerequisites": [a]}
    with pytest.raises(Exception) as exc:
        form.clean_prerequisites()
    assert exc.value.code == "self_prerequisite"
    form = form_class(instance=c, for_user=None)
    form.cleaned_data = {"prerequisites": [a]}
    assert form.clean_prerequisites() == [a]


@pytest.mark.django_db
def test_catalogue_filters_courses_by_duty_area_tier_and_subject():
    from casebank.models import DutyArea

    traffic = make_course(n_lessons=0, tier="special", subject="procedure")
    traffic.duty_areas.set([DutyArea.objects.get(code="traffic")])
    traffic.save()
    both = make_course(n_lessons=0)
    both.duty_areas.set(list(DutyArea.objects.filter(code__in=["traffic", "planning"])))
    both.save()
    none = make_course(n_lessons=0)
    index = course_index()
    assert both.duty_area_codes == "planning traffic" and both.duty_area_list == ["planning", "traffic"]
    assert set(index.get_courses(area="traffic")) == {traffic, both}
    assert list(index.get_courses(area="planning")) == [both]
    assert set(index.get_courses(area="no-such-area")) == {traffic, both, none}  # unknown values are ignored
    assert list(index.get_courses(area="traffic", tier="special", subject="procedure")) == [traffic]
