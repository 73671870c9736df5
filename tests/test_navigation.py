"""The site's links to its main pages come from the page tree: an editor who renames or moves the staff hub, the
policies or the parents' page breaks no link (issue 18)."""

import datetime
import re

import pytest
from django.core import mail

from policypages.read_reminders import send_read_reminders
from tests.accounts.factories import UserFactory
from tests.policypages.factories import issue as issue_policy
from tests.policypages.factories import make_policy

pytestmark = pytest.mark.django_db


def rename(page, slug):
    page.slug = slug
    page.save_revision().publish()


def links(html):
    return set(re.findall(r'href="(/[^"#?]*)', html))


def test_renamed_main_pages_keep_every_link_working(client, tree, staff_user):
    rename(tree.staff, "team")
    rename(tree.policies, "our-policies")
    rename(tree.parents, "families")
    client.force_login(staff_user)
    home = client.get("/").content.decode()
    for address in ("/team/", "/team/my-policies/", "/our-policies/", "/families/"):
        assert f'href="{address}"' in home, address
    for address in links(home):
        if not address.startswith(("/static/", "/media/", "/brand/")):
            assert client.get(address).status_code == 200, address
    assert not any(a.startswith(("/staff/", "/policies/", "/parents/")) for a in links(home))
    assert client.get("/staff/").status_code == 404


def test_a_search_that_finds_nothing_offers_the_staff_guidance_where_it_now_is(client, tree, staff_user):
    rename(tree.staff, "team")
    client.force_login(staff_user)
    html = client.get("/search/", {"q": "zzqx"}).content.decode()
    assert 'href="/team/guidance/"' in html and client.get("/team/guidance/").status_code == 200


def test_a_site_without_a_parents_page_shows_no_link_to_one(client, tree):
    tree.parents.unpublish()
    html = client.get("/").content.decode()
    assert "For parents and carers" not in html and f'href="{tree.parents.url}"' not in html


def test_reading_reminders_point_to_the_reading_list_wherever_the_hub_is(tree):
    rename(tree.staff, "team")
    policy = make_policy(tree.policies, sections=1)
    issue_policy(policy, "1", issued_on=datetime.date(2020, 1, 5), approved_on=datetime.date(2020, 1, 1))
    UserFactory(groups=["Staff"], start_date=datetime.date(2019, 9, 1))
    send_read_reminders()
    assert mail.outbox and all("/team/my-policies/" in m.body and "/staff/" not in m.body for m in mail.outbox)
