"""A procedure numbered in its own words reads as a numbered list (casebank.steps)."""
import re

import pytest

from casebank.steps import split_steps

from .factories import make_power_item

PROCEDURE = ("查实后责令改正（《行政处罚法》第三十三条）。办理程序：（一）立案：报负责人批准。"
             "（二）调查取证：两名以上执法人员。（三）告知：书面告知拟处罚内容。")


@pytest.mark.parametrize("text, intro, markers", [
    (PROCEDURE, "查实后责令改正（《行政处罚法》第三十三条）。办理程序：", ["（一）", "（二）", "（三）"]),
    ("一、立案\n二、调查\n三、决定", "", ["一、", "二、", "三、"]),
    ("1. 立案；2. 调查；3. 决定", "", ["1.", "2.", "3."]),
    ("步骤：(1)立案 (2)调查", "步骤：", ["(1)", "(2)"]),
    # a marker in a citation or a decimal is not a step
    ("违反《城市道路管理条例》第二十七条第（一）项，罚款1.5万元。", None, []),
    # one marker alone is no list
    ("（一）只有一项。", None, []),
    # out of order: only the run from the first number counts; a stray later (一) stays in the text
    ("（二）先写了二。（一）立案。（二）调查。（一）附注", "（二）先写了二。", ["（一）", "（二）"]),
    ("", "", []),
])
def test_split_steps(text, intro, markers):
    steps = split_steps(text)
    assert [m for m, _t in steps.items] == markers
    assert steps.intro == (text if intro is None else intro)
    if markers:  # nothing is lost: intro + markers + texts give the text back (but spaces)
        rebuilt = steps.intro + "".join(m + t for m, t in steps.items)
        assert re.sub(r"\s", "", rebuilt) == re.sub(r"\s", "", text)


def test_step_texts():
    steps = split_steps(PROCEDURE)
    assert steps.items[0] == ("（一）", "立案：报负责人批准。")
    assert steps.items[-1] == ("（三）", "告知：书面告知拟处罚内容。")


@pytest.mark.django_db
def test_public_power_page_shows_the_procedure_as_a_list(client, statutes):
    item = make_power_item("CG-S-001", procedure=PROCEDURE)
    body = client.get(f"/public/powers/{item.code}/").content.decode()
    block = re.search(r'<ol class="steps">(.*?)</ol>', body, re.S)
    assert block, body[:2000]
    assert re.findall(r'<span class="step-no">([^<]+)</span>', block.group(1)) == ["（一）", "（二）", "（三）"]
    assert "办理程序：" in body.split('<ol class="steps">')[0]
    assert "cite-link" in body  # citations are still linked


@pytest.mark.django_db
def test_unnumbered_procedure_stays_paragraphs(client, statutes):
    item = make_power_item("CG-S-002", procedure="现场检查，制作笔录。\n发现违法建设的转入立案程序。")
    body = client.get(f"/public/powers/{item.code}/").content.decode()
    assert '<ol class="steps">' not in body
    assert "<p>现场检查，制作笔录。</p>" in body
