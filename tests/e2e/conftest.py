"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

They run whenever /usr/bin/chromium and the playwright package are present and skip, saying why, when
not. `.ci/run` installs chromium and axe-core when missing, so CI always runs them.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - requirements-dev installs it
    sync_playwright = None


def pytest_collection_modifyitems(config, items):
    reason = None
    if sync_playwright is None:
        reason = "the playwright package is not installed (pip install -r requirements-dev.txt)"
    elif not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        reason = f"chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run does this)"
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread while the browser is open; the ORM calls the
    # tests (and the database flush after each one) make are still synchronous, so allow them meanwhile.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# Every page records what its Content-Security-Policy blocked, so tests can insist on nothing.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    yield page
    context.close()


def csp_violations(page):
    return page.evaluate("() => window.__cspViolations || []")


_demo_rows = {}  # database name -> the demo school's rows (tests/db_snapshot.py), made by the first test


@pytest.fixture
def demo_school(transactional_db):
    """The demo school, committed (the live server reads it from another thread). Built once per run; each
    later test gets the same rows back, which takes a fraction of the 15 s the build takes."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from core import content, published
    from tests import db_snapshot

    cache.clear()  # allauth remembers used one-time codes in the cache; the content version lives there too
    database = connection.settings_dict["NAME"]
    if database in _demo_rows:
        db_snapshot.restore(_demo_rows[database])
    else:
        db_snapshot.as_the_migrations_left_it()
        call_command("load_demo", "--allow-without-debug", stdout=open(os.devnull, "w"))
        _demo_rows[database] = db_snapshot.take()
    cache.clear()
    content._recent.version = None  # what was published is read afresh
    published.forget()


# What a search page shows, in order: the answer card when search is sure, then everything that might help.
SEARCH_RESULT_LINKS = ".answer-card h3 a, .result h3 a"


def sign_in(page, base_url, email, password="oakbrook-demo-2026", next_path="/"):
    """Sign in through allauth's form, answering the two-step verification step when it is asked."""
    from scripts.demo_server import sign_in_form
    from sitesetup.demo import current_totp_code

    sign_in_form(page, base_url, email, password, current_totp_code, next_path)


def axe_violations(page):
    """WCAG 2.2 A and AA violations axe-core finds on the current page."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (npm ci; .ci/run does this)")
    # Evaluated through the DevTools protocol rather than added as a <script>, which the site's
    # Content-Security-Policy rightly refuses: the policy stays on while the pages are checked.
    page.evaluate(AXE.read_text())
    # Colours are judged as they settle: a message fading in (Wagtail's) is not checked half-way.
    page.evaluate(
        """() => Promise.race([
            Promise.all(document.getAnimations()
                .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
                .map(a => a.finished.catch(() => null))),
            new Promise(resolve => setTimeout(resolve, 3000)),
        ])"""
    )
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(node['target'][0] for node in v['nodes'][:3])})"
        for v in result["violations"]
    ]


def has_horizontal_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")


def words_broken_across_lines(page, selector):
    """The words inside `selector` that the layout splits over two lines (a column too narrow for them)."""
    return page.evaluate(
        """selector => {
            const broken = [];
            for (const root of document.querySelectorAll(selector)) {
                const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    for (const match of node.textContent.matchAll(/\\S+/g)) {
                        const range = document.createRange();
                        range.setStart(node, match.index);
                        range.setEnd(node, match.index + match[0].length);
                        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                        if (tops.size > 1) broken.push(match[0]);
                    }
                }
            }
            return broken;
        }""",
        selector,
    )
