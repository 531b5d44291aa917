"""收藏 and 笔记: star a case or a law article, keep a private note on it, and 我的收藏.

Every view is for a signed-in user with an officer profile and touches only that officer's own
bookmarks (another's id answers 404). The forms work without JavaScript (they redirect back);
casebank/casepage.js sends the star form with ``Accept: application/json`` and gets JSON."""
from functools import wraps

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from officers.roles import role_required
from officers.scoping import own_profile

from .. import bookmarks
from ..models import Article, CaseIndexPage
from ..similar import visible_cases


def officer_profile_required(view):
    """A signed-in user (any role) with an officer profile; ``request.officer`` is that profile."""

    @role_required()
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        profile = own_profile(request.user)
        if profile is None:
            return render(request, "officers/no_profile.html", status=403)
        request.officer = profile
        return view(request, *args, **kwargs)

    return wrapped


def _back(request, default, anchor=""):
    nxt = request.POST.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return redirect(nxt)
    return redirect(default + anchor)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _target(request, kind, pk):
    """(kwargs for casebank.bookmarks, URL) of a case the user may open or an article; 404 otherwise."""
    if kind == "case":
        case = get_object_or_404(visible_cases(request.user), pk=pk)
        return {"case": case}, case.url
    article = get_object_or_404(Article.objects.select_related("law"), pk=pk)
    return {"article": article}, article.get_permalink()


@require_POST
@officer_profile_required
def star(request, kind, pk):
    """Keep (``on=1``) or drop (``on=0``) a case or an article."""
    target, url = _target(request, kind, pk)
    on = request.POST.get("on") == "1"
    kept = bookmarks.set_star(request.officer, on, **target)
    text = _("已收藏，可在“我的收藏”中查看。") if kept else _("已取消收藏。")
    if _wants_json(request):
        return JsonResponse({"starred": kept, "message": text})
    messages.success(request, text)
    return _back(request, url)


@require_POST
@officer_profile_required
def note(request, kind, pk):
    """Save the officer's note on a case or an article (keeping it)."""
    target, url = _target(request, kind, pk)
    try:
        bookmarks.save_note(request.officer, request.POST.get("note", ""), **target)
    except bookmarks.BookmarkError as exc:
        return _note_error(request, exc, request.POST.get("note", ""), url)
    messages.success(request, _("笔记已保存（仅您本人可见）。"))
    return _back(request, url, "#my-note")


def _note_error(request, exc, text, back):
    """A refused note: the page says why and keeps what was typed (nothing is lost)."""
    return render(request, "casebank/note_error.html", {"errors": exc.messages, "note": text, "back": back,
                                                        "action": request.path,
                                                        "next": request.POST.get("next", "")}, status=400)


@officer_profile_required
def my_bookmarks(request):
    """我的收藏: the officer's cases and articles with their notes, newest first."""
    kind = request.GET.get("kind") or ""
    if kind not in bookmarks.KINDS:
        kind = ""
    rows = bookmarks.for_officer(request.officer, kind)
    return render(request, "casebank/my_bookmarks.html", {
        "rows": rows, "kind": kind,
        "counts": bookmarks.counts(request.officer), "others": bookmarks.other_favourites(request),
        "note_max": bookmarks.NOTE_MAX,
        # the empty list's next step; a full list does not ask for it
        "case_index": None if rows else CaseIndexPage.objects.live().first(),
    })


@require_POST
@officer_profile_required
def bookmark_note(request, pk):
    """Save the note of one of the officer's bookmarks, from 我的收藏."""
    try:
        found = bookmarks.save_note_by_id(request.officer, pk, request.POST.get("note", ""))
    except bookmarks.BookmarkError as exc:
        if not bookmarks.for_officer(request.officer).filter(pk=pk).exists():
            raise Http404 from None
        return _note_error(request, exc, request.POST.get("note", ""), _my_url())
    if found is None:
        raise Http404
    messages.success(request, _("笔记已保存（仅您本人可见）。"))
    return redirect(f"{_my_url()}#bookmark-{pk}")


@require_POST
@officer_profile_required
def bookmark_remove(request, pk):
    """Drop one of the officer's bookmarks (with its note), from 我的收藏."""
    if not bookmarks.remove(request.officer, pk):
        raise Http404
    messages.success(request, _("已取消收藏。"))
    return redirect(_my_url())


def _my_url():
    return reverse("casebank:my_bookmarks")
