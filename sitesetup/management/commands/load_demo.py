import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sitesetup.demo import DEMO_DOMAIN, DEMO_USERS, demo_password, demo_totp_secret, load_demo
from sitesetup.trust_demo import TRUST_HOST, load_trust_demo, trust_logins


class Command(BaseCommand):
    help = (
        "Build the fictional demo school (policies, versions, parents' page, a user for each role). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load demo users on a site whose settings do not allow demo content. Never on a real school's site.",
        )
        parser.add_argument(
            "--trust",
            type=int,
            metavar="SCHOOLS",
            help="Then make the demo school one of a trust of this many schools (50: 10,000 staff, about 2,000 policy "
            "sections, 10,000 answers; several minutes), each at schoolNN.localhost, the trust at trust.localhost.",
        )
        parser.add_argument("--staff-per-school", type=int, default=200, help=argparse.SUPPRESS)
        parser.add_argument("--answers-per-school", type=int, default=200, help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        # Demo users have known passwords: only the local demo settings (make run) allow them, whatever DEBUG is.
        if (
            not (settings.DEBUG or getattr(settings, "DEMO_CONTENT_ALLOWED", False))
            and not options["allow_without_debug"]
        ):
            raise CommandError(
                "Refusing to load demo users with known passwords on a site whose settings do not allow demo "
                "content (only the local demo, schoolsite.settings.dev, does). Use --allow-without-debug only on a "
                "throwaway copy."
            )
        report = load_demo()
        for line in report:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            self.style.SUCCESS("Demo school loaded." if report else "Demo school already loaded; nothing to change.")
        )
        if options["trust"]:
            if options["trust"] < 2:
                raise CommandError("A trust has at least two schools: --trust 2 or more.")
            for line in load_trust_demo(
                options["trust"],
                staff_per_school=options["staff_per_school"],
                answers_per_school=options["answers_per_school"],
                progress=self.stdout.write,
            ):
                self.stdout.write(f"  {line}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Trust loaded: the trust's site at http://{TRUST_HOST}:8000/, each school at "
                    "http://schoolNN.localhost:8000/ (the demo school stays at 127.0.0.1:8000)."
                )
            )
            self.stdout.write(
                "Every trust account has the demo password below; each school's staff are s<school>-<n>@trust.example "
                "(the first five HR, the sixth a governor; HR and governors set up two-step verification at their "
                "first visit to the admin). For example:"
            )
            for email, who in trust_logins():
                self.stdout.write(f"  {email:<28} {who}")
        self.stdout.write(f"\nDemo logins (password for all: {demo_password()}):")
        for user in DEMO_USERS:
            email = f"{user.sign_in}@{DEMO_DOMAIN}"
            self.stdout.write(f"  {email:<28} {user.job_title:<30} {', '.join(user.groups)}")
        self.stdout.write(
            "\nHR, the head, the DSL and the admin also need a two-step verification code. Get one with\n"
            "  .venv/bin/python manage.py demo_mfa_code hr@oakbrook.example\n"
            "or add the account's secret to an authenticator app:"
        )
        from accounts.mfa import needs_mfa
        from accounts.models import User

        for user in User.objects.filter(email__endswith="@" + DEMO_DOMAIN).order_by("pk"):
            if needs_mfa(user):
                self.stdout.write(f"  {user.email:<28} {demo_totp_secret(user.email)}")
