"""Fixtures of the search tests: a fresh index per test — Whoosh (``whoosh_index``), or each
backend in turn (``search_index``: Whoosh, and the PostgreSQL backend when the tests run on
PostgreSQL) — and a small corpus (laws, articles, cases) built with the other apps' own models."""
import datetime

import pytest
from django.db import connection
from django.test import override_settings

from search import analysis, service


@pytest.fixture
def whoosh_index(tmp_path, db):
    """Point Wagtail's search at an empty Whoosh index in a temporary folder."""
    conf = {"default": {"BACKEND": "search.backends.whoosh", "PATH": str(tmp_path / "index"),
                        "LOCK_TIMEOUT": 10}}
    with override_settings(WAGTAILSEARCH_BACKENDS=conf, MODELSEARCH_BACKENDS=conf):
        from wagtail.search.backends import get_search_backend

        backend = get_search_backend()
        analysis.invalidate()
        yield backend
        backend.store.close()


@pytest.fixture(params=["whoosh", "postgres"])
def search_index(request, tmp_path, db):
    """Each search backend in turn, empty: the same tests hold for both."""
    service._related_cache.clear()  # laws of an earlier test must not label this one's facets
    if request.param == "whoosh":
        yield request.getfixturevalue("whoosh_index")
        return
    if "whoosh_index" in request.fixturenames:
        pytest.skip("a test of the Whoosh backend's own machinery")
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL search backend needs PostgreSQL (DATABASE_URL=postgres://…)")
    conf = {"default": {"BACKEND": "search.backends.postgres"}}
    with override_settings(WAGTAILSEARCH_BACKENDS=conf, MODELSEARCH_BACKENDS=conf):
        from wagtail.search.backends import get_search_backend

        backend = get_search_backend()
        backend.reset_indexes()
        analysis.invalidate()
        yield backend


def make_law(full_name, status="in_force", source_id=None, **fields):
    from casebank.models import Law

    return Law.objects.create(full_name=full_name, source_id=source_id or full_name, status=status, **fields)


def make_article(law, number, text, number_text=None):
    from casebank.models import Article

    return Article.objects.create(law=law, number=number, position=number, text=text,
                                  number_text=number_text or f"第{number}条", law_status=law.status)


@pytest.fixture
def statutes(search_index):
    """A few laws and articles, indexed."""
    chufa = make_law("中华人民共和国行政处罚法", short_name="行政处罚法", effective_date=datetime.date(2021, 7, 15))
    old = make_law("中华人民共和国大气污染防治法", status="repealed", short_name="大气污染防治法")
    arts = {
        "first_minor": make_article(chufa, 33, "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且危害后果轻微并及时改正的，可以不予行政处罚。",
                                    "第三十三条"),
        "summary": make_article(chufa, 51, "违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的行政处罚的，可以当场作出行政处罚决定。",
                                "第五十一条"),
        "stall": make_article(chufa, 90, "在城市道路两侧占道经营的流动摊贩，由城市管理部门责令改正，可以处五百元以下罚款。",
                              "第九十条"),
        "bike": make_article(chufa, 91, "共享单车乱停放，影响市容的，责令改正。", "第九十一条"),
        "pm": make_article(old, 12, "PM2.5 浓度超标时，应当采取应急措施，禁止露天焚烧。", "第十二条"),
        "three": make_article(chufa, 92, "门前三包责任单位应当保持责任区内的市容环境卫生。", "第九十二条"),
        "fine_only": make_article(chufa, 93, "处以罚款的，应当出具收据。", "第九十三条"),
    }
    from casebank.models import Article, Law

    search_index.add_bulk(Law, [chufa, old])
    search_index.add_bulk(Article, list(Article.get_indexed_objects().filter(pk__in=[a.pk for a in arts.values()])))
    return {"laws": {"chufa": chufa, "old": old}, "articles": arts}
