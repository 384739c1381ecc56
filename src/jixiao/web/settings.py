"""Django settings of the jixiao web application, read from the environment.

``JIXIAO_DATABASE_URL``   database (dj-database-url syntax); default: SQLite file ``var/jixiao.sqlite3``
                          under the current directory
``JIXIAO_SECRET_KEY``     secret key; required outside DEBUG and the demo (the server refuses to start)
``JIXIAO_DEBUG``          "1"/"true" for debug pages (default: off)
``JIXIAO_ALLOWED_HOSTS``  comma-separated host names (default: localhost, 127.0.0.1, [::1])
``JIXIAO_MAX_UPLOAD_BYTES`` largest accepted upload or API body (default 5 MB)
``JIXIAO_CSRF_TRUSTED_ORIGINS`` comma-separated origins behind a proxy (optional)
``JIXIAO_SESSION_IDLE_MINUTES`` a session ends after this long without a request (default 30)
``JIXIAO_SECURE_COOKIES`` "0" to send cookies over plain HTTP outside DEBUG and the demo (default: secure)
``JIXIAO_HSTS_SECONDS``   Strict-Transport-Security max-age when cookies are secure (default one year)
``JIXIAO_TOKEN_TTL_HOURS`` lifetime of an API token (default 24)
``JIXIAO_TRUSTED_PROXIES`` reverse proxies in front that append to X-Forwarded-For (default 0)
``JIXIAO_ANON_RATE``, ``JIXIAO_ANON_COMPUTE_RATE`` requests without sign-in per address (300/m, 30/m)
``JIXIAO_IMPORT_JOB_MIN`` an import of at least this many forms runs as a background job (default 50)
``JIXIAO_SCAN_JOB_PAGES`` an uploaded scan of at least this many pages is read by a background job (default 2)
``JIXIAO_LOGIN_MAX_FAILURES``, ``JIXIAO_LOGIN_LOCK_SECONDS`` sign-in lockout (default 5 failures, 900 s)
``JIXIAO_PEER_REVIEW``    "0" to review without the database's peer data (JX-A09, JX-A10, JX-R17; default on)
``JIXIAO_PAGE_CACHE``     "0"/"off" to render every list page and dashboard again instead of keeping them
                          under the data version (jixiao.web.page_cache; default on)
``JIXIAO_CACHE_DIR``      where those pages are kept (default ``var/cache/pages`` under the current directory)
``JIXIAO_PEER_REFRESH_SECONDS`` how often the peer figures are checked, and rebuilt, beside the requests (default 60; 0: on every read)
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from jixiao.domain.vocabulary import configured_region

BASE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = _flag("JIXIAO_DEBUG")
# Set by `jixiao demo`: a local demonstration on the loopback, plain HTTP, the development key.
DEMO = _flag("JIXIAO_DEMO")
# The development key only ever serves DEBUG and the demo: the WSGI entry point refuses to start
# without JIXIAO_SECRET_KEY otherwise (jixiao.services.startup), since anyone who reads the source could
# forge sessions, password-reset links and signed values with it.
DEVELOPMENT_SECRET_KEY = "jixiao-insecure-development-key-change-me-in-production"
SECRET_KEY = os.environ.get("JIXIAO_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = _list("JIXIAO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = _list("JIXIAO_CSRF_TRUSTED_ORIGINS", "")

# The region whose framework, review profile and scoring rules apply (jixiao.domain.vocabulary).
JIXIAO_REGION = configured_region(os.environ)

MAX_UPLOAD_BYTES = int(os.environ.get("JIXIAO_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
# Non-file request bodies larger than this are refused by Django itself (400, never a 500).
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 64 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000


def _default_database_url() -> str:
    var = Path.cwd() / "var"
    var.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var / 'jixiao.sqlite3'}"


DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("JIXIAO_DATABASE_URL") or _default_database_url(),
        conn_max_age=int(os.environ.get("JIXIAO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several gunicorn workers share one SQLite file: wait for the writer instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # A transaction that reads first and writes later cannot wait: SQLite refuses its upgrade to a
    # writer at once ("database is locked") when another worker wrote meanwhile (every request saves
    # the session). BEGIN IMMEDIATE takes the write lock up front, so the timeout above applies.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "ninja",  # serves Swagger UI from its own static files, not a CDN (intranets have none)
    "jixiao.db.accounts",
    "jixiao.db.declarations",
    "jixiao.db.evaluation",
    "jixiao.db.records",
    "jixiao.db.jobs",
    "jixiao.db.departments",
    "jixiao.db.exante",
    "django_tasks",
    "django_tasks_db",
    "jixiao.web.accounts",
    "jixiao.web.declarations",
    "jixiao.web.review",
    "jixiao.web.public",
    "jixiao.web.api",
    "jixiao.web.evaluation",
    "jixiao.web.records",
    "jixiao.web.departments",
]

MIDDLEWARE = [
    "jixiao.web.middleware.SecurityHeadersMiddleware",
    "jixiao.web.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jixiao.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jixiao.web.middleware.AnonymousLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jixiao.web.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it turns a lockout seen by any sign-in path (page, admin, API) into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jixiao.web.context.jixiao",
            ],
            "builtins": ["jixiao.web.templatetags.jx"],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# Django's default hasher list: PBKDF2 first.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sign-in lockout by django-axes, on every path that authenticates (the sign-in page, the admin's,
# the API's token endpoint): the backend refuses a locked pair before the password is checked.
# Failures count per (user name, client address): a stranger cannot lock a colleague out from
# another machine, and guessing one account from one machine stops after LOGIN_MAX_FAILURES.
# Names no account has share one bucket per address, failures during a lockout are not recorded
# and rows older than the cool-off are deleted: the table stays bounded (jixiao.web.accounts.lockout).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_MAX_FAILURES = int(os.environ.get("JIXIAO_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCK_SECONDS = int(os.environ.get("JIXIAO_LOGIN_LOCK_SECONDS", "900"))
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_LOCK_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "jixiao.web.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "jixiao.web.accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "jixiao.web.accounts.lockout.username_of"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "jixiao.web.middleware.client_ip"
# How many reverse proxies in front of the application append to X-Forwarded-For (0: none, the
# client is REMOTE_ADDR). Set it behind the bureau's proxy, or every user shares one address.
TRUSTED_PROXIES = int(os.environ.get("JIXIAO_TRUSTED_PROXIES", "0"))
RATELIMIT_ENABLE = _flag("JIXIAO_RATELIMIT", default=True)

# Requests without a signed-in session, per client address (jixiao.web.middleware).
ANON_READ_RATE = os.environ.get("JIXIAO_ANON_RATE", "300/m")
ANON_COMPUTE_RATE = os.environ.get("JIXIAO_ANON_COMPUTE_RATE", "30/m")
RATELIMIT_USE_CACHE = "default"

# The list pages and the dashboard kept under the data version (jixiao.web.page_cache): in files,
# so that the server's worker processes share them without a cache server.
PAGE_CACHE = os.environ.get("JIXIAO_PAGE_CACHE", "on").strip().lower() not in ("0", "off", "false", "no")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(os.environ.get("JIXIAO_CACHE_DIR") or (Path.cwd() / "var" / "cache" / "pages"))),
        # A kept page whose data changed is never served (its key is gone); these bound the files.
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 3000},
    },
}

API_TOKEN_TTL_SECONDS = int(float(os.environ.get("JIXIAO_TOKEN_TTL_HOURS", "24")) * 3600)

# Idle timeout (等保 2.0: 登录连接超时自动退出), enforced by jixiao.web.middleware.IdleTimeoutMiddleware
# from the time of the session's last request. The store keeps a session a working day longer, so
# that the first request after the timeout finds it and says why the user was signed out.
SESSION_IDLE_SECONDS = max(60, int(float(os.environ.get("JIXIAO_SESSION_IDLE_MINUTES", "30")) * 60))
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + 8 * 3600
# The session is written when it changes, not on every request: the middleware moves the time of
# the last request on once it is SESSION_TOUCH_SECONDS old (so the session and its cookie are
# renewed at least that often while the user works). A write on every request was an UPDATE and a
# COMMIT (a WAL flush) per page view, all twenty tabs of one user queueing on the one row.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = min(60, SESSION_IDLE_SECONDS // 10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Outside DEBUG and the demo the application runs behind the bureau's reverse proxy terminating
# TLS (README, production set-up): cookies only over HTTPS, and HSTS.
SESSION_COOKIE_SECURE = _flag("JIXIAO_SECURE_COOKIES", default=not (DEBUG or DEMO))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("JIXIAO_HSTS_SECONDS", str(365 * 24 * 3600)))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# The English of the web (templates, views, models, the admin) is Django's gettext catalogue
# jixiao/locale/en/LC_MESSAGES/django.po; msgids are the Chinese source text. Inside the package
# so that an installed wheel carries it; the .mo beside it is compiled by `make setup`.
LOCALE_PATHS = [BASE_DIR.parent / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("JIXIAO_STATIC_ROOT") or (Path.cwd() / "var" / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing directory
# The demo serves static files without collectstatic; production runs collectstatic (README).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIXIAO_LOG_LEVEL", "WARNING")},
}

# Long work (large imports) runs as jobs in django-tasks' database backend: the queue is a table of
# the application's own database (SQLite or PostgreSQL, no broker), worked by `jixiao worker`; several
# workers on several machines share one PostgreSQL.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMPORT_JOB_MIN = int(os.environ.get("JIXIAO_IMPORT_JOB_MIN", "50"))
# The review's peer rules and the 「指标对标」 page (jixiao.services.peers).
JIXIAO_PEER_REVIEW = os.environ.get("JIXIAO_PEER_REVIEW", "1").lower() not in ("0", "false", "no")
JIXIAO_PEER_REFRESH_SECONDS = float(os.environ.get("JIXIAO_PEER_REFRESH_SECONDS", "60"))
# A one-page scan is read inside the upload request (a few seconds, its page count shown); a longer
# one page by page in a job, so that no request waits for minutes of OCR.
SCAN_JOB_PAGES = int(os.environ.get("JIXIAO_SCAN_JOB_PAGES", "2"))
