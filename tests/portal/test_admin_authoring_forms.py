"""The trainer's admin forms: 适用裁量等级 and 权力清单事项 as searchable grouped choosers, the
lesson's 法条引用核验 panel, and query counts of the case and lesson forms and the page explorer
that stay fixed however many benchmarks, power-list items and cases there are."""
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casebank.models import CasePage, DiscretionLevel, DutyArea, PowerItem
from tests.casebank.factories import case_index, make_benchmark, make_case, make_power_item
from tests.courses.conftest import penalty_law  # noqa: F401 — the one-article statute library
from tests.courses.factories import make_course, make_lesson

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("law_directory_kept")]

#: Query ceilings of the trainer's admin pages (measured, plus a little room).
MAX_QUERIES = {"new case": 40, "case edit": 60, "lesson edit": 45, "case explorer": 60}


def add_reference_data(n, start=0):
    """n benchmarks of three levels and n power-list items spread over the duty areas."""
    areas = list(DutyArea.objects.filter(kind=DutyArea.AREA))
    for i in range(start, start + n):
        make_benchmark(code=f"BM-Q-{i:03d}", violation=f"违法行为{i}",
                       levels=((0, 100, "轻微"), (100, 1000, "一般"), (1000, 5000, "严重")))
        item = make_power_item(code=f"CG-Q-{i:03d}", name=f"对违法行为{i}的处罚")
        item.duty_areas.set([areas[i % len(areas)]])
        item.save()  # a ParentalManyToManyField is written on save


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), response.content.decode()


def new_case_url():
    return reverse("wagtailadmin_pages:add", args=("casebank", "casepage", case_index().pk))


def test_case_form_groups_levels_by_benchmark_and_items_by_duty_area(client, trainer_user):
    add_reference_data(2)
    client.force_login(trainer_user)
    body = client.get(new_case_url()).content.decode()
    html = body
    listbox = re.search(r'<select name="discretion_level".*?</select>', html, re.S).group(0)
    assert '<optgroup label="BM-Q-000 违法行为0">' in listbox and '<optgroup label="BM-Q-001 违法行为1">' in listbox
    level = DiscretionLevel.objects.get(benchmark__code="BM-Q-001", name="一般")
    assert f'<option value="{level.pk}">一般：罚款；罚款 100–1,000 元</option>' in listbox
    assert re.search(r'<option value="" selected>（不适用）</option>', listbox)
    assert re.search(r'size="\d+"', listbox)  # a list box: arrow keys move through the options
    area_names = [a.name for a in DutyArea.objects.filter(kind=DutyArea.AREA)[:2]]
    legends = re.findall(r"<legend>([^<]*)</legend>", html)
    assert set(area_names) <= set(legends), legends
    assert 'value="' in html and "CG-Q-001 对违法行为1的处罚" in html
    assert html.count('data-controller="academy-choices"') >= 2
    assert "casebank/choosers.js" in body and "casebank/choosers.css" in body


def test_case_form_takes_the_chosen_level_and_items(trainer_user):
    add_reference_data(2)
    form_class = CasePage.get_edit_handler().get_form_class()
    form = form_class(instance=CasePage(), for_user=trainer_user)
    level = DiscretionLevel.objects.get(benchmark__code="BM-Q-000", name="严重")
    items = list(PowerItem.objects.filter(code__startswith="CG-Q-"))
    assert form.fields["discretion_level"].clean(str(level.pk)) == level
    assert form.fields["discretion_level"].clean("") is None
    assert set(form.fields["power_items"].clean([str(i.pk) for i in items])) == set(items)
    with pytest.raises(ValidationError):
        form.fields["discretion_level"].clean("999999")


def test_new_case_form_queries_do_not_grow_with_reference_data(client, trainer_user):
    add_reference_data(2)
    client.force_login(trainer_user)
    url = new_case_url()
    client.get(url)
    small, _body = count_queries(client, url)
    add_reference_data(12, start=2)
    large, _body = count_queries(client, url)
    assert large == small, (small, large)
    assert small <= MAX_QUERIES["new case"]


def test_case_edit_form_queries_do_not_grow_with_reference_data(client, trainer_user):
    add_reference_data(2)
    case = make_case(owner=trainer_user)
    client.force_login(trainer_user)
    url = reverse("wagtailadmin_pages:edit", args=[case.pk])
    client.get(url)
    small, _body = count_queries(client, url)
    add_reference_data(12, start=2)
    large, _body = count_queries(client, url)
    assert large == small, (small, large)
    assert small <= MAX_QUERIES["case edit"]


def test_lesson_edit_form_queries_and_citation_panel(client, trainer_user, penalty_law):  # noqa: F811
    course = make_course(n_lessons=0)
    lesson = make_lesson(course, owner=trainer_user, summary="见《中华人民共和国行政处罚法》第三十三条。")
    client.force_login(trainer_user)
    url = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    client.get(url)
    n, body = count_queries(client, url)
    assert n <= MAX_QUERIES["lesson edit"]
    # the same 法条引用核验 panel as the case form; its reviewer-only box is not the trainer's
    assert "法条引用核验" in body and "识别到 1 处引用" in body
    assert "已核对废止法律引用" not in body


def test_case_explorer_queries_do_not_grow_with_cases(client, trainer_user):
    for _i in range(3):
        make_case(owner=trainer_user)
    client.force_login(trainer_user)
    url = reverse("wagtailadmin_explore", args=[case_index().pk])
    client.get(url)
    small, _body = count_queries(client, url)
    for _i in range(9):
        make_case(owner=trainer_user)
    large, body = count_queries(client, url)
    # one query per listed case remains (Wagtail asks whether an editor without publish
    # permission may delete it); the 移动 and 删除 items no longer ask twice
    assert large - small <= 9, (small, large)
    assert large <= MAX_QUERIES["case explorer"]
    assert "删除" in body


def test_trainers_forms_speak_chinese(client, trainer_user):
    """Wagtail's scheduling note, which its Chinese catalogue lacks, comes from site/locale."""
    client.force_login(trainer_user)
    body = client.get(new_case_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "任何有编辑权限的用户都可以设置定时发布" in body
    assert "Anyone with editing permissions" not in body
