"""Screenshots of every page type at a phone and a desktop width: `make screenshots`.

Loads a throwaway demo school (scripts/demo_server.py), visits each page as the person who would read it
and writes PNGs (reduced to 256 colours, to keep the repository small) into docs/screenshots/ (linked from the README), replacing the old ones.
"""

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from scripts.demo_server import ROOT, demo_server, launch_browser, sign_in  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
WIDTHS = {"phone": (360, 780), "desktop": (1280, 900)}

# (file name, who is signed in or None, path, what to do on the page first)
PAGES = [
    ("01-home", None, "/", None),
    ("02-parents", None, "/parents/", None),
    ("03-parents-answer", None, "/parents/questions/can-i-post-photos-of-the-school-play/", None),
    ("04-policy-public", None, "/policies/social-media/", None),
    ("05-section", None, "/policies/social-media/contact-with-parents-and-carers/", None),
    ("06-sign-in", None, "/accounts/login/", None),
    ("07-not-found", None, "/no-such-page/", None),
    ("10-staff-hub", "staff", "/staff/", None),
    ("11-search-results", "staff", "/search/?q=can+I+friend+a+parent", None),
    ("12-answer", "staff", "/staff/guidance/can-i-friend-a-parent-on-facebook/", None),
    ("13-policy-staff", "staff", "/policies/social-media/", None),
    ("14-my-policies", "staff", "/staff/my-policies/", None),
    ("15-form-declare", "staff", "/staff/declare-a-relationship/", None),
    ("16-form-declined-contact", "staff", "/staff/report-declined-contact/", None),
    ("17-form-abuse", "staff", "/staff/report-online-abuse/", None),
    ("18-form-account", "staff", "/staff/request-an-official-account/", None),
    ("19-my-submissions", "staff", "/staff/my-records/", None),
    ("20-past-version", "staff", "/policies/social-media/versions/1/", None),
    ("21-compare-versions", "staff", "/policies/social-media/compare/", None),
    ("30-admin-reading", "hr", "/admin/policy-reading/", None),
    ("31-admin-records", "head", "/admin/declarations/record/", None),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="take only the pages whose name contains this")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    pages = [p for p in PAGES if not args.only or args.only in p[0]]
    with demo_server() as base_url, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        contexts = {}
        for name, who, path, _ in pages:
            for width_name, (width, height) in WIDTHS.items():
                key = (who, width_name)
                if key not in contexts:
                    context = browser.new_context(viewport={"width": width, "height": height})
                    if who:
                        sign_in(context.new_page(), base_url, who)
                    contexts[key] = context
                page = contexts[key].new_page()
                page.goto(base_url + path)
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{width_name}.png"
                shot = Image.open(io.BytesIO(page.screenshot(full_page=True)))
                shot.convert("RGB").quantize(colors=256).save(target, optimize=True)
                page.close()
                print(f"wrote {target.relative_to(ROOT)}")
        browser.close()
    if not args.only:
        write_index()


def write_index():
    lines = [
        "# Screenshots",
        "",
        "Written by `make screenshots` from a freshly loaded demo school (do not edit by hand).",
        "",
        "| page | seen as | phone (360 px) | desktop (1280 px) |",
        "|---|---|---|---|",
    ]
    for name, who, path, _ in PAGES:
        viewer = f"{who}@oakbrook.example" if who else "anyone (no account)"
        lines.append(f"| `{path}` | {viewer} | [phone]({name}-phone.png) | [desktop]({name}-desktop.png) |")
    (OUT / "README.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {(OUT / 'README.md').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
