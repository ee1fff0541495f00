"""Settings shared by every environment, read from the environment.

Environment variables:
    DATABASE_URL   database to use; defaults to the SQLite file ``db.sqlite3`` so that
                   nothing has to be installed. PostgreSQL: ``postgres://user@host:5432/name``.
    SECRET_KEY     required in production (see ``production.py``).
    DEBUG          ``1``/``true`` to turn debugging on.
    ALLOWED_HOSTS  comma-separated host names.
    DASHBOARD_DEFAULT_UNIT  official code of the unit the dashboards open on; empty: the
                   first province-level unit valid on the day shown.
    DASHBOARD_DEFAULT_DATE  YYYY-MM-DD day the dashboards open on; empty: today.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_list, env_str

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
    "communes",
    "cadres",
    "rotation",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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


def database_from_env(default_sqlite: Path) -> dict:
    """The default database, from ``DATABASE_URL`` or a local SQLite file."""
    url = env_str("DATABASE_URL", "")
    if not url:
        url = f"sqlite:///{default_sqlite}"
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite in WAL mode with a busy timeout copes with the admin and a runserver
        # writing at the same time.
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {}).update(
            {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
        )
    return config


DATABASES = {"default": database_from_env(BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Dates are shown as dd/mm/yyyy in both languages: HR staff read and type them so.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
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
    # Several models have a "kind": each choice set gets a name of its own in the schema.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "communes.models.UnitKind",
        "OrganisationKindEnum": "communes.models.OrganisationKind",
        "MovementKindEnum": "rotation.models.MovementKind",
    },
}
