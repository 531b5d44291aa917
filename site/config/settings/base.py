"""Settings shared by every environment.

Environment variables:
  ACADEMY_DATA_DIR   folder for the SQLite database, media, the search index and collected
                     static files (default: ./data)
  ACADEMY_PUBLIC_URL the site's public address, printed on certificates and in e-mailed links
                     (default: http://127.0.0.1:8000, what `make run` serves; required in production)
  DATABASE_URL       e.g. postgres://user:pass@host/db; SQLite in the data folder when unset
  SESSION_IDLE_SECONDS  idle timeout of a session (default 1800)
  LOGIN_LOCKOUT_ATTEMPTS / LOGIN_LOCKOUT_MINUTES  failed logins from one address before that address is
                     locked out of the user name, and for how long at first (officers.auth)
  LOGIN_USER_THROTTLE_ATTEMPTS / LOGIN_USER_THROTTLE_MINUTES  failed logins for a user name from all
                     addresses together before new addresses are refused for it
  ACADEMY_SEARCH_BACKEND  whoosh (default) or postgres (search index in the PostgreSQL database)
  ACADEMY_APP_SERVERS  app servers sharing the database (default 1); above 1 requires the postgres
                     search backend and a shared media store
  ACADEMY_CACHE      local (default: Django's and Wagtail's cache per process; rate-limit counters
                     are always in the database) or database: that cache in the database too
  ACADEMY_TRUSTED_PROXIES  comma-separated addresses/networks of the reverse proxies in front
                     (default none); only through them is X-Forwarded-For read (officers.audit.client_ip)
"""
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from config import public_url

SITE_DIR = Path(__file__).resolve().parent.parent.parent  # site/
BASE_DIR = SITE_DIR.parent  # repository root
DATA_DIR = Path(os.environ.get("ACADEMY_DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "portal",
    "officers",
    "casebank",
    "courses",
    "exams",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.admin_access.AdminAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "officers.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite in the data folder, tuned for concurrent use: WAL journal, a busy
# timeout, and IMMEDIATE transactions so writers queue instead of failing
# with "database is locked" when a read transaction upgrades to a write.
SQLITE_PATH = DATA_DIR / "academy.sqlite3"
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # sqlite:///path: the same tuning
        DATABASES["default"].update(CONN_MAX_AGE=0, OPTIONS=dict(SQLITE_OPTIONS))
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------
AUTHENTICATION_BACKENDS = ["officers.auth.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "officers:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "officers:login"
WAGTAILADMIN_LOGIN_URL = "officers:login"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
LOGIN_LOCKOUT_ATTEMPTS = int(os.environ.get("LOGIN_LOCKOUT_ATTEMPTS", 5))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", 15))
LOGIN_USER_THROTTLE_ATTEMPTS = int(os.environ.get("LOGIN_USER_THROTTLE_ATTEMPTS", 30))
LOGIN_USER_THROTTLE_MINUTES = int(os.environ.get("LOGIN_USER_THROTTLE_MINUTES", 60))
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
SESSION_COOKIE_AGE = 12 * 60 * 60
# Django's database sessions (shared by every app server), read without the ORM's query building.
SESSION_ENGINE = "officers.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SITE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media -------------------------------------------------------
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [SITE_DIR / "static"]
# collectstatic's output (served by WhiteNoise): beside the rest of what a deployment writes.
STATIC_ROOT = Path(os.environ.get("ACADEMY_STATIC_ROOT", DATA_DIR / "static")).resolve()
STATIC_URL = "/static/"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail ---------------------------------------------------------------
WAGTAIL_SITE_NAME = "执法学堂"
# The public address (config/public_url.py): certificates, QR codes, e-mailed links.
ACADEMY_PUBLIC_URL = public_url.parse(os.environ.get(public_url.ENV) or "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = ACADEMY_PUBLIC_URL
WAGTAIL_I18N_ENABLED = False
# Uploads (trainers upload into the 课程资料 and 案例资料 collections): raster images only (no SVG),
# PDF, Office documents and MP4 video. Documents pass courses.uploads.SafeDocumentForm: content
# must match the extension, at most 50 MB (MP4: 500 MB, the limit below, also checked in the
# browser before uploading). Documents are served through Django (collection privacy applies)
# as downloads, except videos, which the lesson's video player streams.
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "mp4"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 500 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "courses.uploads.SafeDocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["video/mp4", "video/webm"]  # webm: videos uploaded before MP4 only
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True

# --- Search ----------------------------------------------------------------
SEARCH_INDEX_DIR = DATA_DIR / "search-index"
# App servers sharing this database (behind a load balancer); more than one needs the
# PostgreSQL search backend (search.checks refuses Whoosh's per-machine index then).
ACADEMY_APP_SERVERS = int(os.environ.get("ACADEMY_APP_SERVERS", 1))
# whoosh (default: an index in the data folder of this machine) or postgres (the index in
# the PostgreSQL database, shared by every app server); search/README.md.
ACADEMY_SEARCH_BACKEND = os.environ.get("ACADEMY_SEARCH_BACKEND", "whoosh").strip().lower()
SEARCH_BACKEND_SETTINGS = {
    "whoosh": {"BACKEND": "search.backends.whoosh", "PATH": SEARCH_INDEX_DIR},
    "postgres": {"BACKEND": "search.backends.postgres"},
}
if ACADEMY_SEARCH_BACKEND not in SEARCH_BACKEND_SETTINGS:
    raise ValueError(f"ACADEMY_SEARCH_BACKEND must be one of {sorted(SEARCH_BACKEND_SETTINGS)}, "
                     f"not {ACADEMY_SEARCH_BACKEND!r}")
WAGTAILSEARCH_BACKENDS = {"default": SEARCH_BACKEND_SETTINGS[ACADEMY_SEARCH_BACKEND]}

# --- Product settings ---------------------------------------------------------
ACADEMY_BUREAU_NAME = os.environ.get("ACADEMY_BUREAU_NAME", "某市城市管理综合执法局")
# The bureau's province and city: their local regulations come first in the statute library and search,
# and a citation of another region's local regulation is noted as such. Default: the demo bureau's.
ACADEMY_PROVINCE = os.environ.get("ACADEMY_PROVINCE", "浙江省")
ACADEMY_CITY = os.environ.get("ACADEMY_CITY", "宁波市")
# The yearly training-hour minimum a new qualification type starts with. 60 学时 is attributed to
# 国办发〔2023〕27号 but was not verified against the published text, hence a setting.
ACADEMY_DEFAULT_ANNUAL_HOURS = int(os.environ.get("ACADEMY_DEFAULT_ANNUAL_HOURS", "60"))
# Processes rendering a bulk certificate download (ZIP) of at least CERTIFICATE_PARALLEL_MIN
# certificates; unset: the CPU count, at most 4. 1 renders in the web process itself.
CERTIFICATE_RENDER_PROCESSES = (int(os.environ["CERTIFICATE_RENDER_PROCESSES"])
                                if os.environ.get("CERTIFICATE_RENDER_PROCESSES") else None)
CERTIFICATE_PARALLEL_MIN = 200
DEMO_PASSWORD_DEFAULT = "Academy-Demo-2026"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"), "propagate": False},
        "academy": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Client addresses, shared counters ------------------------------------------
# The reverse proxies in front of the app servers (addresses or networks). Only a
# request whose peer is one of them has its X-Forwarded-For read (right-most hop
# that is not a trusted proxy); elsewhere the header is ignored. Name the proxies
# themselves, never the network the clients are on.
ACADEMY_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("ACADEMY_TRUSTED_PROXIES", "").split(",") if p.strip()]
CACHES = {
    # Per process: Wagtail's and Django's own small caches.
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared by every worker and host (a table in the project's database, created by
    # migrate): rate-limit counters (officers.ratelimit).
    "shared": {
        "BACKEND": "officers.ratelimit.SharedDatabaseCache",
        "LOCATION": "academy_shared_cache",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
# ACADEMY_CACHE=database: Wagtail's and Django's caches in the same table too, so that several
# app servers never serve each other's stale entries (Redis: set CACHES["default"] in a
# settings module of the deployment).
ACADEMY_CACHE = os.environ.get("ACADEMY_CACHE", "local").strip().lower()
if ACADEMY_CACHE == "database":
    CACHES["default"] = {**CACHES["shared"], "KEY_PREFIX": "site"}
elif ACADEMY_CACHE != "local":
    raise ValueError(f"ACADEMY_CACHE must be local or database, not {ACADEMY_CACHE!r}")
RATE_LIMIT_CACHE = "shared"
VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30/m")

# Content-Security-Policy (django-csp through portal.middleware): one policy for the site
# and one for Wagtail's admin. Everything is served from this origin: bureau intranets
# often have no internet. The site runs scripts only from its static files (no inline
# script, no inline event handler); Wagtail's admin writes inline scripts (inline panels,
# date pickers), so /cms/ alone allows them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "script-src": [SELF, UNSAFE_INLINE]},
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

