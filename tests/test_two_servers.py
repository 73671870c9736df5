"""Two application servers, one PostgreSQL database, no shared cache: an edit made anywhere is seen by both.

Runs on PostgreSQL only (SQLite's test database lives in the test process's memory, where no server process
can reach it); `.ci/run` runs the suite on PostgreSQL, so CI always runs this. Each server is a real
gunicorn process with the project's gunicorn.conf.py and a per-process memory cache, the worst case for
stale state.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from sitesearch.models import SynonymGroup
from tests.guidance.factories import make_answer

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL; .ci/run does this)"
)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def committed_tree(transactional_db):
    """The site tree, committed so that the server processes can read it (Django's flush empties the database
    afterwards; each transactional test starts by putting back what it needs)."""
    from django.contrib.contenttypes.models import ContentType

    from sitesetup.setup import setup_site
    from tests.db_snapshot import as_the_migrations_left_it

    ContentType.objects.clear_cache()  # an earlier flush may have made them afresh, under new ids
    as_the_migrations_left_it()
    site_tree, _ = setup_site("Test School")
    return site_tree


@pytest.fixture
def two_servers(committed_tree, tmp_path):
    yield from _start_two_servers(
        tmp_path, {"DJANGO_SETTINGS_MODULE": "schoolsite.settings.test", "DATABASE_URL": _database_url()}
    )


@pytest.fixture
def two_servers_words_only(committed_tree, tmp_path):
    """The same, searching by words alone: there a synonym decides what is found. With the model a synonym is
    one word's weight in the ranking and does not lift a page over the bar of "No answer found"
    (docs/search.md, "How sure"); Teach search is what makes a new phrasing find its answer."""
    yield from _start_two_servers(
        tmp_path,
        {
            "DJANGO_SETTINGS_MODULE": "schoolsite.settings.test",
            "DATABASE_URL": _database_url(),
            "SEARCH_SEMANTIC": "0",
        },
    )


def _start_two_servers(tmp_path, settings_env):
    env = {**os.environ, **settings_env, "WEB_CONCURRENCY": "1", "LOG_LEVEL": "warning"}
    servers, urls = [], []
    for n in range(2):
        port = _free_port()
        log = open(tmp_path / f"server-{n}.log", "w")
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
        servers.append(subprocess.Popen([*command, "schoolsite.wsgi"], cwd=ROOT, env=env, stdout=log, stderr=log))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, server in zip(urls, servers, strict=True):
            for _ in range(100):
                try:
                    urllib.request.urlopen(url + "/", timeout=2)
                    break
                except urllib.error.HTTPError:
                    break  # it answers
                except OSError:
                    assert server.poll() is None, (tmp_path / "server-0.log").read_text()
                    time.sleep(0.2)
        yield urls
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def _search(url, query):
    return [r["title"] for r in json.loads(_get(f"{url}/api/search/?q={query.replace(' ', '+')}"))["results"]]


def test_a_publish_a_setting_and_a_synonym_reach_both_servers_at_once(committed_tree, two_servers_words_only):
    tree = committed_tree
    first, second = two_servers = two_servers_words_only
    make_answer(tree.parents_guidance, "Can I bring a trampoline to sports day?", audience="parents")
    # Both servers build their own search index and cache what they can.
    for url in two_servers:
        assert _search(url, "trampoline") == ["Can I bring a trampoline to sports day?"]
        assert "Test School" in _get(url + "/parents/")

    # Elsewhere (this test process stands in for a third server, or the admin): publish, rename, add a synonym.
    make_answer(tree.parents_guidance, "Are trampolines allowed at the summer fair?", audience="parents")
    from policypages.branding import SchoolBranding

    branding = SchoolBranding.for_site(tree.home.get_site())
    branding.school_name = "Riverside Trust"
    branding.save()
    SynonymGroup.objects.create(terms="bouncy castle, trampoline")
    from core.content import content_changed

    content_changed()  # what the synonym admin's save signal does
    time.sleep(0.3)  # longer than the 0.2 s a process trusts the token for one request

    for url in (second, first):
        titles = _search(url, "trampoline")
        assert "Are trampolines allowed at the summer fair?" in titles, url
        assert "Can I bring a trampoline to sports day?" in _search(url, "bouncy castle"), url
        assert "Riverside Trust" in _get(url + "/parents/"), url


def test_a_new_version_of_a_section_and_a_privacy_change_reach_both_servers_at_once(committed_tree, two_servers):
    """Each server keeps a snapshot of what is published (addresses, restrictions) and each section's rendered
    body (core/published.py): an edit made elsewhere replaces them on both at once."""
    from wagtail.models import PageViewRestriction

    from tests.policypages.factories import make_policy, section_body

    policy = make_policy(committed_tree.policies, sections=2, slug="conduct")
    for url in two_servers:
        assert "Rule 2 says staff must be kind." in _get(url + "/policies/conduct/section-2/"), url
        assert "Rule 2 says staff must be kind." in _get(url + "/policies/conduct/"), url

    section = policy.get_children().get(slug="section-2").specific
    section.body = section_body("Rule 2 now says staff must be patient.")
    section.save_revision().publish()
    time.sleep(0.3)
    for url in reversed(two_servers):
        for address in ("/policies/conduct/section-2/", "/policies/conduct/"):
            page = _get(url + address)
            assert "Rule 2 now says staff must be patient." in page and "Rule 2 says staff must be kind." not in page

    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    time.sleep(0.3)
    for url in two_servers:
        assert "must be patient" not in _get(url + "/policies/conduct/section-2/"), url  # the sign-in page
        assert "must be patient" not in _get(url + "/policies/conduct/"), url


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def _redis_or_skip():
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
        client.ping()
    except redis.RedisError:
        pytest.skip(f"needs Redis at {REDIS_URL} (set TEST_REDIS_URL)")
    return client


@pytest.fixture
def two_servers_sharing_redis(committed_tree, tmp_path):
    """Two production-configured servers sharing one PostgreSQL database and one Redis, as a trust would run."""
    client = _redis_or_skip()
    client.flushdb()
    production = {
        "DJANGO_SETTINGS_MODULE": "schoolsite.settings.production",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": django_settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
    }
    # Production serves hashed static files from a manifest that a fresh checkout does not have yet.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env={**os.environ, **production},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield from _start_two_servers(
            tmp_path,
            {
                "DJANGO_SETTINGS_MODULE": "schoolsite.settings.production",
                "DATABASE_URL": _database_url(),
                "REDIS_URL": REDIS_URL,
                # The test's own key: the session made here (signed with it) must be read there.
                "SECRET_KEY": django_settings.SECRET_KEY,
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "false",
                "MEDIA_ROOT": str(tmp_path / "media"),
                "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
            },
        )
    finally:
        client.flushdb()


def _signed_in_session(user):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _open(url, cookies, data=None):
    import urllib.parse

    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(data).encode() if data is not None else None,
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        response = opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:  # a redirect after a POST
        response = error
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";")[0].partition("=")
        cookies[name] = value
    return response.status, response.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_receipt_made_on_one_server_shows_on_the_others_cached_pages_at_once(
    committed_tree, two_servers_sharing_redis
):
    """Each reader's own parts of cached pages (the hub's list, a policy's status) are kept in the shared Redis
    per person: confirming a policy through one server must show on the other server's next page."""
    from tests.accounts.factories import UserFactory
    from tests.policypages.factories import issue, make_policy

    first, second = two_servers_sharing_redis
    policy = make_policy(committed_tree.policies, sections=1, slug="conduct", title="Conduct")
    version = issue(policy, "1")
    cookies = {"sessionid": _signed_in_session(UserFactory(groups=["Staff"], first_name="Asha"))}
    for url in (first, second, second):  # the second time on the second server: the kept page and parts
        status, hub = _open(url + "/staff/", cookies)
        assert status == 200 and "1 of your 1 policy is waiting for you" in hub, url

    status, page = _open(first + "/policies/conduct/", cookies)
    token = page.split('name="csrfmiddlewaretoken" value="')[-1].split('"')[0]
    status, _ = _open(
        first + "/policies/conduct/confirm/", cookies, {"csrfmiddlewaretoken": token, "version": version.pk}
    )
    assert status == 302
    status, page = _open(first + "/policies/conduct/", cookies)  # shows (and so clears) the thank-you message
    assert "You confirmed version 1" in page

    status, hub = _open(second + "/staff/", cookies)
    assert "You are up to date with all 1 policy" in hub and "waiting for you" not in hub
    status, page = _open(second + "/policies/conduct/", cookies)
    assert "You confirmed version 1" in page
