"""Sonar's one settings module, read from the environment.

Every variable is documented in the README ("Configuration"); a test fails when a variable read
here is missing from it. With no environment at all, a clone runs on SQLite under var/ so that
`make run` works on a fresh machine with nothing to configure.

A malformed value stops Sonar at start-up with the variable's name (ImproperlyConfigured), rather
than being read as something else: `DEBUG=yes please` is neither on nor off. Reading this module
writes nothing; var/ and its secret key are prepared by the commands (sonar/vardir.py).
"""

import logging
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sonar import vardir
from sonar.core import baseurl
from sonar.environment import env, envbool, envint, envurl

BASE_DIR = vardir.BASE_DIR
VAR_DIR = vardir.path()

# From the environment, else the key `sonar migrate` or `sonar serve` keeps in var/. A process
# started otherwise with neither (a bare test run) gets a key of its own, kept nowhere.
SECRET_KEY = env("SECRET_KEY") or vardir.secret_key() or secrets.token_urlsafe(50)
DEBUG = envbool("DEBUG", False)

# Where every absolute link starts (share links, QR codes, e-mails, workshop links): this, or,
# when it is not set, the address `make run` and `sonar serve` listen on (HOST, PORT).
SONAR_BASE_URL = envurl(
    "SONAR_BASE_URL",
    baseurl.derive({"HOST": env("HOST"), "PORT": str(envint("PORT", 8000, least=1))}),
    ("http", "https"),
).rstrip("/")
_base = urlsplit(SONAR_BASE_URL)
if not _base.hostname:
    raise ImproperlyConfigured("SONAR_BASE_URL must name a host, as in https://sonar.example.fr")
# HTTPS is on when the public address is https: the secure cookies, HSTS and redirect follow it.
HTTPS = _base.scheme == "https"

ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "").split(",") if h.strip()]
if _base.hostname and _base.hostname not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_base.hostname)
for _local in ("127.0.0.1", "localhost", "[::1]"):
    if _local not in ALLOWED_HOSTS and not HTTPS:
        ALLOWED_HOSTS.append(_local)
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"] if _base.netloc else []

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "sonar.core",
    "sonar.quiz",
    "sonar.atlas",
    "sonar.workshops",
    "sonar.accounts",
    "axes",
    "sonar.journeys",
    "sonar.logbook",
]

MIDDLEWARE = [
    # First: answers and keeps whole pages for visitors without a session, as every other
    # middleware leaves them (sonar/core/pagecache.py; answered before Django under
    # `sonar serve` by sonar/core/frontcache.py).
    "sonar.core.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "sonar.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Late, yet before anything reads a body (views and CSRF’s process_view run after it).
    "sonar.core.middleware.BodySizeLimitMiddleware",
    # Then text no form can hold (NUL, control characters), refused wherever it enters.
    "sonar.core.middleware.MalformedTextMiddleware",
    "sonar.core.middleware.FrenchErrorPagesMiddleware",
    # Last, as django-axes asks: it turns a refused log-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sonar.urls"
WSGI_APPLICATION = "sonar.wsgi.application"
ASGI_APPLICATION = "sonar.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sonar" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sonar.core.context_processors.site",
                "sonar.accounts.context_processors.account",
            ],
        },
    }
]

# Storage. SQLite is the default so that a clone runs with nothing to install or configure; WAL
# lets readers work while one writer writes, IMMEDIATE transactions and a busy timeout make a
# second writer wait instead of failing with "database is locked".
DATABASE_URL = env("DATABASE_URL").strip()
if DATABASE_URL:
    # No persistent connections: under ASGI (`sonar serve`) each request has a connection of its
    # own that is never reused, so kept-open ones pile up until PostgreSQL refuses clients (seen
    # with two processes in bench/workshop.py). Django's docs say to disable them under ASGI.
    try:
        _database = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL (postgres://user:password@host:5432/name): {error}"
        ) from None
    if not _database.get("ENGINE") or not _database.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL must name an engine and a database, as in "
            "postgres://user:password@host:5432/name"
        )
    DATABASES = {"default": _database}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Optional: psycopg's connection pool (Django 5.1+), at most this many connections per
    # process, reused across requests. Measured under a live workshop in bench/workshop.py
    # (README, "Performance"); off by default.
    pool_size = envint("SONAR_DB_POOL_SIZE", 0, least=0)
    if pool_size > 0 and "postgresql" in DATABASES["default"]["ENGINE"]:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": pool_size,
            # A request waits this long for a free connection, then fails (a 503).
            "timeout": 10,
        }
else:
    DATABASES = {
        "default": {
            # Django's, with one process's writers queueing (sonar/core/sqlite/base.py).
            "ENGINE": "sonar.core.sqlite",
            "NAME": VAR_DIR / "sonar.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests in memory, as Django does for its own SQLite backend (pytest-django looks
            # for that backend's name to know).
            "TEST": {"NAME": ":memory:"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL").strip() and envurl("REDIS_URL", "", ("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis away is a cache miss, not an error (sonar/core/cache.py).
            "BACKEND": "sonar.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sonar",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Counters, drawings and cards (kept pages have a store of their own:
            # sonar/core/pagecache.py).
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }

# Pages for visitors without a session (most visits) are kept whole in this cache for this many
# seconds; any edit of the reference content forgets them at once (sonar/core/pagecache.py).
# 0 turns it off.
SONAR_PAGE_CACHE_SECONDS = envint("SONAR_PAGE_CACHE_SECONDS", 600, least=0)

# Sessions hold a visitor's quiz answers (no account needed); kept in the database so a refresh
# or a restart loses nothing.
# (Django's database sessions, a malformed key taken as no session: sonar/core/sessions.py.)
SESSION_ENGINE = "sonar.core.sessions"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "core:home"

# Axes first: it counts failed log-ins and refuses them once an account is locked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the user of each page read in one statement.
    "sonar.accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A confirmation link sent at sign-up works for this long (a password reset link: three days,
# Django's default).
ACCOUNT_CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 3

# Log-in rate limiting (django-axes). Failures are counted per pair of account and network
# address: someone guessing one account's password from one address is stopped after
# AXES_FAILURE_LIMIT tries, while the other agents of a city hall, who share one public address
# behind its NAT, can still log in to their own accounts, and the account's owner can still log
# in from elsewhere (locking by account alone would let anyone lock anybody out; by address
# alone, one typo-prone colleague would lock out the whole building). The lock lifts by itself
# after the cool-off; a successful log-in clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sonar.accounts.views_signin.locked_out"
# The log-in form's field is Django's "username" (it holds the e-mail address).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "sonar.accounts.views_signin.attempted_email"
# The address is the client's network (an IPv6 client is its /64: sonar/core/clients.py), as
# `sonar serve` reports it (it trusts X-Forwarded-For only from the proxies in
# FORWARDED_ALLOW_IPS: sonar/serving.py). Only failed attempts are kept, not a log of
# every log-in.
AXES_CLIENT_IP_CALLABLE = "sonar.core.clients.client_key"
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sonar" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("SONAR_STATIC_MANIFEST", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0

# Bodies: forms and API payloads are small; anything larger is refused with 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("SONAR_MAX_BODY_BYTES", 256 * 1024, least=1024)
API_MAX_BODY_BYTES = 64 * 1024

# Security headers. The CSP forbids inline scripts: every script is a file under /static/.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Features Sonar never uses, turned off for its pages and anything they would embed. Only
# directives of the current registry: browsers warn about the others (interest-cohort, FLoC's,
# was dropped in 2022); tests/core/test_security.py checks the list.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if HTTPS:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # Behind the metropole's proxy, which terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, least=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_FAILURE_VIEW = "sonar.core.views.csrf_failure"
# HSTS preload is a choice for the deploying organisation, not ours to make for it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# E-mail: printed on the console by default (development); set EMAIL_HOST to send through an
# SMTP server (EMAIL_BACKEND is then SMTP unless it says otherwise). Tests capture it in
# mail.outbox.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = envint("EMAIL_PORT", 25, least=1)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "sonar@localhost")

LOG_LEVEL = env("LOG_LEVEL", "INFO").strip().upper() or "INFO"
if not isinstance(logging.getLevelName(LOG_LEVEL), int):
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # WeasyPrint logs each step of every PDF at INFO ("Step 1 - Fetching…"), and fontTools
        # each font it subsets: their warnings and errors are enough.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Reference content (YAML) loaded by `sonar load-content`.
SONAR_CONTENT_DIR = Path(env("SONAR_CONTENT_DIR", str(BASE_DIR / "content")))

# Workshops: participants' raw answers are deleted this many days after the workshop was
# created (`sonar purge`, also run once a day by the site itself); the aggregates are kept.
SONAR_WORKSHOP_RETENTION_DAYS = envint("SONAR_WORKSHOP_RETENTION_DAYS", 90, least=1)
