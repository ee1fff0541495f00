"""Local development: debug on, a throwaway secret, SQLite unless DATABASE_URL says otherwise."""

from config.env import env_bool, env_list, env_str

from .base import *  # noqa: F403
from .base import SECRET_KEY

DEBUG = env_bool("DEBUG", default=True)
# Only for a developer's machine: production.py refuses to start without SECRET_KEY.
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# The demo opens on Kim Bảng district at mid-term of 2020–2025, the day of the press report
# whose figures the Kim Bảng records reproduce (8 of 18 secretaries non-local, …).
DASHBOARD_DEFAULT_UNIT = env_str("DASHBOARD_DEFAULT_UNIT", "350").strip()
DASHBOARD_DEFAULT_DATE = env_str("DASHBOARD_DEFAULT_DATE", "2023-06-30").strip()
