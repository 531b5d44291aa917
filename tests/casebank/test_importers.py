"""Statute importer (idempotent, transactional) and the local-regulation CSV importer."""
import datetime
import io
import json
import sqlite3

import pytest
from django.core.management import CommandError, call_command

from casebank.importers import StatuteImportError, import_local_regulations, import_statutes
from casebank.models import Article, Law, LawSuccession

from .conftest import LAWS, build_statutes_db

pytestmark = pytest.mark.django_db
N_ARTICLES = sum(row[4] for row in LAWS)


def test_import_creates_library_and_second_run_changes_nothing(statutes_file):
    """First import creates every law and article; the second creates and updates nothing."""
    first = import_statutes(statutes_file)
    assert (first.laws_created, first.articles_created) == (len(LAWS), N_ARTICLES)
    assert Law.objects.count() == len(LAWS) and Article.objects.count() == N_ARTICLES
    second = import_statutes(statutes_file)
    assert (second.laws_created, second.laws_updated, second.laws_skipped) == (0, 0, len(LAWS))
    assert (second.articles_created, second.articles_updated, second.articles_skipped) == (0, 0, N_ARTICLES)
    assert Article.objects.count() == N_ARTICLES
    third = import_statutes(statutes_file, if_changed=True)
    assert third.unchanged_file


def test_import_maps_fields(statutes_file):
    import_statutes(statutes_file)
    law = Law.objects.get(source_id="penalty")
    assert law.short_name == "行政处罚法" and law.status == Law.IN_FORCE
    assert law.effective_date == datetime.date(2021, 7, 15) and law.article_count == 86
    art = Article.objects.get(law=law, number=33)
    assert art.number_text == "第三十三条" and art.anchor == "a33" and art.chapter.startswith("第二章")
    assert art.paragraphs == ["中华人民共和国行政处罚法第33条第一款的条文。", "第33条第二款的条文。"]
    assert art.get_absolute_url() == "/statutes/penalty/#a33"
    assert art.get_permalink() == "/statutes/penalty/33/"
    assert str(art) == "《行政处罚法》第三十三条"


def test_repealed_environmental_laws_get_successor(statutes_file):
    import_statutes(statutes_file)
    air = Law.objects.get(source_id="air")
    assert air.status == Law.REPEALED
    assert air.successor.full_name == "中华人民共和国生态环境法典"
    assert air.repeal_date == datetime.date(2026, 8, 15)
    assert Article.objects.filter(law=air, law_status=Law.REPEALED).count() == 129


def test_importer_keeps_reviewer_edits_of_successor(statutes_file):
    """The succession rule fills only empty fields: a reviewer's choice stays."""
    import_statutes(statutes_file)
    air = Law.objects.get(source_id="air")
    other = Law.objects.get(source_id="penalty")
    air.successor, air.repeal_date = other, datetime.date(2026, 9, 1)
    air.save()
    import_statutes(statutes_file)
    air.refresh_from_db()
    assert (air.successor_id, air.repeal_date) == (other.pk, datetime.date(2026, 9, 1))


def test_succession_rules_are_data(statutes_file):
    LawSuccession.objects.create(repealed_name="中华人民共和国行政强制法",
                                 successor_name="中华人民共和国行政处罚法", repeal_date=datetime.date(2030, 1, 1))
    import_statutes(statutes_file)
    assert Law.objects.get(source_id="coercion").successor is None  # in force: rules apply to repealed laws only


def test_changed_file_updates(tmp_path, statutes_file):
    import_statutes(statutes_file)
    path = build_statutes_db(tmp_path / "changed.db", LAWS[:2], extra_sql=(
        "UPDATE articles SET article_text='新文本' WHERE law_id='penalty' AND article_no_arabic=33;"
        "UPDATE laws SET issuing_body='全国人民代表大会' WHERE law_id='penalty';"))
    summary = import_statutes(path)
    assert (summary.laws_updated, summary.articles_updated, summary.articles_created) == (1, 1, 0)
    assert Article.objects.get(law__source_id="penalty", number=33).text == "新文本"


@pytest.mark.parametrize("make,message", [
    (lambda p: p.write_bytes(b"this is not a database at all" * 100), "SQLite"),
    (lambda p: sqlite3.connect(p).executescript("CREATE TABLE laws (law_id TEXT);"), "缺少列"),
    (lambda p: build_statutes_db(p, LAWS[:1], extra_sql="UPDATE laws SET status='未知状态';"), "无法识别"),
    (lambda p: build_statutes_db(p, LAWS[:1], extra_sql="UPDATE articles SET law_id='nowhere' WHERE id=3;"),
     "不存在的法律"),
])
def test_malformed_file_writes_nothing(tmp_path, make, message):
    path = tmp_path / "bad.db"
    make(path)
    with pytest.raises(StatuteImportError, match=message):
        import_statutes(path)
    assert Law.objects.count() == 0 and Article.objects.count() == 0


def test_command_reports_and_fails_cleanly(tmp_path, statutes_file):
    out = io.StringIO()
    call_command("import_statutes", str(statutes_file), stdout=out)
    assert f"新建 {len(LAWS)}" in out.getvalue()
    bad = tmp_path / "bad.db"
    bad.write_text("nonsense")
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_statutes", str(bad), stdout=io.StringIO())


LOCAL_CSV = """law_name,short_name,level,issuing_body,region,publish_date,effective_date,status,article_no,chapter,section,text
某市市容和环境卫生管理条例,市容条例,地方性法规,某市人民代表大会常务委员会,某市,2020-01-01,2020-03-01,现行有效,第一条,第一章 总则,,为了加强市容管理，制定本条例。
某市市容和环境卫生管理条例,市容条例,地方性法规,某市人民代表大会常务委员会,某市,2020-01-01,2020-03-01,现行有效,第二十条,第三章 管理,,不得在道路两侧乱堆乱放。\\n违反者责令改正。
某市市容和环境卫生管理条例,市容条例,地方性法规,某市人民代表大会常务委员会,某市,2020-01-01,2020-03-01,现行有效,21,第三章 管理,,第二十一条的内容。
"""


def test_local_regulations_csv(tmp_path, statutes):
    path = tmp_path / "local.csv"
    path.write_text(LOCAL_CSV, encoding="utf-8")
    summary = import_local_regulations(path)
    assert (summary.laws_created, summary.articles_created) == (1, 3)
    law = Law.objects.get(full_name="某市市容和环境卫生管理条例")
    assert law.local and law.short_name == "市容条例" and law.region == "某市"
    art = law.articles.get(number=20)
    assert art.paragraphs == ["不得在道路两侧乱堆乱放。", "违反者责令改正。"]
    assert law.articles.get(number=21).number_text == "第21条"
    again = import_local_regulations(path)
    assert (again.laws_created, again.articles_created, again.articles_skipped) == (0, 0, 3)
    # The new regulation is cited like any law.
    from casebank.citations import find_citations

    assert [(c.law_name, c.status) for c in find_citations("违反《市容条例》第二十条")] == [
        ("某市市容和环境卫生管理条例", "ok")]


def test_local_regulations_csv_row_errors(tmp_path):
    bad = LOCAL_CSV + "某市市容和环境卫生管理条例,,,,,2020-13-01,,,第X条,,,\n,,,,,,,作废,5,,,文本\n"
    path = tmp_path / "bad.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(StatuteImportError) as exc:
        import_local_regulations(path)
    msg = str(exc.value)
    assert "第 5 行" in msg and "条号" in msg and "条文为空" in msg and "publish_date" in msg
    assert "第 6 行" in msg and "缺少法规名称" in msg and "作废" in msg
    assert Law.objects.filter(local=True).count() == 0
    with pytest.raises(CommandError, match="第 5 行"):
        call_command("import_local_regulations", str(path), stdout=io.StringIO())


def test_check_citations_command(tmp_path, statutes):
    path = tmp_path / "text.txt"
    path.write_text("依据《行政处罚法》第三十三条、第九百条，参照《大气污染防治法》第一百一十八条和《城市管理法》第三条。",
                    encoding="utf-8")
    out = io.StringIO()
    call_command("check_citations", str(path), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {"text": "《行政处罚法》第三十三条", "law": "中华人民共和国行政处罚法", "article": 33, "status": "ok"},
        {"text": "第九百条", "law": "中华人民共和国行政处罚法", "article": 900, "status": "unknown_article"},
        {"text": "《大气污染防治法》第一百一十八条", "law": "中华人民共和国大气污染防治法", "article": 118,
         "status": "repealed"},
        {"text": "《城市管理法》第三条", "law": None, "article": 3, "status": "unknown_law"},
    ]
    assert "生态环境法典" not in out.getvalue()  # exactly the four keys
    empty = tmp_path / "empty.txt"
    empty.write_text("没有引用的文字。", encoding="utf-8")
    out = io.StringIO()
    call_command("check_citations", str(empty), stdout=out)
    assert out.getvalue() == ""


def test_check_citations_stdin_and_date(statutes, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("《大气污染防治法》第一百一十八条"))
    out = io.StringIO()
    call_command("check_citations", "--date", "2026-09-01", "--verbose", stdout=out)
    obj = json.loads(out.getvalue())
    assert obj["status"] == "not_in_force" and obj["successor"] == "中华人民共和国生态环境法典"
