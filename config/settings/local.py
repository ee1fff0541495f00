"""Local development: debug on, a throwaway secret, SQLite unless DATABASE_URL says otherwise."""

from config.env import env_bool, env_list

from .base import *  # noqa: F403
from .base import SECRET_KEY

DEBUG = env_bool("DEBUG", default=True)
# Only for a developer's machine: production.py refuses to start without SECRET_KEY.
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
