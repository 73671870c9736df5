"""Serve a throwaway copy of the demo school for tools that look at the site in a browser.

Used by `make screenshots` and `bench/page_weight.py`: a new SQLite database and media folder in a
temporary directory, `migrate` + `load_demo`, then `runserver --insecure` (static files served as
collected, no DEBUG toolbar) on a free port. Nothing touches the developer's own db.sqlite3.
"""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "oakbrook-demo-2026"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def demo_server(debug=False):
    """Yield the base URL of a freshly loaded demo school; stop the server and delete it all afterwards."""
    with tempfile.TemporaryDirectory(prefix="demo-school-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "schoolsite.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "MEDIA_ROOT": f"{tmp}/media",
            "PRIVATE_MEDIA_ROOT": f"{tmp}/private-media",
            "PYTHONUNBUFFERED": "1",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        for command in (["migrate", "--noinput"], ["load_demo"]):
            subprocess.run(manage + command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        if not debug:
            env["DEBUG"] = "false"  # the real 404 and 500 pages, as a deployed site shows them
        port = _free_port()
        # --insecure serves static files the way a deployed site would (no DEBUG-only extras are added).
        args = ["runserver", "--noreload", f"127.0.0.1:{port}"] + ([] if debug else ["--insecure"])
        log = open(f"{tmp}/server.log", "w+")  # a file, not a pipe: a full pipe would stall the server
        server = subprocess.Popen(manage + args, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        base_url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base_url + "/", timeout=2)
                    break
                except urllib.error.HTTPError as error:
                    log.seek(0)
                    raise RuntimeError(f"The demo home page answered {error.code}:\n{log.read()}") from None
                except OSError:
                    if server.poll() is not None:
                        log.seek(0)
                        raise RuntimeError(log.read()) from None
                    time.sleep(0.2)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])


def sign_in_form(page, base_url, email, password, code_for, next_path="/"):
    """Sign in through allauth's form, answering the two-step verification step with code_for(email) if asked."""
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        page.fill("input[name=code]", code_for(email))
        page.click("form button[type=submit]")
        page.wait_for_load_state()


def sign_in(page, base_url, who):
    """Sign in as a demo person (staff, hr, head ...)."""
    sign_in_form(page, base_url, f"{who}@oakbrook.example", PASSWORD, _demo_code)


def _demo_code(email):
    # The demo's authenticator secrets are derived from the address, so the code can be computed here.
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolsite.settings.dev")
    import django

    django.setup()
    from sitesetup.demo import current_totp_code

    return current_totp_code(email)
