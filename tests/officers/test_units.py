"""Unit names with their ancestors, without a query per unit."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from officers.models import LEVEL_SQUAD, Unit

pytestmark = pytest.mark.django_db


def test_full_name_names_the_district_and_squad(units):
    assert units["SZ-JB-01"].full_name == "江北区城市管理执法局 / 第一中队"
    assert units["SZ-JB"].full_name == "某市城市管理综合执法局 / 江北区城市管理执法局"
    assert units["SZ"].full_name == "某市城市管理综合执法局"


def test_full_name_follows_a_rename(units):
    district = Unit.objects.get(code="SZ-JB")
    district.name = "江北区综合执法局"
    district.save()
    assert Unit.objects.get(code="SZ-JB-02").full_name == "江北区综合执法局 / 第二中队"


def test_unit_dropdown_costs_no_query_per_unit(client, units, admin_user):
    """The roster's unit filter lists every unit with its full name: the query
    count stays the same when the tree grows."""
    client.force_login(admin_user)
    url = reverse("officers:officer_list")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    district = Unit.objects.get(code="SZ-GX")
    for i in range(8):
        district.add_child(code=f"SZ-GX-X{i}", name=f"临时中队{i}", level=LEVEL_SQUAD)
        district.refresh_from_db()
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).content.decode()
    assert "高新区城市管理执法局 / 临时中队7" in body
    assert len(large.captured_queries) == len(small.captured_queries)
