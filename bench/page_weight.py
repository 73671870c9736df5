"""The weight of each main page as a first-time visitor's browser loads it: kB by kind and requests.

Run: `make bench` (or `.venv/bin/python bench/page_weight.py`). Serves a throwaway demo school
(scripts/demo_server.py) and loads each page in Debian's chromium with an empty cache. Sizes are the bytes
of each response body as sent by the development server (no compression), with what gzip would make of
them alongside; the aim for a policy section page is under 150 kB and 10 requests.
"""

import gzip
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from scripts.demo_server import demo_server, launch_browser, sign_in  # noqa: E402

PAGES = [
    ("home", None, "/"),
    ("parents", None, "/parents/"),
    ("policy (public)", None, "/policies/social-media/"),
    ("policy section", None, "/policies/social-media/contact-with-parents-and-carers/"),
    ("parents' answer", None, "/parents/questions/can-i-post-photos-of-the-school-play/"),
    ("staff hub", "staff", "/staff/"),
    ("search results", "staff", "/search/?q=can+I+friend+a+parent"),
    ("staff answer", "staff", "/staff/guidance/can-i-friend-a-parent-on-facebook/"),
    ("policy (staff)", "staff", "/policies/social-media/"),
    ("a form", "staff", "/staff/report-declined-contact/"),
    ("my policies", "staff", "/staff/my-policies/"),
]
KINDS = {"document": "html", "stylesheet": "css", "script": "js", "image": "img"}


def weigh(context, url):
    sizes, zipped, requests = defaultdict(int), 0, 0
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    for response in responses:
        requests += 1
        try:
            body = response.body()
        except Exception:  # a redirect has no body
            body = b""
        kind = KINDS.get(response.request.resource_type, "other")
        sizes[kind] += len(body)
        zipped += len(gzip.compress(body)) if kind in ("html", "css", "js") else len(body)
    page.close()
    return sizes, zipped, requests


def main():
    with demo_server() as base_url, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        signed_in = browser.new_context()
        sign_in(signed_in.new_page(), base_url, "staff")
        storage = signed_in.storage_state()
        print(
            f"{'page':<18} {'html':>6} {'css':>6} {'js':>6} {'img':>6} {'other':>6} {'total':>7} {'gzip':>6} {'req':>4}"
        )
        for name, who, path in PAGES:
            # A new context per page: an empty cache, as on a parent's first visit (cookies kept for staff).
            context = browser.new_context(storage_state=storage if who else None)
            sizes, zipped, requests = weigh(context, base_url + path)
            context.close()
            kb = {k: v / 1024 for k, v in sizes.items()}
            total = sum(kb.values())
            print(
                f"{name:<18} {kb.get('html', 0):>6.1f} {kb.get('css', 0):>6.1f} {kb.get('js', 0):>6.1f} "
                f"{kb.get('img', 0):>6.1f} {kb.get('other', 0):>6.1f} {total:>7.1f} {zipped / 1024:>6.1f} {requests:>4}"
            )
        print("kB = 1,024 bytes; 'gzip' = HTML, CSS and JS as gzip would send them, images as they are.")
        browser.close()


if __name__ == "__main__":
    main()
