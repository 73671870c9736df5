"""A school at the size issue 17 measures: 2,000 staff and 40 policies (two issued versions each, receipts
for most staff), added to whatever the database holds. Used by bench/reading_report.py and bench/load.py.

Run alone: `.venv/bin/python bench/school_at_scale.py [--staff 2000] [--policies 40]` with DATABASE_URL and
DJANGO_SETTINGS_MODULE set (bench/load.py does this on its throwaway database, after the demo school)."""

import argparse
import datetime
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def add_staff_and_policies(policy_index, staff_count, policy_count):
    """Returns the number of receipts made."""
    from django.contrib.auth.models import Group

    from accounts.models import User
    from policypages.models import PolicyVersion, ReadReceipt
    from policypages.services import issue_version
    from tests.policypages.factories import make_policy

    staff_group = Group.objects.get(name="Staff")
    users = User.objects.bulk_create(
        User(
            username=f"s{i}",
            email=f"s{i}@school.example",
            first_name="Staff",
            last_name=f"Member {i:05d}",
            password="!",
            start_date=datetime.date(2020, 9, 1),
        )
        for i in range(staff_count)
    )
    User.groups.through.objects.bulk_create(User.groups.through(user_id=u.pk, group_id=staff_group.pk) for u in users)
    rng = random.Random(1)
    receipts = []
    for n in range(policy_count):
        policy = make_policy(policy_index, sections=1, slug=f"policy-{n}", title=f"Policy {n:02d}")
        versions = [
            issue_version(
                policy,
                label=str(v),
                issued_on=datetime.date(2025, v, 1),
                summary_of_changes="x",
                change_type=PolicyVersion.SUBSTANTIVE,
                approved_by="Governors",
                approved_on=datetime.date(2025, v, 1),
                issued_by=None,
            )
            for v in (1, 2)
        ]
        for user in users:
            roll = rng.random()
            if roll < 0.6:
                receipts.append(ReadReceipt(user=user, policy=policy, version=versions[1]))
            elif roll < 0.8:
                receipts.append(ReadReceipt(user=user, policy=policy, version=versions[0]))
    ReadReceipt.objects.bulk_create(receipts, batch_size=5000)
    return len(receipts)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--policies", type=int, default=40)
    args = parser.parse_args()
    import django

    django.setup()
    from policypages.models import PolicyIndexPage

    index = PolicyIndexPage.objects.order_by("path").first()
    receipts = add_staff_and_policies(index, args.staff, args.policies)
    print(f"Added {args.staff} staff, {args.policies} policies and {receipts} receipts")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolsite.settings.dev")
    main()
