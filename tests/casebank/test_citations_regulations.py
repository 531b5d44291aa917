"""Citations of 行政法规, 部门规章 and 地方性法规: names, short forms, versions by date, ambiguity and the
bureau's region. Names, version dates and article counts follow the LawRefBook/Laws source files; the
article texts are placeholders."""
import datetime
import io
import json
import re
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.template.loader import render_to_string
from django.test import override_settings

from casebank.citations import (_directory, check_text, find_citations, invalidate_cache, lookup_law_name,
                                resolve_law_name)

from .conftest import article_text, chinese

pytestmark = pytest.mark.django_db

ADMIN = "行政法规"
RULE = "部门规章"
LOCAL = "地方性法规"
D = datetime.date.fromisoformat

#: (source_id, full name, level, province, city, version date, effective date, status, articles, short name)
REGULATIONS = [
    ("r-shirong", "城市市容和环境卫生管理条例", ADMIN, "", "", "2017-03-01", None, "in_force", 45, ""),
    ("r-road", "城市道路管理条例", ADMIN, "", "", "2019-03-24", "2019-03-24", "in_force", 45, ""),
    ("r-wuye", "物业管理条例", ADMIN, "", "", "2018-03-19", "2018-03-19", "in_force", 67, ""),
    ("r-traffic", "中华人民共和国道路交通安全法实施条例", ADMIN, "", "", "2017-10-07", "2017-10-07", "in_force", 115,
     ""),
    # Versions of one regulation: rows sharing the full name.
    ("r-net-2019", "互联网上网服务营业场所管理条例", ADMIN, "", "", "2019-03-24", "2019-03-24", "historical", 37, ""),
    ("r-net-2022", "互联网上网服务营业场所管理条例", ADMIN, "", "", "2022-03-29", "2022-03-29", "in_force", 38, ""),
    ("r-trans-2019", "道路运输条例", ADMIN, "", "", "2019-03-02", "2019-03-02", "historical", 83, ""),
    ("r-trans-2022", "道路运输条例", ADMIN, "", "", "2022-03-29", "2022-03-29", "historical", 83, ""),
    ("r-trans-2023", "道路运输条例", ADMIN, "", "", "2023-07-20", "2023-07-20", "in_force", 82, ""),
    ("r-otc", "处方药与非处方药分类管理办法（试行）", RULE, "", "", "1999-06-18", "2000-01-01", "in_force", 15, ""),
    # Local regulations; the bureau is in 浙江省宁波市 (settings).
    ("l-zj-shirong", "浙江省城市市容和环境卫生管理条例", LOCAL, "浙江省", "", "2021-09-30", "2021-09-30", "in_force",
     47, ""),
    ("l-zj-trans", "浙江省道路运输条例", LOCAL, "浙江省", "", "2012-03-31", "2012-03-31", "in_force", 82, ""),
    ("l-zj-zhifa", "浙江省综合行政执法条例", LOCAL, "浙江省", "", "2021-11-25", "2022-01-01", "in_force", 38, ""),
    ("l-nb-shirong", "宁波市市容和环境卫生管理条例", LOCAL, "浙江省", "宁波市", "2019-08-20", "2019-08-20",
     "in_force", 74, "市容条例"),
    ("l-nb-wuye", "宁波市住宅小区物业管理条例", LOCAL, "浙江省", "宁波市", "2021-10-15", "2021-10-15", "in_force",
     98, ""),
    ("l-wz-shirong", "温州市市容和环境卫生管理条例", LOCAL, "浙江省", "温州市", "2018-08-15", "2018-08-15",
     "in_force", 55, "市容条例"),
    ("l-hz-shirong", "湖州市市容和环境卫生管理条例", LOCAL, "浙江省", "湖州市", "2019-08-10", "2019-08-10",
     "in_force", 41, ""),
    ("l-tz-shirong", "台州市城市市容和环境卫生管理条例", LOCAL, "浙江省", "台州市", "2016-08-09", "2016-08-09",
     "in_force", 52, ""),
    ("l-sh-shirong", "上海市市容环境卫生管理条例", LOCAL, "上海市", "", "2018-12-20", "2018-12-20", "in_force", 64, ""),
    ("l-qd-wuye", "青岛市物业管理条例", LOCAL, "山东省", "青岛市", "2021-01-28", "2021-01-28", "in_force", 93, ""),
    ("l-rz-cg", "日照市城市管理条例", LOCAL, "山东省", "日照市", "2017-08-02", "2017-08-02", "in_force", 114, ""),
]

SHIRONG = "城市市容和环境卫生管理条例"
ZJ_SHIRONG = "浙江省城市市容和环境卫生管理条例"
NB_SHIRONG = "宁波市市容和环境卫生管理条例"
ROAD = "城市道路管理条例"
NET = "互联网上网服务营业场所管理条例"
TRANS = "道路运输条例"
ZJ_TRANS = "浙江省道路运输条例"
TRAFFIC_REG = "中华人民共和国道路交通安全法实施条例"
OTC = "处方药与非处方药分类管理办法（试行）"
WUYE = "物业管理条例"


@pytest.fixture(scope="module")
def regulations(django_db_setup, django_db_blocker, statutes):
    """The small national library (conftest) plus the regulations above, for the whole module."""
    from casebank.models import Article, Law

    with django_db_blocker.unblock():
        with transaction.atomic():
            articles = []
            for sid, name, level, province, city, version, effective, status, count, short in REGULATIONS:
                law = Law.objects.create(
                    source_id=sid, full_name=name, short_name=short, level=level, province=province, city=city,
                    region=province + city, local=level == LOCAL, version_date=D(version),
                    effective_date=D(effective) if effective else None, status=status, source="markdown",
                    issuing_body="国务院" if level == ADMIN else "")
                articles += [Article(law=law, position=n, number=n, number_text=f"第{chinese(n)}条",
                                     text=article_text(name, n), law_status=status) for n in range(1, count + 1)]
            Article.objects.bulk_create(articles)
            invalidate_cache()
            yield
            transaction.set_rollback(True)
        invalidate_cache()


def cites(text, as_of=None):
    return [(c.law_name, c.article, c.status) for c in find_citations(text, as_of)]


#: text → [(law full name or None, article, status)]
TABLE = [
    # full names, in title marks or not, Chinese or Arabic numerals
    (f"依据《{SHIRONG}》第三十六条", [(SHIRONG, 36, "ok")]),
    (f"《{ROAD}》第四十二条第一款第（一）项", [(ROAD, 42, "ok")]),
    ("城市道路管理条例第42条", [(ROAD, 42, "ok")]),
    ("违反城市道路管理条例第二十七条、第四十二条的规定", [(ROAD, 27, "ok"), (ROAD, 42, "ok")]),
    ("当事人违反物业管理条例第67条", [(WUYE, 67, "ok")]),
    (f"《{ROAD}》第四十六条", [(ROAD, 46, "unknown_article")]),
    # 中华人民共和国 left out, or written in front of a regulation that does not carry it
    ("《道路交通安全法实施条例》第一百零四条", [(TRAFFIC_REG, 104, "ok")]),
    ("道路交通安全法实施条例第115条", [(TRAFFIC_REG, 115, "ok")]),
    (f"《中华人民共和国{ROAD}》第十条", [(ROAD, 10, "ok")]),
    # a trailing bracket: written or left out
    (f"《{OTC}》第十五条", [(OTC, 15, "ok")]),
    ("《处方药与非处方药分类管理办法》第五条", [(OTC, 5, "ok")]),
    ("处方药与非处方药分类管理办法第5条", [(OTC, 5, "ok")]),
    (f"《{ROAD}（2019年修订）》第八条", [(ROAD, 8, "ok")]),
    (f"《{ROAD}》（2019年修订）第八条", [(ROAD, 8, "ok")]),
    # a national regulation is not swallowed by a local one ending with its name, nor the other way round
    (f"《{ZJ_SHIRONG}》第二十条", [(ZJ_SHIRONG, 20, "ok")]),
    (f"《{ZJ_SHIRONG}》第四十七条；《{SHIRONG}》第四十五条", [(ZJ_SHIRONG, 47, "ok"), (SHIRONG, 45, "ok")]),
    ("依据浙江省城市市容和环境卫生管理条例第二十条", [(ZJ_SHIRONG, 20, "ok")]),
    ("依据城市市容和环境卫生管理条例第三十六条", [(SHIRONG, 36, "ok")]),
    ("台州市城市市容和环境卫生管理条例第五十二条", [("台州市城市市容和环境卫生管理条例", 52, "ok")]),
    ("浙江省道路运输条例第八十二条，道路运输条例第八十二条", [(ZJ_TRANS, 82, "ok"), (TRANS, 82, "ok")]),
    # a local regulation the library lacks, whose name ends with a national one: unknown, not the national one
    ("依据上海市城市道路管理条例第十条", [(None, 10, "unknown_law")]),
    ("《上海市城市道路管理条例》第十条", [(None, 10, "unknown_law")]),
    ("违反杭州市物业管理条例第二十条", [(None, 20, "unknown_law")]),
    # the city's regulation with its province in front
    ("《浙江省宁波市市容和环境卫生管理条例》第十条", [(NB_SHIRONG, 10, "ok")]),
    # a name that could mean several regulations is never guessed
    ("《市容和环境卫生管理条例》第十条", [(None, 10, "unknown_law")]),
    ("违反市容和环境卫生管理条例第十条", [(None, 10, "unknown_law")]),
    ("《市容条例》第二十条", [(None, 20, "unknown_law")]),
    # a name without its region resolves only to the bureau's own region's one regulation of that name
    ("《综合行政执法条例》第十条", [("浙江省综合行政执法条例", 10, "ok")]),
    ("《住宅小区物业管理条例》第九十八条", [("宁波市住宅小区物业管理条例", 98, "ok")]),
    ("《城市管理条例》第十条", [(None, 10, "unknown_law")]),  # only 日照市's: another region's
    # versions: without a date the one in force
    (f"《{NET}》第三十八条", [(NET, 38, "ok")]),
    (f"《{TRANS}》第八十三条", [(TRANS, 83, "unknown_article")]),
]


@pytest.mark.parametrize("text,expected", TABLE, ids=[t[:20] for t, _e in TABLE])
def test_regulation_citation_forms(regulations, text, expected):
    """Each form resolves to the right regulation (or to none), article and status."""
    assert cites(text) == expected


@pytest.mark.parametrize("as_of,expected", [
    # before the first version: checked against it (article 38 is not in it, as for laws)
    ("2019-03-01", [(NET, 37, "not_in_force"), (NET, 38, "unknown_article")]),
    ("2019-03-24", [(NET, 37, "ok"), (NET, 38, "unknown_article")]),  # the 2019 version: 37 articles
    ("2022-03-28", [(NET, 37, "ok"), (NET, 38, "unknown_article")]),
    ("2022-03-29", [(NET, 37, "ok"), (NET, 38, "ok")]),  # the 2022 version: 38 articles
    ("2026-01-01", [(NET, 37, "ok"), (NET, 38, "ok")]),
])
def test_version_in_force_on_the_date(regulations, as_of, expected):
    """A citation is checked against the version in force on the date the text speaks for."""
    assert cites(f"《{NET}》第三十七条、第三十八条", as_of) == expected


def test_historical_version_is_the_one_resolved(regulations):
    """Old dates resolve to the historical row (its article objects), new dates to the current one."""
    c_old, = find_citations(f"《{TRANS}》第八十三条", datetime.date(2022, 6, 1))
    assert (c_old.status, c_old.law.source_id, c_old.article_obj.law.source_id) == ("ok", "r-trans-2022", "r-trans-2022")
    c_new, = find_citations(f"《{TRANS}》第八十二条", datetime.date(2023, 7, 20))
    assert (c_new.status, c_new.law.source_id) == ("ok", "r-trans-2023")
    assert resolve_law_name(TRANS, datetime.date(2020, 1, 1)).source_id == "r-trans-2019"
    assert resolve_law_name(TRANS).source_id == "r-trans-2023"


def test_version_date_stands_in_for_a_missing_effective_date(regulations):
    """城市市容和环境卫生管理条例 has no effective date in the fixture: its version date bounds it."""
    c, = find_citations(f"《{SHIRONG}》第三十六条", datetime.date(2016, 12, 31))
    assert c.status == "not_in_force" and "2017-03-01" in c.message
    assert cites(f"《{SHIRONG}》第三十六条", datetime.date(2017, 3, 1)) == [(SHIRONG, 36, "ok")]


def test_local_regulation_not_yet_in_force(regulations):
    assert cites("《浙江省综合行政执法条例》第十条", "2021-12-01") == [("浙江省综合行政执法条例", 10, "not_in_force")]
    assert cites("《浙江省综合行政执法条例》第十条", "2022-01-01") == [("浙江省综合行政执法条例", 10, "ok")]


def test_ambiguous_name_lists_candidates(regulations):
    """The message names every regulation the name could mean, the bureau's own city first."""
    c, = find_citations("《市容和环境卫生管理条例》第十条")
    assert c.law is None and c.law_name is None
    assert [lw.full_name for lw in c.candidates] == [NB_SHIRONG, "温州市市容和环境卫生管理条例",
                                                     "湖州市市容和环境卫生管理条例"]
    for name in (NB_SHIRONG, "温州市市容和环境卫生管理条例", "湖州市市容和环境卫生管理条例"):
        assert f"《{name}》" in c.message
    assert "3" in c.message and "全称" in c.message
    # A short name two regulations share.
    c, = find_citations("《市容条例》第二十条")
    assert {lw.full_name for lw in c.candidates} == {NB_SHIRONG, "温州市市容和环境卫生管理条例"}
    law, candidates = lookup_law_name("市容条例")
    assert law is None and len(candidates) == 2
    assert resolve_law_name("市容条例") is None


def test_other_regions_name_without_region_is_not_guessed(regulations):
    c, = find_citations("《城市管理条例》第十条")
    assert c.status == "unknown_law" and [lw.full_name for lw in c.candidates] == ["日照市城市管理条例"]
    assert "日照市城市管理条例" in c.message


@override_settings(ACADEMY_PROVINCE="山东省", ACADEMY_CITY="日照市")
def test_home_region_follows_settings(regulations):
    """For a bureau in 日照市 the same name is its own city's regulation; 浙江省's is no longer home."""
    assert cites("《城市管理条例》第十条") == [("日照市城市管理条例", 10, "ok")]
    assert cites("《综合行政执法条例》第十条") == [(None, 10, "unknown_law")]


def test_ambiguous_name_blocks_publication(regulations):
    problems = check_text("依据《市容和环境卫生管理条例》第十条、《城市道路管理条例》第四十二条处理")
    assert [(p.code, p.severity) for p in problems] == [("unknown_law", "error")]
    assert "宁波市市容和环境卫生管理条例" in problems[0].message


def test_other_region_note(regulations):
    """A resolved local regulation of another region keeps its status and carries a note."""
    sh, own, prov, other_city, national = find_citations(
        "《上海市市容环境卫生管理条例》第十条；《宁波市市容和环境卫生管理条例》第十条；"
        "《浙江省城市市容和环境卫生管理条例》第十条；《温州市市容和环境卫生管理条例》第十条；《城市道路管理条例》第十条")
    assert sh.status == "ok" and "上海市" in sh.note and "浙江省宁波市" in sh.note
    assert own.note == "" and prov.note == "" and national.note == ""
    assert other_city.status == "ok" and "温州市" in other_city.note


def _run(text, *args):
    out = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        call_command("check_citations", *args, stdout=out)
    finally:
        sys.stdin = old
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_check_citations_json_contract(regulations):
    """Without --verbose: exactly the four keys, for regulations as for laws."""
    lines = _run(f"依据《{SHIRONG}》第三十六条、《市容和环境卫生管理条例》第十条，城市道路管理条例第42条。")
    assert lines == [
        {"text": f"《{SHIRONG}》第三十六条", "law": SHIRONG, "article": 36, "status": "ok"},
        {"text": "《市容和环境卫生管理条例》第十条", "law": None, "article": 10, "status": "unknown_law"},
        {"text": "城市道路管理条例第42条", "law": ROAD, "article": 42, "status": "ok"},
    ]


def test_check_citations_verbose_candidates_and_note(regulations):
    lines = _run("《市容和环境卫生管理条例》第十条；《上海市市容环境卫生管理条例》第十条；《城市道路管理条例》第十条",
                 "--verbose")
    ambiguous, shanghai, road = lines
    assert ambiguous["status"] == "unknown_law" and ambiguous["candidates"] == [
        NB_SHIRONG, "温州市市容和环境卫生管理条例", "湖州市市容和环境卫生管理条例"]
    assert "无法确定" in ambiguous["message"]
    assert shanghai["status"] == "ok" and shanghai["candidates"] == [] and "上海市" in shanghai["note"]
    assert road == {"text": "《城市道路管理条例》第十条", "law": ROAD, "article": 10, "status": "ok", "successor": None,
                    "message": "", "candidates": [], "note": ""}


def test_check_citations_date_selects_version(regulations):
    lines = _run(f"《{NET}》第三十八条", "--date", "2020-05-01")
    assert lines == [{"text": f"《{NET}》第三十八条", "law": NET, "article": 38, "status": "unknown_article"}]
    lines = _run(f"《{NET}》第三十七条", "--date", "2019-01-01")
    assert lines[0]["status"] == "not_in_force"


def test_check_citations_rejects_a_bad_date(regulations):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("《城市道路管理条例》第十条", "--date", "2020-13-01")


def test_editor_report_shows_candidates_and_note(regulations):
    """The editor's citation report lists the candidates of an ambiguous name and the region note."""
    citations = find_citations("《市容和环境卫生管理条例》第十条；《上海市市容环境卫生管理条例》第十条")

    class Page:
        pk = 1

    html = render_to_string("casebank/admin/citation_report_panel.html", {
        "self": type("Bound", (), {"instance": Page()})(), "citations": citations, "as_of": None,
        "bad": [c for c in citations if c.status != "ok"]})
    assert "unknown_law" in html and "《宁波市市容和环境卫生管理条例》" in html and "《温州市市容和环境卫生管理条例》" in html
    assert "请确认其适用范围" in html and "cite-note" in html


def test_plain_name_scan_matches_longest_first(regulations):
    """The plain-name scanner finds the same names as an alternation of all names, longest first."""
    d = _directory()
    names = [n for n in d.names if len(n) >= 2 and not set("《》〈〉") & set(n)]
    alternation = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    text = ("依据中华人民共和国行政处罚法第三十三条、浙江省城市市容和环境卫生管理条例、城市市容和环境卫生管理条例，"
            "道路交通安全法实施条例和道路交通安全法；宁波市住宅小区物业管理条例、物业管理条例。处方药与非处方药分类管理办法（试行）")
    assert d.plain.find(text) == [m.span() for m in alternation.finditer(text)]
    assert len(d.plain.find(text)) == 8
