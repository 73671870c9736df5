"""Production settings refuse to start unsafely, and `check --deploy` is clean under them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Variables a developer's shell (or another test) may have set that would change what is being checked.
IGNORED = {"SECRET_KEY", "ALLOWED_HOSTS", "BASE_URL", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
GOOD_KEY = "k3y-for-the-deploy-check-" + "x7Qp2Lm9Zr4Tv8Wn1Bc6Hd3Jf5Gs0Ky" * 2


def run_python(code, **env):
    clean = {k: v for k, v in os.environ.items() if k not in IGNORED}
    clean.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


SETUP = "import django; django.setup(); from django.conf import settings; "


def test_production_refuses_to_start_without_secret_key():
    result = run_python(SETUP, DJANGO_SETTINGS_MODULE="schoolsite.settings.production", ALLOWED_HOSTS="x.example")
    assert result.returncode != 0
    assert "SECRET_KEY environment variable must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_python(SETUP, DJANGO_SETTINGS_MODULE="schoolsite.settings.production", SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS environment variable must be set" in result.stderr


def test_production_is_secure_by_default():
    result = run_python(
        SETUP
        + "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS > 0)",
        DJANGO_SETTINGS_MODULE="schoolsite.settings.production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="x.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True"]


def test_check_deploy_is_clean_under_production_settings():
    clean = {k: v for k, v in os.environ.items() if k not in IGNORED - {"DATABASE_URL"}}
    clean.update(
        DJANGO_SETTINGS_MODULE="schoolsite.settings.production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="policies.example"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "url, engine",
    [("postgres://u:p@db.example:5432/policies", "django.db.backends.postgresql"), ("", "django.db.backends.sqlite3")],
)
def test_database_comes_from_database_url(url, engine):
    env = {"DJANGO_SETTINGS_MODULE": "schoolsite.settings.dev"}
    if url:
        env["DATABASE_URL"] = url
    result = run_python(SETUP + "print(settings.DATABASES['default']['ENGINE'])", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == engine


PRODUCTION = dict(
    DJANGO_SETTINGS_MODULE="schoolsite.settings.production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="x.example"
)


def test_production_serves_hashed_static_files_through_whitenoise():
    result = run_python(
        SETUP + "print(settings.STORAGES['staticfiles']['BACKEND']); print(settings.MIDDLEWARE[2])", **PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]


def test_behind_a_proxy_the_site_must_be_told_how_to_find_the_real_address():
    result = run_python(
        SETUP + "from django.core.management import call_command; call_command('check')",
        SECURE_PROXY_SSL_HEADER="1",
        **PRODUCTION,
    )
    assert result.returncode != 0 and "accounts.E002" in result.stderr + result.stdout
    result = run_python(
        SETUP + "from django.core.management import call_command; call_command('check'); "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
        SECURE_PROXY_SSL_HEADER="1",
        TRUSTED_PROXY_COUNT="1",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "1"


def test_redis_url_shares_the_cache_and_keeps_sessions_in_the_database():
    code = SETUP + "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
    result = run_python(code, REDIS_URL="redis://127.0.0.1:6379/3", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "core.cache.ResilientRedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_s3_buckets_hold_media_and_private_evidence():
    code = SETUP + (
        "from django.core.files.storage import storages; "
        "e = storages['evidence']; m = storages['default']; "
        "print(type(m).__name__, m.bucket_name, m.querystring_auth); "
        "print(type(e).__name__, e.bucket_name, e.default_acl, e.querystring_auth); "
        "print(settings.CSP_EXTRA_MEDIA_SOURCES[0])"
    )
    result = run_python(code, S3_MEDIA_BUCKET="trust-media", S3_EVIDENCE_BUCKET="trust-evidence", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "SchoolS3Storage trust-media False",
        "S3Storage trust-evidence private True",
        "https://trust-media.s3.amazonaws.com",
    ]


def test_one_bucket_for_media_and_evidence_is_refused():
    code = SETUP + "from django.core.management import call_command; call_command('check')"
    result = run_python(code, S3_MEDIA_BUCKET="same", S3_EVIDENCE_BUCKET="same", **PRODUCTION)
    assert result.returncode != 0
    assert "declarations.E002" in result.stderr


def test_settings_import_no_app_code():
    """Settings name the project's classes as strings: importing them loads none of the apps (nor, through
    them, Django's models before the app registry is ready)."""
    code = (
        "import sys, schoolsite.settings.production as s; "
        "apps = {'accounts', 'policypages', 'guidance', 'search', 'declarations', 'digests'}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in apps))"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="schoolsite.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="school.example",
        ELASTICSEARCH_URL="http://127.0.0.1:9200",
        MICROSOFT_CLIENT_ID="id",
        MICROSOFT_TENANT_ID="00000000-0000-0000-0000-000000000000",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "env, address",
    [
        ({"ALLOWED_HOSTS": ".oakbrook.sch.uk,policies.oakbrook.sch.uk"}, "https://policies.oakbrook.sch.uk"),
        ({"ALLOWED_HOSTS": "policies.oakbrook.sch.uk", "BASE_URL": "https://staff.oakbrook.sch.uk/"}, "https://staff.oakbrook.sch.uk"),
    ],
)
def test_links_in_emails_lead_to_the_site_never_the_development_address(env, address):
    result = run_python(
        SETUP + "print(settings.WAGTAILADMIN_BASE_URL)",
        DJANGO_SETTINGS_MODULE="schoolsite.settings.production",
        SECRET_KEY=GOOD_KEY,
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == address
