"""Reads the demo school from its data files in `demo_school/`: the school's own words live there, as data a
writer can edit without touching code; the modules beside this one only know how to put them in place.

- `school.json`: the school's name, its demo users, branding, official accounts, parents' page, the answers
  pinned to the staff hub and the forms the answers link to; it lists the policy files in the order they load.
- `policies/*.json`: a policy's page, its first sections, then each issued version with what changed before it
  was issued (sections changed or added, forms linked, the understanding check) and, optionally, a version
  waiting for the governors. Section bodies are StreamField JSON, as Wagtail stores them.
- `answers.csv`: the guidance answers in the spreadsheet format HR imports (guidance/importer.py).
- `badge.png`: the school's badge.

Rich text names another page by slug (`<a linktype="page" slug="complaints">`), so a link follows the page
when an editor renames or moves it; `link_pages` turns that into Wagtail's page link once the page exists.
"""

import csv
import datetime
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from wagtail.models import Page

from accounts.roles import ROLES_BY_NAME

DEMO_SCHOOL = Path(__file__).resolve().parent / "demo_school"


class DemoDataError(Exception):
    """The demo school's files say something the site cannot build: a developer's mistake, named precisely."""


@dataclass(frozen=True)
class DemoUser:
    sign_in: str
    first_name: str
    last_name: str
    job_title: str
    groups: tuple
    site_administrator: bool


def read_json(name):
    path = DEMO_SCHOOL / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DemoDataError(f"Cannot read the demo school's {name}: {exc}") from exc


@cache
def school():
    return read_json("school.json")


def demo_users():
    users = []
    for entry in school()["users"]:
        unknown = [name for name in entry["groups"] if name not in ROLES_BY_NAME]
        if unknown:
            raise DemoDataError(f"Demo user '{entry['sign_in']}' is in groups no role defines: {', '.join(unknown)}")
        users.append(DemoUser(**{**entry, "groups": tuple(entry["groups"])}))
    return users


def policies():
    return [read_json(f"policies/{name}") for name in school()["policies"]]


@cache
def answer_rows():
    """The demo school's answers as rows of answers.csv (the trust demo makes up its schools' answers from them)."""
    text = read_bytes("answers.csv").decode("utf-8")
    return [dict(row) for row in csv.DictReader(text.splitlines())]


def read_bytes(name):
    return (DEMO_SCHOOL / name).read_bytes()


def day(text):
    return datetime.date.fromisoformat(text)


PAGE_BY_SLUG = re.compile(r'<a linktype="page" slug="([\w-]+)">')


def link_pages(html):
    """`<a linktype="page" slug="x">` becomes Wagtail's link to the page with that slug."""

    def page_link(match):
        page = Page.objects.filter(slug=match.group(1)).first()
        if page is None:
            raise DemoDataError(f"The demo school links to a page '{match.group(1)}' it does not build.")
        return f'<a linktype="page" id="{page.pk}">'

    return PAGE_BY_SLUG.sub(page_link, html)


def linked_blocks(value):
    """A StreamField body from the data files, with the page links in its rich text resolved."""
    if isinstance(value, str):
        return link_pages(value)
    if isinstance(value, list):
        return [linked_blocks(item) for item in value]
    if isinstance(value, dict):
        return {key: linked_blocks(item) for key, item in value.items()}
    return value
