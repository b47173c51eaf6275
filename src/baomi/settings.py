"""Django settings. Every deployment knob comes from the environment (DATABASE_URL, BAOMI_*)."""

import contextlib
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from baomi.lib import keyfiles

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(environ.Env().str("BAOMI_VAR_DIR", default=str(PROJECT_DIR / "var")))

env = environ.Env(
    BAOMI_DEBUG=(bool, False),
    BAOMI_ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
)

DEBUG = env("BAOMI_DEBUG")
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
    "django_otp",
    "django_otp.plugins.otp_totp",
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
    "baomi.inspections",
    "baomi.training",
    "baomi.catalogue",
    "baomi.devices",
    "baomi.incidents",
    "baomi.workdays",
    "baomi.outside_meetings",
    "baomi.assessments",
    "baomi.api",
    "baomi.accounts",
    "baomi.benchdata",
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
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "baomi.org.middleware.PersonMiddleware",
    "baomi.accounts.middleware.AccountPolicyMiddleware",
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
# A streaming replica for long lists, reports and the dashboard (docs/operations.md, "Beyond one
# machine"); without it everything reads from the primary.
if env.str("BAOMI_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("BAOMI_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["baomi.lib.replicas.ReplicaRouter"]
# A PostgreSQL connection is kept between requests: a new one forks a server process, 10–30 ms
# of every API call here (bench/api_load.py). Checked before reuse, so a restarted database costs
# a reconnect, not a failed request. `?conn_max_age=N` in the URL wins (0: a connection per request).
for _database in DATABASES.values():
    if _database["ENGINE"].endswith("postgresql"):
        _database.setdefault("CONN_MAX_AGE", 300)
        _database.setdefault("CONN_HEALTH_CHECKS", True)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Accounts (SEC-1, SEC-2) ------------------------------------------------------------------------
# The highest level this system is set up for (机密/secret, 秘密/confidential, 绝密/top_secret): the
# password policy's defaults follow it (accounts/policy.py); the 系统管理员 edits the policy, the
# lockout, the idle timeout and the tokens' lifetime on the security settings page.
BAOMI_SYSTEM_LEVEL = env.str("BAOMI_SYSTEM_LEVEL", default="机密")
# The three system roles must enter a one-time password (动态口令) as a second factor.
BAOMI_OTP_REQUIRED_FOR_SYSTEM_ROLES = env.bool("BAOMI_OTP_REQUIRED_FOR_SYSTEM_ROLES", default=True)
# Proxies whose X-Forwarded-For is believed (addresses or networks); none by default.
BAOMI_TRUSTED_PROXIES = env.list("BAOMI_TRUSTED_PROXIES", default=[])
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "baomi.accounts.validators.PolicyLengthValidator"},
    {"NAME": "baomi.accounts.validators.CharacterClassesValidator"},
    {"NAME": "baomi.accounts.validators.PersonalInformationValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "baomi.accounts.validators.PasswordHistoryValidator"},
]
# SEC-2 lockout, per account and per client address (accounts/lockout.py): the limits and the
# cool-off come from the security settings.
AXES_HANDLER = "baomi.accounts.lockout.BaomiAxesHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "baomi.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "baomi.accounts.lockout.cool_off"
AXES_CLIENT_IP_CALLABLE = "baomi.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "baomi.accounts.lockout.lockout_response"
# A failure during a lockout does not extend it: the page can say truthfully until when.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
OTP_TOTP_ISSUER = "Baomi"
# End of Accounts (SEC-1, SEC-2) -----------------------------------------------------------------
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
# One date format everywhere: YYYY-MM-DD (baomi/formats overrides the locales' own formats).
FORMAT_MODULE_PATH = ["baomi.formats"]
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise warns on every start when STATIC_ROOT is missing ("No directory at"); `make run`
# serves from the finders and never runs collectstatic, so the directory is made here, like the
# SQLite directory above. A read-only deployment has it from collectstatic already.
with contextlib.suppress(OSError):  # a read-only file system: collectstatic made it
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# The audit log's Merkle-tree hash: SM3 (GB/T 32905) by default, SHA-256 selectable.
BAOMI_AUDIT_HASH = env.str("BAOMI_AUDIT_HASH", default="sm3")
# The audit log's signing key (Ed25519, PKCS#8 PEM, 0600), generated on first use, and the log's
# name in its signed checkpoints and verifier key: set it once per deployment and keep it, since
# checkpoints a superior holds name it (a schema-less URL, no spaces or "+").
BAOMI_SIGNING_KEY_FILE = env.str(
    "BAOMI_SIGNING_KEY_FILE", default=str(VAR_DIR / "keys" / "signing-ed25519.pem")
)
BAOMI_AUDIT_ORIGIN = env.str("BAOMI_AUDIT_ORIGIN", default="baomi.local/audit")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("BAOMI_LOG_LEVEL", default="WARNING")},
}


# Keys and security headers (issue 10) -------------------------------------------------------
# No key is written in the source: each is read from its file under $BAOMI_VAR_DIR/keys/ (or the
# path a setting names), generated there on first start with mode 0600. BAOMI_SECRET_KEY and
# BAOMI_FILE_KEY in the environment still take precedence, for deployments that inject secrets.
KEYS_DIR = Path(env.str("BAOMI_KEYS_DIR", default=str(VAR_DIR / "keys")))
BAOMI_SECRET_KEY_FILE = Path(
    env.str("BAOMI_SECRET_KEY_FILE", default=str(KEYS_DIR / keyfiles.SECRET_KEY_NAME))
)
BAOMI_FILE_KEY_FILE = Path(
    env.str("BAOMI_FILE_KEY_FILE", default=str(KEYS_DIR / keyfiles.FILE_KEY_NAME))
)
BAOMI_SIGNING_KEY_FILE = Path(
    env.str("BAOMI_SIGNING_KEY_FILE", default=str(KEYS_DIR / keyfiles.SIGNING_KEY_NAME))
)
BAOMI_FILE_KEY = env.str("BAOMI_FILE_KEY", default="")
# Attachments at rest: SM4-GCM (GB/T 32907) by default, AES-256-GCM selectable.
BAOMI_FILE_CIPHER = env.str("BAOMI_FILE_CIPHER", default="sm4")

# The test settings are recognised by pytest being loaded in this process: no operator can switch
# that on by a stray environment variable in production, and a `baomi` subprocess started by a
# test is *not* under pytest, so the refusal below is testable end to end.
UNDER_TESTS = "pytest" in sys.modules
PRODUCTION = not DEBUG and not UNDER_TESTS

try:
    keyfiles.ensure_keys(
        {
            kind: path
            for kind, path, from_env in (
                ("secret", BAOMI_SECRET_KEY_FILE, "BAOMI_SECRET_KEY"),
                ("file", BAOMI_FILE_KEY_FILE, "BAOMI_FILE_KEY"),
                ("signing", BAOMI_SIGNING_KEY_FILE, None),
            )
            if from_env is None or from_env not in env.ENVIRON
        }
    )
    SECRET_KEY = (
        env.str("BAOMI_SECRET_KEY")
        if "BAOMI_SECRET_KEY" in env.ENVIRON
        else keyfiles.read_text_key(BAOMI_SECRET_KEY_FILE)
    )
    if PRODUCTION:
        _file_key = (
            BAOMI_FILE_KEY
            if "BAOMI_FILE_KEY" in env.ENVIRON
            else keyfiles.read_text_key(BAOMI_FILE_KEY_FILE)
        )
        keyfiles.refuse_public_keys(
            {
                "SECRET_KEY（BAOMI_SECRET_KEY 或 BAOMI_SECRET_KEY_FILE）": SECRET_KEY,
                "文件密钥（BAOMI_FILE_KEY 或 BAOMI_FILE_KEY_FILE）": _file_key,
            },
            keyfiles.source_roots(BASE_DIR, PROJECT_DIR),
        )
except keyfiles.KeyFileError as _refusal:
    raise ImproperlyConfigured(str(_refusal)) from None

# Security headers on every response (baomi.web.security.SecurityHeadersMiddleware adds the CSP).
MIDDLEWARE.insert(1, "baomi.web.security.SecurityHeadersMiddleware")
# Last, next to the view: an API write and its answer in one transaction (baomi.api.idempotency).
MIDDLEWARE.append("baomi.api.idempotency.ApiWriteMiddleware")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind nginx with TLS (docs/operations.md): HSTS, Secure cookies, and the proxy's scheme header.
BAOMI_TLS = env.bool("BAOMI_TLS", default=False)
if BAOMI_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("BAOMI_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env.list("BAOMI_CSRF_TRUSTED_ORIGINS", default=[])
# How long a client's Idempotency-Key is remembered (baomi.api.idempotency).
BAOMI_IDEMPOTENCY_HOURS = 24
