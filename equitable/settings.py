"""Django settings for Equitable.

Everything that differs between a laptop demo and a council's production server comes from the
environment (see docs/operations.md). The data directory holds the SQLite database, the secret
key, the incident encryption key, uploads and logs, so that one folder is one installation.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from csp.constants import NONCE

from equitable.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_json_object,
    env_list,
    env_networks,
    env_path,
    env_str,
)
from equitable.files.key_files import ensure_secret_file

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = env_path("EQUITABLE_DATA_DIR", PROJECT_DIR / "var")
PRODUCTION = env_str("EQUITABLE_ENV", "development") == "production"


def _secret_key() -> str:
    """Read the key from the environment, or keep a generated one in the data directory."""
    from_env = env_str("EQUITABLE_SECRET_KEY")
    if from_env:
        return from_env
    if PRODUCTION:
        raise ConfigurationError("EQUITABLE_SECRET_KEY must be set in production")
    return ensure_secret_file(DATA_DIR / "keys" / "secret_key", lambda: secrets.token_urlsafe(50))


def _database() -> dict:
    """PostgreSQL from DATABASE_URL when given; otherwise SQLite in the data directory."""
    url = env_str("DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "equitable.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": None},
        }
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ConfigurationError(f"DATABASE_URL must be a postgresql:// URL, not {parsed.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": env_int("EQUITABLE_DB_CONN_MAX_AGE", 60, minimum=0),
    }


SECRET_KEY = _secret_key()
# Off unless a developer asks (EQUITABLE_DEBUG=true or `equitable demo --debug`): the demo and
# `serve` then show what a council will get, never Django's debug pages.
DEBUG = env_bool("EQUITABLE_DEBUG", False)
ALLOWED_HOSTS = env_list("EQUITABLE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])


def _trusted_origins() -> list[str]:
    origins = env_list("EQUITABLE_CSRF_TRUSTED_ORIGINS", [])
    for origin in origins:
        if not origin.startswith(("https://", "http://")):
            raise ConfigurationError(
                "EQUITABLE_CSRF_TRUSTED_ORIGINS must list origins with their scheme, like "
                f"https://equitable.example.gov.uk, not {origin!r}"
            )
    return origins


CSRF_TRUSTED_ORIGINS = _trusted_origins()

# --- Behind the TLS reverse proxy (docs/operations.md, "Reverse proxy") ---------------------
# waitress believes the X-Forwarded-* headers only from these peer addresses, and takes the
# client address from the last EQUITABLE_TRUSTED_PROXY_COUNT hops of X-Forwarded-For; from any
# other peer it deletes them. The scheme (https) then reaches Django as wsgi.url_scheme, so
# Django reads no proxy header itself (SECURE_PROXY_SSL_HEADER and USE_X_FORWARDED_HOST stay
# off): under a server that did not clear them, any client could claim https or a host.
PROXY_HEADERS = {
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-forwarded-port",
    "x-forwarded-by",
    "forwarded",
}


def _trusted_proxy_headers(proxies: list) -> list[str]:
    headers = [h.lower() for h in env_list("EQUITABLE_TRUSTED_PROXY_HEADERS", [])] or [
        "x-forwarded-for",
        "x-forwarded-proto",
    ]
    unknown = sorted(set(headers) - PROXY_HEADERS)
    if unknown:
        raise ConfigurationError(
            f"EQUITABLE_TRUSTED_PROXY_HEADERS: {', '.join(unknown)} unknown; choose from "
            + ", ".join(sorted(PROXY_HEADERS))
        )
    if "forwarded" in headers and len(set(headers)) > 1:
        raise ConfigurationError(
            "EQUITABLE_TRUSTED_PROXY_HEADERS: trust either forwarded or X-Forwarded-* headers"
        )
    if proxies and not {"x-forwarded-proto", "forwarded"} & set(headers):
        raise ConfigurationError(
            "EQUITABLE_TRUSTED_PROXY_HEADERS must include x-forwarded-proto (or forwarded): "
            "without it every request behind the proxy looks like plain http"
        )
    return headers


EQUITABLE_TRUSTED_PROXIES = env_networks("EQUITABLE_TRUSTED_PROXY")
if env_str("EQUITABLE_TRUSTED_PROXY_COUNT") and not EQUITABLE_TRUSTED_PROXIES:
    raise ConfigurationError(
        "EQUITABLE_TRUSTED_PROXY_COUNT has no meaning without EQUITABLE_TRUSTED_PROXY"
    )
EQUITABLE_TRUSTED_PROXY_COUNT = env_int("EQUITABLE_TRUSTED_PROXY_COUNT", 1, minimum=1)
EQUITABLE_TRUSTED_PROXY_HEADERS = _trusted_proxy_headers(EQUITABLE_TRUSTED_PROXIES)
if PRODUCTION and not EQUITABLE_TRUSTED_PROXIES:
    raise ConfigurationError(
        "EQUITABLE_TRUSTED_PROXY must be set in production: the address the TLS reverse proxy "
        "connects from (for example 127.0.0.1); see docs/operations.md"
    )
SECURE_PROXY_SSL_HEADER = None
USE_X_FORWARDED_HOST = False
USE_X_FORWARDED_PORT = False

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django Ninja's documented switch for serving /api/docs from its own bundled Swagger UI
    # static files instead of a CDN (which the CSP blocks): docs/decisions.md.
    "ninja",
    "equitable.core",
    "equitable.workforce",
    "equitable.standard",
    "equitable.actions",
    "equitable.incidents",
    "equitable.lifecycle",
    "equitable.surveys",
    "equitable.service_users",
    "equitable.eqia",
    "equitable.mentoring",
    "equitable.training",
    "equitable.programmes",
    "equitable.publications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "equitable.core.middleware.NoStoreForSignedInMiddleware",
    "equitable.core.request_memo.RequestMemoMiddleware",
]

ROOT_URLCONF = "equitable.urls"
WSGI_APPLICATION = "equitable.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "equitable.jinja2env.environment",
            "autoescape": True,
            # Set explicitly, whatever DEBUG says: an undefined name is an error in development
            # and tests, and renders blank (logged) in production; see equitable/jinja2env.py.
            "undefined": (
                "equitable.jinja2env.LoggedUndefined"
                if PRODUCTION
                else "equitable.jinja2env.StrictUndefined"
            ),
        },
    },
    {
        # Only for Django's own built-in templates (e.g. form widgets); our pages are Jinja2.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    },
]
FORM_RENDERER = "django.forms.renderers.DjangoTemplates"

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:sign-in"
LOGIN_REDIRECT_URL = "core:home"
# Password checks only; guessing is slowed by the sign-in view (equitable/core/auth.py).
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling, not lockout (equitable/core/auth.py, docs/operations.md): wrong passwords
# per account and client before each attempt waits (1, 2, 4 … s), and per address an hour.
EQUITABLE_SIGN_IN_FREE_FAILURES = env_int("EQUITABLE_SIGN_IN_FREE_FAILURES", 3, minimum=1)
EQUITABLE_SIGN_IN_ADDRESS_FAILURES = env_int("EQUITABLE_SIGN_IN_ADDRESS_FAILURES", 50, minimum=5)

# Sessions: short-lived, HTTP-only, same-site; secure cookies and HSTS in production.
SESSION_COOKIE_AGE = env_int("EQUITABLE_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_FAILURE_VIEW = "equitable.core.errors.csrf_failure"  # our design, not Django's plain page
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("EQUITABLE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # a proxy's health check may come over plain http
SECURE_HSTS_SECONDS = env_int("EQUITABLE_HSTS_SECONDS", 31536000, minimum=0) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # "no-referrer" makes Chrome send Origin: null, failing CSRF
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4): no third-party sources anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static" / "build"]
(BASE_DIR / "static" / "build").mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "uploads"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Larger signed-in uploads (HR extracts) are spooled here, not in /tmp, so that the start-up
# clean-up (core.runtime.recover_interrupted_work) removes what a killed server left. The
# anonymous channel never spools: its views keep uploads in memory (incidents/anonymity.py) and
# waitress keeps its bodies in memory (core/server.py).
FILE_UPLOAD_TEMP_DIR = MEDIA_ROOT / "tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
DATA_UPLOAD_MAX_NUMBER_FILES = 10
EQUITABLE_MAX_IMPORT_BYTES = env_int("EQUITABLE_MAX_IMPORT_BYTES", 200 * 1024 * 1024, minimum=1)
# Workforce extracts larger than this are processed in a background thread with a progress page.
EQUITABLE_IMPORT_BACKGROUND_BYTES = env_int(
    "EQUITABLE_IMPORT_BACKGROUND_BYTES", 2 * 1024 * 1024, minimum=0
)

# Shared state for several web processes (rate limits, sign-in throttling, cached figures):
# Redis when set, e.g. redis://127.0.0.1:6379/0; otherwise each process's own memory, which is
# right for one process (the embedded default, `make demo`).
EQUITABLE_REDIS_URL = env_str("EQUITABLE_REDIS_URL")
if EQUITABLE_REDIS_URL:
    if not EQUITABLE_REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigurationError(
            "EQUITABLE_REDIS_URL must start with redis://, rediss:// or unix://"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": EQUITABLE_REDIS_URL,
            "KEY_PREFIX": "equitable",
        }
    }
# Where imports run: "thread" (a thread of the web process: the embedded default) or "queue"
# (RQ on EQUITABLE_REDIS_URL, served by `equitable worker`): docs/operations.md.
EQUITABLE_JOBS = env_str("EQUITABLE_JOBS", "thread")
if EQUITABLE_JOBS not in ("thread", "queue"):
    raise ConfigurationError(f"EQUITABLE_JOBS must be thread or queue, not {EQUITABLE_JOBS!r}")
if EQUITABLE_JOBS == "queue" and not EQUITABLE_REDIS_URL:
    raise ConfigurationError("EQUITABLE_JOBS=queue needs EQUITABLE_REDIS_URL")

# Compute and store every protected table after an import, in the job queue, instead of in
# the first reader's request (equitable/core/warmup.py).
EQUITABLE_WARM_FIGURES = env_bool("EQUITABLE_WARM_FIGURES", True)

EQUITABLE_REPORT_RATE_LIMIT = env_int("EQUITABLE_REPORT_RATE_LIMIT", 30, minimum=1)
EQUITABLE_ID_HASH_KEY_FILE = DATA_DIR / "keys" / "employee_id.key"

# Single sign-on (OpenID Connect, e.g. Microsoft Entra ID): see docs/sso.md. Off unless the
# issuer and client id are both set.
EQUITABLE_OIDC_ISSUER = env_str("EQUITABLE_OIDC_ISSUER")
EQUITABLE_OIDC_CLIENT_ID = env_str("EQUITABLE_OIDC_CLIENT_ID")
EQUITABLE_OIDC_CLIENT_SECRET = env_str("EQUITABLE_OIDC_CLIENT_SECRET")
EQUITABLE_OIDC_ORGANISATION = env_str("EQUITABLE_OIDC_ORGANISATION")  # slug signed into
EQUITABLE_OIDC_LABEL = env_str("EQUITABLE_OIDC_LABEL") or "Sign in with your council account"
# Optional: roles (and champions' directorates) from the `groups` claim, as JSON objects mapping
# a group id to a role value or a directorate name (docs/sso.md).
EQUITABLE_OIDC_GROUP_ROLES = env_json_object("EQUITABLE_OIDC_GROUP_ROLES")
EQUITABLE_OIDC_GROUP_DIRECTORATES = env_json_object("EQUITABLE_OIDC_GROUP_DIRECTORATES")

LOG_DIR = DATA_DIR / "logs"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_client_details": {"()": "equitable.core.logging.DropClientDetails"},
        "no_reporting_channel": {"()": "equitable.incidents.logfilter.RedactReportingChannel"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_client_details", "no_reporting_channel"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("EQUITABLE_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's request/server loggers name the path and sometimes the client; keep them quiet
        # and filtered so that nothing about a reporter reaches the logs.
        "django.request": {"level": "ERROR", "filters": ["no_client_details"]},
        "django.server": {"level": "ERROR", "filters": ["no_client_details"]},
        "waitress": {"level": "ERROR", "filters": ["no_client_details"]},
    },
}
if env_bool("EQUITABLE_LOG_TO_FILE", True):
    LOGGING["handlers"]["file"] = {  # type: ignore[index]
        "class": "equitable.core.logging.DataDirFileHandler",
        "formatter": "plain",
        "filters": ["no_client_details", "no_reporting_channel"],
    }
    LOGGING["root"]["handlers"].append("file")  # type: ignore[index]

NINJA_PAGINATION_PER_PAGE = 100

# E-mail (action reminders, password resets). The console backend writes messages to the log in
# development and the demo; production sets EQUITABLE_SMTP_HOST and gets SMTP (STARTTLS by
# default). The test runner swaps in Django's in-memory backend (django.core.mail.outbox).
EQUITABLE_SMTP_HOST = env_str("EQUITABLE_SMTP_HOST")
if EQUITABLE_SMTP_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = EQUITABLE_SMTP_HOST
    EMAIL_PORT = env_int("EQUITABLE_SMTP_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EQUITABLE_SMTP_USER")
    EMAIL_HOST_PASSWORD = env_str("EQUITABLE_SMTP_PASSWORD")
    EMAIL_USE_TLS = env_bool("EQUITABLE_SMTP_STARTTLS", True)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("EQUITABLE_FROM_EMAIL", "equitable@localhost")
# The address in links sent by e-mail; in production, unless set, the first allowed host
# over https (production must name its hosts), so a reset link never points at localhost.
EQUITABLE_SITE_URL = env_str(
    "EQUITABLE_SITE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://127.0.0.1:8000",
)
