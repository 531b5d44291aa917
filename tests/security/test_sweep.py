"""Security sweep: every URL of the project as every role, stored-XSS payloads planted
in every text field and looked for in every page that renders them (officer, public
and admin pages, citation previews), no inline script on the site's pages, answer
keys in the responses of an exam sitting, 10^4 guessed certificate codes, security
headers and the Content-Security-Policy of each area.
(The same payloads rendered in a real browser: tests/browser/test_security_xss.py.)"""
import json
import re
import secrets
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from tests.security import world
from tests.security.htmlscan import active_markup
from tests.security.urlwalk import all_routes, fill

pytestmark = pytest.mark.django_db

ROLES = list(world.ROLE_USERS)  # anonymous, owner, officer, trainer, reviewer, hr_own, hr_other


#: Markup that must stay text wherever stored text is shown; N numbers the field.
XSS_LINES = (
    "<b>x</b><img src=x onerror=alert({n})>依据《中华人民共和国行政处罚法》第三十三条",
    "<svg onload=alert({n})>行政处罚法第三十三条",
    "\"><script>alert({n})</script><script>window.__xss={n}</script>",
    "'><a href=\"javascript:alert({n})\">链接</a><a href=\" java&#09;script:alert({n})\">x</a>",
    "&lt;img src=x onerror=alert({n})&gt;&#60;script&#62;alert({n})&#60;/script&#62;&amp;lt;b&amp;gt;",
    "<details open ontoggle=alert({n})>《<b>x</b>城管法》第三条<iframe srcdoc=\"<script>alert({n})</script>\">",
)
#: Fields short enough that only one payload fits (names, titles, numbers).
SHORT_FIELDS = ("full_name", "title", "place", "name", "note", "contact", "case_number", "violation", "violation_type",
                "description", "option.0", "option.2")
PLANTED = []


def sweep_payload(field, default):
    """Payloads for one text field of the dataset (world.build's ``text``)."""
    PLANTED.append(field)
    n = len(PLANTED)
    if field == "lesson.markdown":  # Markdown is sanitised (nh3), then its citations are linked
        return (f"## 标题\n\n<img src=y onerror=alert({n})>\n\n<svg onload=alert({n})>\n\n"
                f"<script>window.__xss={n}</script>\n\n[链接](javascript:alert({n}))\n\n"
                f"<a href=\"javascript:alert({n})\">a</a>\n\n&lt;img src=x onerror=alert({n})&gt;\n\n"
                "依据《中华人民共和国行政处罚法》第三十三条。")
    if field.endswith(SHORT_FIELDS) and field not in ("case.summary", "session.description"):
        return f"<b>x</b><img src=x onerror=alert({n})>"
    return "\n".join(line.format(n=n) for line in XSS_LINES) + "\n" + default


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    """The dataset, with XSS payloads in every free-text field, built once for the
    module and rolled back after it."""
    PLANTED.clear()
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield world.build(text=sweep_payload)
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(data, django_db_blocker):
    out = {}
    with django_db_blocker.unblock():
        for role, username in world.ROLE_USERS.items():
            client = Client()
            client.raise_request_exception = False  # a server error is a 500 in the table, not a crash
            if username:
                client.force_login(data["users"][username])
            out[role] = client
    return out


# --- The table ------------------------------------------------------------------------------
#
# Expected answer to a GET, per URL name, as one string per role in the order of ROLES:
#   "200" ok · "L" redirect to the login page · "403"/"404"/"405"/"401"/"400" that status ·
#   ">/x/" a redirect to /x/ (prefix) · "R" any redirect.
# Path parameters are filled with objects of 江北区 (PARAMS): for "officer" (江南区) and
# "hr_other" (HR of 江南区) they belong to another district.

ANON, OWN, OFF, TRN, REV, HRO, HRX = range(7)


def row(*codes):
    assert len(codes) == len(ROLES), codes
    return codes


#           anonymous owner  officer trainer reviewer hr_own hr_other
EVERYONE = row("200", "200", "200", "200", "200", "200", "200")
SIGNED_IN = row("L", "200", "200", "200", "200", "200", "200")
HR_ONLY = row("L", "403", "403", "403", "403", "200", "200")
HR_SCOPED = row("L", "403", "403", "403", "403", "200", "404")
TRAINER_ONLY = row("L", "403", "403", "200", "403", "403", "403")
OFFICER_ONLY = row("L", "200", "200", "403", "403", "403", "403")
OWN_SITTING = row("L", "200", "404", "403", "403", "403", "403")
POST_ONLY_OFFICER = row("L", "405", "405", "403", "403", "403", "403")
POST_ONLY = row("405", "405", "405", "405", "405", "405", "405")
NOT_FOUND = row("404", "404", "404", "404", "404", "404", "404")

GET_TABLE = {
    # Wagtail documents, page-tree helpers and the language switch.
    "wagtaildocs_serve": NOT_FOUND,                  # no such document
    "wagtaildocs_authenticate_with_password": NOT_FOUND,
    "wagtailcore_authenticate_with_password": NOT_FOUND,
    "wagtailcore_login": EVERYONE,
    "wagtail_serve": NOT_FOUND,                      # an unknown path; real pages: PAGE_TABLE
    "route:media": NOT_FOUND,                        # media files (no such image)
    "set_language": row(*[">/"] * 7),
    # officers
    "officers:login": row("200", ">/", ">/", ">/", ">/", ">/", ">/"),
    "officers:logout": POST_ONLY,
    "officers:officer_list": HR_ONLY,
    "officers:unit_overview": HR_ONLY,
    # trainers and reviewers of the city bureau see the city's people (officers.scoping)
    "officers:officer_detail": row("L", "200", "404", "200", "200", "200", "404"),
    "officers:hours_add": POST_ONLY,
    "officers:hours_reverse": POST_ONLY,
    "officers:my_profile": SIGNED_IN,
    "officers:verify": EVERYONE,
    "officers:verify_code": EVERYONE,
    "officers:hr_dashboard": HR_ONLY,
    "officers:hr_list": HR_ONLY,
    "officers:hr_export": HR_ONLY,
    "officers:hr_report": HR_ONLY,
    "officers:hr_certificates_zip": HR_ONLY,
    "officers:hr_record_action": HR_SCOPED,
    "officers:hr_certificate_reissue": HR_SCOPED,
    "officers:hr_evaluate": POST_ONLY,
    "officers:hr_officer_tier": POST_ONLY,
    "officers:hr_officer_category": POST_ONLY,
    "officers:certificate_pdf": row("L", "200", "404", "404", "404", "200", "404"),
    "officers:my_qualification": SIGNED_IN,
    "officers:card_verify": EVERYONE,
    "officers:notices": SIGNED_IN,
    "officers:notice_detail": row("L", "200", "404", "404", "404", "404", "404"),
    "officers:notices_read_all": POST_ONLY,
    "officers:hr_feedback": HR_ONLY,
    "officers:hr_feedback_handled": POST_ONLY,
    # portal
    "portal:home": EVERYONE,                         # the login page for anonymous visitors
    # casebank: reference material for signed-in users; the public power list and benchmarks (§39)
    "casebank:law_index": SIGNED_IN,
    "casebank:law_detail": SIGNED_IN,
    "casebank:law_compare": SIGNED_IN,
    "casebank:article_permalink": SIGNED_IN,
    "casebank:power_list": SIGNED_IN,
    "casebank:power_detail": SIGNED_IN,
    "casebank:benchmark_list": SIGNED_IN,
    "casebank:benchmark_detail": SIGNED_IN,
    "casebank:public_power_list": EVERYONE,
    "casebank:public_power_detail": EVERYONE,
    "casebank:public_benchmark_list": EVERYONE,
    "casebank:public_benchmark_detail": EVERYONE,
    "casebank:citation_check": row("L", "403", "403", "200", "200", "200", "200"),
    # 类案检索报告 (the assignment targets 江北区; officer_a's report is submitted) and 案例推荐
    # (squad leaders and legal officers only: none of the visitors)
    "casebank:my_reports": OFFICER_ONLY,
    "casebank:report_write": row("L", "200", "404", "403", "403", "403", "403"),
    "casebank:report_manage": TRAINER_ONLY,
    "casebank:report_assignment": TRAINER_ONLY,
    "casebank:report_assign": TRAINER_ONLY,
    "casebank:report_mark": TRAINER_ONLY,
    "casebank:recommend": row("L", "403", "403", "403", "403", "403", "403"),
    # 收藏/笔记 (each signed-in user's own) and 反馈 on cases (the queue: trainers and legal reviewers)
    "casebank:my_bookmarks": SIGNED_IN,
    "casebank:bookmark_note": POST_ONLY,
    "casebank:bookmark_remove": POST_ONLY,
    "casebank:case_star": POST_ONLY,
    "casebank:case_note": POST_ONLY,
    "casebank:article_star": POST_ONLY,
    "casebank:article_note": POST_ONLY,
    "casebank:case_feedback": row("L", "403", "403", "200", "200", "403", "403"),
    "casebank:case_feedback_resolve": row("L", "403", "403", "404", "404", "403", "403"),  # no such feedback
    "casebank:case_feedback_submit": POST_ONLY,
    # courses
    "courses:my_learning": SIGNED_IN,
    "courses:complete_lesson": POST_ONLY,
    "courses:markdown_preview": POST_ONLY,  # trainers and legal reviewers (JSON 401/403 for others)
    "courses:assignments": row("L", "403", "403", "200", "403", "200", "200"),
    "courses:assignment_delete": POST_ONLY,
    "courses:report": row("L", "403", "403", "200", "403", "200", "200"),
    "courses:study_time": row("L", "403", "403", "200", "403", "200", "200"),
    "courses:heartbeat": POST_ONLY,
    "courses:sessions": SIGNED_IN,
    "courses:session_signup": POST_ONLY,
    "courses:session_attendance": TRAINER_ONLY,
    # exams: officers (the sitting is officer_a's and already submitted)
    "exams:exam_list": OFFICER_ONLY,
    "exams:exam_detail": OFFICER_ONLY,
    "exams:start": POST_ONLY_OFFICER,
    "exams:sitting": row("L", ">/exams/sittings/", "404", "403", "403", "403", "403"),
    "exams:autosave": POST_ONLY_OFFICER,
    "exams:event": POST_ONLY_OFFICER,
    "exams:confirm_submit": row("L", ">/exams/sittings/", "404", "403", "403", "403", "403"),
    "exams:submit": POST_ONLY_OFFICER,
    "exams:result": OWN_SITTING,
    "exams:figure": row("L", "404", "404", "403", "403", "403", "403"),  # the question has no figure
    "exams:wrong_book": OFFICER_ONLY,
    "exams:wrong_practice": OFFICER_ONLY,
    "exams:practice": OFFICER_ONLY,
    "exams:practice_seq": OFFICER_ONLY,
    "exams:practice_chapter": OFFICER_ONLY,
    "exams:practice_random": OFFICER_ONLY,
    "exams:practice_fav": OFFICER_ONLY,
    "exams:practice_recite": OFFICER_ONLY,
    "exams:practice_favourites": OFFICER_ONLY,
    "exams:practice_favourite": POST_ONLY_OFFICER,
    # a question of a running exam's paper: reported only by the officer who sat it
    "exams:practice_report": OWN_SITTING,
    "exams:practice_reports": OFFICER_ONLY,
    # exams: trainers
    "exams:bank": TRAINER_ONLY,
    "exams:bank_export": TRAINER_ONLY,
    "exams:bank_template": TRAINER_ONLY,
    "exams:bank_import": TRAINER_ONLY,
    "exams:question_detail": TRAINER_ONLY,
    "exams:manage": TRAINER_ONLY,
    "exams:exam_sittings": TRAINER_ONLY,
    "exams:manage_sitting": TRAINER_ONLY,
    "exams:marking": TRAINER_ONLY,
    "exams:mark": TRAINER_ONLY,
    "exams:analysis": TRAINER_ONLY,
    "exams:integrity_report": TRAINER_ONLY,
    "exams:extra_time": row("L", "403", "403", "200", "403", "200", "200"),  # HR: any exam, own people only
    "exams:extra_time_index": row("L", "403", "403", "200", "403", "200", "200"),
    "exams:analysis_export": TRAINER_ONLY,
    "exams:batch_questions": TRAINER_ONLY,
    "exams:batch_mark": TRAINER_ONLY,
    "exams:reports": TRAINER_ONLY,
    "exams:report_resolve": row("L", "403", "403", "404", "403", "403", "403"),  # no such report
    # search
    "search:search": SIGNED_IN,
    "search:api": row("401", "400", "400", "400", "400", "400", "400"),   # without ?q=
    "search:suggest": row("401", "200", "200", "200", "200", "200", "200"),
}


def PARAMS(d):
    """Path parameters per URL name (objects of 江北区)."""
    officer, sitting = d["officer"].pk, d["sitting"].pk
    return {
        "officers:officer_detail": {"pk": officer},
        "officers:hours_add": {"pk": officer},
        "officers:hours_reverse": {"pk": officer, "entry_id": d["hours"].pk},
        "officers:verify_code": {"code": d["certificate"].code},
        "officers:card_verify": {"code": d["card"].code},
        "officers:notice_detail": {"pk": d["notice"].pk},
        "officers:hr_feedback_handled": {"pk": d["feedback"].pk},
        "officers:hr_list": {"name": "expiring_30"},
        "officers:hr_export": {"name": "expiring_30", "fmt": "xlsx"},
        "officers:hr_record_action": {"pk": d["record"].pk, "action": "suspend"},
        "officers:hr_certificate_reissue": {"pk": d["certificate"].pk},
        "officers:hr_evaluate": {"pk": officer},
        "officers:hr_officer_tier": {"pk": officer},
        "officers:hr_officer_category": {"pk": officer},
        "officers:certificate_pdf": {"pk": d["certificate"].pk},
        "casebank:law_detail": {"law_id": d["law"].source_id},
        "casebank:law_compare": {"law_id": d["law"].source_id},
        "casebank:article_permalink": {"law_id": d["law"].source_id, "number": d["article"].number},
        "casebank:power_detail": {"code": d["power"].code},
        "casebank:public_power_detail": {"code": d["power"].code},
        "casebank:benchmark_detail": {"code": d["benchmark"].code},
        "casebank:public_benchmark_detail": {"code": d["benchmark"].code},
        "casebank:report_write": {"pk": d["report_assignment"].pk},
        "casebank:report_assignment": {"pk": d["report_assignment"].pk},
        "casebank:report_assign": {"case_id": d["case"].pk},
        "casebank:report_mark": {"pk": d["case_report"].pk},
        "casebank:case_feedback_resolve": {"pk": 999999},
        "courses:complete_lesson": {"pk": d["lesson"].pk},
        "courses:heartbeat": {"pk": d["lesson"].pk},
        "courses:assignment_delete": {"pk": d["assignment"].pk},
        "courses:session_signup": {"pk": d["session"].pk},
        "courses:session_attendance": {"pk": d["session"].pk},
        "exams:exam_detail": {"pk": d["exam"].pk},
        "exams:start": {"pk": d["exam"].pk},
        "exams:sitting": {"pk": sitting},
        "exams:autosave": {"pk": sitting},
        "exams:event": {"pk": sitting},
        "exams:confirm_submit": {"pk": sitting},
        "exams:submit": {"pk": sitting},
        "exams:result": {"pk": sitting},
        "exams:figure": {"pk": sitting, "position": 1},
        "exams:bank_export": {"fmt": "xlsx"},
        "exams:bank_template": {"fmt": "xlsx"},
        "exams:question_detail": {"pk": d["question"].pk},
        "exams:exam_sittings": {"pk": d["exam"].pk},
        "exams:manage_sitting": {"pk": sitting},
        "exams:mark": {"pk": d["marking_answer"].pk},
        "exams:analysis": {"pk": d["exam"].pk},
        "exams:integrity_report": {"pk": d["exam"].pk},
        "exams:extra_time": {"pk": d["exam"].pk},
        "exams:analysis_export": {"pk": d["exam"].pk, "fmt": "xlsx"},
        "exams:practice_chapter": {"category": "law_basics"},
        "exams:practice_favourite": {"pk": d["question"].pk},
        "exams:practice_report": {"pk": d["question"].pk},
        "exams:batch_questions": {"pk": d["exam"].pk},
        "exams:batch_mark": {"pk": d["exam"].pk, "qid": d["essay"].pk},
        "exams:report_resolve": {"pk": 999999},
        "route:media": {"path": "images/missing.png"},
        "wagtaildocs_serve": {"document_id": 999999, "document_filename": "x.pdf"},
        "wagtaildocs_authenticate_with_password": {"restriction_id": 999999},
        "wagtailcore_authenticate_with_password": {"page_view_restriction_id": 999999, "page_id": 999999},
    }


def outcome(response):
    """A response as a table code."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if re.search(r"/(accounts|cms)/login/", location):
            return "L"
        return ">" + location
    return str(response.status_code)


def matches(expected, got):
    if expected == "R":
        return got == "L" or got.startswith(">")
    if expected.startswith(">"):
        return got.startswith(expected)
    return expected == got


def table_key(route):
    """Unnamed patterns are keyed by their first path segment (e.g. the media route)."""
    if route.name.startswith("route:"):
        return "route:" + re.sub(r"^\^?", "", route.route).split("/")[0]
    return route.name


def project_routes():
    return [r for r in all_routes() if not r.is_cms]


def test_every_url_pattern_is_in_the_table():
    """A new URL fails here until its expected statuses are written down."""
    missing = sorted({table_key(r) for r in project_routes()} - set(GET_TABLE))
    assert not missing, f"URL patterns without expected statuses in GET_TABLE: {missing}"
    stale = sorted(set(GET_TABLE) - {table_key(r) for r in project_routes()})
    assert not stale, f"GET_TABLE names no longer in the URLconf: {stale}"


@pytest.fixture(scope="module")
def walk(data, clients, django_db_blocker):
    """Every project URL (and the case, course and lesson pages) GET as every role:
    [(name, url, role, expected answer, response)]."""
    params = PARAMS(data)
    out = []
    with django_db_blocker.unblock():
        for route in project_routes():
            url = fill(route, params.get(table_key(route), {}))
            assert url, f"cannot build a URL for {route.name} ({route.route})"
            for role, expected in zip(ROLES, GET_TABLE[table_key(route)]):
                out.append((route.name, url, role, expected, clients[role].get(url)))
        for key, expected_row in PAGE_TABLE.items():
            for role, expected in zip(ROLES, expected_row):
                out.append((f"page:{key}", data[key].url, role, expected, clients[role].get(data[key].url)))
    return out


def _html(response):
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return None
    return response.content.decode("utf-8", "replace")


def test_every_url_as_every_role(walk):
    problems = []
    for name, url, role, expected, response in walk:
        if name.startswith("page:"):
            continue
        got = outcome(response)
        if not matches(expected, got):
            problems.append(f"{name} {url} as {role}: expected {expected}, got {got}")
    assert not problems, "\n".join(problems)


# Wagtail pages (served by wagtail_serve): the case, course and lesson pages.
PAGE_TABLE = {
    "case": SIGNED_IN,
    "course": SIGNED_IN,
    "lesson": SIGNED_IN,
}


def test_pages_as_every_role(walk):
    problems = []
    for name, url, role, expected, response in walk:
        if not name.startswith("page:"):
            continue
        got = outcome(response)
        if not matches(expected, got):
            problems.append(f"{name} {url} as {role}: expected {expected}, got {got}")
    assert not problems, "\n".join(problems)


# --- Stored XSS: the planted payloads stay text everywhere ----------------------------------

def test_payloads_were_planted_in_every_text_field(data):
    for field in ["case." + name for name, _default in world.CASE_TEXT] + [
            "officer.full_name", "trainer.full_name", "lesson.markdown", "question.text", "essay.answer",
            "session.description", "hours.description", "power.name", "benchmark.violation"]:
        assert field in PLANTED, field
    questions = data["case"].discussion_questions.splitlines()
    assert any(q.startswith("<b>x</b><img src=x onerror=") for q in questions)


def test_planted_payloads_are_inert_on_every_page(walk):
    """Every HTML page of the project, as every role: nothing the payloads carry became markup
    (a tag, an event handler, a javascript: URL, a script)."""
    problems, scanned = [], 0
    for name, url, role, expected, response in walk:
        html = _html(response)
        if html is None:
            continue
        scanned += 1
        problems += [f"{name} {url} as {role}: {p}" for p in active_markup(html)]
    assert scanned > 150
    assert not problems, "\n".join(problems[:40])


def test_case_text_and_citation_previews_are_inert_where_they_render(data, clients, django_db_blocker):
    """The places case text, discussion questions and citation previews render beyond the
    URL walk: the officer's case page, a public case for anonymous visitors, search
    results, the citation check page, and the admin's editor, preview, draft view,
    revisions and listings, as trainer, reviewer and administrator."""
    from tests.casebank.factories import make_case

    case = data["case"]
    with django_db_blocker.unblock(), transaction.atomic():
        public = make_case(title=case.title, is_public=True,
                           **{k: getattr(case, k) for k, _default in world.CASE_TEXT})
        admin = Client()
        admin.raise_request_exception = False
        admin.force_login(data["users"]["admin"])
        viewers = {"trainer": clients["trainer"], "reviewer": clients["reviewer"], "admin": admin}
        pages = [(clients["owner"], case.url), (clients["anonymous"], public.url), (clients["owner"], public.url),
                 (clients["owner"], "/search/?q=占道经营"), (clients["owner"], "/search/?q=alert"),
                 (clients["hr_own"], f"/people/{data['officer'].pk}/")]
        for viewer in viewers.values():
            for url in (f"/cms/pages/{case.pk}/edit/", f"/cms/pages/{case.pk}/view_draft/",
                        f"/cms/pages/{case.get_parent().pk}/", f"/cms/pages/{case.pk}/history/",
                        f"/cms/pages/search/?q=占道",
                        f"/cms/pages/{data['lesson'].pk}/edit/", f"/cms/pages/{data['lesson'].pk}/view_draft/",
                        f"/cms/pages/{public.pk}/edit/", "/cms/"):
                pages.append((viewer, url))
        problems, seen = [], 0
        for client, url in pages:
            response = client.get(url)
            html = _html(response)
            if html is None:
                problems.append(f"{url}: {response.status_code} {response.get('Content-Type')}")
                continue
            seen += 1
            problems += [f"{url}: {p}" for p in active_markup(html)]
        # The officer's case page does show every discussion question (as text), citations linked.
        page = clients["owner"].get(case.url).content.decode()
        assert page.count("&lt;b&gt;x&lt;/b&gt;&lt;img src=x onerror=alert(") >= 2 and "cite-link" in page
        # Citation previews: the check page, with each payload typed in.
        for role in ("trainer", "reviewer", "hr_own"):
            for line in XSS_LINES:
                text = line.format(n=99) + "依据《中华人民共和国行政处罚法》第三十三条"
                response = clients[role].post(reverse("casebank:citation_check"), {"text": text})
                assert response.status_code == 200 and "cite-link" in response.content.decode()
                problems += [f"citation check as {role}: {p}" for p in active_markup(response.content.decode())]
        transaction.set_rollback(True)
    assert not problems, "\n".join(problems[:40])
    assert seen == len(pages)


# POSTs that change state: every role that may not do it is refused, and nothing changes.
def _post_cases(d):
    officer, sitting = d["officer"].pk, d["sitting"].pk
    return [
        # (url name, kwargs, body, roles that must be refused, the refusals accepted)
        ("officers:hours_add", {"pk": officer}, {"hours": "5", "reason": "x", "date": "2026-01-05"},
         ["anonymous", "owner", "officer", "hr_other"]),
        ("officers:hours_reverse", {"pk": officer, "entry_id": d["hours"].pk}, {"reason": "x"},
         ["anonymous", "owner", "officer", "hr_other"]),
        ("officers:hr_evaluate", {"pk": officer}, {}, ["anonymous", "owner", "officer", "trainer", "reviewer",
                                                      "hr_other"]),
        ("officers:hr_officer_tier", {"pk": officer}, {"training_tier": "advanced"},
         ["anonymous", "owner", "officer", "trainer", "reviewer", "hr_other"]),
        ("officers:hr_officer_category", {"pk": officer}, {"personnel_category": "auxiliary"},
         ["anonymous", "owner", "officer", "trainer", "reviewer", "hr_other"]),
        ("officers:hr_record_action", {"pk": d["record"].pk, "action": "suspend"}, {"reason": "越权暂扣"},
         ["anonymous", "owner", "officer", "trainer", "reviewer", "hr_other"]),
        ("officers:hr_record_action", {"pk": d["record"].pk, "action": "revoke"}, {"reason": "越权取消"},
         ["anonymous", "owner", "officer", "trainer", "reviewer", "hr_other"]),
        ("officers:hr_certificate_reissue", {"pk": d["certificate"].pk}, {"reason": "越权换发"},
         ["anonymous", "owner", "officer", "trainer", "reviewer", "hr_other"]),
        ("officers:hr_feedback_handled", {"pk": d["feedback"].pk}, {},
         ["anonymous", "owner", "officer", "trainer", "reviewer", "hr_other"]),
        ("courses:assignment_delete", {"pk": d["assignment"].pk}, {},
         ["anonymous", "owner", "officer", "reviewer", "hr_other"]),
        ("courses:session_attendance", {"pk": d["session"].pk}, {"present": [str(officer)]},
         ["anonymous", "owner", "officer", "reviewer", "hr_own", "hr_other"]),
        ("exams:autosave", {"pk": sitting}, None, ["anonymous", "officer", "trainer", "reviewer", "hr_own",
                                                   "hr_other"]),
        ("exams:submit", {"pk": sitting}, {}, ["anonymous", "officer", "trainer", "reviewer", "hr_own",
                                                "hr_other"]),
        ("exams:mark", {"pk": d["marking_answer"].pk}, {"p0": "5"}, ["anonymous", "owner", "officer", "reviewer",
                                                                        "hr_own", "hr_other"]),
        ("exams:bank_import", {}, {}, ["anonymous", "owner", "officer", "reviewer", "hr_own", "hr_other"]),
        ("exams:start", {"pk": d["exam"].pk}, {}, ["anonymous", "trainer", "reviewer", "hr_own", "hr_other"]),
    ]


def _state(d):
    from courses.models import Assignment, OnsiteSession
    from exams.models import Answer, Sitting
    from officers.models import CardFeedback, Certificate, HoursEntry, Officer, QualificationRecord

    return (
        list(Officer.objects.order_by("pk").values_list("pk", "training_tier")),
        list(HoursEntry.objects.order_by("pk").values_list("pk", "hours", "reversed_by")),
        list(QualificationRecord.objects.order_by("pk").values_list("pk", "status", "status_reason")),
        list(Certificate.objects.order_by("pk").values_list("pk", "status")),
        list(CardFeedback.objects.order_by("pk").values_list("pk", "handled_at")),
        list(Assignment.objects.order_by("pk").values_list("pk", flat=True)),
        list(OnsiteSession.objects.order_by("pk").values_list("pk", flat=True)),
        list(Sitting.objects.order_by("pk").values_list("pk", "status", "score")),
        list(Answer.objects.order_by("pk").values_list("pk", "revision", "score", "needs_marking")),
    )


def test_state_changing_posts_are_refused(data, clients):
    before = _state(data)
    problems = []
    for name, kwargs, body, refused in _post_cases(data):
        url = reverse(name, kwargs=kwargs)
        for role in refused:
            if body is None:
                response = clients[role].post(url, json.dumps({"position": 1, "response": {"choice": "x"}}),
                                              content_type="application/json")
            else:
                response = clients[role].post(url, body)
            got = outcome(response)
            if got not in ("L", "403", "404", "409"):
                problems.append(f"POST {name} {url} as {role}: expected a refusal, got {got}")
    assert not problems, "\n".join(problems)
    assert _state(data) == before, "a refused POST changed the database"


# --- Wagtail admin (/cms/) -------------------------------------------------------------------

#: Admin URLs anyone may open (the admin's own login, password reset, i18n catalogue and icon sprite).
CMS_PUBLIC = re.compile(r"^cms/(login/|password_reset/|logout/|jsi18n/|sprite/)")
#: Wagtail's deliberate error page for testing error reporting (raises for anyone with admin access).
#: Skipped in the staff walk: Wagtail's deliberate error page (raises for anyone with admin
#: access), and its logout, which deletes the session cookie even when a GET is refused with 405.
CMS_SKIP = {"wagtailadmin_error_test", "wagtailadmin_logout"}


def cms_urls(data):
    out = []
    for route in all_routes():
        if not route.is_cms:
            continue
        url = fill(route, {"page_id": data["case"].pk, "parent_page_id": data["case"].get_parent().pk},
                   default_int=str(data["case"].pk))
        out.append((route, url))
    return out


def test_admin_is_closed_to_visitors_officers_and_hr(data, clients):
    """Every /cms/ URL: anonymous visitors are sent to the admin login; officers and HR
    (no admin access) never get a page."""
    problems, checked = [], 0
    for route, url in cms_urls(data):
        if url is None or CMS_PUBLIC.match(route.route):
            continue
        checked += 1
        got = outcome(clients["anonymous"].get(url))
        if got not in ("L", "404", "405"):
            problems.append(f"{url} ({route.name}) as anonymous: {got}")
        for role in ("officer", "hr_other"):
            got = outcome(clients[role].get(url))
            if got == "200" or got.startswith("5"):
                problems.append(f"{url} ({route.name}) as {role}: {got}")
    assert checked > 300
    assert not problems, "\n".join(problems)


def test_admin_works_for_trainers_and_reviewers(data, clients):
    """Every parameterless admin URL answers trainers and reviewers without a server error,
    and none shows a planted payload as markup."""
    problems = []
    for role in ("trainer", "reviewer"):
        client = Client()
        client.raise_request_exception = False
        client.force_login(data["users"][world.ROLE_USERS[role]])
        assert outcome(client.get("/cms/")) == "200"
        for route, url in cms_urls(data):
            if url is None or "<" in route.route or "(" in route.route or route.name in CMS_SKIP:
                continue
            response = client.get(url)
            got = outcome(response)
            if got.startswith("5"):
                problems.append(f"{url} ({route.name}) as {role}: {got}")
            html = _html(response)
            if html is not None:  # the planted payloads stay text in the admin too
                problems += [f"{url} ({route.name}) as {role}: {p}" for p in active_markup(html)]
            if not client.cookies.get("sessionid") or not client.cookies["sessionid"].value:
                problems.append(f"{url} ({route.name}) as {role} ended the admin session")
                client.force_login(data["users"][world.ROLE_USERS[role]])
    assert not problems, "\n".join(problems)


# --- Answer keys in the responses of a sitting ---------------------------------------------

def _key_markers(exam_questions):
    """Strings that would give an answer away, from the questions' frozen versions."""
    markers = {"KEY-EXPLANATION-7Q", "KEY-REFERENCE-ANSWER-3R", "KEY-RUBRIC-POINT-5P", "KEY-SUCCESS-TEXT",
               "KEY-FAIL-TEXT", "解析密文XJ7", "参考答案密文RK9", "认定违法事实", "适用法律正确",
               "is_correct", "data-correct", "is-correct", "truefalse_answer", "discretion_correct_level",
               "fine_min", "fine_max", "reference_answer", "rubric"}
    return markers


def test_no_answer_key_in_any_response_of_a_sitting(data, django_db_blocker):
    """Everything an officer's browser receives while sitting an exam — the exam page,
    each question page, the whole paper, the autosave replies, form posts, the submit
    confirmation, and the result while marking is pending — carries no correct option,
    explanation, reference answer, rubric, score or pass/fail text."""
    from exams.models import CASE, DISCRETION, MULTI, SINGLE, TRUEFALSE
    from tests.exams.factories import make_exam, make_question, started_sitting_id

    with transaction.atomic():
        questions = [make_question(SINGLE), make_question(MULTI), make_question(TRUEFALSE, answer=True),
                     make_question(DISCRETION, band=("600", "900")), make_question(CASE)]
        exam = make_exam(questions, points=2, kind="qualification", time_limit_minutes=45,
                         success_text="KEY-SUCCESS-TEXT", fail_text="KEY-FAIL-TEXT")
        client = Client()
        client.force_login(data["users"]["officer_a"])
        responses = []

        def get(url, **kw):
            r = client.get(url, **kw)
            responses.append((url, r))
            return r

        get(reverse("exams:exam_list"))
        get(reverse("exams:exam_detail", args=[exam.pk]))
        r = client.post(reverse("exams:start", args=[exam.pk]))
        responses.append(("start", r))
        sitting_id = started_sitting_id(r)
        sitting_url = f"/exams/sittings/{sitting_id}/"
        from exams.models import Sitting
        sitting = Sitting.objects.get(pk=sitting_id)
        for n in range(1, len(questions) + 1):
            get(f"{sitting_url.split('?')[0]}?q={n}")
        page = get(f"{sitting_url.split('?')[0]}?all=1")
        # Answer every question by autosave (a wrong choice too), then by a plain form post.
        answers = {a.position: a for a in sitting.answers.select_related("version")}
        for pos, a in answers.items():
            content = a.version.content
            qtype = content["qtype"]
            if qtype in ("single",):
                response = {"choice": content["options"][0]["key"]}
            elif qtype == "multi":
                response = {"choices": [o["key"] for o in content["options"][:2]]}
            elif qtype == "truefalse":
                response = {"choice": "false"}
            elif qtype == "discretion":
                response = {"level": "1", "amount": "100"}
            else:
                response = {"text": "当事人首次违法。"}
            r = client.post(reverse("exams:autosave", args=[sitting.pk]),
                            json.dumps({"position": pos, "revision": a.revision, "response": response}),
                            content_type="application/json")
            responses.append((f"autosave {pos}", r))
            assert r.status_code == 200, r.content
            assert set(json.loads(r.content)) <= {"ok", "revision", "saved_at"}
        r = client.post(f"{sitting_url.split('?')[0]}?q=1", {"go": "2", "q1-choice": "nonsense", "q1-rev": "0"})
        responses.append(("form post", r))
        get(reverse("exams:confirm_submit", args=[sitting.pk]))
        r = client.post(reverse("exams:submit", args=[sitting.pk]), HTTP_ACCEPT="application/json")
        responses.append(("submit", r))
        assert set(json.loads(r.content)) <= {"ok", "status", "url"}
        result = get(reverse("exams:result", args=[sitting.pk]))
        assert "阅卷后发布成绩" in result.content.decode()  # the essay waits for marking

        markers = _key_markers(questions)
        leaks = []
        for url, r in responses:
            body = r.content.decode("utf-8", "replace")
            for m in markers:
                if m in body:
                    leaks.append(f"{url}: {m}")
            if r.get("Content-Type", "").startswith("application/json"):
                for k in ("score", "correct", "explanation", "passed", "percent"):
                    if k in json.loads(body):
                        leaks.append(f"{url}: JSON key {k}")
        # The whole paper page offers each option without marking the right one.
        assert page.status_code == 200 and "选项甲" in page.content.decode()
        assert not leaks, "\n".join(leaks)
        transaction.set_rollback(True)


# --- Certificate codes ---------------------------------------------------------------------

@override_settings(VERIFY_RATE_LIMIT="100000000/m")
def test_ten_thousand_guessed_certificate_codes_find_nothing(data, monkeypatch):
    """10^4 codes (the real codes' format, and near misses of a real code) at
    /verify/<code>/ all find nothing. The first 100 go through the whole stack and
    read the page; for speed the rest are resolved by the URLconf and passed to the
    view directly (no middleware), with the page rendering replaced by a stub that
    records what the view looked up (routing, rate limiting and the query stay real;
    those 9,900 are counted in the per-process cache instead of the shared database
    counter, whose locking has its own tests in tests/officers/test_rate_limits.py)."""
    from django.test import RequestFactory
    from django.urls import resolve
    from django.core.cache import cache
    from django.http import HttpResponse

    from officers import verification

    cache.clear()
    real = data["certificate"].code
    client = Client()
    found = client.get(reverse("officers:verify_code", args=[real])).content.decode()
    assert "证书有效" in found and data["certificate"].number in found
    near = [real[:-1], real[1:], real + "A", real.swapcase(), real[:-1] + ("A" if real[-1] != "A" else "B"),
            real[:16], real.replace(real[5], "-" if real[5] != "-" else "_", 1)]
    codes = near + [secrets.token_urlsafe(24) for _ in range(10_000 - len(near))]
    hits = []
    for code in codes[:100]:
        r = client.get(f"/verify/{code}/")
        body = r.content.decode()
        if r.status_code != 200 or "未找到该证书" not in body or "证书有效" in body:
            hits.append((code, r.status_code))
    seen = []

    def stub(request, template, context=None, status=None):
        seen.append(context.get("result"))
        return HttpResponse(status=status or 200)

    monkeypatch.setattr(verification, "render", stub)
    factory = RequestFactory()
    from django.contrib.auth.models import AnonymousUser
    with override_settings(RATE_LIMIT_CACHE="default"):
        for code in codes[100:]:
            path = f"/verify/{code}/"
            match = resolve(path)
            assert match.url_name == "verify_code"
            request = factory.get(path)
            request.user = AnonymousUser()
            r = match.func(request, *match.args, **match.kwargs)
            if r.status_code != 200:
                hits.append((code, r.status_code))
    assert len(seen) == len(codes) - 100
    hits += [r for r in seen if r is not None]
    assert not hits, hits[:10]
    cache.clear()


# --- Security headers -----------------------------------------------------------------------

def test_security_headers_on_representative_pages(data, clients):
    pages = [
        ("anonymous", "/"), ("anonymous", "/accounts/login/"), ("anonymous", "/verify/"),
        ("anonymous", f"/verify/{data['certificate'].code}/"), ("anonymous", "/public/powers/"),
        ("owner", "/learning/"), ("owner", data["lesson"].url), ("owner", data["case"].url),
        ("owner", reverse("exams:result", args=[data["sitting"].pk])),
        ("owner", reverse("officers:certificate_pdf", args=[data["certificate"].pk])),
        ("hr_own", "/hr/"), ("hr_own", "/hr/lists/expiring_30/export.xlsx"),
        ("trainer", "/exams/bank/"), ("trainer", "/cms/"), ("trainer", "/api/search/?q=处罚"),
        ("anonymous", "/no-such-page/"),
    ]
    problems = []
    for role, url in pages:
        r = clients[role].get(url)
        csp = r.get("Content-Security-Policy", "")
        for directive in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"):
            if directive not in csp:
                problems.append(f"{url} as {role}: CSP lacks {directive!r}")
        if r.get("X-Frame-Options") != "DENY":
            problems.append(f"{url} as {role}: X-Frame-Options {r.get('X-Frame-Options')!r}")
        if r.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{url} as {role}: X-Content-Type-Options {r.get('X-Content-Type-Options')!r}")
        if r.get("Referrer-Policy") not in ("same-origin", "no-referrer", "strict-origin-when-cross-origin"):
            problems.append(f"{url} as {role}: Referrer-Policy {r.get('Referrer-Policy')!r}")
    # Personal documents are not cached by browsers or proxies.
    pdf = clients["owner"].get(reverse("officers:certificate_pdf", args=[data["certificate"].pk]))
    assert "no-store" in pdf["Cache-Control"]
    sitting_page = clients["owner"].get(reverse("exams:result", args=[data["sitting"].pk]))
    assert sitting_page.status_code == 200
    assert not problems, "\n".join(problems)


def _policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    return {part.split()[0]: part.split()[1:]
            for part in response.get("Content-Security-Policy", "").split(";") if part.strip()}


def test_content_security_policy_of_each_area(data, clients):
    """The site runs scripts from its own files only; Wagtail's admin (/cms/), which writes
    inline scripts, has its own policy; a page preview has the site's policy and may be
    framed by the admin's preview panel only."""
    site = [("anonymous", "/"), ("anonymous", "/accounts/login/"), ("anonymous", "/verify/"),
            ("anonymous", "/public/powers/"), ("anonymous", "/no-such-page/"), ("owner", "/learning/"),
            ("owner", data["lesson"].url), ("owner", data["course"].url), ("owner", data["case"].url),
            ("trainer", "/exams/bank/"), ("trainer", "/citations/check/"), ("hr_own", "/hr/"),
            ("trainer", "/api/search/?q=处罚")]
    for role, url in site:
        policy = _policy(clients[role].get(url))
        assert policy.get("script-src") == ["'self'"], (url, policy)
        assert policy.get("frame-ancestors") == ["'none'"] and policy.get("object-src") == ["'none'"], url
    for role in ("trainer", "reviewer"):
        for url in ("/cms/", f"/cms/pages/{data['case'].pk}/edit/"):
            policy = _policy(clients[role].get(url))
            assert policy.get("script-src") == ["'self'", "'unsafe-inline'"], (url, policy)
            assert policy.get("frame-ancestors") == ["'none'"] and policy.get("default-src") == ["'self'"], url
    preview = clients["reviewer"].get(f"/cms/pages/{data['case'].pk}/view_draft/")
    assert preview.status_code == 200
    policy = _policy(preview)
    assert policy.get("script-src") == ["'self'"] and policy.get("frame-ancestors") == ["'self'"], policy
    # (The editor's live preview panel, an iframe, is checked in tests/casebank/test_preview.py.)


class _InlineScripts(HTMLParser):
    """Inline scripts, inline event handlers and javascript: URLs in a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") not in ("application/json",
                                                                                  "application/ld+json"):
            self.found.append("<script> without src")
        if tag == "script" and (attrs.get("src") or "").startswith(("http:", "https:", "//")):
            self.found.append(f"<script src={attrs['src']}> from another origin")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.found.append(f"<{tag} {name}=javascript:>")


def test_site_pages_have_no_inline_script(walk):
    """Every HTML page outside the admin, as every role, works under script-src 'self':
    scripts come from static files, behaviour is attached by them (no onclick=…)."""
    problems = []
    for name, url, role, expected, response in walk:
        html = _html(response)
        if html is None:
            continue
        parser = _InlineScripts()
        parser.feed(html)
        problems += [f"{name} {url} as {role}: {p}" for p in parser.found]
    assert not problems, "\n".join(sorted(set(problems))[:40])


def test_session_and_csrf_cookies_are_http_only_where_possible(clients):
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY is True
    r = Client().get("/accounts/login/")
    assert "csrftoken" in r.cookies
    assert r.cookies["csrftoken"]["samesite"].lower() in ("lax", "strict")
