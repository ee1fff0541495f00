"""Test settings: fast hashing, the database from DATABASE_URL or SQLite."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# WhiteNoise finds static files where they live, on each request: no collectstatic (and no
# STATIC_ROOT) before the tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
