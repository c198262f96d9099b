"""Sonar's one settings module, read from the environment.

Every variable is documented in the README ("Configuration"); a test fails when a variable read
here is missing from it. With no environment at all, a clone runs on SQLite under var/ so that
`make run` works on a fresh machine with nothing to configure.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from sonar.core import baseurl

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def envbool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


VAR_DIR = Path(env("SONAR_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key():
    """The SECRET_KEY comes from the environment; without one, a key is generated once and kept
    under var/ so that sessions survive a restart. It is never committed (var/ is ignored)."""
    if key := env("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)

# Where every absolute link starts (share links, QR codes, e-mails, workshop links): this, or,
# when it is not set, the address `make run` and `sonar serve` listen on (HOST, PORT).
SONAR_BASE_URL = baseurl.derive(
    {"SONAR_BASE_URL": env("SONAR_BASE_URL"), "HOST": env("HOST"), "PORT": env("PORT")}
)
_base = urlsplit(SONAR_BASE_URL)
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
    # First: keeps the final response of pages kept for visitors without a session, which
    # sonar/core/frontcache.py then serves before Django under `sonar serve`.
    "sonar.core.frontcache.FrontCacheMiddleware",
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
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    # No persistent connections: under ASGI (`sonar serve`) each request has a connection of its
    # own that is never reused, so kept-open ones pile up until PostgreSQL refuses clients (seen
    # with two processes in bench/workshop.py). Django's docs say to disable them under ASGI.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Optional: psycopg's connection pool (Django 5.1+), at most this many connections per
    # process, reused across requests. Measured under a live workshop in bench/workshop.py
    # (README, "Performance"); off by default.
    pool_size = envint("SONAR_DB_POOL_SIZE", 0)
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

REDIS_URL = env("REDIS_URL")
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
            # Kept pages (two entries each, see sonar/core/pagecache.py) and counters.
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }

# Pages for visitors without a session (most visits) are kept whole in this cache for this many
# seconds; any edit of the reference content forgets them at once (sonar/core/pagecache.py).
# 0 turns it off.
SONAR_PAGE_CACHE_SECONDS = envint("SONAR_PAGE_CACHE_SECONDS", 600)

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
    "django.contrib.auth.backends.ModelBackend",
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
# FORWARDED_ALLOW_IPS: sonar/core/serving.py). Only failed attempts are kept, not a log of
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
STATIC_ROOT.mkdir(exist_ok=True)
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
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("SONAR_MAX_BODY_BYTES", 256 * 1024)
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
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
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
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "sonar@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Reference content (YAML) loaded by `sonar load-content`.
SONAR_CONTENT_DIR = Path(env("SONAR_CONTENT_DIR", str(BASE_DIR / "content")))

# Workshops: participants' raw answers are deleted this many days after the workshop was
# created (`sonar purge`, also run once a day by the site itself); the aggregates are kept.
SONAR_WORKSHOP_RETENTION_DAYS = envint("SONAR_WORKSHOP_RETENTION_DAYS", 90)
