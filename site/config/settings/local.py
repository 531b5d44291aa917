"""`make run`: production behaviour, served over plain HTTP on loopback.

Everything config.settings.production does (DEBUG off, WhiteNoise's compressed files
with hashed names, the same middleware, headers and Content-Security-Policy), except
what plain http://127.0.0.1 needs:

- the secret key is generated once into the data folder (``$ACADEMY_DATA_DIR/secret_key``,
  config/secret_key.py) and reused, unless DJANGO_SECRET_KEY is set;
- hosts are the loopback names (and the public URL's host); ACADEMY_PUBLIC_URL defaults to
  http://127.0.0.1:8000 (`make run` passes http://127.0.0.1:$PORT);
- no HTTPS redirect, no HSTS, no proxy header, cookies without the Secure flag: there is
  no TLS on loopback. Never serve these settings on another interface;
- the demo content may be loaded (`make run` loads it).
"""
import os
from urllib.parse import urlsplit

from config import public_url, secret_key

from .base import DATA_DIR

_defaults = {
    "DJANGO_SECRET_KEY": lambda: secret_key.load_or_create(DATA_DIR),
    "DJANGO_ALLOWED_HOSTS": lambda: "127.0.0.1",
    public_url.ENV: lambda: "http://127.0.0.1:8000",
}
_added = [name for name in _defaults if not os.environ.get(name, "").strip()]
for _name in _added:
    os.environ[_name] = _defaults[_name]()
try:
    from .production import *  # noqa: E402,F401,F403
    from .production import ACADEMY_PUBLIC_URL  # noqa: E402
finally:
    for _name in _added:  # the process environment stays as it was
        os.environ.pop(_name, None)

ALLOWED_HOSTS = sorted({"127.0.0.1", "localhost", "[::1]", urlsplit(ACADEMY_PUBLIC_URL).hostname})
CSRF_TRUSTED_ORIGINS = [ACADEMY_PUBLIC_URL]
SECURE_SSL_REDIRECT = False
SECURE_PROXY_SSL_HEADER = None
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
DEMO_CONTENT_ALLOWED = True
