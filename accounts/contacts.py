"""Key contacts: who staff turn to for safeguarding, HR and personal data, taken from the roles the site already
knows (accounts/roles.py), so the staff hub names whoever holds each role today, and nobody types a name twice.

In a trust each school's hub names its own people; where a school has nobody in a role, the trust's central team
stands in, and says so.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from . import roles
from .models import User

# What staff need, in the order they need it: the roles named on the hub, and how.
KEY_ROLES = [
    (roles.SAFEGUARDING_LEAD, "Designated safeguarding lead and deputies", "safeguarding"),
    (roles.POLICY_EDITORS, "HR", "hr"),
    (roles.DATA_PROTECTION_OFFICER, "Data protection officer", "data-protection"),
]


@dataclass
class Contact:
    label: str
    slug: str
    people: list = field(default_factory=list)  # [{"name", "job_title", "email"}]
    from_central_team: bool = False


def _people(where):
    rows = (
        User.objects.filter(where, is_active=True, groups__name__in=[name for name, _, _ in KEY_ROLES])
        .order_by("last_name", "first_name", "pk")
        .values_list("groups__name", "first_name", "last_name", "job_title", "email")
        .distinct()
    )
    found = {}
    for group, first, last, job_title, email in rows:
        name = " ".join(part for part in (first, last) if part) or email
        found.setdefault(group, []).append({"name": name, "job_title": job_title, "email": email})
    return found


def key_contacts(school_id=None, central_team=False):
    """[Contact] for a school's hub (school_id), the trust's own hub (central_team), or a site with one school
    (neither: everyone)."""
    if central_team:
        own, fallback = _people(Q(in_central_team=True)), {}
    elif school_id is not None:
        own = _people(Q(school_id=school_id) | Q(other_schools=school_id))
        fallback = _people(Q(in_central_team=True)) if any(name not in own for name, _, _ in KEY_ROLES) else {}
    else:
        own, fallback = _people(Q()), {}
    contacts = []
    for name, label, slug in KEY_ROLES:
        if own.get(name):
            contacts.append(Contact(label, slug, own[name]))
        elif fallback.get(name):
            contacts.append(Contact(label, slug, fallback[name], from_central_team=True))
        else:
            contacts.append(Contact(label, slug))
    return contacts
