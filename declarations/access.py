"""Who may see which confidential records: the matrix in docs/roles.md, in one place.

- Relationship declarations and official account requests: senior leaders and HR (policy editors).
- Rejected-contact and online abuse reports: senior leaders and the safeguarding lead.
- Account requests are approved or refused by senior leaders only.
- Only from a session that passed two-step verification (accounts.mfa): a password-only session of a
  reviewer sees what any member of staff sees, and no more.
- Nobody else. Superusers are not special: they need one of those groups, or an explicit, time-limited
  grant (`manage.py grant_record_access`, written to the audit log).
- The person who submitted a record always sees it (what they sent, its status and messages back), never
  the reviewers' notes.
- In a trust, a reviewer reads only the records filed under their own school (or schools: a person may work at
  more than one); the trust's central team's reviewers read the central team's. A safeguarding lead in the
  central team also reads every school's safeguarding reports, unless the trust's setting says not. A grant is
  for a form in every school: it is the superuser's, logged, and runs out.

Group permissions are read directly (not with `user.has_perm`, which says yes to every superuser).
"""

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone

from accounts.mfa import second_step_done
from accounts.roles import ROLES_BY_NAME, SAFEGUARDING_LEAD
from schools.models import Trust
from schools.services import in_central_team, is_trust, schools_of

from .models import ABUSE, ACCOUNT_REQUEST, FORMS, REJECTED_CONTACT, AccessGrant, Record

REVIEW_CODENAMES = {form: f"review_{form}" for form, _ in FORMS}
DECIDE_ACCOUNT_REQUEST = "decide_account_request"
SAFEGUARDING_FORMS = frozenset({REJECTED_CONTACT, ABUSE})


def _group_codenames(user):
    if not hasattr(user, "_record_codenames"):
        user._record_codenames = set(
            Permission.objects.filter(
                group__user=user, content_type__app_label="declarations", content_type__model="record"
            ).values_list("codename", flat=True)
        )
    return user._record_codenames


def reviewable_forms(user):
    """The forms whose records this person may review (possibly none), in some school at least."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not second_step_done(user):
        return frozenset()
    if not hasattr(user, "_reviewable_forms"):
        codenames = _group_codenames(user)
        forms = {form for form, codename in REVIEW_CODENAMES.items() if codename in codenames}
        user._reviewable_forms = frozenset(forms | _granted_forms(user))
    return user._reviewable_forms


def _granted_forms(user):
    if not hasattr(user, "_granted_forms"):
        user._granted_forms = frozenset(
            AccessGrant.objects.filter(user=user, expires_at__gt=timezone.now()).values_list("form", flat=True)
        )
    return user._granted_forms


@dataclass(frozen=True)
class SchoolReach:
    """The schools whose records a reviewer reads, in a trust: their own (None: the central team's), any
    others they work at, every school for the forms they hold a grant for, and for the central team's
    safeguarding lead, every school's safeguarding reports. One rule, read two ways: as a database filter and
    for one record in hand."""

    own: int | None
    central: bool  # the central team's (own is None); someone filed under no school reads no school's records
    others: frozenset
    every_school_for: frozenset

    def as_q(self):
        if self.own:
            own = Q(school=self.own)
        else:
            own = Q(school__isnull=True) if self.central else Q(pk__in=[])
        return own | Q(school__in=self.others) | Q(form__in=self.every_school_for)

    def covers(self, record):
        own = record.school_id == self.own and (self.own is not None or self.central)
        return own or record.school_id in self.others or record.form in self.every_school_for


def school_reach(user):
    """None on a one-school site (nothing to tell apart), else the reviewer's SchoolReach."""
    if not hasattr(user, "_school_reach"):
        reach = None
        if is_trust():
            every_school_for = set(_granted_forms(user))
            central_safeguarding = (
                in_central_team(user)
                and user.groups.filter(name=SAFEGUARDING_LEAD).exists()
                and Trust.load().central_safeguarding_sees_every_school
            )
            if central_safeguarding:
                every_school_for |= SAFEGUARDING_FORMS
            reach = SchoolReach(
                own=user.school_id,
                central=in_central_team(user),
                others=schools_of(user) - {user.school_id, None},
                every_school_for=frozenset(every_school_for),
            )
        user._school_reach = reach
    return user._school_reach


def for_reviewer(queryset, user):
    """Records (or their audit entries: both have `form` and `school`) this reviewer reads."""
    forms = reviewable_forms(user)
    if not forms:
        return queryset.none()
    queryset = queryset.filter(form__in=forms)
    reach = school_reach(user)
    return queryset if reach is None else queryset.filter(reach.as_q())


def reaches_school_of(user, record):
    """Whether the record is filed under a school this person reviews for (their forms apart)."""
    reach = school_reach(user)
    return reach is None or reach.covers(record)


def may_review(user, record):
    return record.form in reviewable_forms(user) and reaches_school_of(user, record)


def may_decide(user, record):
    return (
        record.form == ACCOUNT_REQUEST and DECIDE_ACCOUNT_REQUEST in _group_codenames(user) and may_review(user, record)
    )


def may_see(user, record):
    """The submitter or a reviewer of this form."""
    return (getattr(user, "is_authenticated", False) and record.submitted_by_id == user.pk) or may_review(user, record)


def records_for_reviewer(user):
    return for_reviewer(Record.objects.all(), user)


def who_reads(form):
    """The people who can read a record of this form, named as staff know them, from the same rules as the
    matrix (the groups holding the form's review permission today, and anyone holding a grant): the forms
    say this to the person filling them in, so it must never be a sentence written by hand."""
    groups = (
        Permission.objects.filter(content_type__app_label="declarations", codename=REVIEW_CODENAMES[form])
        .values_list("group__name", flat=True)
        .distinct()
    )
    names = sorted(
        (ROLES_BY_NAME[name].known_to_staff_as if name in ROLES_BY_NAME else name) for name in groups if name
    )
    if AccessGrant.objects.filter(form=form, expires_at__gt=timezone.now()).exists():
        names.append("a person given temporary access, which is recorded on your record")
    return names


def readers_sentence(form):
    names = who_reads(form)
    if not names:
        return "Only you can read what you send until the school names who deals with this form."
    people = ["you", *names]
    return f"Only {', '.join(people[:-1])} and {people[-1]} can read what you send."
