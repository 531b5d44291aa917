"""HR's chart of 达标率 per squad (hours and qualifications) for a known set of officers, its
constant query count, the 学时不足（分类） filter and the per-category export columns."""
import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from officers import hours as hours_service
from officers import hr_lists
from officers import qualifications as q
from officers import roles
from officers.models import MODE_CENTRAL, HoursCategory, HoursRequirement
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _credit(officer, hours, code=None, mode="self"):
    category = HoursCategory.objects.get(code=code) if code else None
    hours_service.credit(officer, hours, source="manual", source_key=f"t:{officer.pk}:{code}:{hours}",
                         description="测试", category=category, mode=mode)


def _person(unit, *, qualified, hours, business=0):
    officer = make_user(roles.OFFICER, unit=unit).officer
    if qualified:
        q.grant(officer, q.Rules.load().base, today=timezone.localdate() - datetime.timedelta(days=10), reason="t")
    _credit(officer, hours, "public_law")
    if business:
        _credit(officer, business, "business", MODE_CENTRAL)
    q.evaluate(officer)
    return officer


@pytest.fixture
def demo_set(units, base_type):
    """SZ-JB-01: met both / qualified but short / hours met but not qualified; SZ-JB-02: met both.
    The 业务知识 minimum is 10: the short one has none."""
    HoursRequirement.objects.create(qualification_type=base_type, category=HoursCategory.objects.get(
        code="business"), min_hours=Decimal("10"))
    hr = make_user(roles.HR, unit=units["SZ-JB"])
    people = {
        "a": _person(units["SZ-JB-01"], qualified=True, hours=50, business=10),
        "b": _person(units["SZ-JB-01"], qualified=True, hours=70),
        "c": _person(units["SZ-JB-01"], qualified=False, hours=55, business=12.5),
        "d": _person(units["SZ-JB-02"], qualified=True, hours=60, business=20),
    }
    return hr, people


def test_chart_figures_for_a_known_set(demo_set, base_type, units):
    hr, _people = demo_set
    rows = {r.name.split(" / ")[-1]: (r.officers, r.hours_ok, r.qualified, r.hours_rate, r.qualified_rate)
            for r in hr_lists.unit_chart(hr, qtype=base_type)}
    assert rows == {
        "江北区城市管理执法局": (1, 0, 0, 0, 0),  # the HR clerk, not evaluated
        "第一中队": (3, 2, 2, 67, 67),
        "第二中队": (1, 1, 1, 100, 100),
    }
    narrowed = hr_lists.unit_chart(hr, qtype=base_type, unit_id=str(units["SZ-JB-02"].pk))
    assert [(r.officers, r.hours_rate) for r in narrowed] == [(1, 100)]


def test_dashboard_draws_the_chart_with_the_numbers_as_text(client, demo_set):
    hr, _people = demo_set
    client.force_login(hr)
    html = client.get("/hr/").content.decode()
    chart = html[html.index('id="unit-chart"'):]
    chart = chart[:chart.index("</section>")]
    assert '<rect class="rate-fill" width="67" height="8"/>' in chart
    assert 'data-rate="hours">67%（2/3）<' in chart and 'data-rate="qualified">100%（1/1）<' in chart
    assert "<script" not in chart and 'aria-hidden="true"' in chart
    assert 'data-count="short_category">1<' in html


def test_chart_queries_do_not_grow_with_squads_or_officers(client, units, base_type):
    hr = make_user(roles.HR, unit=units["SZ"])
    _person(units["SZ-JB-01"], qualified=True, hours=60)
    client.force_login(hr)
    client.get("/hr/")
    with CaptureQueriesContext(connection) as small:
        client.get("/hr/")
    for code in ("SZ-JB-02", "SZ-JN-01", "SZ-JN-02", "SZ-GX-01", "SZ-GX-02"):
        for qualified in (True, False):
            _person(units[code], qualified=qualified, hours=30)
    with CaptureQueriesContext(connection) as big:
        response = client.get("/hr/")
    assert len(response.context["unit_chart"]) == 7
    assert len(big) == len(small)


def test_list_filters_by_short_category(client, demo_set):
    hr, people = demo_set
    client.force_login(hr)
    r = client.get("/hr/lists/short_category/")
    assert [rec.officer for rec in r.context["page"].object_list] == [people["b"]]
    r = client.get("/hr/lists/all/", {"hours_category": "business"})
    assert [rec.officer for rec in r.context["page"].object_list] == [people["b"]]
    r = client.get("/hr/lists/all/", {"hours_category": "skills"})
    assert list(r.context["page"].object_list) == []


def test_export_carries_hours_per_category_and_mode(client, demo_set):
    hr, people = demo_set
    client.force_login(hr)
    response = client.get("/hr/lists/all/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header[-5:] == ["公共法律知识学时", "业务知识学时", "执法技能学时", "集中培训学时", "自学学时"]
    by_number = {row[0]: row for row in rows[1:]}
    c = by_number[people["c"].employee_number]
    assert [Decimal(v) for v in c[-5:]] == [Decimal("55"), Decimal("12.5"), Decimal("0"), Decimal("12.5"),
                                            Decimal("55")]
