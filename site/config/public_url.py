"""ACADEMY_PUBLIC_URL: the address people use to reach the site.

It is printed on certificates (verification URL and QR code), used in links that
leave the site (Wagtail's notification e-mails) and recorded as the Wagtail site's
address. It cannot be taken from a request: a certificate printed by a background job
or behind a proxy must still carry the public address.
"""
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

ENV = "ACADEMY_PUBLIC_URL"


def parse(value, *, source=ENV):
    """``scheme://host[:port]`` without a trailing slash, or ImproperlyConfigured."""
    text = (value or "").strip().rstrip("/")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{source}={value!r} is not a valid URL ({exc}).") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{source}={value!r} must be the site's public address as scheme://host[:port], "
            f"e.g. https://academy.example.gov.cn (no path, query or trailing text).")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def site_fields(url):
    """Wagtail Site hostname and port for ``url`` (Site.root_url derives the scheme from the port)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return {"hostname": parts.hostname, "port": port}
