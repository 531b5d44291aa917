"""Writing to the append-only audit log, and the client address every
address-based rule uses (audit entries, rate limits, login lockout)."""
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .models import AuditLog


def client_ip(request):
    """The client's address, the one function every address-based rule uses.

    ``REMOTE_ADDR`` (the socket peer) unless that peer is one of
    ``ACADEMY_TRUSTED_PROXIES`` (addresses or networks, default none). Through a
    trusted proxy the address is the right-most ``X-Forwarded-For`` hop that is not
    itself a trusted proxy: each proxy appends the address it received the request
    from, so hops to the left of that one are whatever the client chose to send. A
    forwarded header from any other peer is ignored, and so is an unreadable hop
    (the last trusted proxy's address is used then). Behind nginx:
    ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;``.
    """
    if request is None:
        return None
    peer = _address(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    proxies = trusted_proxies()
    address = peer
    if _is_trusted(peer, proxies):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            hop = _address(hop)
            if hop is None:
                break
            address = hop
            if not _is_trusted(hop, proxies):
                break
    return str(address)


def trusted_proxies():
    """ACADEMY_TRUSTED_PROXIES as networks."""
    return _networks(tuple(getattr(settings, "ACADEMY_TRUSTED_PROXIES", ()) or ()))


@lru_cache(maxsize=8)
def _networks(entries):
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"ACADEMY_TRUSTED_PROXIES: {entry!r} is not an IP address or network (e.g. 10.0.0.5, 10.0.0.0/24)."
            ) from None
    return tuple(networks)


def _address(text):
    """An IP address from a header value ("1.2.3.4", "1.2.3.4:5678", "[::1]:443"), or None."""
    text = (text or "").strip().strip('"')
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address


def _is_trusted(address, proxies):
    return any(address.version == net.version and address in net for net in proxies)


def record(action, *, request=None, actor=None, username="", outcome="", officer=None, obj=None,
           before=None, after=None, reason="", into=None):
    """Append one audit entry and return it. With ``into`` (a list), the entry is added to it
    unsaved, for the caller to write with others in one ``AuditLog.objects.bulk_create`` (in
    the list's order, which is the order the events happened)."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            actor = request.user
    entry = AuditLog(
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
    if into is not None:
        into.append(entry)
    else:
        entry.save(force_insert=True)
    return entry
