"""A small statute library built from model objects: several levels, regions and versions.

The texts are made up for the tests (never real law texts)."""
import datetime

from casebank.citations import invalidate_cache
from casebank.models import Article, Law

D = datetime.date

#: (number, text) of the two versions of 城市道路测试条例. Against 2000: 第一条 unchanged, 第二条 words
#: changed, 第三条 new, 第四条 is the old 第三条 renumbered, the old 第四条 removed, 第五条 new.
ROAD_2000 = [
    (1, "为了加强测试道路的管理，保障测试道路完好，制定本条例。"),
    (2, "测试道路管理部门负责本行政区域内的道路管理工作，罚款二千元以下。"),
    (3, "任何单位和个人不得擅自占用或者挖掘测试道路，确需占用的，应当经过批准并按照规定缴纳占用费用。"),
    (4, "本条例自公布之日起施行，原有的测试道路规定同时废止。"),
]
ROAD_2019 = [
    (1, "为了加强测试道路的管理，保障测试道路完好，制定本条例。"),
    (2, "测试道路主管部门负责本行政区域内的道路管理工作，罚款二万元以下。"),
    (3, "新增的测试条文：道路巡查应当留存记录。"),
    (4, "任何单位和个人不得擅自占用或者挖掘测试道路，确需占用的，应当经过批准并按照规定缴纳占用费用。"),
    (5, "标记<b>不是HTML</b>的测试条文 & 符号。"),
]

CN = "零一二三四五六七八九十"


def number_text(n):
    return f"第{CN[n] if n <= 10 else n}条"


def make_law(source_id, full_name, *, level, status=Law.IN_FORCE, version_date=None, effective_date=None,
             province="", city="", issuing_body="", articles=None, short_name=""):
    local = bool(province)
    law = Law.objects.create(
        source_id=source_id, full_name=full_name, short_name=short_name, level=level, status=status,
        version_date=version_date, effective_date=effective_date or version_date, province=province, city=city,
        region=f"{province}{city}", local=local, issuing_body=issuing_body)
    rows = articles if articles is not None else [(n, f"{full_name}的测试条文{n}。") for n in range(1, 4)]
    Article.objects.bulk_create([
        Article(law=law, position=i, number=n, number_text=number_text(n), text=text, anchor=f"a{n}",
                law_status=status) for i, (n, text) in enumerate(rows, start=1)])
    Law.objects.filter(pk=law.pk).update(article_count=len(rows))
    law.article_count = len(rows)
    return law


def build_library():
    """{key: Law} of the test library; the citation cache is reset."""
    laws = {
        "penalty": make_law("t-penalty", "中华人民共和国行政处罚法", level=Law.NATIONAL_LAW, version_date=D(2021, 1, 22),
                            issuing_body="全国人民代表大会常务委员会", short_name="行政处罚法"),
        "road-2000": make_law("t-road-2000", "城市道路测试条例", level=Law.ADMIN_REGULATION, status=Law.HISTORICAL,
                              version_date=D(2000, 1, 1), issuing_body="国务院", articles=ROAD_2000),
        "road-2019": make_law("t-road-2019", "城市道路测试条例", level=Law.ADMIN_REGULATION, version_date=D(2019, 3, 24),
                              issuing_body="国务院", articles=ROAD_2019),
        "rule": make_law("t-rule", "测试部门规章办法", level=Law.DEPARTMENT_RULE, version_date=D(2017, 1, 24),
                         issuing_body="住房和城乡建设部"),
        "zj": make_law("t-zj", "浙江省综合测试条例", level=Law.LOCAL_REGULATION, version_date=D(2021, 9, 30),
                       province="浙江省", issuing_body="浙江省人民代表大会常务委员会"),
        "nb-a": make_law("t-nb-a", "宁波市测试条例甲", level=Law.LOCAL_REGULATION, version_date=D(2020, 1, 1),
                         province="浙江省", city="宁波市"),
        "nb-b": make_law("t-nb-b", "宁波市测试条例乙", level=Law.LOCAL_REGULATION, version_date=D(2012, 1, 1),
                         status=Law.REPEALED, province="浙江省", city="宁波市"),
        "nb-rule": make_law("t-nb-rule", "宁波市测试规定", level=Law.LOCAL_RULE, version_date=D(2022, 1, 1),
                            province="浙江省", city="宁波市"),
        "hz": make_law("t-hz", "杭州市测试条例", level=Law.LOCAL_REGULATION, version_date=D(2019, 1, 1),
                       province="浙江省", city="杭州市"),
        "jn": make_law("t-jn", "济南市测试条例", level=Law.LOCAL_REGULATION, version_date=D(2018, 1, 1),
                       province="山东省", city="济南市"),
    }
    invalidate_cache()
    return laws
