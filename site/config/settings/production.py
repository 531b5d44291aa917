"""Production settings: secrets and hosts from the environment, HTTPS only.

Required environment: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS (comma-separated),
ACADEMY_PUBLIC_URL (the public https:// address printed on certificates).
Recommended: DATABASE_URL (PostgreSQL), ACADEMY_DATA_DIR on shared storage.
"""
import os

from django.core.exceptions import ImproperlyConfigured

from config import public_url

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = [h.strip() for h in os.environ["DJANGO_ALLOWED_HOSTS"].split(",") if h.strip()]
if not os.environ.get(public_url.ENV, "").strip():
    raise ImproperlyConfigured(
        "ACADEMY_PUBLIC_URL is required under production settings: the site's public address, "
        "e.g. ACADEMY_PUBLIC_URL=https://academy.example.gov.cn. Certificates print it in their "
        "verification URL and QR code, so it cannot be guessed from a request.")
ACADEMY_PUBLIC_URL = public_url.parse(os.environ[public_url.ENV])
WAGTAILADMIN_BASE_URL = ACADEMY_PUBLIC_URL
CSRF_TRUSTED_ORIGINS = sorted({f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")} | {ACADEMY_PUBLIC_URL})
DEMO_CONTENT_ALLOWED = False

# Each request thread keeps its database connection (checked before reuse) instead of
# opening one per request: on SQLite every open and close costs the PRAGMAs and, for the
# last connection, a WAL checkpoint (measured under gunicorn: 7-8 ms of CPU per request).
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
# The reverse proxy in front (README "Production") sets X-Forwarded-Proto; gunicorn
# listens on loopback only, so nobody else can set it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
