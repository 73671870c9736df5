"""Whose accounts a person looks after: everyone's on a site with one school; in a trust, the people of their own
schools, or everyone for the trust's central team and the superuser. The same rule filters the admin's people
list and refuses a change (accounts.changes)."""

from django.conf import settings
from django.db.models import Q

from schools.services import in_central_team, is_trust, schools_of


def _everyone(actor):
    return actor.is_superuser or in_central_team(actor) or not is_trust()


def may_manage_person(actor, person, before_school_id=None):
    """Whether `actor` may act on `person`'s account: the person is (and was, before this change) filed under one
    of the actor's schools."""
    if _everyone(actor):
        return True
    if getattr(actor, "school_id", None) is None or getattr(person, "in_central_team", False):
        return False
    theirs = schools_of(actor)
    return person.school_id in theirs and (before_school_id is None or before_school_id in theirs)


def people_within_reach(actor, people):
    """`people` (a queryset of accounts) narrowed to those `actor` looks after."""
    if _everyone(actor):
        return people
    if getattr(actor, "school_id", None) is None:
        return people.none()
    return people.filter(Q(school__in=schools_of(actor)) & Q(in_central_team=False))


def schools_domains(person):
    """The email domains the school knows as its own for this person: their school's (Settings > Schools) and
    the site's (SCHOOL_EMAIL_DOMAINS). Empty when neither is set."""
    domains = set(settings.SCHOOL_EMAIL_DOMAINS)
    school = getattr(person, "school", None)
    if school is not None:
        domains |= set(school.email_domain_list)
    return domains


def _domain(address):
    return (address or "").rsplit("@", 1)[-1].lower()


def address_refusal(person, new_address, old_address):
    """A person's own sign-in address stays the school's: within the school's domains, or, where the school has
    listed none, on the domain it had. None when the address may be used."""
    domains = schools_domains(person) or ({_domain(old_address)} if old_address else set())
    if domains and _domain(new_address) not in domains:
        listed = ", ".join(sorted(domains))
        return f"Your sign-in address must be a school address (ending {listed}). Ask the site's administrator."
    return None
