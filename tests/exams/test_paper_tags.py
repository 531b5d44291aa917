"""exams.templatetags.paper_tags: the option lists and the question navigation of a paper, written
in one pass, carry the same fields and escape every value as the template markup they replace."""
from django.template import Context, Template
from django.utils.translation import gettext_lazy

from exams.templatetags.paper_tags import answer_options, question_nav

PAYLOAD = '<img src=x onerror="alert(1)">&\''


def question(**kw):
    q = {"position": 3, "locked": False, "is_single": False, "is_multi": False, "is_discretion": False,
         "options": [], "levels": []}
    q.update(kw)
    return q


def test_a_single_choice_names_its_field_checks_the_answer_and_escapes_every_text():
    html = answer_options(question(is_single=True, options=[
        {"key": "k1", "label": "A", "text": PAYLOAD, "checked": False},
        {"key": 'k"2', "label": "B", "text": "乙", "checked": True}]))
    assert html == (
        '<li><label><input type="radio" name="q3-choice" value="k1"> <b>A.</b> '
        '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#x27;</label></li>'
        '<li><label><input type="radio" name="q3-choice" value="k&quot;2" checked> <b>B.</b> 乙</label></li>')
    assert "<img" not in html


def test_a_true_false_question_has_no_letters_and_a_locked_question_is_disabled():
    html = answer_options(question(is_single=True, locked=True, options=[
        {"key": "t", "label": "", "text": "正确", "checked": True}, {"key": "f", "label": "", "text": "错误",
                                                                     "checked": False}]))
    assert html == ('<li><label><input type="radio" name="q3-choice" value="t" checked disabled> 正确</label></li>'
                    '<li><label><input type="radio" name="q3-choice" value="f" disabled> 错误</label></li>')


def test_a_multiple_choice_has_check_boxes_and_a_discretion_question_its_levels():
    assert answer_options(question(is_multi=True, options=[
        {"key": "a", "label": "A", "text": "甲 & 乙", "checked": True}])) == (
        '<li><label><input type="checkbox" name="q3-choices" value="a" checked> <b>A.</b> 甲 &amp; 乙</label></li>')
    assert answer_options(question(is_discretion=True, levels=[
        {"order": 1, "label": gettext_lazy("一般"), "checked": False},
        {"order": 2, "label": "<b>严重</b>", "checked": True}])) == (
        '<li><label><input type="radio" name="q3-level" value="1"> 一般</label></li>'
        '<li><label><input type="radio" name="q3-level" value="2" checked> &lt;b&gt;严重&lt;/b&gt;</label></li>')
    assert answer_options(question()) == ""


def test_the_navigation_marks_answered_and_current_questions_but_no_current_one_on_the_whole_paper():
    nav = [{"position": 1, "answered": True, "current": False}, {"position": 2, "answered": False, "current": True}]
    assert question_nav(nav, "/exams/sittings/7/", False) == (
        '<a href="/exams/sittings/7/?q=1" data-position="1" class="qnav-item is-answered">1</a>'
        '<a href="/exams/sittings/7/?q=2" data-position="2" class="qnav-item is-current">2</a>')
    assert "is-current" not in question_nav(nav, "/exams/sittings/7/", True)


def test_the_tags_output_is_not_escaped_again_in_a_template():
    html = Template("{% load paper_tags %}<ul>{% answer_options q %}</ul>").render(Context({"q": question(
        is_single=True, options=[{"key": "k", "label": "A", "text": "<i>", "checked": False}])}))
    assert html == '<ul><li><label><input type="radio" name="q3-choice" value="k"> <b>A.</b> &lt;i&gt;</label></li></ul>'
