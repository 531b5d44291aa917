"""Bookmarks (收藏) of cases and law articles, each with a private note (笔记).

A bookmark belongs to one officer and is read only through the functions here, always filtered
by that officer: no other user — trainer, HR or administrator — is shown another's notes. A note
is plain text of at most ``NOTE_MAX`` characters; saving a note keeps the item (stars it), and
removing the star removes the note with it.

我的收藏 also lists what officers keep elsewhere (the exams app's favourite questions): apps
answer the ``academy_favourite_links`` hook with ``fn(request)`` → iterable of (label, url, count).
"""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from .personal import NOTE_MAX, Bookmark

#: The hook through which other apps list their own favourites on 我的收藏.
FAVOURITE_LINKS_HOOK = "academy_favourite_links"

#: What 我的收藏 can show: everything, or one kind.
KINDS = ("case", "article")


class BookmarkError(ValidationError):
    """A refused note (with a code tests can match)."""


def _target(case=None, article=None):
    if (case is None) == (article is None):
        raise ValueError("a bookmark is of one case or one article")
    return {"case": case} if case is not None else {"article": article}


def bookmark_of(officer, *, case=None, article=None):
    """The officer's bookmark of this case or article, or None."""
    if officer is None:
        return None
    return Bookmark.objects.filter(officer=officer, **_target(case, article)).first()


def clean_note(text):
    """The note as stored: trimmed, line ends unified; raises BookmarkError (note_too_long)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > NOTE_MAX:
        raise BookmarkError(_("笔记不能超过 %(n)s 字（现为 %(len)s 字）。") % {"n": NOTE_MAX, "len": len(text)},
                            code="note_too_long")
    return text


def _get_or_create(officer, target):
    try:
        with transaction.atomic():
            return Bookmark.objects.get_or_create(officer=officer, **target)[0]
    except IntegrityError:  # kept at the same moment by another request of the same officer
        return Bookmark.objects.get(officer=officer, **target)


def set_star(officer, on, *, case=None, article=None):
    """Keep (``on``) or drop the case or article; idempotent. Returns whether it is now kept.
    Dropping it deletes its note too."""
    target = _target(case, article)
    if on:
        _get_or_create(officer, target)
        return True
    Bookmark.objects.filter(officer=officer, **target).delete()
    return False


def save_note(officer, text, *, case=None, article=None):
    """Save the officer's note on a case or article (keeping it if not yet kept); an empty note
    clears the note and keeps the star. Raises BookmarkError before anything is written."""
    text = clean_note(text)
    bookmark = _get_or_create(officer, _target(case, article))
    if bookmark.note != text:
        bookmark.note = text
        bookmark.updated_at = timezone.now()
        bookmark.save(update_fields=["note", "updated_at"])
    return bookmark


def save_note_by_id(officer, pk, text):
    """Save the note of one of the officer's bookmarks (another's: None). Raises BookmarkError."""
    text = clean_note(text)
    bookmark = Bookmark.objects.filter(officer=officer, pk=pk).first()
    if bookmark is not None and bookmark.note != text:
        bookmark.note = text
        bookmark.updated_at = timezone.now()
        bookmark.save(update_fields=["note", "updated_at"])
    return bookmark


def remove(officer, pk):
    """Drop one of the officer's bookmarks (with its note); True when one was dropped."""
    return Bookmark.objects.filter(officer=officer, pk=pk).delete()[0] > 0


def for_officer(officer, kind=""):
    """The officer's bookmarks, newest first, with their case or article (and law) in one query."""
    qs = Bookmark.objects.filter(officer=officer).select_related("case", "article__law").order_by("-created_at", "-id")
    if kind == "case":
        qs = qs.filter(case__isnull=False)
    elif kind == "article":
        qs = qs.filter(article__isnull=False)
    return qs


def counts(officer):
    """{"case": n, "article": n} of the officer's bookmarks."""
    rows = Bookmark.objects.filter(officer=officer)
    return {"case": rows.filter(case__isnull=False).count(), "article": rows.filter(article__isnull=False).count()}


def other_favourites(request):
    """[(label, url, count)] of the favourites other apps keep for the signed-in user."""
    links = []
    for provider in hooks.get_hooks(FAVOURITE_LINKS_HOOK):
        links.extend(provider(request) or [])
    return links
