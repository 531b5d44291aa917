"""The regulation importer: versions, levels and regions from Markdown texts; idempotent; bad input refused
with file and line and nothing written; citations resolve to the version in force on a date."""
import datetime
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casebank.citations import find_citations, invalidate_cache, resolve_law_name
from casebank.importers import StatuteImportError
from casebank.lawtext import LawTextError, parse_filename, parse_markdown
from casebank.models import Article, Law
from casebank.regulations import city_of, import_files, import_regulations, select_texts

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "regulations"


def build_archive(path, extra=None, meta=None):
    """An archive of the fixture texts (plus ``extra`` {member path: text})."""
    blobs = {str(p.relative_to(FIXTURES)): p.read_bytes() for p in FIXTURES.rglob("*.md") if p.name != "README.md"}
    for name, text in (extra or {}).items():
        blobs[name] = text if isinstance(text, bytes) else text.encode("utf-8")
    files = {name: {} for name in blobs}
    files.update(meta or {})
    manifest = {"source": "fixture", "commit": "0" * 40, "commit_date": "2025-01-01", "files": files}
    with tarfile.open(path, "w:xz") as tar:
        for name, data in [("manifest.json", json.dumps(manifest, ensure_ascii=False).encode())] + sorted(blobs.items()):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def archive(tmp_path):
    return build_archive(tmp_path / "regs.tar.xz")


@pytest.fixture(autouse=True)
def fresh_directory():
    invalidate_cache()
    yield
    invalidate_cache()


def test_default_selection_imports_versions_levels_and_regions(archive):
    summary = import_regulations(archive)
    # 学前教育 is not a city-management subject: only on demand. The empty 停车 text is reported, not imported.
    assert not Law.objects.filter(full_name__contains="学前教育").exists()
    assert any("温州市示例停车条例" in path and "正文为空" in reason for path, reason in summary.skipped)
    assert "温州市示例停车条例" in str(summary)

    versions = list(Law.objects.filter(full_name="示例城市道路条例").order_by("version_date"))
    assert [(v.version_date, v.status) for v in versions] == [
        (datetime.date(2011, 1, 8), Law.HISTORICAL), (datetime.date(2019, 3, 24), Law.IN_FORCE)]
    assert [v.pk for v in versions[1].versions()] == [versions[1].pk, versions[0].pk]
    new = versions[1]
    assert (new.level, new.issuing_body, new.local, new.region) == ("行政法规", "国务院", False, "")
    art3 = Article.objects.get(law=new, number=3)
    assert art3.chapter == "第二章 罚则"
    assert art3.text.splitlines() == ["违反本条例的，由主管部门责令改正，处以2万元以下的罚款：", "（一）未设置标志的；",
                                      "（二）不及时清理现场的。"]
    inserted = Article.objects.get(law=new, number_text="第三条之一")
    assert inserted.number is None  # 第三条 still means article 3, not the inserted one
    assert Article.objects.get(law=versions[0], number=2).text == "本条例适用于测试。"

    rule = Law.objects.get(full_name="示例执法办法")
    assert (rule.level, rule.issuing_body) == ("部门规章", "示例部")

    zj = Law.objects.get(full_name="浙江省示例市容管理条例")
    assert (zj.level, zj.local, zj.province, zj.city, zj.region) == ("地方性法规", True, "浙江省", "", "浙江省")
    assert zj.issuing_body == "浙江省人民代表大会常务委员会"
    nb = Law.objects.get(full_name="宁波市示例市容条例")
    assert (nb.province, nb.city, nb.region, nb.issuing_body) == (
        "浙江省", "宁波市", "浙江省宁波市", "宁波市人民代表大会常务委员会")
    assert Article.objects.filter(law__source=Law.SOURCE_MARKDOWN).exclude(law_status=models_status()).count() == 0


def models_status():
    # Articles carry their law's status (search filters on it).
    from django.db.models import F
    return F("law__status")


def test_items_layout_is_imported_by_item_never_dropped(archive):
    import_regulations(archive)
    parts = list(Law.objects.get(full_name="示例事项的规定").articles.order_by("position"))
    assert [p.number_text for p in parts] == ["一、", "二、", "三、"]
    assert parts[1].text == "第二项规定的内容，\n续行的文字。"
    assert all(p.number is None for p in parts)


def test_full_text_when_there_are_neither_articles_nor_items():
    law = parse_markdown("# 某决定\n\n2020年1月1日 通过\n\n<!-- INFO END -->\n\n决定如下：\n同意。\n")
    assert law.layout == "fulltext"
    assert [(a.number_text, a.text) for a in law.articles] == [("全文", "决定如下：\n同意。")]


def test_second_import_changes_nothing_and_if_changed_skips(archive):
    import_regulations(archive)
    counts = (Law.objects.count(), Article.objects.count())
    again = import_regulations(archive)
    assert (again.laws_created, again.articles_created, again.articles_updated) == (0, 0, 0)
    assert again.texts_unchanged == again.texts
    assert (Law.objects.count(), Article.objects.count()) == counts
    assert import_regulations(archive, if_changed=True).unchanged_file


def test_province_on_demand_and_unknown_province(archive):
    import_regulations(archive, provinces=["浙江"])
    assert Law.objects.filter(full_name="浙江省示例学前教育条例", province="浙江省").exists()
    before = Law.objects.count()
    with pytest.raises(StatuteImportError, match="未知的省份“火星省”"):
        import_regulations(archive, provinces=["火星省"])
    assert Law.objects.count() == before


def test_duplicate_article_number_reports_file_and_line_and_writes_nothing(tmp_path):
    bad = build_archive(tmp_path / "bad.tar.xz", extra={
        "行政法规/重复条号条例(2020-01-01).md": "# 重复条号条例\n\n<!-- INFO END -->\n\n第一条 甲。\n\n第一条 乙。\n"})
    with pytest.raises(StatuteImportError) as exc:
        import_regulations(bad)
    assert "重复条号条例(2020-01-01).md" in str(exc.value) and "第 7 行" in str(exc.value)
    assert Law.objects.count() == 0 and Article.objects.count() == 0


@pytest.mark.parametrize("name, data, expected", [
    ("行政法规/日期错误条例(2020-13-45).md", "# 日期错误条例\n\n<!-- INFO END -->\n\n第一条 甲。\n", "2020-13-45"),
    ("行政法规/乱码条例(2020-01-01).md", b"# \xff\xfe\x00bad", "不是 UTF-8"),
    ("行政法规/无标题条例(2020-01-01).md", "第一条 甲。\n", "缺少标题"),
])
def test_unreadable_texts_are_refused(tmp_path, name, data, expected):
    bad = build_archive(tmp_path / "bad.tar.xz", extra={name: data})
    with pytest.raises(StatuteImportError, match=expected):
        import_regulations(bad)
    assert Law.objects.count() == 0


def test_unreadable_archive_is_a_clear_error(tmp_path):
    junk = tmp_path / "junk.tar.xz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(StatuteImportError, match="无法读取法规数据文件"):
        import_regulations(junk)


def test_citation_resolves_to_the_version_in_force_on_the_date(archive):
    import_regulations(archive)
    old = resolve_law_name("示例城市道路条例", as_of=datetime.date(2015, 6, 1))
    new = resolve_law_name("示例城市道路条例", as_of=datetime.date(2020, 6, 1))
    assert (old.version_date, new.version_date) == (datetime.date(2011, 1, 8), datetime.date(2019, 3, 24))
    [c] = find_citations("依据《示例城市道路条例》第三条", as_of=datetime.date(2015, 6, 1))
    assert c.status == "ok" and "1万元以下" in c.article_obj.text
    [c] = find_citations("依据《示例城市道路条例》第三条", as_of=datetime.date(2020, 6, 1))
    assert c.status == "ok" and "2万元以下" in c.article_obj.text


def test_reviewer_adds_a_text_the_source_lacks(tmp_path, archive):
    import_regulations(archive)
    text = tmp_path / "示例城市道路条例(2024-01-01).md"
    text.write_text("# 示例城市道路条例\n\n2024年1月1日 国务院令第9号第三次修订\n\n<!-- INFO END -->\n\n"
                    "第一条 新版本。\n", encoding="utf-8")
    import_files([text], level="行政法规", issuing_body="国务院")
    statuses = dict(Law.objects.filter(full_name="示例城市道路条例").values_list("version_date", "status"))
    assert statuses == {datetime.date(2011, 1, 8): Law.HISTORICAL, datetime.date(2019, 3, 24): Law.HISTORICAL,
                        datetime.date(2024, 1, 1): Law.IN_FORCE}
    with pytest.raises(StatuteImportError, match="须指定省份"):
        import_files([text], level="地方性法规")
    with pytest.raises(StatuteImportError, match="效力级别"):
        import_files([text], level="红头文件")


def test_command_reports_and_refuses(archive, tmp_path):
    out = io.StringIO()
    call_command("import_regulations", "--archive", str(archive), stdout=out)
    assert "法规文本" in out.getvalue() and "未导入" in out.getvalue()
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_regulations", "--archive", str(archive), "--province", "火星", stdout=io.StringIO())


def test_filename_and_city_rules():
    assert parse_filename("行政法规/城市道路管理条例(2019-03-24).md") == ("城市道路管理条例", datetime.date(2019, 3, 24))
    assert parse_filename("上海市专利保护条例.md") == ("上海市专利保护条例", None)
    with pytest.raises(LawTextError):
        parse_filename("x(2019-02-30).md")
    assert city_of("宁波市市容和环境卫生管理条例", "浙江省") == "宁波市"
    assert city_of("浙江省综合行政执法条例", "浙江省") == ""
    assert city_of("上海市城市管理行政执法条例", "上海市") == ""
    assert city_of("汕头经济特区市容和环境卫生管理条例", "广东省") == "汕头市"
    assert city_of("景宁畲族自治县城市管理条例", "浙江省") == "景宁畲族自治县"


def test_shipped_archive_selection_is_city_management(settings):
    """The shipped archive: all 行政法规 and 部门规章, city-management local regulations of every province."""
    from casebank.regulations import DEFAULT_ARCHIVE, read_archive
    manifest, blobs = read_archive(DEFAULT_ARCHIVE)
    assert manifest["source"] == "LawRefBook/Laws" and len(manifest["commit"]) == 40
    texts = select_texts(manifest, blobs)
    names = {t.path.rsplit("/", 1)[-1] for t in texts}
    for expected in ("城市市容和环境卫生管理条例(2017-03-01).md", "城市道路管理条例(2019-03-24).md",
                     "浙江省综合行政执法条例(2021-11-25).md", "宁波市市容和环境卫生管理条例(2019-08-20).md"):
        assert expected in names
    assert sum(t.path.startswith("行政法规/") for t in texts) == sum(p.startswith("行政法规/") for p in blobs)
    assert not any("学前教育" in n for n in names)
    assert {t.province for t in texts if t.province} >= {"浙江省", "上海市", "北京市", "山东省"}
