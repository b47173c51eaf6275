"""Django settings. Every deployment knob comes from the environment (DATABASE_URL, BAOMI_*)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(environ.Env().str("BAOMI_VAR_DIR", default=str(PROJECT_DIR / "var")))

env = environ.Env(
    BAOMI_DEBUG=(bool, False),
    BAOMI_ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
)

DEBUG = env("BAOMI_DEBUG")
# A development key is fine for the embedded SQLite demo; production sets BAOMI_SECRET_KEY.
SECRET_KEY = env.str("BAOMI_SECRET_KEY", default="baomi-dev-only-not-for-production-7d1f0c")
ALLOWED_HOSTS = env("BAOMI_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "django_tables2",
    # Serves Swagger UI for /api/v1/docs from static files instead of a CDN (SEC-6).
    "ninja",
    "axes",
    "baomi.web",
    "baomi.audit",
    "baomi.org",
    "baomi.classification",
    "baomi.carriers",
    "baomi.approvals",
    "baomi.dispatch",
    "baomi.archive",
    "baomi.destruction",
    "baomi.handover",
    "baomi.scanner",
    "baomi.review",
    "baomi.personnel",
    "baomi.stocktake",
    "baomi.reclassification",
    "baomi.imports",
    "baomi.alerts",
    "baomi.reports",
    "baomi.administration",
    "baomi.meetings",
    "baomi.sites",
    "baomi.devices",
    "baomi.incidents",
    "baomi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "baomi.lib.context.CorrelationIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "baomi.org.middleware.PersonMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "baomi.urls"
WSGI_APPLICATION = "baomi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csrf",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "baomi.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'baomi.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock up front,
    # so SQLite serialises concurrent actions instead of failing them with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not the in-memory default: with memory, Django hands the live server (browser tests)
    # the test thread's one connection, and two requests at once (a page and its HTMX bell)
    # would share it across threads.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-baomi.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("BAOMI_PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# SEC-2: lock an account after repeated failures.
AXES_FAILURE_LIMIT = env.int("BAOMI_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
# Per account (SEC-2): on an office LAN behind NAT, locking an address would lock a whole floor.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# The audit chain's hash: SM3 (GB/T 32905) by default, SHA-256 selectable.
BAOMI_AUDIT_HASH = env.str("BAOMI_AUDIT_HASH", default="sm3")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("BAOMI_LOG_LEVEL", default="WARNING")},
}
