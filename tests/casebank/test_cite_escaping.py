"""Citation linking never guesses whether a string is HTML: plain text is always
escaped (the |cite filter, the citation check page, the error path); only a safe
string (SafeData) is taken as HTML."""
import pytest
from django.template import Context, Template
from django.utils.safestring import SafeData, mark_safe

from casebank import citations
from casebank.citations import linkify_citations
from tests.security.htmlscan import active_markup

pytestmark = pytest.mark.django_db

CITE = "依据《行政处罚法》第三十三条"
PAYLOADS = [
    "<b>x</b><img src=x onerror=alert(1)>",
    "<p>段落</p><svg onload=alert(2)>",
    "<a href=\"javascript:alert(3)\">点我</a>",
    "\"><script>alert(4)</script>",
    "<span>x</span><iframe src=javascript:alert(5)></iframe>",
    "&lt;img src=x onerror=alert(6)&gt;",          # entities stay text: never decoded into a tag
    "<em>强调</em>&#60;script&#62;alert(7)&#60;/script&#62;",
    "<b>x</b><details open ontoggle=alert(8)>",
    "<div><img src=x onerror=window.__xss=9></div>",
]


def _active(html):
    return active_markup(html)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_with_markup_is_escaped(statutes, payload):
    for text in (payload + CITE, CITE + payload):
        html = str(linkify_citations(text))
        assert "cite-link" in html, html  # the citation is still linked
        assert not _active(html), html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cite_filter_escapes_plain_strings(statutes, payload):
    html = Template("{% load casebank_tags %}{{ q|cite }}").render(Context({"q": payload + CITE}))
    assert not _active(html), html
    assert "&lt;" in html or "&amp;" in html


def test_entities_in_plain_text_are_shown_as_typed(statutes):
    html = str(linkify_citations("&lt;img src=x&gt;" + CITE))
    assert "&amp;lt;img src=x&amp;gt;" in html


def test_safe_html_is_linked_in_its_text_only(statutes):
    html = str(linkify_citations(mark_safe(f"<p><strong>注意</strong>{CITE}</p>")))
    assert html.startswith("<p><strong>注意</strong>") and "cite-link" in html


def test_error_path_escapes_plain_text(statutes, monkeypatch):
    def broken(source, as_of):
        raise RuntimeError("linking failed")

    monkeypatch.setattr(citations, "_linkify_html", broken)
    html = linkify_citations("<b>x</b><img src=x onerror=alert(1)>")
    assert isinstance(html, SafeData)
    assert str(html) == "&lt;b&gt;x&lt;/b&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_citation_check_page_escapes_the_preview(client, trainer_user, statutes, payload):
    client.force_login(trainer_user)
    response = client.post("/citations/check/", {"text": payload + CITE})
    assert response.status_code == 200
    html = response.content.decode()
    preview = html[html.index('<div class="prose">'):]
    preview = preview[:preview.index("</section>")]
    assert "cite-link" in preview
    assert not _active(preview), preview
