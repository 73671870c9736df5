"""Factories for users and pages. Pages are added to the tree with add_child, as Wagtail requires."""

import datetime

import factory
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from accounts.models import User
from guidance.models import GuidanceAnswerPage
from policypages.models import PolicyPage, PolicySectionPage, PolicyVersion
from policypages.services import issue_version


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@school.example")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("password")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in extracted])


class PageFactory(factory.Factory):
    """Builds a page and adds it under `parent`, published unless live=False."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, parent, live=True, staff_only=False, **kwargs):
        page = model_class(**kwargs)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish(skip_permission_checks=True)
            page.refresh_from_db()
        else:
            page.live = False
            page.save(update_fields=["live"])
        if staff_only:
            PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        return page


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


class GuidanceAnswerFactory(PageFactory):
    class Meta:
        model = GuidanceAnswerPage


def make_answer(parent, title, audience="staff", **kwargs):
    """A published answer under `parent` (staff answers in the staff guidance, others in the parents')."""
    from django.utils.text import slugify

    return GuidanceAnswerFactory(
        parent=parent,
        title=title,
        slug=slugify(title),
        short_answer=kwargs.pop("short_answer", "No"),
        answer=kwargs.pop("answer", "<p>Because.</p>"),
        audience=audience,
        **kwargs,
    )
