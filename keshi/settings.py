"""Settings for keshi. Every knob comes from the environment; see README "配置 / Configuration"."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name) or default


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DATA_DIR = Path(env("KESHI_DATA_DIR", str(PROJECT_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)
DEBUG = envbool("KESHI_DEBUG", False)
# The fallback only suits the local demo and the tests; production sets KESHI_SECRET_KEY (README).
# It is published: with it anyone can sign cookies, QR sign-in codes and notice codes. So with
# debug off and a deployment named (KESHI_DEBUG or KESHI_ALLOWED_HOSTS given) keshi refuses to
# start on it, and `keshi check --deploy` reports it (keshi.E001, keshi/ops/checks.py).
INSECURE_SECRET_KEY = "insecure-demo-key-set-KESHI_SECRET_KEY-in-production"
SECRET_KEY = env("KESHI_SECRET_KEY", INSECURE_SECRET_KEY)
if (
    SECRET_KEY == INSECURE_SECRET_KEY
    and not DEBUG
    and {"KESHI_DEBUG", "KESHI_ALLOWED_HOSTS"} & os.environ.keys()
):
    raise ImproperlyConfigured(
        "KESHI_SECRET_KEY 未设置（或仍是公开的演示值）：生产环境必须设置为随机长字符串，"
        "例如 python3 -c 'import secrets; print(secrets.token_urlsafe(50))'。"
        "本机演示请用 KESHI_DEBUG=1。"
    )
ALLOWED_HOSTS = [
    h.strip() for h in env("KESHI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in env("KESHI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_filters",
    "keshi.web",
    "keshi.org",
    "keshi.calendar",
    "keshi.accounts",
    "keshi.records",
    "keshi.rules",
    "keshi.notify",
    "keshi.plans",
    "keshi.checks",
    "keshi.groupwork",
    "keshi.originality",
    "keshi.indicators",
    "keshi.research",
    "keshi.contests",
    "keshi.appraisal",
    "keshi.dispatch",
    "keshi.safety",
    "keshi.cover",
    "keshi.weekly",
    "keshi.exams",
    "keshi.integrations",
    "keshi.demo",
    "keshi.ops",
    "keshi.onboarding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "keshi.accounts.language.UserLanguage",  # the user's chosen language, else zh-Hans
    "django.middleware.common.CommonMiddleware",
    "keshi.web.middleware.drop_nul",  # PostgreSQL text cannot hold NUL (docs/security.md)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "keshi.web.words.WordsMiddleware",  # a hospital's words for a hospital's staff (#24)
    "keshi.calendar.middleware.ClosedTermMiddleware",  # 409 for writes into a closed term
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "keshi.accounts.middleware.PasswordChangeRequired",
]

ROOT_URLCONF = "keshi.urls"
WSGI_APPLICATION = "keshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "keshi.web.context.navigation",
                "keshi.org.words.words",
            ],
        },
    },
]

_sqlite_default = f"sqlite:///{DATA_DIR / 'keshi.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env("KESHI_DATABASE_URL", _sqlite_default))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE avoids "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    # One test database per test run, so two runs side by side (a developer's and CI's, or
    # two engineers' on one machine) never share a file.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    # .iterator() (every ModelChoiceField's options) would open a server-side cursor: three
    # round trips instead of one, a tenth of the compliance matrix's time; the results that
    # go through it here are small. Also what a transaction-pooling pgbouncer requires.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# Persistent connections (both databases): opening one per request — and on SQLite running the
# PRAGMAs above each time — was most of /healthz (docs/performance.md, "keshi bench pages").
DATABASES["default"]["CONN_MAX_AGE"] = envint("KESHI_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# The cache of compliance results (keshi/rules/standing.py) must be shared by every app
# process: a table of the database by default (made by `migrate`), Redis for a larger site
# (KESHI_CACHE_URL=redis://127.0.0.1:6379/1); "locmem" only for a single process.
_cache_url = env("KESHI_CACHE_URL", "db")
_local_cache = {"OPTIONS": {"MAX_ENTRIES": 100_000}}
if _cache_url.startswith(("redis://", "rediss://")):
    _cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
elif _cache_url == "locmem":
    _cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"} | _local_cache
else:
    _cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "keshi_cache"}
    _cache |= _local_cache
CACHES = {"default": _cache}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

TASKS = {
    "default": {
        "BACKEND": env("KESHI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}

# Uploads: a roster of a few thousand rows is well under this.
KESHI_MAX_UPLOAD_BYTES = envint("KESHI_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = KESHI_MAX_UPLOAD_BYTES
# Compressed bombs (docs/security.md): what an Office file may unpack to, checked from the zip's
# directory before python-docx/openpyxl open it; rows and columns an import reads; the child
# process that extracts text for the originality check.
KESHI_MAX_UNCOMPRESSED_BYTES = envint("KESHI_MAX_UNCOMPRESSED_BYTES", 20 * 1024 * 1024)
KESHI_MAX_COMPRESSION_RATIO = envint("KESHI_MAX_COMPRESSION_RATIO", 100)
KESHI_MAX_ARCHIVE_MEMBERS = envint("KESHI_MAX_ARCHIVE_MEMBERS", 5000)
KESHI_MAX_WORD_BLOCKS = envint("KESHI_MAX_WORD_BLOCKS", 100_000)
KESHI_IMPORT_MAX_ROWS = envint("KESHI_IMPORT_MAX_ROWS", 10_000)
KESHI_IMPORT_MAX_COLUMNS = envint("KESHI_IMPORT_MAX_COLUMNS", 100)
KESHI_PARSE_TIMEOUT = envint("KESHI_PARSE_TIMEOUT", 60)  # seconds per file
KESHI_PARSE_MEMORY_BYTES = envint("KESHI_PARSE_MEMORY_BYTES", 1024 * 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool(
    "KESHI_SECURE_COOKIES", not DEBUG and "KESHI_ALLOWED_HOSTS" in os.environ
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("KESHI_LOG_LEVEL", "WARNING")},
}

# E-mail for reminders (keshi send-reminders). Unset: mail is written to the log, not sent.
EMAIL_BACKEND = env(
    "KESHI_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not env("KESHI_EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("KESHI_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("KESHI_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("KESHI_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("KESHI_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("KESHI_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env("KESHI_EMAIL_FROM", "keshi@localhost")

# Reminder robots (DingTalk / WeCom) may only post to these hosts; links in reminders use the site URL.
KESHI_WEBHOOK_HOSTS = [
    h.strip()
    for h in env(
        "KESHI_WEBHOOK_HOSTS", "oapi.dingtalk.com,api.dingtalk.com,qyapi.weixin.qq.com"
    ).split(",")
    if h.strip()
]
KESHI_WEBHOOK_TIMEOUT = envint("KESHI_WEBHOOK_TIMEOUT", 10)
KESHI_SITE_URL = env("KESHI_SITE_URL")
# DingTalk / WeCom apps (keshi.integrations, docs/integrations.md): API base URLs (their hosts must
# be on KESHI_WEBHOOK_HOSTS) and the Fernet key for the stored app secrets.
KESHI_DINGTALK_API = env("KESHI_DINGTALK_API", "https://oapi.dingtalk.com")
KESHI_DINGTALK_NEW_API = env("KESHI_DINGTALK_NEW_API", "https://api.dingtalk.com")  # OAuth2 login
KESHI_WECOM_API = env("KESHI_WECOM_API", "https://qyapi.weixin.qq.com")
KESHI_INTEGRATION_KEY = env("KESHI_INTEGRATION_KEY")
# A login's username: staff_no (工号), org_staff_no (单位代码-工号) or phone (docs/accounts.md).
KESHI_LOGIN_USERNAME = env("KESHI_LOGIN_USERNAME", "staff_no")
KESHI_INDICATOR_DUE_DAY = envint("KESHI_INDICATOR_DUE_DAY", 10)  # 指标按月填报：次月几日前算按时

# Security ---------------------------------------------------------------------------------------
# Everything below is env-driven; docs/security.md explains each knob and the trade-offs.
# "Production" = not DEBUG and KESHI_ALLOWED_HOSTS set explicitly (same rule as secure cookies).
PRODUCTION = not DEBUG and "KESHI_ALLOWED_HOSTS" in os.environ

# Login throttling (django-axes): 5 failures for one username from one IP lock that pair out for
# 15 minutes; the lockout page is Chinese (registration/locked.html, HTTP 429).
INSTALLED_APPS += ["axes", "csp"]
MIDDLEWARE += ["csp.middleware.CSPMiddleware", "axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "keshi.accounts.axes_backend.WebLoginThrottle",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = envbool("KESHI_LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = envint("KESHI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("KESHI_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Behind nginx REMOTE_ADDR is the proxy; name the header nginx sets (e.g. HTTP_X_REAL_IP).
_client_ip_header = env("KESHI_CLIENT_IP_HEADER")
if _client_ip_header:
    AXES_CLIENT_IP_CALLABLE = lambda request: (  # noqa: E731
        request.META.get(_client_ip_header, "").split(",")[0].strip()
        or request.META.get("REMOTE_ADDR")
    )

# Headers. nosniff, DENY framing and the referrer policy are harmless everywhere; HSTS only
# makes sense over https, so it defaults on in production only.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = env("KESHI_REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = envint("KESHI_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("KESHI_HSTS_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = envbool("KESHI_SSL_REDIRECT", False)  # nginx normally redirects
if envbool("KESHI_BEHIND_HTTPS_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("KESHI_SESSION_HOURS", 12) * 3600

# Content-Security-Policy (django-csp). Templates use onclick="return confirm(...)" handlers
# and a few inline <script> blocks, so scripts need 'unsafe-inline'; everything else is 'self'
# only: no third-party script, no plugins, no framing, forms post to us only.
_csp_self = ("'self'",)
CONTENT_SECURITY_POLICY = (
    {
        "DIRECTIVES": {
            "default-src": _csp_self,
            "script-src": ("'self'", "'unsafe-inline'"),
            "style-src": ("'self'", "'unsafe-inline'"),
            "img-src": ("'self'", "data:", "blob:"),
            "font-src": ("'self'", "data:"),
            "connect-src": _csp_self,
            "object-src": ("'none'",),
            "base-uri": _csp_self,
            "form-action": _csp_self,
            "frame-ancestors": ("'none'",),
        }
    }
    if envbool("KESHI_CSP", PRODUCTION)
    else None
)

# Where each request's time goes, as a Server-Timing header (keshi/web/timing.py): for
# `keshi bench pages` and a developer's browser tools; off unless asked for.
if envbool("KESHI_SERVER_TIMING", False):
    MIDDLEWARE = ["keshi.web.timing.Outer", *MIDDLEWARE, "keshi.web.timing.Inner"]
