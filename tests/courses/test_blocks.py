"""Every lesson block type: rendering, validation, and the admin editor a trainer uses."""
import json
import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.blocks import StreamBlockValidationError
from wagtail.documents.models import Document

from courses.blocks import LessonStreamBlock, SelfCheckBlock, VideoBlock
from tests.courses.factories import make_course, make_lesson


def _id():
    return str(uuid.uuid4())


@pytest.fixture
def documents(db):
    pdf = Document.objects.create(title="文书范本", file=ContentFile(b"%PDF-1.4\n", name="sample.pdf"))
    video = Document.objects.create(title="执法记录仪示范", file=ContentFile(b"\x00\x00", name="demo.mp4"))
    return pdf, video


@pytest.fixture
def case_page(db):
    from casebank.models import CaseIndexPage, CasePage

    index = CaseIndexPage.objects.get()
    case = CasePage(title="占道经营处罚案", slug="street-vending", summary="当事人在人行道上摆摊经营，经劝导后改正。",
                    case_number="城管罚〔2025〕1号", live=True)
    case.skip_citation_check = True
    index.add_child(instance=case)
    return case


@pytest.fixture
def full_lesson(penalty_law, case_page, documents):
    pdf, video = documents
    body = [
        {"type": "markdown", "value": "## 首次违法不罚\n见《中华人民共和国行政处罚法》第三十三条。", "id": _id()},
        {"type": "article", "value": {"article": penalty_law.pk, "note": "重点理解“首违不罚”。"}, "id": _id()},
        {"type": "case", "value": {"case": case_page.pk, "note": "讨论是否适用首违不罚。"}, "id": _id()},
        {"type": "document", "value": {"document": pdf.pk, "title": "现场检查笔录范本"}, "id": _id()},
        {"type": "video", "value": {"video": video.pk, "url": "", "caption": "规范亮证"}, "id": _id()},
        {"type": "video", "value": {"video": None, "url": "https://video.example.org/v/1", "caption": "外部视频"},
         "id": _id()},
        {"type": "self_check", "value": {"question": "初次违法且及时改正，能否不予处罚？", "options": [
            {"type": "item", "id": _id(), "value": {"text": "可以不予处罚", "correct": True}},
            {"type": "item", "id": _id(), "value": {"text": "必须罚款", "correct": False}},
        ], "explanation": "依照第三十三条第一款。"}, "id": _id()},
        {"type": "onsite_note", "value": {"location": "老城区步行街", "note": "两人一组练习亮证告知。"}, "id": _id()},
    ]
    course = make_course(n_lessons=0)
    return make_lesson(course, body=json.dumps(body, ensure_ascii=False))


@pytest.mark.django_db
def test_every_block_renders_for_an_officer(client, officer_user, full_lesson, penalty_law, case_page, documents):
    client.force_login(officer_user)
    html = client.get(full_lesson.url).content.decode()
    assert f'href="{penalty_law.get_absolute_url()}"' in html and penalty_law.text[:15] in html  # article block
    assert "重点理解“首违不罚”" in html
    assert case_page.title in html and case_page.url in html and "摆摊经营" in html  # case card
    assert documents[0].url in html and "现场检查笔录范本" in html  # document
    assert f'<video controls preload="metadata" src="{documents[1].url}"' in html  # local video
    assert 'href="https://video.example.org/v/1"' in html  # linked video
    assert "随堂自测" in html and "data-correct" in html and "依照第三十三条第一款" in html
    assert "老城区步行街" in html and "两人一组练习亮证告知" in html


@pytest.mark.django_db
def test_trainer_opens_lesson_editor_with_every_block(client, trainer_user, full_lesson):
    client.force_login(trainer_user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[full_lesson.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Markdown 正文", "法条", "案例", "图片", "附件（PDF）", "视频", "随堂自测", "现场教学提示"):
        assert label in html or json.dumps(label)[1:-1] in html, label
    chooser = client.get(reverse("course_article_chooser:choose"))
    assert chooser.status_code == 200


def test_self_check_needs_exactly_one_correct_option():
    block = SelfCheckBlock()
    value = block.to_python({"question": "问", "options": [
        {"type": "item", "id": _id(), "value": {"text": "甲", "correct": True}},
        {"type": "item", "id": _id(), "value": {"text": "乙", "correct": True}},
    ], "explanation": ""})
    with pytest.raises(Exception) as exc:
        block.clean(value)
    assert "恰好勾选一个正确答案" in str(exc.value.block_errors["options"])


def test_video_needs_file_or_link():
    block = VideoBlock()
    with pytest.raises(Exception) as exc:
        block.clean(block.to_python({"video": None, "url": "", "caption": ""}))
    assert "二选一" in str(exc.value.block_errors["url"])


@pytest.mark.django_db
def test_unknown_citation_blocks_saving(penalty_law):
    """A citation of an article the statute library does not have is refused with a code."""
    from django.core.exceptions import ValidationError

    course = make_course(n_lessons=0)
    body = json.dumps([{"type": "markdown", "value": "《中华人民共和国行政处罚法》第九百条", "id": _id()}],
                      ensure_ascii=False)
    with pytest.raises(ValidationError) as exc:
        make_lesson(course, body=body)
    assert exc.value.error_dict["body"][0].code == "citation_problem"


@pytest.mark.django_db
def test_unknown_citation_in_the_summary_blocks_saving_on_that_field(penalty_law):
    """The summary is a citing field of the lesson (CitedContent) like the Markdown blocks."""
    from django.core.exceptions import ValidationError

    course = make_course(n_lessons=0)
    with pytest.raises(ValidationError) as exc:
        make_lesson(course, summary="依据《中华人民共和国行政处罚法》第九百条")
    assert set(exc.value.error_dict) == {"summary"}
    assert exc.value.error_dict["summary"][0].code == "citation_problem"
    assert "第九百条" in exc.value.error_dict["summary"][0].messages[0]


@pytest.mark.django_db
def test_lesson_editor_shows_the_citation_report(admin_client, penalty_law):
    course = make_course(n_lessons=0)
    body = json.dumps([{"type": "markdown", "value": "《中华人民共和国行政处罚法》第三十三条", "id": _id()}],
                      ensure_ascii=False)
    lesson = make_lesson(course, body=body)
    page = admin_client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).content.decode()
    assert "法条引用核验" in page
    assert "第三十三条" in page


def test_stream_block_has_every_type():
    assert set(LessonStreamBlock.base_blocks) >= {
        "markdown", "article", "case", "image", "document", "video", "self_check", "onsite_note"}
    assert StreamBlockValidationError  # imported for API stability
