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

Group permissions are read directly (not with `user.has_perm`, which says yes to every superuser).
"""

from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.mfa import second_step_done
from accounts.roles import ROLES_BY_NAME

from .models import ACCOUNT_REQUEST, FORMS, AccessGrant, Record

REVIEW_CODENAMES = {form: f"review_{form}" for form, _ in FORMS}
DECIDE_ACCOUNT_REQUEST = "decide_account_request"


def _group_codenames(user):
    if not hasattr(user, "_record_codenames"):
        user._record_codenames = set(
            Permission.objects.filter(
                group__user=user, content_type__app_label="declarations", content_type__model="record"
            ).values_list("codename", flat=True)
        )
    return user._record_codenames


def reviewable_forms(user):
    """The forms whose records this person may review (possibly none)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not second_step_done(user):
        return frozenset()
    if not hasattr(user, "_reviewable_forms"):
        codenames = _group_codenames(user)
        forms = {form for form, codename in REVIEW_CODENAMES.items() if codename in codenames}
        forms |= set(
            AccessGrant.objects.filter(user=user, expires_at__gt=timezone.now()).values_list("form", flat=True)
        )
        user._reviewable_forms = frozenset(forms)
    return user._reviewable_forms


def may_review(user, record):
    return record.form in reviewable_forms(user)


def may_decide(user, record):
    return (
        record.form == ACCOUNT_REQUEST and DECIDE_ACCOUNT_REQUEST in _group_codenames(user) and may_review(user, record)
    )


def may_see(user, record):
    """The submitter or a reviewer of this form."""
    return (getattr(user, "is_authenticated", False) and record.submitted_by_id == user.pk) or may_review(user, record)


def records_for_reviewer(user):
    return Record.objects.filter(form__in=reviewable_forms(user))


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
