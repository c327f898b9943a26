"""The one settings module. Every deploy-time knob is an environment variable (.env.example)."""

import ipaddress
import json
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from jiandu import keys
from jiandu.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = keys.data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("JIANDU_DEBUG", False)
# No key lives in the code: the environment wins, else the file `jiandu init` wrote in the
# data directory (jiandu/keys.py). Without either (a command run before init) the process
# gets a throw-away key, which `jiandu manage check --deploy` reports and `serve` refuses.
_file_keys = keys.read(DATA_DIR)
SECRET_KEY = env_str("SECRET_KEY") or _file_keys.get("SECRET_KEY", "")
# Old keys that still verify sessions and signed links after a rotation (comma-separated).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
KEYS_MISSING = [name for name in keys.NAMES if not (env_str(name) or _file_keys.get(name))]
if not SECRET_KEY:
    SECRET_KEY = keys.generate("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Keys for the complainants' identity at rest (Fernet, urlsafe base64 of 32 bytes,
# comma-separated: the first encrypts, all decrypt). From the environment or the keys file.
FIELD_ENCRYPTION_KEY = env_str("JIANDU_FIELD_KEY") or _file_keys.get("JIANDU_FIELD_KEY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_htmx",
    # django-ninja's own Swagger UI files (/api/v1/docs): without the app it loads them
    # from a CDN with an inline script, which the CSP refuses.
    "ninja",
    "csp",
    "jiandu.core",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "jiandu.orgs",
    "jiandu.audit",
    "jiandu.workdays",
    "jiandu.documents",
    "jiandu.campaigns",
    "jiandu.supervision",
    "jiandu.selfcheck",
    "jiandu.acceptance",
    "jiandu.ledger",
    "jiandu.standards",
    "jiandu.enforcement",
    "jiandu.intake",
    "jiandu.monitoring",
    "jiandu.integrations",
    "jiandu.portal",
    "jiandu.planning",
    "jiandu.dashboard",
    "jiandu.reminders",
    "jiandu.transfers",  # 案件移送 between units (issue 13)
    "jiandu.credit",  # 信用修复 and 三书同达 (issue 13)
    "jiandu.demo",  # the demo county and the synthetic-data generator (commands only)
]

MIDDLEWARE = [
    # Before SecurityMiddleware reads X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
    "jiandu.middleware.ForwardedProtoFromTrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jiandu.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (RefuseNul reads the form; CSRF reads it only in
    # process_view, after every middleware here), after the user is known: the larger
    # import limit is for signed-in users only.
    "jiandu.middleware.RequestSizeLimitMiddleware",
    "jiandu.middleware.RefuseNulMiddleware",
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

# Forms render through the project's templates: {{ field.as_field_group }} uses
# templates/forms/field.html; classes by widget type come from jiandu.core.forms.
FORM_RENDERER = "jiandu.core.forms.FormRenderer"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'jiandu.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE avoids
        # lock upgrades failing half-way through a transaction.
        "init_command": (
            # The wait first: switching a new file to WAL needs it while others open it.
            "PRAGMA busy_timeout=20000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
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
# -- Sign-in: lockout (django-axes), passwords, second factor (django-otp) --------------
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "jiandu.orgs.middleware.password_change_required",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # turns a lockout into the Chinese page
# AxesStandaloneBackend only refuses locked clients; ModelBackend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "jiandu.orgs.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failures of one account from one address before a lock, and the lock's minutes; an
# address that fails this often across accounts is locked as a whole.
LOGIN_MAX_FAILURES = env_int("JIANDU_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_MINUTES = env_int("JIANDU_LOGIN_LOCK_MINUTES", 15)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("JIANDU_LOGIN_MAX_FAILURES_PER_ADDRESS", 30)
AXES_HANDLER = "jiandu.orgs.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # the per-address limit: LockoutHandler
AXES_FAILURE_LIMIT = "jiandu.orgs.lockout.failure_limit"  # read at call time: follows settings
AXES_COOLOFF_TIME = "jiandu.orgs.lockout.cool_off"
AXES_CLIENT_IP_CALLABLE = "jiandu.audit.log.client_ip"  # the audit trail's address, one rule
AXES_LOCKOUT_CALLABLE = "jiandu.orgs.views.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Attempts while locked are refused without counting: the lock ends when it said it would.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit trail already
AXES_VERBOSE = False
# `jiandu demo` sets this: its demo accounts (User.demo_account) then sign in with the
# printed password and no second factor; anywhere else they must change it first. Tests
# that load the demo county use its accounts as the demo does (tests of another server
# turn it off).
JIANDU_DEMO = env_bool("JIANDU_DEMO", "pytest" in sys.modules)
OTP_TOTP_ISSUER = "行政执法监督平台"
# A second factor is asked after the password for at most this many seconds.
LOGIN_OTP_PENDING_SECONDS = 300

# Sessions end after 30 idle minutes: every request renews the cookie.
SESSION_COOKIE_AGE = env_int("JIANDU_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("JIANDU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "jiandu.errors.csrf_failure"
if SESSION_COOKIE_SECURE:
    # Behind HTTPS (a reverse proxy terminating TLS): browsers keep to HTTPS, and the
    # proxy's X-Forwarded-Proto tells Django the request was secure. The proxy must set
    # (not pass through) that header. With JIANDU_TRUSTED_PROXIES set it is believed only
    # from those proxies (jiandu.middleware.ForwardedProtoFromTrustedProxyMiddleware);
    # without it, from anyone: then the proxy must be the only way in.
    SECURE_HSTS_SECONDS = env_int("JIANDU_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is
# believed for the client's address (jiandu.audit.log.client_ip); empty: none.
TRUSTED_PROXIES = env_list("JIANDU_TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"JIANDU_TRUSTED_PROXIES: {_proxy!r} is not an address or network"
        ) from _exc

# Content-Security-Policy (django-csp): scripts only from our own static files, nothing
# from elsewhere. Styles allow inline because Bootstrap/ECharts set style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

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
# Largest request body in bytes, refused by its Content-Length before it is read
# (jiandu.middleware.RequestSizeLimitMiddleware); imports use INTAKE_MAX_BYTES instead.
REQUEST_MAX_BYTES = env_int("JIANDU_REQUEST_MAX_BYTES", 5 * UPLOAD_MAX_BYTES + 5 * 1024 * 1024)
# Longest free text a form accepts (a field without its own max_length).
TEXT_MAX_CHARS = env_int("JIANDU_TEXT_MAX_CHARS", 5000)
# 综合查一次: units' plans for one enterprise within this many days are proposed as one
# joint visit (planning.actions.joint_candidates).
JOINT_VISIT_WINDOW_DAYS = env_int("JIANDU_JOINT_VISIT_WINDOW_DAYS", 15)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Imports larger than this run as a background task with a progress bar; the largest accepted.
INTAKE_INLINE_MAX_BYTES = env_int("JIANDU_INTAKE_INLINE_MAX_BYTES", 256 * 1024)
# A running import whose heartbeat (written at least every few seconds of progress and
# with every committed batch of rows) is older than this is taken for dead: its process
# was killed or its host lost. Shared by every worker and host of one database.
INTAKE_STALE_SECONDS = env_int("JIANDU_INTAKE_STALE_SECONDS", 300)
INTAKE_MAX_BYTES = env_int("JIANDU_INTAKE_MAX_BYTES", 200 * 1024 * 1024)
# An .xlsx whose parts would unpack beyond this is refused before it is parsed (zip bombs).
INTAKE_XLSX_MAX_UNPACKED_BYTES = env_int("JIANDU_INTAKE_XLSX_MAX_UNPACKED_BYTES", 1024**3)

TASKS = {"default": {"BACKEND": env_str("JIANDU_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"one_line_403": {"()": "jiandu.errors.OneLineForbidden"}},
    "loggers": {"django.request": {"filters": ["one_line_403"]}},
    "root": {"handlers": ["console"], "level": env_str("JIANDU_LOG_LEVEL", "WARNING")},
}

# The public address of the platform (https://jiandu.example.gov.cn): every link and QR
# code that leaves the browser (reminders, robot messages, documents) is built on it with
# jiandu.lib.public.public_url. Empty: links stay relative paths.
JIANDU_PUBLIC_URL = env_str("JIANDU_PUBLIC_URL", "").rstrip("/")

# Reminders (jiandu.reminders). E-mail through Django's SMTP backend, from the environment.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "jiandu@localhost")
# Off unless EMAIL_HOST is set: a laptop without a mail server sends no e-mail.
JIANDU_EMAIL_ENABLED = bool(env_str("EMAIL_HOST", ""))
# The county-wide group robot (浙政钉/钉钉/企业微信) webhook, and its optional 钉钉 signing
# secret; a unit's own robot (单位 → 群机器人) wins over it.
JIANDU_WEBHOOK_URL = env_str("JIANDU_WEBHOOK_URL", "")
JIANDU_WEBHOOK_SECRET = env_str("JIANDU_WEBHOOK_SECRET", "")
# A failed e-mail or robot send is tried this many times in a run, pausing this many
# seconds (doubled each time); the next run tries it again (reminders.run).
REMINDER_SEND_TRIES = env_int("JIANDU_REMINDER_SEND_TRIES", 3)
REMINDER_SEND_BACKOFF = 1.0
# When `jiandu serve` runs `jiandu remind` (HH:MM, local time, every working day).
JIANDU_REMIND_AT = env_str("JIANDU_REMIND_AT", "08:30")
# The escalation ladder per kind of deadline, in working days (see reminders/README.md):
# before = 提醒 N days before; letter = draft 提醒函 N days after; supervision = draft 督办函
# N more days after that (None: the kind has no such step). JSON in the environment
# (JIANDU_REMINDER_LADDER='{"problem": {"before": 5}}') overrides single values.
REMINDER_LADDER = {
    "selfcheck": {"before": 3, "letter": 3, "supervision": 5},
    "problem": {"before": 5, "letter": 5, "supervision": 10},
    "complaint": {"before": 2, "letter": 2, "supervision": 5},
    "lead": {"before": 3, "letter": None, "supervision": None},
    "instrument": {"before": 3, "letter": 3, "supervision": 5},
    "transfer": {"before": 2, "letter": 3, "supervision": 5},
    "credit": {"before": 2, "letter": 3, "supervision": 5},
}
for _kind, _values in json.loads(env_str("JIANDU_REMINDER_LADDER", "") or "{}").items():
    REMINDER_LADDER.setdefault(_kind, {}).update(_values)
# A lead without its own due date is due this many working days after it was handed over.
REMINDER_LEAD_DAYS = env_int("JIANDU_REMINDER_LEAD_DAYS", 15)

# Under pytest: tasks run inline and password hashing is cheap, so the suite stays fast.
TESTING = "pytest" in sys.modules
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    MEDIA_ROOT = DATA_DIR / "test-media"
    # Each test process gets its own random keys unless the environment or the data
    # directory gives them; nothing in the suite depends on a fixed key.
    FIELD_ENCRYPTION_KEY = FIELD_ENCRYPTION_KEY or keys.generate("JIANDU_FIELD_KEY")
    # The live server's threads share the test connection; they must not keep their own.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Every test Client loads the middleware again, and WhiteNoise's start-up lists and
    # stats every static file (a fifth of a quick test's CPU): under test it looks a
    # requested file up when asked instead (what it does in development).
    WHITENOISE_AUTOREFRESH = True

# Official documents (公文, jiandu/documents/gongwen): the issuing body printed as the 版头
# and 落款, and 文号 prefixes per document kind overriding the defaults of gongwen/kinds.py,
# e.g. {"supervision_letter": "平司监督"}.
GONGWEN_ISSUER = env_str("JIANDU_GONGWEN_ISSUER", "平川县司法局")
GONGWEN_PREFIXES: dict[str, str] = {}
# 信用修复: the unit that owns the credit platform (e.g. the county's 发改局), by unit code.
# On approval of a repair it confirms the withdrawal of the publication as well as the
# case's unit. The demo county's is PC-FGJ; empty: only the case's unit withdraws.
CREDIT_PLATFORM_UNIT = env_str("JIANDU_CREDIT_PLATFORM_UNIT", "PC-FGJ")
