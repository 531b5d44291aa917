"""Citation parser: the forms officers and trainers write, and every status."""
import datetime

import pytest
from django.utils import translation
from django.utils.safestring import mark_safe

from casebank.citations import check_text, find_citations, linkify_citations

pytestmark = pytest.mark.django_db

PEN = "中华人民共和国行政处罚法"
AIR = "中华人民共和国大气污染防治法"
NOISE = "中华人民共和国噪声污染防治法"
ECO = "中华人民共和国生态环境法典"
CIVIL = "中华人民共和国民法典"
PLAN = "中华人民共和国城乡规划法"
TRAFFIC = "中华人民共和国道路交通安全法"
COER = "中华人民共和国行政强制法"
TM = "中华人民共和国商标法"

#: text → [(law full name or None, article or None, status)], in order.
TABLE = [
    # full names, short names, title marks or not
    ("依据《中华人民共和国行政处罚法》第三十三条，不予处罚。", [(PEN, 33, "ok")]),
    ("《行政处罚法》第33条", [(PEN, 33, "ok")]),
    ("《行政处罚法》第３３条", [(PEN, 33, "ok")]),
    ("行政处罚法第五十一条规定的简易程序", [(PEN, 51, "ok")]),
    ("中华人民共和国行政处罚法第五十一条", [(PEN, 51, "ok")]),
    ("根据行政强制法第十条", [(COER, 10, "ok")]),
    ("《中华人民共和国行政强制法》第 44 条", [(COER, 44, "ok")]),
    # paragraphs and items
    ("《行政处罚法》第三十三条第一款", [(PEN, 33, "ok")]),
    ("《行政处罚法》第三十三条第二款、第三款", [(PEN, 33, "ok")]),
    ("《行政处罚法》第四十二条第一款第（一）项", [(PEN, 42, "ok")]),
    ("《行政处罚法》第四十二条第一款第(二)项", [(PEN, 42, "ok")]),
    ("《行政处罚法》第六十三条第一款第三项", [(PEN, 63, "ok")]),
    ("《行政处罚法》第33条第1款第2项", [(PEN, 33, "ok")]),
    # lists
    ("《行政处罚法》第六十四条、第六十八条", [(PEN, 64, "ok"), (PEN, 68, "ok")]),
    ("《行政处罚法》第四十四条和第四十五条", [(PEN, 44, "ok"), (PEN, 45, "ok")]),
    ("《行政处罚法》第五十七条及第五十八条", [(PEN, 57, "ok"), (PEN, 58, "ok")]),
    ("《行政处罚法》第十条、第十一条和第十二条以及第十三条",
     [(PEN, 10, "ok"), (PEN, 11, "ok"), (PEN, 12, "ok"), (PEN, 13, "ok")]),
    # ranges
    ("《行政处罚法》第三十五条至第三十八条", [(PEN, n, "ok") for n in range(35, 39)]),
    ("《行政处罚法》第三十五至三十八条", [(PEN, n, "ok") for n in range(35, 39)]),
    ("行政处罚法第60条到第62条", [(PEN, 60, "ok"), (PEN, 61, "ok"), (PEN, 62, "ok")]),
    # Chinese numerals into the thousands
    ("《民法典》第一千一百八十五条", [(CIVIL, 1185, "ok")]),
    ("《中华人民共和国民法典》第一千二百六十条", [(CIVIL, 1260, "ok")]),
    ("《生态环境法典》第一千零五十七条", [(ECO, 1057, "ok")]),
    ("《生态环境法典》第五百七十二条", [(ECO, 572, "ok")]),
    ("《生态环境法典》第二百四十一条", [(ECO, 241, "ok")]),
    ("《生态环境法典》第一百条", [(ECO, 100, "ok")]),
    ("《生态环境法典》第一百零一条", [(ECO, 101, "ok")]),
    ("《生态环境法典》第十条", [(ECO, 10, "ok")]),
    ("《生态环境法典》第二十条", [(ECO, 20, "ok")]),
    ("《生态环境法典》第1242条", [(ECO, 1242, "ok")]),
    # a bare article after a named law refers to that law
    ("依照《城乡规划法》第六十四条责令限期拆除；当事人逾期不拆除的，依照第六十八条强制拆除。",
     [(PLAN, 64, "ok"), (PLAN, 68, "ok")]),
    ("《道路交通安全法》第五十六条规定了停放要求，同法第九十三条规定了处理。",
     [(TRAFFIC, 56, "ok"), (TRAFFIC, 93, "ok")]),
    ("《行政处罚法》第三十三条。《城乡规划法》第六十四条、第六十五条。",
     [(PEN, 33, "ok"), (PLAN, 64, "ok"), (PLAN, 65, "ok")]),
    ("根据本法第十条", []),  # no law named before: not a citation
    ("第三十三条规定的情形", []),
    # edition notes
    ("《中华人民共和国行政处罚法》（2021年修订）第三十三条", [(PEN, 33, "ok")]),
    ("《行政处罚法（2021修订）》第三十三条", [(PEN, 33, "ok")]),
    # a law named without an article
    ("本案适用《中华人民共和国行政强制法》的规定。", [(COER, None, "ok")]),
    # repealed laws
    ("《大气污染防治法》第一百一十八条", [(AIR, 118, "repealed")]),
    ("《中华人民共和国噪声污染防治法》第八十七条第一款", [(NOISE, 87, "repealed")]),
    ("大气污染防治法第一百一十九条", [(AIR, 119, "repealed")]),
    # unknown laws and articles
    ("《城市市容和环境卫生管理条例》第十条", [(None, 10, "unknown_law")]),
    ("当事人违反城市管理条例第十条", [(None, 10, "unknown_law")]),
    ("《城市管理法》第三条、第五条", [(None, 3, "unknown_law"), (None, 5, "unknown_law")]),
    ("《行政处罚法》第九百条", [(PEN, 900, "unknown_article")]),
    ("《民法典》第一千三百条", [(CIVIL, 1300, "unknown_article")]),
    ("《大气污染防治法》第二百条", [(AIR, 200, "unknown_article")]),
    ("《行政处罚法》第八十六条至第八十八条",
     [(PEN, 86, "ok"), (PEN, 87, "unknown_article"), (PEN, 88, "unknown_article")]),
    # versions: the in-force one is chosen
    ("《商标法》第七十五条", [(TM, 75, "ok")]),
    # text without citations, odd text
    ("执法队员依法对现场进行检查，第一时间制止违法行为。", []),
    ("《处罚决定书》送达后，当事人在第十五日缴纳罚款。", []),
    ("", []),
    ("《》第条第（）项《行政处罚法", []),
]


@pytest.mark.parametrize("text,expected", TABLE, ids=[t[:18] or "empty" for t, _e in TABLE])
def test_citation_forms(statutes, text, expected):
    """Each form resolves to the right law, article and status, one citation per article."""
    got = [(c.law_name, c.article, c.status) for c in find_citations(text)]
    assert got == expected


def test_table_is_large_enough():
    assert len(TABLE) >= 45


def test_citation_spans_and_text(statutes):
    text = "依据《行政处罚法》第六十四条、第六十八条处理"
    first, second = find_citations(text)
    assert text[first.start:first.end] == first.text == "《行政处罚法》第六十四条"
    assert second.text == "第六十八条"
    assert first.article_obj is not None and first.article_obj.number == 64
    assert first.paragraph is None


def test_paragraph_and_item_recorded(statutes):
    (c,) = find_citations("《行政处罚法》第四十二条第一款第（一）项")
    assert (c.article, c.paragraph, c.item) == (42, 1, 1)


def test_repealed_names_successor(statutes):
    (c,) = find_citations("《大气污染防治法》第一百一十八条")
    assert c.successor is not None and c.successor.full_name == ECO
    assert "生态环境法典" in c.message


@pytest.mark.parametrize("as_of,status", [
    (datetime.date(2025, 3, 1), "repealed"),       # decided before the repeal: right law at the time
    (datetime.date(2026, 8, 15), "not_in_force"),  # on the repeal date
    (datetime.date(2026, 9, 1), "not_in_force"),
    ("2025-03-01", "repealed"),
])
def test_repealed_law_against_material_date(statutes, as_of, status):
    (c,) = find_citations("《大气污染防治法》第一百一十八条", as_of=as_of)
    assert c.status == status


def test_law_not_yet_in_force(statutes):
    (c,) = find_citations("《生态环境法典》第二百四十一条", as_of=datetime.date(2025, 1, 1))
    assert c.status == "not_in_force"
    (c,) = find_citations("《生态环境法典》第二百四十一条", as_of=datetime.date(2026, 9, 1))
    assert c.status == "ok"


def test_version_chosen_by_date(statutes):
    """Before the new 商标法 took effect, the old version (73 articles) is the one cited."""
    (c,) = find_citations("《商标法》第七十五条", as_of=datetime.date(2025, 1, 1))
    assert c.status == "unknown_article"
    (c,) = find_citations("《商标法》第七十条", as_of=datetime.date(2025, 1, 1))
    assert c.status == "ok" and c.law.source_id == "tm-old"


def test_context_does_not_cross_paragraphs(statutes):
    cites = find_citations("《行政处罚法》第三十三条。\n第三十四条另有规定。")
    assert [(c.article, c.status) for c in cites] == [(33, "ok")]


@pytest.mark.parametrize("odd", ["《" * 500, "第" * 1000 + "条", "第九九九九九九九九九九九九条", None, 12345,
                                 "《行政处罚法》第一万零一条", "\x00\ufffc《行政处罚法》第"])
def test_never_raises(statutes, odd):
    result = find_citations(odd)
    assert isinstance(result, list)


def test_huge_range_is_not_expanded(statutes):
    cites = find_citations("《民法典》第一条至第一千二百条")
    assert len(cites) == 2


def test_check_text_severities(statutes):
    text = "《行政处罚法》第三十三条；《行政处罚法》第九百条；《大气污染防治法》第一百一十八条；《城市管理法》第三条"
    problems = check_text(text)
    assert [(p.code, p.severity) for p in problems] == [
        ("unknown_article", "error"), ("repealed", "warning"), ("unknown_law", "error")]
    # A case decided before the repeal cites the law of its time: no warning.
    assert [p.code for p in check_text("《大气污染防治法》第一百一十八条", datetime.date(2024, 5, 1))] == []
    assert [p.code for p in check_text("《大气污染防治法》第一百一十八条", datetime.date(2026, 9, 1))] == [
        "not_in_force"]


def test_linkify_plain_text(statutes):
    html = str(linkify_citations("依据《行政处罚法》第三十三条<script>"))
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert 'href="/statutes/penalty/#a33"' in html
    assert "第33条第一款的条文" in html  # article text inline
    assert 'class="cite-toggle"' in html and 'aria-controls="' in html and 'aria-describedby="' in html


def test_linkify_toggle_speaks_the_readers_language(statutes):
    with translation.override("en"):
        html = str(linkify_citations("依据《行政处罚法》第三十三条"))
    assert "Show the article text" in html and "显示条文" not in html and "Original text" in html


def test_linkify_html_leaves_links_and_attributes(statutes):
    source = ('<p title="《行政处罚法》第三十三条">见<a href="/x">《行政处罚法》第三十三条</a>，'
              '另见第三十四条。</p>')
    html = str(linkify_citations(mark_safe(source)))
    assert html.count('class="cite ') == 1  # only the bare 第三十四条 outside the existing link
    assert 'title="《行政处罚法》第三十三条"' in html
    assert 'href="/statutes/penalty/#a34"' in html


def test_linkify_bad_citations_are_marked(statutes):
    html = str(linkify_citations("《城市管理法》第三条和《大气污染防治法》第一百一十八条"))
    assert "cite-unknown_law" in html and "引用有误" in html
    assert "cite-repealed" in html and "/statutes/eco/" in html  # link to the successor


def test_linkify_range_is_one_link_with_all_articles(statutes):
    html = str(linkify_citations("《行政处罚法》第三十五条至第三十七条"))
    assert html.count('class="cite ') == 1
    for n in (35, 36, 37):
        assert f"第{n}条第一款的条文" in html


def test_linkify_no_citations_returns_escaped_text(statutes):
    assert str(linkify_citations("a < b")) == "a &lt; b"
