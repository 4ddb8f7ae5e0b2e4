"""Settings shared by every environment; dev, test and prod refine them."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "simple_history",
    "django_filters",
    "axes",
    # Background work (import runs): Django's tasks API (django.tasks in
    # Django 6) with its database backend, so a worker needs no other server.
    "django_tasks",
    "django_tasks_db",
    "articles",
    "people",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compressed responses, and an ETag on each so a client that has the
    # page gets a 304 (feeds, sitemap and API also send Last-Modified).
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its response.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks the lock before Django checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Content-Security-Policy (django-csp; Django 5.2 has none of its own): scripts
# and styles only from this site's files, so a script that slipped into a
# page's text could not run even if escaping failed.  Templates hold no
# inline script, style or event handler.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
            ],
        },
    },
]

# The embedded default is a SQLite file beside manage.py, so a fresh machine
# needs no server; production sets DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; the timeout rides out
    # the short write locks of a concurrent import.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded page files wait here for their import run (never served).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Import runs are queued in the database and run by `manage.py db_worker`;
# several workers (on several machines) can share one PostgreSQL database.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A running import not heard from for this long was killed: shown as
# interrupted, with its files not done.
NEWSROOM_RUN_STALE_SECONDS = int(os.environ.get("NEWSROOM_RUN_STALE_SECONDS", "120"))
# Staff upload a month or a year of pages at once (a year is ~1,500 page
# files); Django's default of 100 files a request refused a 300-page upload
# with a bare 400.
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("NEWSROOM_MAX_UPLOAD_FILES", "2000"))
# Each uploaded file over this goes to a temporary file, not memory, and is
# copied to media storage from there in chunks: a text page (~20 KB) stays
# in memory, a PDF page (1–5 MB) does not — Django's 2.5 MB would keep a
# year of PDF pages in the request's memory at once.
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# Page originals (PDF, scans) and their rendered pictures.  Local disk by
# default, served by the web server (or by `runserver` in development); see
# the README for object storage with django-storages.
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))

# Tag slugs keep their Chinese characters: /tags/扶贫/ reads better than a
# transliteration and is what readers type.
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = False

# Admin logins (django-axes, see newsroom/login.py): this many failures for
# one user name from one address lock that pair out for the window.
NEWSROOM_LOGIN_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", "5"))
NEWSROOM_LOGIN_FAILURE_WINDOW = int(
    os.environ.get("NEWSROOM_LOGIN_FAILURE_WINDOW", "900")
)
# Addresses of the reverse proxies in front of gunicorn (comma-separated,
# e.g. 127.0.0.1): only requests from them may name the client's address in
# X-Forwarded-For.  Empty: the connecting address is the client's.
NEWSROOM_TRUSTED_PROXIES = [
    a.strip()
    for a in os.environ.get("NEWSROOM_TRUSTED_PROXIES", "").split(",")
    if a.strip()
]
AXES_FAILURE_LIMIT = NEWSROOM_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=NEWSROOM_LOGIN_FAILURE_WINDOW)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "newsroom.login.username"
AXES_CLIENT_IP_CALLABLE = "newsroom.login.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.login.locked_out"
AXES_RESET_ON_SUCCESS = True

# A file cache is shared by every gunicorn worker on the host, so the login
# throttle and cached public pages hold across processes.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache")) + "/default",
        "TIMEOUT": 300,
    },
    # Rendered public pages; cleared whenever what the public sees changes.
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache")) + "/pages",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
# Public pages are cached this many seconds (articles/pagecache.py says when
# a change makes them out of date).
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "60"))
# Articles a publishing import adds reach the lists within this many seconds.
NEWSROOM_LISTING_DELAY = int(os.environ.get("NEWSROOM_LISTING_DELAY", "5"))

# Page files larger than this are refused: a real page is 10-60 KB of text.
NEWSROOM_MAX_PAGE_BYTES = int(os.environ.get("NEWSROOM_MAX_PAGE_BYTES", 2_000_000))
# A PDF or scan of a printed page is larger: a few MB.
NEWSROOM_MAX_ORIGINAL_BYTES = int(
    os.environ.get("NEWSROOM_MAX_ORIGINAL_BYTES", 50_000_000)
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
