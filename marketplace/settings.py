"""Settings for the marketplace.

Everything that differs between a laptop and production comes from the environment, with safe
local defaults: SQLite in WAL mode, the kombu filesystem broker, the database search backend,
console e-mail, local media. See README "Configuration".
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab

from marketplace.operations.logs import configure as logging_config
from marketplace.settings_backends import (
    BROKER_CONNECT_TIMEOUT,
    broker_transport_options,
    database_settings,
)

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR / "marketplace"
VAR_DIR = Path(os.environ.get("MARKETPLACE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
# The development key only ever exists with DEBUG on; production must set its own.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "dev-only-insecure-key-do-not-use-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
# The Ed25519 key that signs the public audit checkpoints (base64 of a 32-byte seed). Empty: a
# key derived from SECRET_KEY, fine for development; `check --deploy` warns (audit.W001).
AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY", "")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The kernel first, so its templates and translations win.
    "marketplace.accounts",
    "marketplace.catalog",
    "marketplace.audit",
    "marketplace.pki",
    "marketplace.notifications",
    "marketplace.search",
    "marketplace.outbox",
    "marketplace.webhooks",
    "marketplace.formatting",
    "marketplace.operations",
    "providers",
    "bidding",
    "contracts",
    "ratings",
    "cms",
    "demo",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # API
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    # Login throttling
    "axes",
    # Second factor: authenticator apps (TOTP) and recovery codes (docs/decisions.md
    # "Second factor (issue 13 §2)")
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_prometheus",
    "django_structlog",
]

MIDDLEWARE = [
    # Request counts and latencies for /metrics (marketplace.operations.metrics): first and last.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (marketplace.csp, below).
    "marketplace.csp.PathPolicyMiddleware",
    "marketplace.api.django_errors.APIMethodNotAllowedMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "marketplace.accounts.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The console and Django's admin need a session verified by the second factor.
    "marketplace.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a login that axes refused into its 429 (marketplace.accounts.lockout).
    "axes.middleware.AxesMiddleware",
    # Binds a request id to every log line and to the tasks the request enqueues.
    "django_structlog.middlewares.RequestMiddleware",
    "marketplace.operations.middleware.RequestIdHeaderMiddleware",
    # Last, so it is the first to see a view's exception: a refusal becomes its page.
    "marketplace.web.DomainErrorMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "marketplace.accounts.context_processors.membership",
                "marketplace.notifications.context_processors.inbox",
            ],
            "builtins": ["marketplace.formatting.templatetags.formatting"],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# DATABASE_URL (any dj-database-url form) or SQLite at SQLITE_PATH; SQLite gets the same WAL,
# IMMEDIATE-transaction and busy-timeout tuning either way. DATABASE_CONN_MAX_AGE keeps
# connections open between requests (default 0; always 0 under runserver): settings_backends.
DATABASES = {"default": database_settings(os.environ, sys.argv,
                                          default_sqlite_path=str(VAR_DIR / "db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace"
LOGOUT_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out login is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Login throttling (django-axes) and API tokens --------------------------------------------
# After LOGIN_FAILURE_LIMIT failures for one user name, or from one IP address, logging in is
# refused until LOGIN_LOCKOUT_MINUTES after the last failure (the login page, the console and
# `auth/token/`); a successful login forgets that user's failures. docs/decisions.md "Login
# throttling".
AXES_ENABLED = True
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Reset by user name only (receivers.forget_failures_on_login): axes' own reset would also
# forget every failure from the IP address, other user names' included.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "marketplace.accounts.lockout.lockout_response"
# REMOTE_ADDR, as sessions and signatures record it (see middleware.client_ip).
AXES_CLIENT_IP_CALLABLE = "marketplace.accounts.middleware.client_ip"
# Successful logins are already tracked as sessions; axes keeps only the failures.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# The account name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "中介超市"
# An API token lives this many days after its last use (sliding).
API_TOKEN_TTL_DAYS = int(os.environ.get("API_TOKEN_TTL_DAYS", "30"))

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Our catalog first; then the Chinese of the Wagtail admin strings that Wagtail's own zh_Hans
# catalog lacks (it covers about 70% of them), so the console is Chinese throughout. That
# directory is not named `locale`, so `makemessages` never writes our strings into it.
LOCALE_PATHS = [PROJECT_DIR / "locale", PROJECT_DIR / "locale_wagtail"]
# One date format per language (marketplace/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["marketplace.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Wagtail content in locale trees (zh-hans default, en translations via simple_translation),
# served at the same URLs as Chinese: the language comes from the cookie, never from a URL
# prefix, so the Django pages' stable URLs (/projects/, /accounts/…) keep working (cms.models).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
# In development whitenoise serves straight from the finders; no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads (qualification scans, bid attachments, deliverables) are checked by content and size.
MARKETPLACE_MAX_UPLOAD_BYTES = int(os.environ.get("MARKETPLACE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
FILE_UPLOAD_PERMISSIONS = 0o640
# Sealed bids at rest (docs/decisions.md "Sealed bids encrypted at rest"): key-encryption keys
# "id:base64(32 bytes),..." and the id that wraps new data keys; or a KMS class (dotted path).
# Unset: a key derived from SECRET_KEY (laptops and tests; `check --deploy` warns).
BID_SEAL_KEKS = os.environ.get("BID_SEAL_KEKS", "")
BID_SEAL_KEK_ID = os.environ.get("BID_SEAL_KEK_ID", "")
BID_SEAL_KMS = os.environ.get("BID_SEAL_KMS", "")
# Contract signatures (docs/decisions.md "PAdES contract signatures (issue 16)"): the certificate
# authority (a class, dotted path; default the demo CA), where the demo CA keeps its root and
# issuing keys (outside the repository) and their passphrase; `PKI_CA_AUTO_INIT` creates the
# demo CA on first use (on with DEBUG). Organization keys are sealed under BID_SEAL_KEKS.
PKI_AUTHORITY = os.environ.get("PKI_AUTHORITY", "marketplace.pki.demo.DemoAuthority")
PKI_CA_DIR = Path(os.environ.get("PKI_CA_DIR", VAR_DIR / "pki"))
PKI_CA_PASSPHRASE = os.environ.get("PKI_CA_PASSPHRASE") or (
    "demo-ca-passphrase-local-only" if DEBUG else "")
PKI_CA_AUTO_INIT = env_bool("PKI_CA_AUTO_INIT", DEBUG)
PKI_CERT_VALIDITY_DAYS = int(os.environ.get("PKI_CERT_VALIDITY_DAYS", "365"))
PKI_RENEW_BEFORE_DAYS = int(os.environ.get("PKI_RENEW_BEFORE_DAYS", "30"))
# An RFC 3161 timestamp authority for contract signatures; unset: the server's clock is the
# signing time (no TSA is reachable from the demo).
CONTRACT_TSA_URL = os.environ.get("CONTRACT_TSA_URL", "")

# --- Periods (DESIGN §5): number + s|m|h|d|wd ------------------------------------------------
MARKETPLACE_MIN_BIDDING_PERIOD = os.environ.get("MARKETPLACE_MIN_BIDDING_PERIOD", "72h")
# The longest a project may stay open for bids (bidding/rules.py check_bidding_period).
MARKETPLACE_MAX_BIDDING_PERIOD_DAYS = int(
    os.environ.get("MARKETPLACE_MAX_BIDDING_PERIOD_DAYS", "365"))
MARKETPLACE_PUBLICITY_PERIOD = os.environ.get("MARKETPLACE_PUBLICITY_PERIOD", "3wd")
MARKETPLACE_SIGNING_PERIOD = os.environ.get("MARKETPLACE_SIGNING_PERIOD", "5wd")
MARKETPLACE_RATING_PERIOD = os.environ.get("MARKETPLACE_RATING_PERIOD", "15d")
MARKETPLACE_REPLY_PERIOD = os.environ.get("MARKETPLACE_REPLY_PERIOD", "3wd")
# A monopoly item's time limit (issue 17 §3): the owner, the agency and the region's regulators
# are told when this many days, or this share (percent) of the limit, remain, whichever is
# earlier (contracts.clock.warning_window).
MARKETPLACE_TIME_LIMIT_WARNING_DAYS = int(
    os.environ.get("MARKETPLACE_TIME_LIMIT_WARNING_DAYS", "3"))
MARKETPLACE_TIME_LIMIT_WARNING_PERCENT = int(
    os.environ.get("MARKETPLACE_TIME_LIMIT_WARNING_PERCENT", "20"))

# --- Credit (until the ratings app computes it, every organization has the neutral default) -----
MARKETPLACE_DEFAULT_CREDIT_SCORE = float(os.environ.get("MARKETPLACE_DEFAULT_CREDIT_SCORE", "80"))
# The credit policy tables (event types' points, severity and duration; grade thresholds;
# automatic blacklisting thresholds; violation case grounds) are rules of the platform, kept in
# `ratings/policy.py` and checked at start-up; a setting of the same name replaces a whole table.
# Bayesian average: the platform mean counts as this many ratings (shrinks sparse records).
MARKETPLACE_CREDIT_PRIOR_WEIGHT = float(os.environ.get("MARKETPLACE_CREDIT_PRIOR_WEIGHT", "5"))
# A party that lets the rating window close rates the other with this on every criterion.
MARKETPLACE_DEFAULT_RATING = int(os.environ.get("MARKETPLACE_DEFAULT_RATING", "3"))
MARKETPLACE_CREDIT_REPAIR_MIN_PERIOD = os.environ.get("MARKETPLACE_CREDIT_REPAIR_MIN_PERIOD",
                                                      "90d")
MARKETPLACE_EXIT_PERIOD = os.environ.get("MARKETPLACE_EXIT_PERIOD", "1095d")
# Open data (OCDS 1.1): the ocid prefix registered with the Open Contracting Partnership (the
# OCDS helpdesk assigns one per publisher, docs/open-data.md; the default is a local placeholder
# that no registered prefix can be) and the org-id.guide scheme of the parties' identifiers (the
# USCC; CN-SAIC is org-id's Chinese register). MARKETPLACE_OCDS_OCID_PREFIX is the older name.
OCDS_OCID_PREFIX = (os.environ.get("OCDS_OCID_PREFIX")
                    or os.environ.get("MARKETPLACE_OCDS_OCID_PREFIX") or "ocds-local")
MARKETPLACE_OCDS_OCID_PREFIX = OCDS_OCID_PREFIX
# OCDS release and record packages: items per page by default and at most (`?limit=`).
OCDS_PAGE_SIZE = int(os.environ.get("OCDS_PAGE_SIZE", "100"))
OCDS_MAX_PAGE_SIZE = int(os.environ.get("OCDS_MAX_PAGE_SIZE", "1000"))
# The price index (issue 15 §3): how long its figures are cached (seconds; an award becoming
# final or passed on clears them at once in this process) and the fewest projects it will
# describe (fewer: "not enough data").
MARKETPLACE_PRICE_INDEX_CACHE_SECONDS = int(
    os.environ.get("MARKETPLACE_PRICE_INDEX_CACHE_SECONDS", "300"))
# The public pages' market figures (the home page's, the credit overview's bids per project,
# savings and monthly series: aggregates over every bid and award) are cached this long
# (seconds); any project event (published, opened, awarded...) computes them afresh at once.
MARKETPLACE_MARKET_FIGURES_CACHE_SECONDS = int(
    os.environ.get("MARKETPLACE_MARKET_FIGURES_CACHE_SECONDS", "300"))
# A text search's ranked ids are kept this long (seconds) per document type and query; any
# write to the search index starts afresh at once (in every process when the cache is shared,
# as CACHE_BACKEND=…RedisCache is in production; the local per-process cache is at most this
# late for writes made by the task worker). 0 turns it off.
MARKETPLACE_SEARCH_CACHE_SECONDS = int(os.environ.get("MARKETPLACE_SEARCH_CACHE_SECONDS", "60"))
# The catalog's lists as the list pages' filters show them (choices, the forms' HTML) are kept
# this long (seconds); saving a service item or region starts afresh at once. 0 turns it off.
MARKETPLACE_CATALOG_CACHE_SECONDS = int(
    os.environ.get("MARKETPLACE_CATALOG_CACHE_SECONDS", "300"))
MARKETPLACE_PRICE_INDEX_MIN_PROJECTS = int(
    os.environ.get("MARKETPLACE_PRICE_INDEX_MIN_PROJECTS", "5"))
MARKETPLACE_OCDS_ORG_SCHEME = os.environ.get("MARKETPLACE_OCDS_ORG_SCHEME", "CN-SAIC")
# Red flags (issue 15 §1, ratings/redflags): R003 flags a bidding period shorter than this many
# whole calendar days (Cardinal's default; the legal minimum, MIN_BIDDING_PERIOD, is shorter).
MARKETPLACE_REDFLAG_R003_DAYS = int(os.environ.get("MARKETPLACE_REDFLAG_R003_DAYS", "15"))
# The collusion and favouritism patterns (ratings/redflags/patterns.py; docs/decisions.md "Red
# flags: collusion and favouritism patterns"). CN02 bid rotation: a pair of agencies bidding
# together on at least MIN_SHARED awarded projects, taking turns winning them, neither winning
# more than MAX_OUTSIDE of its wins elsewhere.
MARKETPLACE_REDFLAG_CN02_MIN_SHARED = int(
    os.environ.get("MARKETPLACE_REDFLAG_CN02_MIN_SHARED", "4"))
MARKETPLACE_REDFLAG_CN02_MAX_OUTSIDE = float(
    os.environ.get("MARKETPLACE_REDFLAG_CN02_MAX_OUTSIDE", "0.5"))
# CN03 cover bidding: runner-up at most MARGIN above the same winner on at least MIN_PROJECTS
# projects, making up at least MIN_SHARE of the agency's losses to that winner.
MARKETPLACE_REDFLAG_CN03_MARGIN = float(os.environ.get("MARKETPLACE_REDFLAG_CN03_MARGIN", "0.03"))
MARKETPLACE_REDFLAG_CN03_MIN_PROJECTS = int(
    os.environ.get("MARKETPLACE_REDFLAG_CN03_MIN_PROJECTS", "3"))
MARKETPLACE_REDFLAG_CN03_MIN_SHARE = float(
    os.environ.get("MARKETPLACE_REDFLAG_CN03_MIN_SHARE", "0.5"))
# CN04 owner favouritism: owners with at least MIN_PROJECTS awarded projects are compared (CN05
# too); a favourite wins at least MIN_SHARE of the owner's awarded projects (besides the fence:
# in a large market the fence alone flags 3 wins of 100 by chance). CN05: at least MIN_PROJECTS
# awards without competition.
MARKETPLACE_REDFLAG_CN04_MIN_PROJECTS = int(
    os.environ.get("MARKETPLACE_REDFLAG_CN04_MIN_PROJECTS", "4"))
MARKETPLACE_REDFLAG_CN04_MIN_SHARE = float(
    os.environ.get("MARKETPLACE_REDFLAG_CN04_MIN_SHARE", "0.3"))
MARKETPLACE_REDFLAG_CN05_MIN_PROJECTS = int(
    os.environ.get("MARKETPLACE_REDFLAG_CN05_MIN_PROJECTS", "3"))
# How long a bid keeps the IP address and browser fingerprint it was submitted from (for the
# regulators' "shared identity" flag; the privacy notice says so), then they are blanked.
MARKETPLACE_BID_CLIENT_RETENTION_DAYS = int(
    os.environ.get("MARKETPLACE_BID_CLIENT_RETENTION_DAYS", "730"))

# --- Task queue -------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
# Short connect and socket timeouts, no retries of our own: the outbox publishes after the
# request and keeps what the broker refused for the next flush (settings_backends, outbox).
CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(CELERY_BROKER_URL, VAR_DIR)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_CONNECT_TIMEOUT
# The worker and beat wait for a broker that is not up yet rather than exit.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing outside the outbox (beat's schedule): one quick retry, then the next tick.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0,
                                    "interval_step": 0.5, "interval_max": 0.5}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How often the beat looks for deadlines reached (openings, publicity ends, signing lapses): a
# transition happens at most this long after its moment (the clock itself is enforced by the
# services, not by this tick). Every 2 s: a deadline's openings are due within seconds (issue 14
# "opening at scale"), and a tick with nothing due is one indexed query per task.
DUE_EVERY = float(os.environ.get("MARKETPLACE_DUE_TASKS_SECONDS", "2"))
CELERY_BEAT_SCHEDULE: dict = {
    "outbox-flush": {"task": "marketplace.outbox.flush", "schedule": 60.0},
    "audit-checkpoint": {"task": "marketplace.audit.checkpoint",
                         "schedule": float(os.environ.get("AUDIT_CHECKPOINT_SECONDS", "600"))},
    # Each task performs only the transitions that are due, idempotently, under row locks.
    "bidding-open-due-projects": {"task": "bidding.open_due_projects", "schedule": DUE_EVERY},
    "bidding-finalize-due-awards": {"task": "bidding.finalize_due_awards",
                                    "schedule": DUE_EVERY},
    "contracts-lapse-due": {"task": "contracts.lapse_due_contracts", "schedule": DUE_EVERY},
    "contracts-watch-time-limits": {"task": "contracts.watch_time_limits", "schedule": 600.0},
    "contracts-payments-retry": {"task": "contracts.payments_retry", "schedule": 600.0},
    "ratings-expire-blacklist": {"task": "ratings.expire_blacklist_entries", "schedule": 300.0},
    "ratings-close-rating-windows": {"task": "ratings.close_rating_windows", "schedule": 300.0},
    "ratings-purge-unverified-complaints": {"task": "ratings.purge_unverified_complaints",
                                            "schedule": 3600.0},
    "ratings-credit-recompute": {"task": "ratings.recompute_all",
                                 "schedule": crontab(hour=2, minute=30)},
    # Saved searches' daily digests (issue 17 §5), in the morning.
    "bidding-saved-search-digests": {"task": "bidding.saved_search_digests",
                                     "schedule": crontab(hour=7, minute=0)},
    "webhooks-deliver-due": {"task": "webhooks.deliver_due", "schedule": 60.0},
    "pki-renew-certificates": {"task": "pki.renew_due_certificates",
                               "schedule": crontab(hour=3, minute=15)},
    "ratings-red-flags": {"task": "ratings.red_flags_run", "schedule": crontab(hour=3, minute=0)},
    "bidding-purge-bid-client-data": {"task": "bidding.purge_bid_client_data",
                                      "schedule": crontab(hour=3, minute=30)},
}

# --- Search -----------------------------------------------------------------------------------
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "marketplace")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Payments ---------------------------------------------------------------------------------
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_CURRENCY = os.environ.get("STRIPE_CURRENCY", "cny")
# Connected accounts' events (account.updated) come from a Connect endpoint with its own secret.
STRIPE_CONNECT_WEBHOOK_SECRET = os.environ.get("STRIPE_CONNECT_WEBHOOK_SECRET", "")
STRIPE_TIMEOUT = float(os.environ.get("STRIPE_TIMEOUT", "20"))
# Two-letter country of agencies' Connect accounts (empty: Stripe uses the platform's country).
STRIPE_CONNECT_COUNTRY = os.environ.get("STRIPE_CONNECT_COUNTRY", "")
# Currency of offline (bank transfer) payments.
MARKETPLACE_PAYMENT_CURRENCY = os.environ.get("MARKETPLACE_PAYMENT_CURRENCY", "cny")
# Public address of the site, for links that leave it (Stripe's return to the contract page).
MARKETPLACE_SITE_URL = os.environ.get("MARKETPLACE_SITE_URL",
                                      os.environ.get("WAGTAILADMIN_BASE_URL",
                                                     "http://localhost:8000"))

# --- Webhooks (docs/webhooks.md) ----------------------------------------------------------------
# Development and tests may deliver to http:// and to loopback or private addresses; production
# (DEBUG off) only to https:// on public addresses (SSRF, docs/decisions.md "Webhooks").
WEBHOOKS_ALLOW_LOCAL_TARGETS = env_bool("WEBHOOKS_ALLOW_LOCAL_TARGETS", DEBUG)
WEBHOOKS_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOKS_TIMEOUT_SECONDS", "10"))
# Retries back off exponentially (1, 2, 4 … minutes, at most this many) for 24 hours.
WEBHOOKS_MAX_BACKOFF_SECONDS = int(os.environ.get("WEBHOOKS_MAX_BACKOFF_SECONDS", "14400"))
WEBHOOKS_RETRY_HOURS = int(os.environ.get("WEBHOOKS_RETRY_HOURS", "24"))
# An endpoint is disabled (its admins told) after this many failed attempts in a row, or when
# every attempt has failed for WEBHOOKS_RETRY_HOURS.
WEBHOOKS_DISABLE_AFTER_FAILURES = int(os.environ.get("WEBHOOKS_DISABLE_AFTER_FAILURES", "50"))

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "中介超市 <noreply@localhost>")

# --- Public complaints without an account (issue 17 §4) --------------------------------------
# Text messages: a dotted path to a marketplace.sms.SmsBackend; the local one sends nothing and
# keeps each message in memory, the log and SMS_FILE_PATH/outbox.jsonl (docs/decisions.md
# "Public complaints: the SMS sender").
SMS_BACKEND = os.environ.get("SMS_BACKEND", "marketplace.sms.LocalSmsBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(VAR_DIR / "sms"))
COMPLAINT_CODE_MINUTES = int(os.environ.get("COMPLAINT_CODE_MINUTES", "10"))
COMPLAINT_CODE_ATTEMPTS = int(os.environ.get("COMPLAINT_CODE_ATTEMPTS", "5"))
COMPLAINT_CODES_PER_COMPLAINT = int(os.environ.get("COMPLAINT_CODES_PER_COMPLAINT", "5"))
COMPLAINT_CODES_PER_CONTACT_HOUR = int(os.environ.get("COMPLAINT_CODES_PER_CONTACT_HOUR", "6"))
COMPLAINT_FILINGS_PER_ADDRESS_HOUR = int(os.environ.get("COMPLAINT_FILINGS_PER_ADDRESS_HOUR",
                                                        "5"))
COMPLAINT_FILINGS_PER_CONTACT_DAY = int(os.environ.get("COMPLAINT_FILINGS_PER_CONTACT_DAY", "3"))
COMPLAINT_VERIFICATIONS_PER_ADDRESS_HOUR = int(
    os.environ.get("COMPLAINT_VERIFICATIONS_PER_ADDRESS_HOUR", "30"))
COMPLAINT_UNVERIFIED_HOURS = int(os.environ.get("COMPLAINT_UNVERIFIED_HOURS", "24"))
# The throttles count in this cache: one all processes share in production (CACHE_BACKEND,
# e.g. django.core.cache.backends.redis.RedisCache, and CACHE_LOCATION); the default is the
# process's own memory, right for development and tests.
CACHES = {"default": {
    "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
    "LOCATION": os.environ.get("CACHE_LOCATION", ""),
}}

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marketplace.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "marketplace.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "中介超市 API",
    "DESCRIPTION": "REST API of the online intermediary-services marketplace.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Its deploy check would walk the root URL conf, Wagtail's admin API included; the test
    # suite validates our schema instead (`spectacular --urlconf marketplace.schema_urls`).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "ENUM_NAME_OVERRIDES": {
        "PaymentStatusEnum": "contracts.payments.models.Payment.Status",
        "PaymentMethodEnum": "contracts.payments.models.Payment.Provider",
        "PaymentEventOutcomeEnum": "contracts.payments.models.PaymentEvent.Outcome",
        "PaymentDisputeResolutionEnum": "contracts.payments.services.RESOLUTION_CHOICES",
        "ContractStatusEnum": "contracts.models.contracts.Contract.Status",
        "ContractPartyEnum": "contracts.models.contracts.Contract.Party",
        "DeliveryOutcomeEnum": "contracts.models.execution.Delivery.Outcome",
        "ViolationCaseStatusEnum": "ratings.models.cases.ViolationCase.Status",
        "ComplaintStatusEnum": "ratings.models.complaints.Complaint.Status",
        "InspectionPlanStatusEnum": "ratings.models.inspections.InspectionPlan.Status",
        "InspectionResultEnum": "ratings.models.inspections.InspectionTarget.Result",
        "OrganizationStatusEnum": "marketplace.accounts.models.Organization.Status",
    },
}

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "中介超市"
# The console speaks the site's languages only (Wagtail offers ~40), Chinese by default.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Nothing in the console calls the internet: no Gravatar avatars, no release check from the
# browser, no "what's new" banner pointing at Wagtail's English guide.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# The market's time zone; the full list includes the system alias "localtime", which the
# admin's time zone picker cannot display (a console error on the account page).
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = MARKETPLACE_MAX_UPLOAD_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Content-Security-Policy (django-csp) ----------------------------------------------------
# Enforced everywhere (development, tests, production). Scripts only from our own origin: no
# inline script, no event handler attribute, no eval, on the site, the console, the Django admin
# and the API docs alike (docs/decisions.md "Content-Security-Policy").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": ["/csp-report/"],
    },
}
# Directives a path prefix has in place of the above (marketplace.csp.PathPolicyMiddleware).
CSP_PATH_REPLACES = [
    # Wagtail's page and snippet preview shows our pages in a frame of the editor; its
    # rich-text editor (Draftail, in Wagtail's vendor.js) renders <style> elements (block
    # placeholders in the user's language, list numbering) that carry no nonce. Style
    # attributes stay refused (style-src-attr falls back to style-src).
    ("/console/", {"frame-ancestors": ["'self'"],
                   "style-src-elem": ["'self'", "'unsafe-inline'"]}),
]

# --- Production hardening (on whenever DEBUG is off) ------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# --- Logs and metrics (marketplace.operations; docs/decisions.md "Operations") ------------------
# One JSON object per line in production, key=value in development; a request id on each.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "console" if DEBUG else "json")
LOGGING = logging_config(LOG_FORMAT, os.environ.get("LOG_LEVEL", "INFO"))
DJANGO_STRUCTLOG_CELERY_ENABLED = True
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False  # no client addresses in logs (personal data)
# Who may read /metrics: a scraper on the operators' network (REMOTE_ADDR, not a forwarded
# header), loopback by default.
# The bid path's floor for `make bench` (marketplace.operations.bench_floor): routed only when
# this is on and DEBUG too; the bench turns it on, production never.
BENCH_FLOOR = env_bool("MARKETPLACE_BENCH_FLOOR", False)
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")

VAR_DIR.mkdir(parents=True, exist_ok=True)
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in ("out", "processed", "control"):
        (VAR_DIR / "broker" / _folder).mkdir(parents=True, exist_ok=True)
