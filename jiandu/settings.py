"""The one settings module. Every deploy-time knob is an environment variable (.env.example)."""

import sys
from pathlib import Path

import dj_database_url

from jiandu.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("JIANDU_DATA_DIR", str(BASE_DIR / "data")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("JIANDU_DEBUG", False)
# A laptop install works out of the box; production sets its own key.
SECRET_KEY = env_str(
    "SECRET_KEY", "jiandu-local-development-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Key for the complainants' identity at rest (Fernet, urlsafe base64 of 32 bytes).
# A key is derived from SECRET_KEY only when none is given, so a laptop demo runs;
# production must set JIANDU_FIELD_KEY (see .env.example).
FIELD_ENCRYPTION_KEY = env_str("JIANDU_FIELD_KEY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "jiandu.orgs",
    "jiandu.audit",
    "jiandu.workdays",
    "jiandu.documents",
    "jiandu.campaigns",
    "jiandu.ledger",
    "jiandu.standards",
    "jiandu.enforcement",
    "jiandu.intake",
    "jiandu.monitoring",
    "jiandu.portal",
    "jiandu.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jiandu.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "jiandu.urls"
WSGI_APPLICATION = "jiandu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jiandu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiandu.orgs.context.navigation",
            ],
            "builtins": [
                "django.contrib.humanize.templatetags.humanize",
                "jiandu.orgs.templatetags.jd",
            ],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'jiandu.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE avoids
        # lock upgrades failing half-way through a transaction.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            " PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Keep connections open: opening one (and applying the PRAGMAs) costs several ms per
# request, which halves the public submission rate under load (bench/portal_load.py).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("JIANDU_CONN_MAX_AGE", 600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = ["jiandu.orgs.auth.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "jiandu.orgs.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
LOGIN_MAX_FAILURES = env_int("JIANDU_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_MINUTES = env_int("JIANDU_LOGIN_LOCK_MINUTES", 15)

# Sessions end after 30 idle minutes: every request renews the cookie.
SESSION_COOKIE_AGE = env_int("JIANDU_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("JIANDU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "jiandu" / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("JIANDU_MEDIA_DIR", str(DATA_DIR / "media")))
UPLOAD_MAX_BYTES = env_int("JIANDU_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Imports larger than this run as a background task with a progress bar; the largest accepted.
INTAKE_INLINE_MAX_BYTES = env_int("JIANDU_INTAKE_INLINE_MAX_BYTES", 256 * 1024)
# A running import whose heartbeat (written at least every few seconds of progress and
# with every committed batch of rows) is older than this is taken for dead: its process
# was killed or its host lost. Shared by every worker and host of one database.
INTAKE_STALE_SECONDS = env_int("JIANDU_INTAKE_STALE_SECONDS", 300)
INTAKE_MAX_BYTES = env_int("JIANDU_INTAKE_MAX_BYTES", 200 * 1024 * 1024)

TASKS = {"default": {"BACKEND": env_str("JIANDU_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("JIANDU_LOG_LEVEL", "WARNING")},
}

# Under pytest: tasks run inline and password hashing is cheap, so the suite stays fast.
TESTING = "pytest" in sys.modules
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    MEDIA_ROOT = DATA_DIR / "test-media"
    # The live server's threads share the test connection; they must not keep their own.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
