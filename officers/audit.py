"""Writing to the append-only audit log."""
from .models import AuditLog


def client_ip(request):
    """The client's address as the server saw it (REMOTE_ADDR; a trusted proxy
    must set it, e.g. gunicorn's --forwarded-allow-ips)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(action, *, request=None, actor=None, username="", outcome="", officer=None, obj=None,
           before=None, after=None, reason=""):
    """Append one audit entry and return it."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            actor = request.user
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=getattr(actor, "username", "") or "",
        username=username or "",
        action=action,
        outcome=outcome,
        ip=client_ip(request),
        officer=officer,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=before,
        after=after,
        reason=reason,
    )
