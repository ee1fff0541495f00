"""Production settings: nothing secret has a default, and the server refuses to start without it.

They pass ``manage.py check --deploy --fail-level WARNING`` (``config/tests/test_deploy.py``):
HTTPS only (redirect, secure cookies, HSTS), static files compressed and fingerprinted by
WhiteNoise. ``make serve`` runs them over plain HTTP on this machine by turning the HTTPS
settings off through the environment (see the Makefile).
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list

from .base import *  # noqa: F403
from .base import SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this server answers to.")

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)

# HTTPS only: plain HTTP is redirected, and browsers are told (HSTS) to use HTTPS for a year.
# Behind a proxy that ends TLS, set SECURE_PROXY_SSL_HEADER (base.py) so that Django sees
# which requests came over HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Asking browsers to build the domain into their HTTPS-only list (hstspreload.org) is
    # the domain owner's decision, hard to undo: not a default. check --deploy warns of it.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Static files from the application server itself (no separate web server needed):
# compressed, with a fingerprint in their names so that browsers may keep them for ever.
# ``manage.py collectstatic`` must run before the server starts (``make serve`` does).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
