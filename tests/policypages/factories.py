"""Policies, their sections and issued versions (through the real service)."""

import datetime

import factory

from policypages.models import PolicyPage, PolicySectionPage, PolicyVersion
from policypages.services import issue_version
from tests.core.factories import PageFactory


def section_body(*sentences):
    return [{"type": "paragraph", "value": f"<p>{s}</p>"} for s in sentences]


class PolicyPageFactory(PageFactory):
    class Meta:
        model = PolicyPage

    title = factory.Sequence(lambda n: f"Policy {n}")
    slug = factory.Sequence(lambda n: f"policy-{n}")
    summary = "A policy for testing."


class PolicySectionPageFactory(PageFactory):
    class Meta:
        model = PolicySectionPage

    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Section {n + 1}")
    slug = factory.Sequence(lambda n: f"section-{n + 1}")
    body = factory.LazyAttribute(lambda o: section_body(f"Text of {o.title}."))


def make_policy(index, sections=3, **kwargs):
    policy = PolicyPageFactory(parent=index, **kwargs)
    for n in range(1, sections + 1):
        PolicySectionPageFactory(
            parent=policy,
            number=str(n),
            title=f"Section {n}",
            slug=f"section-{n}",
            body=section_body(f"Rule {n} says staff must be kind.", f"Second paragraph of section {n}."),
        )
    return policy


def issue(
    policy,
    label="1",
    *,
    issued_on=datetime.date(2026, 9, 1),
    approved_on=None,
    change_type=PolicyVersion.SUBSTANTIVE,
    summary="Issued.",
    approved_by="Governors",
    user=None,
):
    """Issue a version of `policy` through the real service, with test-friendly defaults."""
    return issue_version(
        policy,
        label=label,
        issued_on=issued_on,
        summary_of_changes=summary,
        change_type=change_type,
        approved_by=approved_by,
        approved_on=approved_on or issued_on,
        issued_by=user,
    )
