"""Every main page, as the person who reads it: no WCAG 2.2 AA violations (axe-core), nothing that scrolls
sideways on a 360 px phone, the school's logo always described, and nothing the site's own
Content-Security-Policy has to block. One browser session per audience keeps
this quick; each failure names the page and the width."""

from .conftest import SEARCH_RESULT_LINKS, axe_violations, csp_violations, has_horizontal_scroll, sign_in

PUBLIC_PAGES = [
    "/",
    "/policies/",
    "/policies/social-media/",
    "/policies/social-media/contact-with-parents-and-carers/",
    "/parents/",
    "/parents/questions/",
    "/parents/questions/can-i-post-photos-of-the-school-play/",
    "/search/?q=photos+of+my+child",
    "/ask/?q=photos+of+my+child",
    "/accounts/login/",
    "/no-such-page/",
]

STAFF_PAGES = [
    "/staff/",
    "/search/?q=can+I+friend+a+parent",
    "/staff/guidance/can-i-friend-a-parent-on-facebook/",
    "/policies/social-media/",
    "/policies/social-media/versions/1/",
    "/policies/social-media/compare/",
    "/staff/my-policies/",
    "/staff/declare-a-relationship/",
    "/staff/report-declined-contact/",
    "/staff/report-online-abuse/",
    "/staff/request-an-official-account/",
    "/staff/my-records/",
    "/ask/?q=can+I+friend+a+parent",
    "/policies/social-media/check/",
]

SEARCH_PAGES_WITH_RESULTS = {"/search/?q=photos+of+my+child", "/search/?q=can+I+friend+a+parent"}
WIDTHS = (1280, 360)


def problems_on(page, base_url, paths):
    problems = []
    for path in paths:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            response = page.goto(base_url + path)
            where = f"{path} at {width}px"
            expected = 404 if path == "/no-such-page/" else 200
            if response.status != expected:
                problems.append(f"{where}: answered {response.status}")
                continue
            logo = page.locator("img.site-header__logo")
            if logo.count() != 1 or not (logo.get_attribute("alt") or "").strip():
                problems.append(f"{where}: the school's logo is missing or has no text alternative")
            if path in SEARCH_PAGES_WITH_RESULTS and page.locator(SEARCH_RESULT_LINKS).count() == 0:
                problems.append(f"{where}: the search found nothing, so its results were not checked")
            problems += [f"{where}: {violation}" for violation in axe_violations(page)]
            if has_horizontal_scroll(page):
                problems.append(f"{where}: scrolls sideways")
            problems += [f"{where}: Content-Security-Policy {v}" for v in csp_violations(page)]
    return problems


def test_public_pages_are_accessible_and_fit_a_phone(page, live_server, demo_school):
    assert problems_on(page, live_server.url, PUBLIC_PAGES) == []


def test_staff_pages_and_every_form_are_accessible_and_fit_a_phone(page, live_server, demo_school):
    sign_in(page, live_server.url, "staff@oakbrook.example", next_path="/staff/")
    assert problems_on(page, live_server.url, STAFF_PAGES) == []


def test_a_form_field_without_a_label_is_caught(page, live_server, demo_school):
    """The check above would notice a form that lost a label: prove it on a real form."""
    sign_in(page, live_server.url, "staff@oakbrook.example", next_path="/staff/declare-a-relationship/")
    assert axe_violations(page) == []
    page.evaluate("() => document.querySelector('label[for=id_person_name]').remove()")
    assert any(v.startswith("label:") for v in axe_violations(page))


def test_a_logo_without_alt_text_is_caught(page, live_server, demo_school):
    page.goto(live_server.url + "/")
    page.evaluate("() => document.querySelector('img.site-header__logo').removeAttribute('alt')")
    assert any(v.startswith("image-alt:") for v in axe_violations(page))


def test_the_content_security_policy_is_enforced_and_watched(page, live_server, demo_school):
    """The CSP check above would notice an inline script: prove the policy is on and the watcher hears it."""
    page.goto(live_server.url + "/parents/")
    assert csp_violations(page) == []
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                   document.body.appendChild(s); }"""
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("() => window.__ran") is None
    assert csp_violations(page)[0].startswith("script-src")
