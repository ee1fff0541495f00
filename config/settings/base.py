"""Settings shared by every environment, read from the environment.

Environment variables:
    DATABASE_URL   database to use; defaults to the SQLite file ``db.sqlite3`` so that
                   nothing has to be installed. PostgreSQL: ``postgres://user@host:5432/name``.
    DATABASE_REPLICA_URL  a streaming replica of that PostgreSQL database, from which the
                   dashboards and the report API read (``config/routers.py``); empty: none.
    SECRET_KEY     required in production (see ``production.py``).
    DEBUG          ``1``/``true`` to turn debugging on.
    ALLOWED_HOSTS  comma-separated host names.
    DASHBOARD_DEFAULT_UNIT  official code of the unit the dashboards open on, when it is in
                   the user's area; empty: the first unit of the user's area (for
                   administrators the first province-level unit) valid on the day shown.
    DASHBOARD_DEFAULT_DATE  YYYY-MM-DD day the dashboards open on; empty: today.
    SESSION_COOKIE_AGE  seconds a login lasts (default 8 hours);
                   SESSION_EXPIRE_AT_BROWSER_CLOSE  true (default) or false.
    AXES_FAILURE_LIMIT, AXES_COOLOFF_MINUTES, AXES_LOCKOUT_PARAMETERS  lockout after failed
                   logins (default: 5 failures, 15 minutes, per username and address).
    TRUSTED_PROXY_COUNT  reverse proxies in front of the server that add X-Forwarded-For
                   (default 0: the address of the connection is the client's).
    SECURE_PROXY_SSL_HEADER  ``X-Forwarded-Proto=https``: the header (and value) by which the
                   proxy says a request came over HTTPS; empty: none is trusted.
    LOG_LEVEL      level of the application's log (default INFO).
See README.md, *Hardening and deployment*.
"""

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    # Swagger UI's files served from here, not from a CDN (the CSP allows only 'self').
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "simple_history",
    "audit",
    "communes",
    "cadres",
    "rotation",
    "reports",
    # Roles and areas: who may see and change which records (see access/areas.py).
    "access",
    # backup_records and restore_records: the whole database in one file, and back.
    "backups",
    "synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files get the Content-Security-Policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Keeps the request for the audit trail: who, from where (see audit/).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"


def database_from_env(default_sqlite: Path, variable: str = "DATABASE_URL") -> dict:
    """The database named by ``variable`` (``DATABASE_URL``), or a local SQLite file."""
    url = env_str(variable, "")
    if not url:
        url = f"sqlite:///{default_sqlite}"
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{variable} is not a database URL: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite in WAL mode with a busy timeout copes with the admin and a runserver
        # writing at the same time.
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {}).update(
            {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
        )
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles a query whose estimated cost is high, as the recursive
        # queries over the units' lineage are on tables not yet analysed: tens of
        # milliseconds spent compiling a query that runs in one. The application's queries
        # are short, so it is off for its connections (DATABASE_URL may not set options).
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


DATABASES = {"default": database_from_env(BASE_DIR / "db.sqlite3")}
# A read replica for the dashboards and the report API (config/routers.py), with the default
# database's connection options; without DATABASE_REPLICA_URL, no alias and no router. In
# tests it mirrors the test database (a standby takes no writes, and has no test database).
DATABASE_ROUTERS: list[str] = []
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **database_from_env(BASE_DIR / "db.sqlite3", variable="DATABASE_REPLICA_URL"),
        "TEST": {"MIRROR": "default"},
    }
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must name a replica of DATABASE_URL's database."
        )
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out login before the password is even checked.
# It needs the request, so tests log in with force_login (or login(request=HttpRequest(), …)).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --------------------------------------------------------------------------- login lockout
# After AXES_FAILURE_LIMIT failed logins (admin, officials' login page, the browsable API's
# login) for one username from one address, that pair is refused for AXES_COOLOFF_MINUTES;
# a login that succeeds clears the count. Locking by the pair, not by address alone, keeps
# an office behind one address working while one of its accounts is attacked.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env_int("AXES_COOLOFF_MINUTES", default=15, minimum=1)
)


def lockout_parameters(raw: str) -> list:
    """``username+ip_address`` (both together), ``ip_address``, ``username,ip_address``
    (either) … as django-axes' ``AXES_LOCKOUT_PARAMETERS``."""
    known = {"username", "ip_address", "user_agent"}
    result: list = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        names = [name.strip() for name in item.split("+")]
        unknown = set(names) - known
        if unknown:
            raise ImproperlyConfigured(
                f"AXES_LOCKOUT_PARAMETERS: unknown {sorted(unknown)}; use {sorted(known)}."
            )
        result.append(names[0] if len(names) == 1 else names)
    if not result:
        raise ImproperlyConfigured("AXES_LOCKOUT_PARAMETERS names nothing to lock out by.")
    return result


AXES_LOCKOUT_PARAMETERS = lockout_parameters(
    env_str("AXES_LOCKOUT_PARAMETERS", "username+ip_address")
)
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# The lockout page in the site's look (HTML), or the API's JSON error shape.
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0, minimum=0)

# --------------------------------------------------------------------------- sessions
# A login lasts a working day at most, and (by default) ends when the browser is closed:
# offices share computers.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", default=8 * 60 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A form refused for its missing or stale token: a page in the site's look saying what to do.
CSRF_FAILURE_VIEW = "config.security.csrf_failure"

# --------------------------------------------------------------------------- security headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def proxy_ssl_header(raw: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto=https`` as Django's ``SECURE_PROXY_SSL_HEADER``; empty: None."""
    raw = raw.strip()
    if not raw:
        return None
    header, sep, value = raw.partition("=")
    if not sep or not header.strip() or not value.strip():
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER must read Header-Name=value, e.g. "
            f"X-Forwarded-Proto=https, not {raw!r}."
        )
    return "HTTP_" + header.strip().upper().replace("-", "_"), value.strip()


# Only behind a proxy that sets this header itself (and drops it from clients' requests).
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env_str("SECURE_PROXY_SSL_HEADER", ""))
# Origins (scheme://host) other than this site's own from which forms may be posted; only
# needed when a proxy changes the host name.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

# Content Security Policy (django-csp): everything from this site only; no inline script
# or style unless it carries the request's nonce (``nonce="{{ request.csp_nonce }}"``). The
# browsable API's own templates carry inline styles: ``config.api.renderers`` allows them
# on its pages only. ``data:`` images: Swagger UI's and the dashboards' icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Dates are shown as dd/mm/yyyy in both languages: HR staff read and type them so.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
# Relative to the project folder unless absolute.
STATIC_ROOT = BASE_DIR / (env_str("STATIC_ROOT", "") or "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Officials who are not staff log in at /accounts/login/ and land on the dashboards;
# HR staff log in at /admin/ as before.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:overview"

# What the dashboards show when the address names no unit or date (see reports/views.py).
DASHBOARD_DEFAULT_UNIT = env_str("DASHBOARD_DEFAULT_UNIT", "").strip()
DASHBOARD_DEFAULT_DATE = env_str("DASHBOARD_DEFAULT_DATE", "").strip()

# Which of a cadre's places make them local to a commune-level unit (DOMAIN.md §3.7).
# Any of "hometown", "birthplace", "permanent_residence". Provinces differ; the press and
# most HR offices use hometown and permanent residence.
CADRE_LOCALITY_BASES = tuple(
    env_list("CADRE_LOCALITY_BASES", default=["hometown", "permanent_residence"])
)

# REST API v1 (see config/api.py for the conventions every endpoint shares).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous request is answered 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["config.api.permissions.ModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        # django-filter, with filters by id limited to the user's area.
        "access.api.AreaFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "config.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
    # drf-spectacular's, with the X-Change-Reason header on writes (audit.api).
    "DEFAULT_SCHEMA_CLASS": "audit.api.AuditSchema",
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "COERCE_DECIMAL_TO_STRING": False,
    "UNICODE_JSON": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Cadre rotation records API",
    "DESCRIPTION": (
        "Read and write the records of cadre rotation: administrative units over time, "
        "organisations, roles, posts, cadres, assignments, decisions and their movements, "
        "and the headline figures. Dates are ISO 8601 (YYYY-MM-DD). Every 4xx answer has "
        "the shape {detail, code, errors}."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI from drf-spectacular-sidecar's files, served by this site.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge fetched from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Several models have a "kind": each choice set gets a name of its own in the schema.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "communes.models.UnitKind",
        "OrganisationKindEnum": "communes.models.OrganisationKind",
        "MovementKindEnum": "rotation.models.MovementKind",
    },
}

# --------------------------------------------------------------------------- logging
# Every handler carries the filter that blanks personal identification numbers (12 digits)
# out of messages, arguments and tracebacks: URLs with ?q=<number>, database errors.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_personal_ids": {"()": "config.logs.RedactPersonalIds"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_personal_ids"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_personal_ids"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        # Django's own handlers (console only with DEBUG, mail to ADMINS) are replaced:
        # its records go to the root's handler, through the filter.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # runserver's request lines (with their query strings).
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Lockouts (warnings), not every failed login nor its start-up banner.
        "axes": {"level": "WARNING"},
    },
}
