"""`manage.py demo_mfa_code` gives a demo account's current code on the site `make run` serves (development
settings, DEBUG off as `make run` leaves it), and nowhere else."""

import io

import pytest
from django.core.management import CommandError, call_command

from sitesetup.demo import current_totp_code


def code_for(email):
    out = io.StringIO()
    call_command("demo_mfa_code", email, stdout=out)
    return out.getvalue().strip()


def test_the_code_is_given_on_the_site_make_run_serves(settings):
    settings.DEBUG, settings.DEMO_CONTENT_ALLOWED = False, True
    code = code_for("hr@oakbrook.example")
    assert code == current_totp_code("hr@oakbrook.example") and len(code) == 6 and code.isdigit()


@pytest.mark.parametrize(
    "debug, allowed, email",
    [(False, False, "hr@oakbrook.example"), (True, True, "head@realschool.sch.uk")],
)
def test_never_for_a_real_site_or_a_real_account(settings, debug, allowed, email):
    settings.DEBUG = debug
    settings.DEMO_CONTENT_ALLOWED = allowed
    with pytest.raises(CommandError, match="Only for the demo school's accounts"):
        code_for(email)
