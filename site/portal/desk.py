"""The staff desk for what officers send in (题目纠错 in exams, 案例反馈 in casebank): a daily quota
per sender, the order of the queue, and closing an item once with a reply.

Works on any model with ``created_at``, ``status``, ``reply``, ``resolved_by`` and
``resolved_at``; each app keeps its own model, kinds, limits and wording. Imports no app."""
from django.utils import timezone


def day_start(now=None):
    """Midnight (the site's time zone, Asia/Shanghai) of the day of ``now``."""
    return timezone.localtime(now or timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)


def sent_today(queryset, now=None):
    """How many rows of ``queryset`` (one sender's, one unit's …) were created today."""
    return queryset.filter(created_at__gte=day_start(now)).count()


def open_items(queryset, open_status):
    """The open items, oldest first: the order in which the desk answers them."""
    return queryset.filter(status=open_status).order_by("created_at", "id")


def listing(queryset, requested, statuses, open_status):
    """(rows, status shown) of the queue page: the ``requested`` status (open by default, oldest
    first; the others newest first), or every item when ``requested`` is not one of ``statuses``
    (the status shown is then "")."""
    status = requested or open_status
    if status == open_status:
        return open_items(queryset, open_status), status
    if status in statuses:
        queryset = queryset.filter(status=status)
    else:
        status = ""
    return queryset.order_by("-created_at", "-id"), status


def close(queryset, item, status, reply, user, open_status, now=None):
    """Give ``item`` its ``status`` and ``reply`` if it is still open (one UPDATE, so two staff
    answering at once cannot both win). True when this call closed it; ``item`` is reloaded then."""
    done = queryset.filter(pk=item.pk, status=open_status).update(
        status=status, reply=reply, resolved_by=user, resolved_at=now or timezone.now())
    if done:
        item.refresh_from_db()
    return bool(done)
