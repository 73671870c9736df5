"""Reading a policy in the browser: contents that follow the reader, links that copy, a PDF and a paper copy."""

import io

from pypdf import PdfReader


def test_the_contents_follow_the_reader_down_the_policy(page, live_server, demo_school):
    page.goto(live_server.url + "/policies/social-media/")
    toc = page.get_by_role("navigation", name="Contents")
    page.evaluate("() => document.getElementById('section-6').scrollIntoView()")
    current = toc.locator("a[aria-current=true]")
    current.wait_for()
    assert current.get_attribute("href") == "#section-6"
    page.evaluate("() => document.getElementById('section-11').scrollIntoView()")
    page.wait_for_function(
        "() => document.querySelector('.toc a[aria-current=true]').getAttribute('href') === '#section-11'"
    )


def test_a_section_link_is_copied_and_the_copy_is_announced(browser, live_server, demo_school):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(live_server.url + "/policies/social-media/")
    page.get_by_role("button", name="Copy link to 6. Contact with parents and carers").click()
    status = page.get_by_role("status")
    page.wait_for_function("() => document.getElementById('copy-status').textContent.includes('copied')")
    assert "6. Contact with parents and carers" in status.inner_text()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == live_server.url + "/policies/social-media/#section-6"
    page.goto(copied)
    assert page.locator("#section-6").is_visible()
    context.close()


def test_a_parent_downloads_the_current_version_as_a_pdf(page, live_server, demo_school):
    page.goto(live_server.url + "/policies/social-media/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF of version 2.1").click()
    download = download_info.value
    assert download.suggested_filename == "social-media-version-2.1.pdf"
    reader = PdfReader(download.path())
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Staff social media policy" in text and "Version 2.1" in text
    assert "If you are abused or impersonated online" not in text  # staff-only section


def test_the_printed_policy_is_clean_and_every_page_says_which_version(page, live_server, demo_school):
    page.goto(live_server.url + "/policies/social-media/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("link", name="Download PDF of version 2.1").is_visible()
    pages = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    assert len(pages) > 3
    for number, printed in enumerate(pages, start=1):
        text = printed.extract_text()
        assert "version 2.1, issued 6 October 2025" in text, f"page {number} has no version line"
        assert "Skip to main content" not in text and "Sign in" not in text
