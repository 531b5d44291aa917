"""法条联想: the index of what cites each article, rebuilt on save/publish, and the article page
listing it by kind for the viewer's role."""
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from casebank import references
from casebank.models import (
    Article,
    ArticleReference,
    CaseLegalBasis,
    DiscretionBenchmark,
    DiscretionLevel,
    PowerItem,
    PowerItemBasis,
)
from exams.models import TRUEFALSE, Question
from tests.courses.factories import make_course, make_lesson, markdown_body

from .factories import make_case, make_power_item
from .statute_library import build_library

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("law_directory_kept")]


@pytest.fixture
def library(db):
    return build_library()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit rebuilds of what happens inside the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def art(source_id, number):
    return Article.objects.get(law__source_id=source_id, number=number)


def refs_of(obj):
    ct = ContentType.objects.get_for_model(type(obj))
    return sorted((r.article.law.source_id, r.article.number, r.field, r.kind)
                  for r in ArticleReference.objects.filter(content_type=ct, object_id=str(obj.pk))
                  .select_related("article__law"))


def test_power_item_refs_follow_text_and_basis_rows(library, commit):
    with commit():
        item = PowerItem(code="CG-R-1", name="测试事项", power_type="penalty",
                         legal_basis_text="依据《城市道路测试条例》第四条。")
        item.basis = [PowerItemBasis(article=art("t-penalty", 1))]
        item.save()
    assert refs_of(item) == [("t-penalty", 1, "basis", "power_item"),
                             ("t-road-2019", 4, "legal_basis_text", "power_item")]
    with commit():
        item.legal_basis_text = "无引用。"
        item.save()
    assert refs_of(item) == [("t-penalty", 1, "basis", "power_item")]
    with commit():
        item.basis = []
        item.save()
    assert refs_of(item) == []
    with commit():
        item.basis = [PowerItemBasis(article=art("t-rule", 2))]
        item.save()
    pk = item.pk
    with commit():
        item.delete()
    assert not ArticleReference.objects.filter(object_id=str(pk), kind="power_item").exists()


def test_case_refs_only_while_live_and_judged_at_decision_date(library, commit):
    with commit():
        page = make_case("道路占用案", case_number="甬综执罚〔2010〕1号", decision_date=datetime.date(2010, 5, 1),
                         facts="依据《城市道路测试条例》第三条处理。",
                         teaching_points="现行《城市道路测试条例》第四条作了同样规定。")
    # The decided case cites the version in force in 2010, the commentary the current one.
    assert refs_of(page) == [("t-road-2000", 3, "facts", "case"), ("t-road-2019", 4, "teaching_points", "case")]
    assert ArticleReference.objects.filter(object_id=str(page.pk), kind="case").first().label == \
        "道路占用案（甬综执罚〔2010〕1号）"
    with commit():
        page.unpublish()
    assert refs_of(page) == []
    with commit():
        draft = make_case("草稿案例", live=False, facts="依据《城市道路测试条例》第三条处理。")
    assert refs_of(draft) == []


def test_case_legal_basis_panel_counts(library, commit):
    with commit():
        page = make_case("依据面板案")
        page.legal_basis = [CaseLegalBasis(article=art("t-zj", 1))]
        page.save_revision().publish()
    assert refs_of(page) == [("t-zj", 1, "legal_basis", "case")]


def test_benchmark_levels_are_listed_by_level(library, commit):
    with commit():
        bm = DiscretionBenchmark(code="BM-R-1", violation="擅自占用测试道路", legal_basis_text="《城市道路测试条例》第四条")
        bm.levels = [DiscretionLevel(name="一般", circumstances="占用面积较小，依照《城市道路测试条例》第二条处罚。",
                                     sort_order=1)]
        bm.save()
    assert refs_of(bm) == [("t-road-2019", 2, f"level:{bm.levels.get().pk}", "benchmark"),
                           ("t-road-2019", 4, "legal_basis_text", "benchmark")]
    labels = set(ArticleReference.objects.filter(object_id=str(bm.pk), kind="benchmark").values_list("label", flat=True))
    assert labels == {"BM-R-1 擅自占用测试道路 · 一般", "BM-R-1 擅自占用测试道路"}


def test_lesson_refs_on_publish(library, commit):
    course = make_course(n_lessons=0)
    lesson = make_lesson(course, title="道路管理", body=markdown_body("## 依据\n《行政处罚法》第二条和《城市道路测试条例》第二条。"))
    assert refs_of(lesson) == []  # created live without publishing: the rebuild command picks it up
    with commit():
        lesson.save_revision().publish()
    assert refs_of(lesson) == [("t-penalty", 2, "body", "lesson"), ("t-road-2019", 2, "body", "lesson")]


def test_question_refs_on_save(library, commit):
    with commit():
        q = Question.objects.create(qtype=TRUEFALSE, category="municipal", truefalse_answer=True,
                                    text="依据《城市道路测试条例》第二条，罚款上限为二万元。",
                                    article_refs=["宁波市测试条例甲 第三条"])
    assert refs_of(q) == [("t-nb-a", 3, "articles", "question"), ("t-road-2019", 2, "text", "question")]


@pytest.fixture
def citing(library, commit):
    """A live case, a draft case, a power item, a benchmark and a question citing 城市道路测试条例 第二条."""
    text = "依据《城市道路测试条例》第二条。"
    with commit():
        live = make_case("公开道路案例", facts=text)
        draft = make_case("未发布道路案例", live=False, facts=text)
        make_power_item("CG-R-2", name="道路事项", legal_basis_text=text)
        q = Question.objects.create(qtype=TRUEFALSE, category="municipal", truefalse_answer=True, text=f"试题{text}")
    return {"live": live, "draft": draft, "question": q}


def test_article_page_lists_citing_objects_by_kind(client, officer_user, citing):
    client.force_login(officer_user)
    body = client.get("/statutes/t-road-2019/2/").content.decode()
    assert "公开道路案例" in body and f'href="{citing["live"].url}"' in body
    assert "道路事项" in body and 'href="/powers/CG-R-2/"' in body
    assert body.index("案例") < body.index("权力清单事项")
    # Drafts and exam questions never reach officers.
    assert "未发布道路案例" not in body
    assert "试题" not in body.split("法条联想")[1] and f"/exams/bank/{citing['question'].pk}/" not in body


@pytest.mark.parametrize("role_user", ["trainer_user", "reviewer_user"])
def test_article_page_shows_questions_to_trainers_and_reviewers(client, request, citing, role_user):
    client.force_login(request.getfixturevalue(role_user))
    body = client.get("/statutes/t-road-2019/2/").content.decode()
    assert f"/exams/bank/{citing['question'].pk}/" in body and "未发布道路案例" not in body


def test_a_page_that_stops_being_live_drops_out_even_before_a_rebuild(client, officer_user, citing):
    """The article page checks live status itself (an unpublish without signals must not leak)."""
    type(citing["live"]).objects.filter(pk=citing["live"].pk).update(live=False)
    client.force_login(officer_user)
    assert "公开道路案例" not in client.get("/statutes/t-road-2019/2/").content.decode()


def test_rebuild_command_is_idempotent_and_drops_stale_rows(library, citing):
    course = make_course(n_lessons=0)
    make_lesson(course, body=markdown_body("《城市道路测试条例》第一条"))
    stale = ArticleReference.objects.create(
        article=art("t-penalty", 1), content_type=ContentType.objects.get_for_model(PowerItem), object_id="999999",
        kind="power_item", label="已删除的事项")
    call_command("rebuild_references", stdout=io.StringIO())
    first = sorted(ArticleReference.objects.values_list("article_id", "content_type_id", "object_id", "field"))
    call_command("rebuild_references", stdout=io.StringIO())
    second = sorted(ArticleReference.objects.values_list("article_id", "content_type_id", "object_id", "field"))
    assert first == second and not ArticleReference.objects.filter(pk=stale.pk).exists()
    kinds = set(ArticleReference.objects.values_list("kind", flat=True))
    assert kinds == {"case", "power_item", "lesson", "question"}
    assert not ArticleReference.objects.filter(object_id=str(citing["draft"].pk), kind="case").exists()


def test_registry_knows_every_citing_kind():
    kinds = {source.kind for source in references.sources()}
    assert kinds == {"case", "power_item", "benchmark", "lesson", "question"}


def test_power_page_links_to_article_pages(client, officer_user, library):
    item = make_power_item("CG-R-3")
    item.basis = [PowerItemBasis(article=art("t-road-2019", 4))]
    item.save()
    client.force_login(officer_user)
    assert 'href="/statutes/t-road-2019/4/"' in client.get("/powers/CG-R-3/").content.decode()


def test_article_page_query_count_is_bounded(client, trainer_user, library, commit, django_assert_max_num_queries):
    """However many objects cite an article, the article page makes the same few queries."""
    client.force_login(trainer_user)
    client.get("/statutes/t-road-2019/2/")
    with commit():
        for n in range(25):
            make_power_item(f"CG-Q-{n}", name=f"批量事项{n}", legal_basis_text="《城市道路测试条例》第二条")
            make_case(f"批量案例{n}", facts="依据《城市道路测试条例》第二条。")
            Question.objects.create(qtype=TRUEFALSE, category="municipal", truefalse_answer=True,
                                    text=f"批量试题{n}：《城市道路测试条例》第二条")
    with django_assert_max_num_queries(16):  # 16th: the viewer's own bookmark (收藏) of the article
        body = client.get("/statutes/t-road-2019/2/").content.decode()
    assert body.count("批量事项") == 25 and body.count("批量案例") == 25 and body.count("批量试题") == 25
