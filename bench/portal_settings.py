"""Settings for bench/portal_load.py --persistent: jiandu.settings with SQLite connections
kept open between requests (the default closes them after every request, and opening
one costs a few milliseconds of schema reading)."""

from jiandu.settings import *  # noqa: F403

DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
