"""Course assignments: who is targeted, who may assign where, completion by unit within scope."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.learning import assignments_for
from courses.models import Assignment
from courses.staff_views import completion_by_unit, scoped_assignments
from tests.courses.factories import complete_course, make_course
from tests.factories import make_user

TODAY = datetime.date.today


def assign(course, unit, *, subunits=True, position="", days=30, by=None):
    return Assignment.objects.create(course=course, unit=unit, include_subunits=subunits, position=position,
                                     due_date=timezone.localdate() + datetime.timedelta(days=days), assigned_by=by)


@pytest.mark.django_db
def test_targeting_by_unit_subtree_and_position(units):
    course = make_course(n_lessons=1)
    squad_officer = make_user(unit=units["SZ-JB-01"]).officer
    leader = make_user(unit=units["SZ-JB-02"], position="squad_leader").officer
    other_district = make_user(unit=units["SZ-JN-01"]).officer
    city = assign(course, units["SZ"], position="squad_leader")
    district = assign(course, units["SZ-JB"])
    only_district_office = assign(course, units["SZ-JB"], subunits=False)
    squad = assign(course, units["SZ-JB-01"], subunits=False)

    assert set(assignments_for(squad_officer)) == {district, squad}
    assert set(assignments_for(leader)) == {city, district}
    assert set(assignments_for(other_district)) == set()
    assert only_district_office not in assignments_for(squad_officer)


@pytest.mark.django_db
def test_hr_assigns_only_within_scope(client, hr_user, units):
    """HR of 江北区 may assign to its squads; a 江南区 unit is refused with a message and nothing is saved."""
    course = make_course(n_lessons=1)
    client.force_login(hr_user)
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    ok = client.post(reverse("courses:assignments"), {
        "course": course.pk, "unit": units["SZ-JB-01"].pk, "include_subunits": "on", "due_date": due})
    assert ok.status_code == 302 and Assignment.objects.filter(unit=units["SZ-JB-01"]).exists()
    refused = client.post(reverse("courses:assignments"), {
        "course": course.pk, "unit": units["SZ-JN-01"].pk, "due_date": due, "note": "保留的说明"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "只能指派给本人管辖范围内的单位" in html and "保留的说明" in html
    assert not Assignment.objects.filter(unit=units["SZ-JN-01"]).exists()
    past = client.post(reverse("courses:assignments"), {
        "course": course.pk, "unit": units["SZ-JB-01"].pk, "due_date": "2000-01-01"})
    assert "完成期限不能早于今天" in past.content.decode()


@pytest.mark.django_db
def test_assignment_views_by_role(client, officer_user, trainer_user, reviewer_user, hr_user):
    url = reverse("courses:assignments")
    assert client.get(url).status_code == 302  # anonymous → login
    for user, status in ((officer_user, 403), (reviewer_user, 403), (trainer_user, 200), (hr_user, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
        assert client.get(reverse("courses:report")).status_code == status, user


@pytest.mark.django_db
def test_delete_out_of_scope_assignment_is_404(client, hr_user, units):
    course = make_course(n_lessons=1)
    foreign = assign(course, units["SZ-JN"])
    client.force_login(hr_user)
    assert client.post(reverse("courses:assignment_delete", args=[foreign.pk])).status_code == 404
    assert Assignment.objects.filter(pk=foreign.pk).exists()
    mine = assign(course, units["SZ-JB-02"])
    assert client.post(reverse("courses:assignment_delete", args=[mine.pk])).status_code == 302
    assert not Assignment.objects.filter(pk=mine.pk).exists()


@pytest.mark.django_db
def test_scoped_assignments_include_those_reaching_my_people(hr_user, hr_other_user, units):
    course = make_course(n_lessons=1)
    city = assign(course, units["SZ"])
    jb = assign(course, units["SZ-JB-01"])
    jn = assign(course, units["SZ-JN-01"])
    assert set(scoped_assignments(hr_user)) == {city, jb}
    assert set(scoped_assignments(hr_other_user)) == {city, jn}


@pytest.mark.django_db
def test_completion_by_unit_counts_within_scope(client, hr_user, units):
    course = make_course(n_lessons=1)
    done = make_user(unit=units["SZ-JB-01"], full_name="完成者").officer
    make_user(unit=units["SZ-JB-01"], full_name="未完成者")
    make_user(unit=units["SZ-JB-02"])
    foreign = make_user(unit=units["SZ-JN-01"], full_name="外区人员").officer
    assign(course, units["SZ"], days=-1)  # overdue
    complete_course(done, course)
    complete_course(foreign, course)
    rows = {r["unit"].code: r for r in completion_by_unit(hr_user)}
    assert set(rows) == {"SZ-JB", "SZ-JB-01", "SZ-JB-02"}
    # hr_user (in SZ-JB) is an officer of the district too, so it counts.
    assert (rows["SZ-JB-01"]["total"], rows["SZ-JB-01"]["done"], rows["SZ-JB-01"]["overdue"]) == (2, 1, 1)
    assert (rows["SZ-JB"]["total"], rows["SZ-JB"]["done"]) == (4, 1)
    client.force_login(hr_user)
    html = client.get(reverse("courses:report")).content.decode()
    assert "第一中队" in html and "江南区" not in html and "bar-fill" in html
    assert client.get(reverse("courses:report"), {"course": "999999"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["courses:report", "courses:study_time"])
@pytest.mark.parametrize("junk", ["9" * 20, "-1", "²", "1e3", "<script>"])
def test_course_filter_refuses_junk_with_404(client, hr_user, name, junk):
    """An id no database integer holds, or no id at all, is "no such course", never a server error."""
    client.force_login(hr_user)
    assert client.get(reverse(name), {"course": junk}).status_code == 404
