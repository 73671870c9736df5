"""Settings shared by every environment. Secrets and hosts come from the environment;
nothing here is safe to run in production on its own (see production.py)."""

from pathlib import Path

import dj_database_url

from .env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
SECRET_KEY = env("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "core",
    "schools",
    "accounts",
    "policypages",
    "guidance",
    "sitesearch",
    "declarations",
    "digests",
    "hub",
    "sitesetup",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.sites",
    "accounts.apps.SchoolUsersAppConfig",  # Wagtail's users app, with accounts.guards applied
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # allauth's passkey pages use its template filters (without it /accounts/2fa/webauthn/ is a 500).
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "core.uploads.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.ActingPersonMiddleware",
    "accounts.middleware.NoAdminAccessMiddleware",
    "accounts.middleware.RequireSecondStepMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.page_cache.PageCacheMiddleware",
    "core.bad_input.BadQueryStringMiddleware",
    "core.published.PublishedRouting",
]

# Safe defaults everywhere (production adds HTTPS-only cookies and HSTS).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

ROOT_URLCONF = "schoolsite.urls"
# Tells people what to do next, in the site's design, and keeps the request context for the header.
CSRF_FAILURE_VIEW = "schoolsite.views.csrf_failure"
WSGI_APPLICATION = "schoolsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "policypages.context_processors.branding",
                "hub.context_processors.navigation",
                # Last: while a page is rendered for the signed-in page cache, its CSRF token is a placeholder.
                "core.page_cache.csrf_placeholder",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL says otherwise (PostgreSQL for a trust).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in goes through allauth everywhere, the Wagtail admin included.
LOGIN_URL = "account_login"
# Without a `next` address: the admin's dashboard for admin users, the staff hub for staff (hub/views.py).
LOGIN_REDIRECT_URL = "after_sign_in"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapters.SchoolAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins (accounts/adapters.py): per account from each address, and per address across accounts
    # set high enough for a school's staff behind one address; a browser that has signed in to the account
    # before has a bucket of its own, so nobody else's failures lock a colleague out of their own device.
    "login_failed": "30/5m/ip,5/5m/key",
    "login_failed_known_device": "5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# The real client address behind a proxy (docs/deployment.md): how many proxies in front of gunicorn add to
# X-Forwarded-For, or the header one trusted proxy sets. Without them every visitor has the proxy's address, and
# the per-address limits above would count a whole school as one person (a system check refuses that).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", "") or None
# Ask HR / ask the school (guidance/views.py, core/limits.py): (questions, seconds) per person for staff, per
# address for visitors.
QUESTION_LIMITS = {"staff": [(10, 3600), (30, 86400)], "visitor": [(3, 600), (10, 86400)]}
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
# Wagtail's own password reset and password change would bypass allauth's rate limits: allauth does both.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# A person's sign-in address is the school's record: nobody changes their own from Wagtail's account page (the
# site's admins do, after a fresh sign-in, and the old address is told: accounts/changes.py).
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
ACCOUNT_SESSION_REMEMBER = None

# Two-step verification: authenticator apps with recovery codes, and passkeys (WebAuthn).
MFA_ADAPTER = "accounts.mfa.SchoolMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = env("SITE_NAME", "School policies")
# Accept the code either side of the current 30 seconds: phones drift, and a code typed at the turn fails.
MFA_TOTP_TOLERANCE = 1
MFA_REQUIRED_FOR_PRIVILEGED_ROLES = env_bool("MFA_REQUIRED_FOR_PRIVILEGED_ROLES", True)
# Areas a privileged session reaches only after the second step (the records matrix also checks it).
MFA_REQUIRED_PATHS = ["/admin/", "/records/evidence/"]

# Single sign-on, switched on by environment variables; only the school's own email domains get in,
# and new SSO accounts join the Staff group (accounts.adapters).
SCHOOL_EMAIL_DOMAINS = [d.lower().lstrip("@") for d in env_list("SCHOOL_EMAIL_DOMAINS")]
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SchoolSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS = {}
# Microsoft Entra ID: the school's own tenant only. MICROSOFT_TENANT_ID is the directory (tenant) ID; the
# sign-in and token endpoints are that tenant's, and accounts.adapters refuses a token from any other tenant
# and the tenant's guests. "common" and "organizations" (any tenant at all) are refused (accounts.checks).
MICROSOFT_TENANT_ID = env("MICROSOFT_TENANT_ID", "") or env("MICROSOFT_TENANT", "")
# Google Workspace: only accounts of these hosted domains (the `hd` claim Google signs), default the school's.
GOOGLE_HOSTED_DOMAINS = [d.lower() for d in env_list("GOOGLE_HOSTED_DOMAINS")] or SCHOOL_EMAIL_DOMAINS
if env("MICROSOFT_CLIENT_ID"):
    INSTALLED_APPS.append("allauth.socialaccount.providers.microsoft")
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [
            {
                "client_id": env("MICROSOFT_CLIENT_ID"),
                "secret": env("MICROSOFT_CLIENT_SECRET", ""),
                "settings": {"tenant": MICROSOFT_TENANT_ID},
            }
        ],
        "EMAIL_AUTHENTICATION": True,
        # Trusted only because the adapter has checked the token came from the school's tenant, for a member.
        "VERIFIED_EMAIL": True,
    }
if env("GOOGLE_CLIENT_ID"):
    INSTALLED_APPS.append("allauth.socialaccount.providers.google")
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": env("GOOGLE_CLIENT_ID"), "secret": env("GOOGLE_CLIENT_SECRET", "")}],
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"hd": (GOOGLE_HOSTED_DOMAINS or ["*"])[0]},
        "EMAIL_AUTHENTICATION": True,
    }

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Evidence attached to confidential records: never under MEDIA_ROOT, never served by the web server;
# only declarations.views.evidence_file hands it out, after checking who is asking.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))

# How long confidential records are kept after they are filed or closed (days). docs/data-protection.md
# explains the defaults; a school can change each with an environment variable.
RECORD_RETENTION_DAYS = {
    "relationship": env_int("RETENTION_DAYS_RELATIONSHIP", 6 * 365),
    "rejected_contact": env_int("RETENTION_DAYS_REJECTED_CONTACT", 10 * 365),
    "abuse": env_int("RETENTION_DAYS_ABUSE", 6 * 365),
    "account_request": env_int("RETENTION_DAYS_ACCOUNT_REQUEST", 2 * 365),
}
STORAGES = {
    # Editors' images and documents; documents get unguessable names (core/storage.py).
    "default": {"BACKEND": "core.storage.SchoolFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Confidential evidence: never under MEDIA_ROOT, no URL (declarations/storage.py).
    "evidence": {"BACKEND": "declarations.storage.PrivateFileSystemStorage"},
}
# Several application servers share files through S3-compatible storage (AWS, MinIO, Azure's S3 gateway...).
# Credentials come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables or the machine's role.
S3_OPTIONS = {
    key: value
    for key, value in {
        "endpoint_url": env("S3_ENDPOINT_URL", ""),
        "region_name": env("S3_REGION", ""),
    }.items()
    if value
}
S3_MEDIA_BUCKET = env("S3_MEDIA_BUCKET", "")
S3_EVIDENCE_BUCKET = env("S3_EVIDENCE_BUCKET", "")
CSP_EXTRA_MEDIA_SOURCES = []
if S3_MEDIA_BUCKET:
    # Images and documents editors upload. Images are read straight from the bucket; documents only through
    # Wagtail's view (the bucket policy makes only images/ and original_images/ public: docs/deployment.md).
    STORAGES["default"] = {
        "BACKEND": "core.s3_storage.SchoolS3Storage",
        "OPTIONS": {
            "bucket_name": S3_MEDIA_BUCKET,
            "querystring_auth": False,
            "file_overwrite": False,
            "custom_domain": env("S3_MEDIA_DOMAIN", "") or None,
            **S3_OPTIONS,
        },
    }
    CSP_EXTRA_MEDIA_SOURCES = [
        "https://" + (env("S3_MEDIA_DOMAIN", "") or f"{S3_MEDIA_BUCKET}.s3.amazonaws.com"),
        *([env("S3_ENDPOINT_URL")] if env("S3_ENDPOINT_URL", "") else []),
    ]
if S3_EVIDENCE_BUCKET:
    # A private bucket: no public reads, no signed URLs handed out; the permission-checking view streams files.
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_EVIDENCE_BUCKET,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            **S3_OPTIONS,
        },
    }

# One cache for every server when REDIS_URL is set (search index version, PDFs, rate limits); sessions are
# kept in the database with Redis in front, so losing Redis signs nobody out. Without it, each process has
# its own memory cache, which is right for a single process (make run) only: see docs/deployment.md.
REDIS_URL = env("REDIS_URL", "")
# Whole pages for visitors who are not signed in (core/page_cache.py); purged by every publish.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Uploads (core/uploads.py): a whole request, and any one file, refused beyond these before it is read
# to the end. The largest legitimate body is a report with its 10 evidence files of 10 MB each; a file over
# its form's own limit (10 MB for evidence and admin uploads) but under twice that gets the form's message.
MAX_UPLOAD_FILE_BYTES = 20 * 1024 * 1024
MAX_REQUEST_BYTES = 101 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Email: SMTP when EMAIL_HOST is set, otherwise the console (overridden per environment).
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "policies@school.invalid")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAIL_SITE_NAME = env("SITE_NAME", "School policies")
# Links in emails and from the admin. Production takes BASE_URL or the site's first host (production.py).
WAGTAILADMIN_BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No request from any page to a third party: Wagtail would fetch avatars from Gravatar (which the CSP blocks,
# leaving a broken image on every admin page) and tell it who is signed in.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents are handed out by Wagtail's view, which checks the collection's privacy first: never a redirect to
# the file's own address, and /media/documents/ is not served (schoolsite/urls.py, docs/deployment.md).
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Search: the database backend by default; Elasticsearch when a trust points us at one.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", "")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            # Wagtail's Elasticsearch 9 backend with the school's analysis and synonyms in its index settings.
            "BACKEND": "sitesearch.elasticsearch_backend",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": env("ELASTICSEARCH_INDEX", "schoolsite"),
            "TIMEOUT": 5,
            "OPTIONS": {"max_retries": 1, "retry_on_timeout": False},
        },
        # Kept up to date alongside Elasticsearch, so search still answers if Elasticsearch is down.
        "fallback": {"BACKEND": "sitesearch.backends"},
    }
else:
    # Wagtail's database backend, with queries cut to a length a person types (sitesearch/backends.py).
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "sitesearch.backends"}}

# The semantic layer (sitesearch/embeddings.py): on by default. Off, search ranks by words alone; pages are still
# embedded when published, so turning it back on needs nothing else.
SEARCH_SEMANTIC = env_bool("SEARCH_SEMANTIC", True)

# How far ahead a policy counts as "due for review" on the dashboard and in reminders.
POLICY_REVIEW_DUE_SOON_DAYS = env_int("POLICY_REVIEW_DUE_SOON_DAYS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING").upper()},
}

# Governors approve policy changes without holding publish rights: completing the workflow publishes.
WAGTAIL_FINISH_WORKFLOW_ACTION = "policypages.workflows.publish_approved_revision"

# Staff have this many days to confirm a new substantive version (new starters: from their start date).
POLICY_READ_WITHIN_DAYS = env_int("POLICY_READ_WITHIN_DAYS", 14)
