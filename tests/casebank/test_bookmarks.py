"""收藏 and 笔记 on cases and law articles, and 我的收藏: only the author ever sees a note; notes are
escaped and length-limited; anonymous visitors get no controls."""
import json

import pytest
from django.urls import reverse

from casebank import bookmarks
from casebank.models import Article, Bookmark
from casebank.personal import NOTE_MAX
from officers import roles
from tests.factories import make_user

from .factories import make_case

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def case(statutes):
    return make_case("占道经营案", facts="商户在人行道上摆摊经营。", is_public=True)


@pytest.fixture
def article(statutes):
    return Article.objects.get(law__source_id="penalty", number=33)


def star_url(obj):
    kind = "case" if hasattr(obj, "url_path") else "article"
    return reverse(f"casebank:{kind}_star", args=[obj.pk])


def note_url(obj):
    kind = "case" if hasattr(obj, "url_path") else "article"
    return reverse(f"casebank:{kind}_note", args=[obj.pk])


# --- the rules ----------------------------------------------------------------------------


def test_star_is_idempotent_and_unstar_drops_the_note(officer_user, case):
    """Keeping twice keeps one bookmark; dropping it drops its note."""
    officer = officer_user.officer
    assert bookmarks.set_star(officer, True, case=case) is True
    assert bookmarks.set_star(officer, True, case=case) is True
    assert Bookmark.objects.filter(officer=officer).count() == 1
    bookmarks.save_note(officer, "首次违法可不罚", case=case)
    assert bookmarks.set_star(officer, False, case=case) is False
    assert not Bookmark.objects.filter(officer=officer).exists()


def test_a_note_keeps_the_item_and_is_trimmed(officer_user, article):
    officer = officer_user.officer
    b = bookmarks.save_note(officer, "  第一行\r\n第二行  ", article=article)
    assert b.article == article and b.note == "第一行\n第二行"
    # an empty note clears the note, the star stays
    b = bookmarks.save_note(officer, "   ", article=article)
    assert b.note == "" and Bookmark.objects.filter(officer=officer, article=article).exists()


def test_a_note_too_long_is_refused_and_nothing_changes(officer_user, case):
    officer = officer_user.officer
    bookmarks.save_note(officer, "原来的笔记", case=case)
    with pytest.raises(bookmarks.BookmarkError) as exc:
        bookmarks.save_note(officer, "字" * (NOTE_MAX + 1), case=case)
    assert exc.value.code == "note_too_long"
    assert Bookmark.objects.get(officer=officer).note == "原来的笔记"
    assert bookmarks.save_note(officer, "字" * NOTE_MAX, case=case).note == "字" * NOTE_MAX


def test_one_officer_cannot_touch_another_officers_bookmark(officer_user, other_officer_user, case):
    mine = bookmarks.save_note(officer_user.officer, "我的笔记", case=case)
    other = other_officer_user.officer
    assert bookmarks.save_note_by_id(other, mine.pk, "改掉") is None
    assert bookmarks.remove(other, mine.pk) is False
    assert list(bookmarks.for_officer(other)) == []
    mine.refresh_from_db()
    assert mine.note == "我的笔记"


# --- the pages ----------------------------------------------------------------------------


def test_anonymous_visitor_sees_no_controls_and_cannot_post(client, case, article):
    body = client.get(case.url).content.decode()
    assert "案情" in body  # the public case is shown
    assert 'data-star' not in body and 'id="my-note"' not in body and 'id="case-feedback"' not in body
    # the tools bar (outline, find) is there for everyone
    assert "data-case-tools" in body and 'data-find' in body
    for url in (star_url(case), note_url(case), star_url(article), reverse("casebank:my_bookmarks")):
        response = client.post(url, {"on": "1", "note": "x"})
        assert response.status_code == 302 and "/login" in response["Location"], url
    assert not Bookmark.objects.exists()


def test_officer_stars_a_case_from_its_page(client, officer_user, case):
    client.force_login(officer_user)
    body = client.get(case.url).content.decode()
    assert 'aria-pressed="false"' in body and "☆ 收藏" in body
    response = client.post(star_url(case), {"on": "1", "next": case.url})
    assert response.status_code == 302 and response["Location"] == case.url
    body = client.get(case.url).content.decode()
    assert 'aria-pressed="true"' in body and "★ 已收藏" in body
    # the script's request gets JSON
    response = client.post(star_url(case), {"on": "0"}, HTTP_ACCEPT="application/json")
    assert json.loads(response.content)["starred"] is False
    assert not Bookmark.objects.exists()


def test_next_must_stay_on_the_site(client, officer_user, case):
    client.force_login(officer_user)
    response = client.post(star_url(case), {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == case.url


def test_unpublished_case_and_unknown_article_cannot_be_kept(client, officer_user, statutes):
    draft = make_case("草稿案例", live=False)
    client.force_login(officer_user)
    assert client.post(star_url(draft), {"on": "1"}).status_code == 404
    assert client.post(reverse("casebank:article_star", args=[999999]), {"on": "1"}).status_code == 404
    assert client.get(star_url(draft)).status_code == 405  # POST only
    assert not Bookmark.objects.exists()


def test_note_is_escaped_on_every_page(client, officer_user, case, article):
    client.force_login(officer_user)
    client.post(note_url(case), {"note": XSS, "next": case.url + "#my-note"})
    client.post(note_url(article), {"note": XSS})
    for url in (case.url, article.get_permalink(), reverse("casebank:my_bookmarks")):
        body = client.get(url).content.decode()
        assert XSS not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body, url


def test_too_long_note_comes_back_with_the_text(client, officer_user, case):
    client.force_login(officer_user)
    text = "长" * (NOTE_MAX + 5)
    response = client.post(note_url(case), {"note": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"笔记不能超过 {NOTE_MAX} 字" in body and text in body  # nothing typed is lost
    assert not Bookmark.objects.exists()


def test_one_officer_never_sees_anothers_note(client, officer_user, other_officer_user, trainer_user, case, article):
    client.force_login(officer_user)
    client.post(note_url(case), {"note": "只给自己看的案例笔记"})
    client.post(note_url(article), {"note": "只给自己看的法条笔记"})
    mine = Bookmark.objects.get(case=case)
    for user in (other_officer_user, trainer_user):
        client.force_login(user)
        for url in (case.url, article.get_permalink(), reverse("casebank:my_bookmarks")):
            assert "只给自己看的" not in client.get(url).content.decode(), (user, url)
        # another's bookmark by id: 404, unchanged
        assert client.post(reverse("casebank:bookmark_note", args=[mine.pk]), {"note": "改"}).status_code == 404
        assert client.post(reverse("casebank:bookmark_remove", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.note == "只给自己看的案例笔记"


def test_my_bookmarks_lists_cases_and_articles_newest_first(client, officer_user, case, article):
    later = make_case("违法建设案")
    client.force_login(officer_user)
    client.post(star_url(case), {"on": "1"})
    client.post(note_url(article), {"note": "第三十三条：首违不罚"})
    client.post(star_url(later), {"on": "1"})
    body = client.get(reverse("casebank:my_bookmarks")).content.decode()
    positions = [body.index(t) for t in ("违法建设案", "第三十三条：首违不罚", "占道经营案")]
    assert positions == sorted(positions)
    assert "案例 2" in body and "法条 1" in body
    only_articles = client.get(reverse("casebank:my_bookmarks"), {"kind": "article"}).content.decode()
    assert "首违不罚" in only_articles and "占道经营案" not in only_articles
    # edit and remove from the list
    b = Bookmark.objects.get(article=article)
    client.post(reverse("casebank:bookmark_note", args=[b.pk]), {"note": "改过的笔记"})
    assert "改过的笔记" in client.get(reverse("casebank:my_bookmarks")).content.decode()
    response = client.post(reverse("casebank:bookmark_remove", args=[b.pk]))
    assert response.status_code == 302
    assert not Bookmark.objects.filter(pk=b.pk).exists()


def test_my_bookmarks_links_the_favourite_questions(client, officer_user, statutes):
    """The exams app's question favourites arrive through the academy_favourite_links hook."""
    client.force_login(officer_user)
    body = client.get(reverse("casebank:my_bookmarks")).content.decode()
    assert reverse("exams:practice_favourites") in body and "试题收藏 0" in body


def test_my_bookmarks_is_in_the_menu_for_officers_only(client, officer_user, statutes):
    client.force_login(officer_user)
    assert 'href="/my/bookmarks/"' in client.get("/").content.decode()
    client.logout()
    assert 'href="/my/bookmarks/"' not in client.get("/").content.decode()


def test_user_without_profile_gets_no_controls(client, case):
    user = make_user(roles.OFFICER, username="no_profile")
    user.officer.delete()
    client.force_login(user)
    body = client.get(case.url).content.decode()
    assert "data-star" not in body and 'id="case-feedback"' not in body
    assert client.post(star_url(case), {"on": "1"}).status_code == 403


def test_case_page_tools_in_english(client, officer_user, case):
    """The tools, the note and the feedback box speak English in English mode."""
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    body = client.get(case.url).content.decode()
    for text in ("☆ Save", "Find in this page", "Previous", "Next", "My note", "Save note", "Send feedback",
                 "Content is wrong", "No matches"):
        assert text in body, text
    client.post(star_url(case), {"on": "1"})
    body = client.get(reverse("casebank:my_bookmarks")).content.decode()
    assert "My saved items" in body and "Saved questions" in body


def test_empty_bookmarks_point_to_the_case_bank_and_statutes(client, officer_user, case):
    """With nothing kept yet, 我的收藏 is no dead end: it links to where cases and articles are starred."""
    client.force_login(officer_user)
    body = client.get(reverse("casebank:my_bookmarks")).content.decode()
    assert f'href="{case.get_parent().url}"' in body and "去案例库" in body
    assert f'href="{reverse("casebank:law_index")}"' in body
    client.post(star_url(case), {"on": "1"})
    body = client.get(reverse("casebank:my_bookmarks")).content.decode()
    assert "去案例库" not in body
