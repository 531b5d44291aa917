"""类案推送: the scoring table, what a viewer may be shown, the bounded queries, the case page."""
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from wagtail.models import PageViewRestriction

import pytest

from casebank.similar import MIN_SCORE, WEIGHTS, score_candidates, similar_cases
from tests.factories import make_user

from .factories import make_benchmark, make_case, make_power_item

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("law_directory_kept")]

LEVELS = ((0, 200, "轻微"), (200, 1000, "一般"), (1000, 3000, "较重"), (3000, 5000, "严重"))


def case(title, *, power=(), level=None, live=True, **fields):
    page = make_case(title, live=live, level=level, **fields)
    if power:
        page.power_items = list(power)
        page.save()
    return page


@pytest.fixture
def bank(units):
    p1, p2 = make_power_item("CG-T-001"), make_power_item("CG-T-002", name="另一项处罚")
    bm = make_benchmark("BM-T-001", levels=LEVELS)
    light, general, heavy, severe = bm.levels.order_by("sort_order")
    other_bm = make_benchmark("BM-T-002", levels=LEVELS, violation="另一违法行为")
    other_general = other_bm.levels.order_by("sort_order")[1]
    subject = case("本案：夜间施工噪声扰民", power=[p1], level=general, tags=["夜间", "噪声"],
                   areas=["environment"], violation_type="夜间施工噪声")
    return {
        "subject": subject,
        "same_item_same_level": case("同一事项同一等级", power=[p1], level=general, is_public=True),
        "same_item_next_level": case("同一事项相邻等级", power=[p1], level=heavy),
        "same_benchmark_far_level": case("同一基准严重等级", level=severe),
        "same_violation_text": case("同一违法行为类型", violation_type="夜间施工噪声"),
        "shared_tags_and_area": case("相同情节同一领域", tags=["夜间", "噪声", "其他"], areas=["environment"],
                                     power=[p2]),
        "one_tag_and_area": case("一个标签同一领域", tags=["噪声"], areas=["environment"]),
        "area_only": case("仅同一领域", areas=["environment"], level=other_general),
        "unrelated": case("无关案例", power=[p2], level=other_general),
        "draft": case("未发布草稿", power=[p1], level=general, live=False),
    }


# (case key, expected score, expected reason); None: not similar.
TABLE = [
    ("same_item_same_level", WEIGHTS["power_item"] + WEIGHTS["same_level"], "同一违法行为 · 同一裁量等级"),
    ("same_item_next_level", WEIGHTS["power_item"] + WEIGHTS["near_level"], "同一违法行为 · 相邻裁量等级"),
    ("same_benchmark_far_level", WEIGHTS["benchmark"], "同一违法行为"),
    ("same_violation_text", WEIGHTS["violation_type"], "同一违法行为"),
    ("shared_tags_and_area", 2 * WEIGHTS["tag"] + WEIGHTS["area"], "相同情节：夜间、噪声 · 同一职责领域"),
    ("one_tag_and_area", WEIGHTS["tag"] + WEIGHTS["area"], "相同情节：噪声 · 同一职责领域"),
    ("area_only", None, None),
    ("unrelated", None, None),
]


@pytest.mark.parametrize("key,score,reason", TABLE)
def test_scoring_table(bank, key, score, reason):
    """Each signal scores as documented, and the reason names what the cases share."""
    scores = score_candidates(bank["subject"])
    found = scores.get(bank[key].pk)
    if score is None:
        assert found is None or found.total < MIN_SCORE
    else:
        assert found.total == score
        assert " · ".join(found.reasons()) == reason


def test_signed_in_viewer_gets_best_five_without_drafts(bank, officer_user):
    result = similar_cases(bank["subject"], officer_user)
    titles = [s.case.title for s in result]
    assert titles == ["同一事项同一等级", "同一事项相邻等级", "同一基准严重等级", "同一违法行为类型", "相同情节同一领域"]
    assert result[0].reason == "同一违法行为 · 同一裁量等级"
    assert "未发布草稿" not in titles and bank["subject"].title not in titles


def test_anonymous_visitor_sees_only_public_cases(bank):
    result = similar_cases(bank["subject"], AnonymousUser())
    assert [s.case.title for s in result] == ["同一事项同一等级"]


def test_restricted_case_is_never_proposed(bank, officer_user):
    PageViewRestriction.objects.create(page=bank["same_item_same_level"], restriction_type="login")
    titles = [s.case.title for s in similar_cases(bank["subject"], officer_user)]
    assert "同一事项同一等级" not in titles


def test_query_count_does_not_grow_with_the_bank(bank, officer_user, django_assert_max_num_queries):
    """Reading the case (4), finding candidates (one per signal, 5), the view restrictions and the
    visible candidates (2): at most 11 queries, with 9 candidates or 29."""
    subject = type(bank["subject"]).objects.get(pk=bank["subject"].pk)
    with django_assert_max_num_queries(11) as few:
        similar_cases(subject, officer_user)
    p1 = bank["same_item_same_level"].power_items.first()
    for n in range(20):
        case(f"更多同类案例{n}", power=[p1], tags=["夜间"], areas=["environment"])
    subject = type(subject).objects.get(pk=subject.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = similar_cases(subject, officer_user)
    assert len(result) == 5


def test_case_page_shows_similar_cases_escaped(bank, client, officer_user):
    case("<script>alert(1)</script>同一事项", power=[bank["subject"].power_items.first()],
         level=bank["subject"].discretion_level)
    client.force_login(officer_user)
    body = client.get(bank["subject"].url).content.decode()
    assert "类案推送" in body and "同一违法行为 · 同一裁量等级" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;同一事项" in body and "<script>alert(1)" not in body
    assert "未发布草稿" not in body


def test_case_page_offers_trainer_the_report_assignment(bank, client, units):
    trainer = make_user("trainer", unit=units["SZ"])
    client.force_login(trainer)
    body = client.get(bank["subject"].url).content.decode()
    assert f"/case-reports/assign/{bank['subject'].pk}/" in body


def test_reasons_speak_the_readers_language(bank, officer_user):
    with translation.override("en"):
        result = similar_cases(bank["subject"], officer_user)
    assert result[0].reason == "Same violation · Same discretion level"
    assert result[1].reason == "Same violation · Neighbouring discretion level"
