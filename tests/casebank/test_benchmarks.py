"""Discretion benchmark validation: ranges within the law, no overlaps, no negative amounts."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from casebank.models import DiscretionBenchmark, DiscretionLevel
from casebank.validation import validate_benchmark_levels


def bench(lo=0, hi=5000):
    return DiscretionBenchmark(code="X", violation="v", article_fine_min=Decimal(lo), article_fine_max=Decimal(hi))


def lv(name, lo, hi):
    return DiscretionLevel(name=name, circumstances="c", fine_min=None if lo is None else Decimal(lo),
                           fine_max=None if hi is None else Decimal(hi))


def codes(benchmark, levels):
    with pytest.raises(ValidationError) as exc:
        validate_benchmark_levels(benchmark, levels)
    return sorted({e.code for e in exc.value.error_list}), " ".join(e.message % (e.params or {})
                                                                  for e in exc.value.error_list)


def test_consistent_levels_pass():
    """Adjacent ranges may share their boundary; a level without amounts (no penalty) is fine."""
    validate_benchmark_levels(bench(), [lv("免罚", None, None), lv("轻微", 0, 1000), lv("一般", 1000, 3000),
                                        lv("严重", 3000, 5000)])


@pytest.mark.parametrize("levels,expected", [
    ([lv("一般", -100, 1000)], "negative_amount"),
    ([lv("一般", 2000, 1000)], "range_inverted"),
    ([lv("轻微", 0, 2000), lv("一般", 1500, 3000)], "levels_overlap"),
    ([lv("严重", 3000, 8000)], "above_article_max"),
    ([lv("轻微", 0, 1000), lv("轻微", 1000, 2000)], "duplicate_level_name"),
])
def test_inconsistent_levels_refused_with_code(levels, expected):
    got, message = codes(bench(), levels)
    assert got == [expected]
    assert message  # a readable reason


def test_below_article_min_and_message_names_level():
    got, message = codes(bench(lo=1000, hi=5000), [lv("轻微", 500, 2000)])
    assert got == ["below_article_min"]
    assert "轻微" in message and "1000" in message


def test_article_range_inverted():
    got, _m = codes(bench(lo=5000, hi=1000), [])
    assert got == ["article_range_inverted"]


def test_level_clean_and_benchmark_clean():
    with pytest.raises(ValidationError):
        lv("一般", 3000, 1000).clean()
    with pytest.raises(ValidationError) as exc:
        bench(lo=5000, hi=1000).clean()
    assert "article_fine_max" in exc.value.message_dict


@pytest.mark.django_db
def test_admin_form_refuses_overlap(admin_user, client):
    """Saving an overlapping benchmark in the Wagtail admin is refused with the reason."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    client.force_login(admin_user)
    data = nested_form_data({
        "code": "BM-ADM", "sort_order": "0", "violation": "测试", "power_item": "", "duty_area": "",
        "legal_basis_text": "", "article_fine_min": "0", "article_fine_max": "5000", "description": "",
        "basis": inline_formset([]),
        "levels": inline_formset([
            {"name": "轻微", "circumstances": "a", "measure": "罚款", "fine_min": "0", "fine_max": "2000", "notes": ""},
            {"name": "一般", "circumstances": "b", "measure": "罚款", "fine_min": "1500", "fine_max": "3000",
             "notes": ""},
        ], min=1),
    })
    response = client.post("/cms/snippets/casebank/discretionbenchmark/add/", data)
    assert response.status_code == 200
    assert "重叠" in response.content.decode()
    assert not DiscretionBenchmark.objects.filter(code="BM-ADM").exists()
    data["levels-1-fine_min"] = "2000"
    response = client.post("/cms/snippets/casebank/discretionbenchmark/add/", data)
    assert response.status_code == 302
    assert DiscretionBenchmark.objects.get(code="BM-ADM").levels.count() == 2
