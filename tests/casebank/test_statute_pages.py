"""Statute library pages: the index by 效力级别 and region, the versions of a law (法规变迁), the
comparison of two versions (对照), and the article page."""
import re

import pytest
from django.test import override_settings

from casebank import versions
from casebank.models import Law

from .statute_library import build_library, make_law

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bureau", "law_directory_kept")]


@pytest.fixture
def bureau():
    with override_settings(ACADEMY_PROVINCE="浙江省", ACADEMY_CITY="宁波市"):
        yield


@pytest.fixture
def library(db):
    return build_library()


def _tbody(response):
    return response.content.decode().split("<tbody>")[1].split("</tbody>")[0]


def _facet(response, label):
    """The text of one facet box, whitespace squeezed."""
    body = response.content.decode()
    part = body.split(f'aria-label="{label}"')[1].split("</nav>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))


def test_current_version_rule(library):
    """In force beats a newer historical row; otherwise the newest version date wins."""
    current = set(versions.current_versions().values_list("source_id", flat=True))
    assert "t-road-2019" in current and "t-road-2000" not in current
    assert len(current) == len(library) - 1
    assert versions.current_version_of(library["road-2000"]) == library["road-2019"]


def test_index_level_counts_count_each_regulation_once(client, officer_user, library):
    client.force_login(officer_user)
    response = client.get("/statutes/")
    levels = _facet(response, "效力级别")
    assert "法律 1" in levels and "行政法规 1" in levels and "部门规章 1" in levels
    assert "地方性法规 5" in levels and "地方政府规章 1" in levels
    body = _tbody(response)
    assert body.count("城市道路测试条例") == 1 and "/statutes/t-road-2019/" in body and "t-road-2000" not in body


def test_index_regions_bureau_first_with_counts(client, officer_user, library):
    client.force_login(officer_user)
    regions = _facet(client.get("/statutes/"), "地区")
    assert regions.index("浙江省") < regions.index("山东省")
    assert "浙江省 ★ 5" in regions and "山东省 1" in regions
    # The bureau's province is unfolded, its city first.
    assert regions.index("宁波市 ★ 3") < regions.index("杭州市 1")


def test_index_bureau_regulations_come_first(client, officer_user, library):
    client.force_login(officer_user)
    body = _tbody(client.get("/statutes/"))
    order = [body.index(name) for name in ("宁波市测试条例甲", "浙江省综合测试条例", "杭州市测试条例",
                                           "中华人民共和国行政处罚法", "济南市测试条例")]
    assert order == sorted(order)


def test_index_filters_combine_and_counts_follow(client, officer_user, library):
    client.force_login(officer_user)
    response = client.get("/statutes/?province=浙江省&city=宁波市")
    body = _tbody(response)
    assert "宁波市测试条例甲" in body and "宁波市测试规定" in body and "杭州市测试条例" not in body
    assert "地方性法规 2" in _facet(response, "效力级别") and "地方政府规章 1" in _facet(response, "效力级别")
    body = _tbody(client.get("/statutes/?province=浙江省&city=宁波市&level=地方性法规&status=repealed"))
    assert "宁波市测试条例乙" in body and "宁波市测试条例甲" not in body
    body = _tbody(client.get("/statutes/?q=道路"))
    assert "城市道路测试条例" in body and "行政处罚法" not in body
    # Unknown filter values are ignored, not errors.
    assert client.get("/statutes/?level=<x>&status=nope&page=abc").status_code == 200


def test_index_query_count_is_bounded(client, officer_user, library, django_assert_max_num_queries):
    client.force_login(officer_user)
    client.get("/statutes/")  # warm caches (session, user, groups)
    for n in range(60):
        make_law(f"t-extra-{n}", f"测试批量条例{n}", level=Law.LOCAL_REGULATION, province="江苏省", city="南京市",
                 articles=[])
    # a fixed number whatever the number of laws: session, user, groups, the officer's unread
    # notices (the 消息 badge), the course centre (the 学习 tab) and the page's own queries
    with django_assert_max_num_queries(10):
        response = client.get("/statutes/?page=2")
    assert response.status_code == 200 and "测试批量条例" in _tbody(response)


def test_law_page_lists_versions_and_links_to_current(client, officer_user, library):
    client.force_login(officer_user)
    body = client.get("/statutes/t-road-2000/").content.decode()
    assert "法规变迁" in body and "2019-03-24" in body and "2000-01-01" in body
    assert "历史版本" in body and "现行有效" in body
    assert 'href="/statutes/t-road-2019/"' in body  # the current version
    assert "行政法规" in body and "国务院" in body
    assert "/statutes/t-road-2000/compare/" in body
    body = client.get("/statutes/t-road-2019/").content.decode()
    assert 'name="a"' in body and 'value="t-road-2000" selected' in body
    body = client.get("/statutes/t-nb-a/").content.decode()
    assert "浙江省 · 宁波市" in body and "法规变迁" not in body  # one version: no version list


def test_compare_side_by_side(client, officer_user, library):
    client.force_login(officer_user)
    response = client.get("/statutes/t-road-2019/compare/?a=t-road-2000&b=t-road-2019")
    assert response.status_code == 200
    body = response.content.decode()
    # 第二条: changed words marked on both sides.
    assert "<del>管理</del>" in body and "<ins>主管</ins>" in body and "<del>千</del>" in body and "<ins>万</ins>" in body
    # The old 第三条 is paired with the new 第四条 by its text (renumbered, unchanged).
    assert "原第三条" in body
    # Old 第四条 removed; new 第三条 and 第五条 added; markup in the text is escaped.
    assert "cmp-removed" in body and body.count("cmp-added") == 2
    assert "&lt;b&gt;不是HTML&lt;/b&gt;" in body and "<b>不是HTML" not in body
    assert "修改 1 条，新增 2 条，删除 1 条，条号变动 1 条，未变 2 条" in body


def test_compare_defaults_to_previous_version(client, officer_user, library):
    client.force_login(officer_user)
    response = client.get("/statutes/t-road-2019/compare/")
    assert response.status_code == 200 and "<ins>主管</ins>" in response.content.decode()


def test_compare_changed_only(client, officer_user, library):
    client.force_login(officer_user)
    body = client.get("/statutes/t-road-2019/compare/?a=t-road-2000&b=t-road-2019&changed=1").content.decode()
    assert "cmp-same" not in body and "cmp-changed" in body


@pytest.mark.parametrize("query, message", [
    ("?a=t-penalty&b=t-road-2019", "不是《城市道路测试条例》的版本"),
    ("?a=t-road-2000&b=t-zj", "不是《城市道路测试条例》的版本"),
    ("?a=nothing-here", "没有编号为“nothing-here”的法规版本"),
])
def test_compare_refuses_other_laws_with_a_message(client, officer_user, library, query, message):
    client.force_login(officer_user)
    response = client.get(f"/statutes/t-road-2019/compare/{query}")
    assert response.status_code == 400 and message in response.content.decode()


def test_compare_without_an_earlier_version_says_so(client, officer_user, library):
    client.force_login(officer_user)
    response = client.get("/statutes/t-zj/compare/")
    assert response.status_code == 200 and "没有更早的版本" in response.content.decode()
    response = client.get("/statutes/t-road-2000/compare/")  # the oldest version
    assert response.status_code == 200 and "没有更早的版本" in response.content.decode()


def test_compare_needs_login(client, library):
    assert client.get("/statutes/t-road-2019/compare/").status_code == 302


def test_align_pairs_renumbered_articles_by_text():
    """Pure alignment: identical and similar texts are paired wherever they moved."""
    class A:
        def __init__(self, number, text):
            self.number, self.text = number, text

    old = [A(1, "甲乙丙丁戊己庚辛"), A(2, "完全不同的旧条文内容一二三"), A(3, "子丑寅卯辰巳午未申酉")]
    new = [A(1, "甲乙丙丁戊己庚辛"), A(2, "插入的新条文"), A(3, "完全不同的旧条文内容一二四"), A(4, "子丑寅卯辰巳午未申酉")]
    assert versions.align(old, new) == {0: 0, 1: 2, 2: 3}
    rows = versions.compare(old, new)
    assert [r.status for r in rows] == ["same", "added", "changed", "same"]
    assert versions.summary(rows)["renumbered"] == 2


def test_article_page_links_other_versions(client, officer_user, library):
    client.force_login(officer_user)
    body = client.get("/statutes/t-road-2019/2/").content.decode()
    assert 'href="/statutes/t-road-2000/2/"' in body and "法条联想" in body


def test_mark_changes_escapes_and_folds_stray_common_characters():
    old_html, new_html = versions.mark_changes("道路管理部门<b>", "道路主管部门<i>")
    assert old_html == "道路<del>管理</del>部门&lt;<del>b</del>&gt;"
    assert new_html == "道路<ins>主管</ins>部门&lt;<ins>i</ins>&gt;"
