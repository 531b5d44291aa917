"""The discretion-benchmark list (/benchmarks/, /public/benchmarks/): each benchmark folds to its
title, area, legal basis and level count (a <details> a phone opens on tap; wider screens and paper
show every levels table); the benchmark a search names comes open."""
import re

import pytest

from casebank.models import Article, DiscretionBenchmarkBasis

from .factories import make_benchmark

pytestmark = pytest.mark.django_db


@pytest.fixture
def benchmarks(statutes):
    article = Article.objects.filter(law__short_name="行政处罚法", number=33).first() or Article.objects.first()
    road = make_benchmark("BM-T-001", violation="擅自占用城市道路从事经营活动",
                          levels=((0, 50, "轻微"), (50, 200, "一般"), (200, 500, "较重")))
    DiscretionBenchmarkBasis.objects.create(benchmark=road, article=article, sort_order=1)
    other = [make_benchmark(f"BM-T-{i:03d}", violation=f"测试违法行为{i}") for i in range(2, 6)]
    return {"road": road, "article": article, "other": other}


def details(body):
    """{benchmark code: True if it is rendered open} in page order."""
    return {code: bool(is_open) for code, is_open in
            re.findall(r'<details class="card benchmark-item" id="bm-([^"]+)"( open)?>', body)}


def test_each_benchmark_folds_to_its_title_basis_and_level_count(client, officer_user, benchmarks):
    client.force_login(officer_user)
    body = client.get("/benchmarks/").content.decode()
    assert details(body) == {f"BM-T-{i:03d}": False for i in range(1, 6)}
    road = body[body.index('id="bm-BM-T-001"'):body.index('id="bm-BM-T-002"')]
    summary = road[:road.index("</summary>")]
    assert "擅自占用城市道路从事经营活动" in summary and "3 个裁量等级" in summary
    assert f"法律依据：{benchmarks['article']}" in summary
    assert road.count('<tr id="level-') == 3  # the levels follow, folded on a phone
    assert "/benchmarks/BM-T-001/" in road


def test_the_benchmark_a_search_names_comes_open(client, officer_user, benchmarks):
    client.force_login(officer_user)
    by_code = details(client.get("/benchmarks/", {"q": "bm-t-003"}).content.decode())
    assert by_code == {"BM-T-003": True}
    several = details(client.get("/benchmarks/", {"q": "测试违法行为"}).content.decode())
    assert len(several) == 4 and not any(several.values())
    public = details(client.get("/public/benchmarks/", {"q": "擅自占用"}).content.decode())
    assert public == {"BM-T-001": True}


def test_the_list_reads_in_english(client, officer_user, benchmarks):
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    body = client.get("/benchmarks/").content.decode()
    assert "3 levels" in body and "Show the levels" in body and "个裁量等级" not in body
