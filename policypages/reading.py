"""Who must read which policy, who has, and who is overdue: the one rule every screen uses.

A person's status on a policy depends on the *required* version: the latest substantive one. A receipt for
that version or any later one (later editorial versions included) means READ. An older receipt means
NEEDS_REREAD; none means NOT_READ. Editorial versions never change anyone's status.

Everything is computed for many people and many policies at once, in a fixed number of queries, so the
HR report costs the same for 20 staff as for 2,000.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.utils import timezone
from django.utils.functional import LazyObject
from wagtail.log_actions import log

from accounts.roles import STAFF
from core import published
from core.cache import is_shared as cache_is_shared
from core.cache import tokens as change_tokens
from schools.models import School, Trust
from schools.services import in_central_team, is_trust, school_sites, schools_of

from .models import PolicyPage, PolicyVersion, ReadReceipt, Sharing
from .understanding import still_to_answer, tries_before_confirming


class ReadingState(models.TextChoices):
    """Where a person stands with a policy (worked out, never stored: see the rule above)."""

    READ = "read", "Read"
    NEEDS_REREAD = "needs-rereading", "Needs re-reading"
    NOT_READ = "not-read", "Not read"
    NOT_ISSUED = "not-issued", "No version issued yet"


@dataclass
class PolicyRequirement:
    """What a policy asks of its readers now."""

    policy: PolicyPage
    versions: list  # newest first
    audience_group_ids: frozenset  # empty: all staff
    # In a trust, the school whose site holds the policy: only its staff read it. None: everyone it applies to.
    school_id: int | None = None

    # Worked out once: a requirement is kept in the published snapshot and read for every person on every page.
    @cached_property
    def current(self):
        return self.versions[0] if self.versions else None

    @cached_property
    def required(self):
        """The latest substantive version: the one everyone must have read (or something newer)."""
        return next((v for v in self.versions if v.is_substantive), self.current)

    @cached_property
    def satisfying_version_ids(self):
        required = self.required
        if required is None:
            return frozenset()
        return frozenset(v.pk for v in self.versions if v.issued_at >= required.issued_at)

    def applies_to(self, user_group_ids, user_schools=None):
        if self.school_id is not None and user_schools is not None and self.school_id not in user_schools:
            return False
        return not self.audience_group_ids or bool(self.audience_group_ids & user_group_ids)


@dataclass
class ReadingStatus:
    state: str
    requirement: PolicyRequirement
    confirmed_version_id: int | None = None
    confirmed_at: datetime.datetime | None = None
    due: datetime.date | None = None
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def label(self):
        return ReadingState(self.state).label

    @property
    def is_outstanding(self):
        return self.state in (ReadingState.NOT_READ, ReadingState.NEEDS_REREAD)

    @property
    def overdue(self):
        return self.is_outstanding and self.due is not None and self.due < self.today

    @property
    def confirmed_version(self):
        return next((v for v in self.requirement.versions if v.pk == self.confirmed_version_id), None)


def requirements_for(policies):
    """PolicyRequirement for each policy, in two queries whatever the number of policies."""
    policies = list(policies)
    versions = defaultdict(list)
    for version in PolicyVersion.objects.filter(policy__in=policies).order_by("-issued_at"):
        versions[version.policy_id].append(version)
    groups = defaultdict(set)
    through = PolicyPage.applies_to.through
    for policy_id, group_id in through.objects.filter(policypage__in=policies).values_list("policypage_id", "group_id"):
        groups[policy_id].add(group_id)
    return [PolicyRequirement(p, versions[p.pk], frozenset(groups[p.pk]), _school_of(p)) for p in policies]


def _school_of(policy):
    """The school whose site holds this policy, in a trust (schools.services.school_sites: no query on a site
    with one school, one per content version in a trust)."""
    sites = school_sites(published.current())
    if not sites or policy.sharing == Sharing.EVERY_SCHOOL:
        return None
    return next((school_id for root, school_id in sites if policy.path.startswith(root)), None)


def schools_by_user(users):
    """{user id: the schools they work at}, in one query for everyone (their own is on the row already)."""
    through = get_user_model().other_schools.through
    others = defaultdict(set)
    for user_id, school_id in through.objects.filter(user_id__in=[u.pk for u in users]).values_list(
        "user_id", "school_id"
    ):
        others[user_id].add(school_id)
    return {u.pk: frozenset({u.school_id, *others[u.pk]}) for u in users}


def policies_to_read():
    # A trust policy that schools adopt is read in each school's copy (policypages/adoption.py), not as the
    # trust wrote it.
    return (
        PolicyPage.objects.live()
        .filter(acknowledgement_required=True)
        .exclude(sharing=Sharing.ADOPTED)
        .order_by("title")
    )


def published_requirements():
    """The requirements of every live policy staff must confirm, worked out once per content version (issuing a
    version, publishing or withdrawing a policy changes it): a person's page then needs only their own groups
    and receipts. Shared by every request of the process: read them, never change them."""
    return published.current().derived("reading requirements", lambda: requirements_for(policies_to_read()))


def reading_scope(user):
    """The schools whose staff's reading this person may see: None for every school (a site with one school,
    or a reader in the trust's central team), else their own school and any others they also work at (none for
    someone in a trust filed under no school)."""
    if not is_trust() or in_central_team(user) or user.is_superuser:
        return None
    return schools_of(user) - {None}


def in_schools(people, schools, prefix=""):
    """`people` (users, or rows with a user under `prefix`) who work at one of `schools` (None: everyone)."""
    if schools is None:
        return people
    return people.filter(Q(**{f"{prefix}school__in": schools}) | Q(**{f"{prefix}other_schools__in": schools}))


def staff_members(schools=None):
    """Everyone who must read policies: active accounts in the Staff group (in `schools`, if given)."""
    staff = get_user_model().objects.filter(is_active=True, groups__name=STAFF)
    return in_schools(staff, schools).distinct().order_by("last_name", "first_name", "email")


def group_ids_by_user(users):
    result = defaultdict(set)
    prefetched = [getattr(u, "_prefetched_objects_cache", {}).get("groups") for u in users]
    if users and all(groups is not None for groups in prefetched):
        # This request already read them (refused_paths, for the pages' privacy): no second query.
        for user, groups in zip(users, prefetched, strict=True):
            result[user.pk] = {group.pk for group in groups}
        return result
    through = get_user_model().groups.through
    for user_id, group_id in through.objects.filter(user__in=users).values_list("user_id", "group_id"):
        result[user_id].add(group_id)
    return result


def due_date(requirement, user, start=None):
    required = requirement.required
    if required is None:
        return None
    start = start or _start(user)
    return max(required.issued_on, start) + datetime.timedelta(days=settings.POLICY_READ_WITHIN_DAYS)


def _unwrapped(user):
    """The signed-in person arrives as a lazy object: every attribute read through it costs a wrapper call."""
    if isinstance(user, LazyObject):
        user.pk  # noqa: B018 (makes the lazy object load the person)
        return user._wrapped
    return user


def _start(user):
    return user.start_date or timezone.localtime(user.date_joined).date()


def reading_matrix(users, requirements, today=None):
    """{(user_id, policy_id): ReadingStatus} for every policy that applies to each user. Three queries."""
    users = [_unwrapped(u) for u in users]
    today = today or timezone.localdate()
    # Groups matter only for a policy meant for some groups; one for all staff applies to everyone asked about.
    user_groups = (
        group_ids_by_user(users) if any(r.audience_group_ids for r in requirements) else defaultdict(frozenset)
    )
    # A school's policy is read by its own staff (and by no one else) only in a trust.
    user_schools = schools_by_user(users) if any(r.school_id for r in requirements) else {}
    latest = {}
    receipts = (
        ReadReceipt.objects.filter(policy_id__in=[r.policy.pk for r in requirements], user_id__in=[u.pk for u in users])
        .order_by("confirmed_at")
        .values_list("user_id", "policy_id", "version_id", "confirmed_at")
    )
    for user_id, policy_id, version_id, confirmed_at in receipts:
        latest[(user_id, policy_id)] = (version_id, confirmed_at)
    matrix = {}
    for user in users:
        user_id, groups, start = user.pk, user_groups[user.pk], _start(user)
        for requirement in requirements:
            if not requirement.applies_to(groups, user_schools.get(user_id)):
                continue
            key = (user_id, requirement.policy.pk)
            version_id, confirmed_at = latest.get(key, (None, None))
            if requirement.current is None:
                state = ReadingState.NOT_ISSUED
            elif version_id is None:
                state = ReadingState.NOT_READ
            elif version_id in requirement.satisfying_version_ids:
                state = ReadingState.READ
            else:
                state = ReadingState.NEEDS_REREAD
            matrix[key] = ReadingStatus(
                state,
                requirement,
                version_id,
                confirmed_at,
                due=due_date(requirement, user, start) if state != ReadingState.NOT_ISSUED else None,
                today=today,
            )
    return matrix


def status_for(user, policy, today=None):
    if not user.is_authenticated:
        return None
    # The published requirement (a preview shows the live audience's status too); a policy staff need not
    # confirm is not among them.
    requirement = next((r for r in published_requirements() if r.policy.pk == policy.pk), None)
    if requirement is None:
        requirement = requirements_for([policy])[0]
    status = reading_matrix([user], [requirement], today).get((user.pk, policy.pk))
    if status is None:
        # Not in the policy's audience: they may still confirm, but owe nothing.
        status = reading_matrix([user], [PolicyRequirement(policy, requirement.versions, frozenset())], today)[
            (user.pk, policy.pk)
        ]
    return status


def my_policies(user, today=None):
    """Every policy that applies to this person, outstanding ones first (overdue first of all)."""
    requirements = published_requirements()
    matrix = reading_matrix([user], requirements, today)
    statuses = [matrix[(user.pk, r.policy.pk)] for r in requirements if (user.pk, r.policy.pk) in matrix]
    return sorted(statuses, key=lambda s: (not s.overdue, not s.is_outstanding, s.due or datetime.date.max))


# --- confirming -----------------------------------------------------------------------------------


class StaleVersion(ValidationError):
    """The person confirmed a version that was replaced while they were reading."""

    def __init__(self, confirmed, current):
        self.confirmed, self.current = confirmed, current
        super().__init__(
            f"Version {current.label} replaced version {confirmed.label} while you were reading. "
            f"Look at what changed, then confirm version {current.label}."
        )


@dataclass
class ConfirmResult:
    receipt: ReadReceipt
    created: bool


class CheckNotPassed(ValidationError):
    """The version has an understanding check this person has not yet passed."""


def confirm_read(user, policy, version_id, confirmed_with=""):
    """Record that `user` has read `version_id` of `policy`: only the current version, never twice.
    `confirmed_with`: how they signed in again to confirm, when the school asks for it (accounts/reauth.py)."""
    requirement = requirements_for([policy])[0]
    current = requirement.current
    if current is None:
        raise ValidationError("This policy has no issued version to confirm yet.")
    confirmed = next((v for v in requirement.versions if str(v.pk) == str(version_id)), None)
    if confirmed is None:
        raise ValidationError("That is not a version of this policy.")
    if confirmed.pk != current.pk:
        raise StaleVersion(confirmed, current)
    existing = ReadReceipt.objects.filter(user=user, version=current).first()
    if existing:
        return ConfirmResult(existing, created=False)
    if still_to_answer(user, current):
        raise CheckNotPassed("Answer the questions on this version first: then you can confirm it.")
    try:
        with transaction.atomic():
            receipt = ReadReceipt.objects.create(
                user=user,
                policy=policy,
                version=current,
                confirmed_with=confirmed_with,
                understanding_tries=tries_before_confirming(user, current),
            )
    except IntegrityError:
        # A double click: the first request recorded it.
        return ConfirmResult(ReadReceipt.objects.get(user=user, version=current), created=False)
    log(instance=policy, action="policypages.confirm_read", user=user, data={"version": current.label})
    return ConfirmResult(receipt, created=True)


# --- reports -----------------------------------------------------------------------------------------


@dataclass
class PolicyTotals:
    requirement: PolicyRequirement
    audience: int
    read: int
    overdue: int
    school_name: str = ""  # in a trust, whose copy of the policy this is

    @property
    def percent(self):
        return round(100 * self.read / self.audience) if self.audience else 0

    @property
    def outstanding(self):
        return self.audience - self.read


READING_VERSION_KEY = "reading:data-version"
TOTALS_TIMEOUT = 24 * 60 * 60


def reading_data_version():
    """A token that changes whenever the reading totals may have: a receipt made or removed, a person's account
    (made, removed, active or not, start date), anyone's groups. With the content version (a version issued,
    a policy's audience) and the day, it keys the totals kept in the shared cache. Random, never a counter:
    an emptied cache cannot bring an old token back."""
    return change_tokens(READING_VERSION_KEY)[READING_VERSION_KEY]


def reading_data_changed(**kwargs):
    """Signal receiver and hook (policypages/signals.py). After the change commits: a report that reads the new
    token then also reads the change."""
    transaction.on_commit(lambda: cache.delete(READING_VERSION_KEY))


def totals_cache_key(schools=None):
    """Where today's totals (and anything made only from them) are kept, or None when nothing may be kept: a
    change made through one process must reach the others, which a per-process cache would not see. Each set
    of schools has its own (a school's HR sees their school's totals)."""
    if not cache_is_shared():
        return None
    version = f"{published.current().version}:{reading_data_version()}:{timezone.localdate()}"
    scope = "all" if schools is None else ",".join(str(pk) for pk in sorted(schools))
    return f"reading:totals:{version}:{scope}"


def policy_totals(today=None, schools=None):
    """Per policy: how many must read it, how many have, how many are overdue. For the overview report.

    Counted once per change of the reading data, content version and day when the cache is shared by every
    process (Redis): a change made through one process must reach the others, which a per-process cache would
    not see. Only the numbers are kept; the policies come from this process's published snapshot.
    """
    key = totals_cache_key(schools) if today is None else None
    if key is None:
        return _count_policy_totals(today, schools)
    counts = cache.get(key)
    requirements = published_requirements()
    if counts is None or set(counts) != {r.policy.pk for r in requirements}:
        rows = _count_policy_totals(schools=schools)
        cache.set(
            key, {row.requirement.policy.pk: (row.audience, row.read, row.overdue) for row in rows}, TOTALS_TIMEOUT
        )
        return rows
    return [PolicyTotals(r, *counts[r.policy.pk]) for r in requirements]


def _count_policy_totals(today=None, schools=None):
    """policy_totals, counted by the database.

    The same rule as reading_matrix, counted by the database instead of person by person: receipts are only
    ever made for the version current at the time, so a person has read the required version (or later)
    exactly when they hold *any* receipt for a satisfying version; they are overdue when they have not and
    both the required version's issue and their own start are more than the allowed days ago. Four queries for
    each different audience (all staff, or some groups), whatever the number of staff, receipts or schools.
    """
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.POLICY_READ_WITHIN_DAYS)
    # Started before the cutoff: their start date, else the (local) day their account was made.
    local_midnight = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))

    def started_before_cutoff(prefix=""):
        return Q(**{f"{prefix}start_date__lt": cutoff}) | Q(
            **{f"{prefix}start_date__isnull": True, f"{prefix}date_joined__lt": local_midnight}
        )

    # One audience per set of groups (usually one: all staff), counted per school, so a trust of fifty schools
    # costs the same queries as one school: a school's own policy takes its school's line, the others the sum.
    by_audience = defaultdict(list)
    for requirement in published_requirements():
        by_audience[requirement.audience_group_ids].append(requirement)
    User = get_user_model()
    staff = in_schools(User.objects.filter(is_active=True, groups__name=STAFF), schools)
    rows = {}
    for group_ids, requirements in by_audience.items():
        audience = (staff.filter(groups__in=group_ids) if group_ids else staff).values("pk")
        people = _people_by_school(audience, started_before_cutoff)
        satisfying = [pk for r in requirements for pk in r.satisfying_version_ids]
        read = _readers_by_policy_and_school(
            ReadReceipt.objects.filter(version_id__in=satisfying, user_id__in=audience), started_before_cutoff("user__")
        )
        for requirement in requirements:
            school = requirement.school_id if requirement.school_id is not None else ALL_SCHOOLS
            everyone, started_early = people.get(school, (0, 0))
            row = PolicyTotals(requirement, everyone, 0, 0)
            if requirement.required is not None:
                row.read, read_early = read.get((requirement.policy.pk, school), (0, 0))
                if requirement.required.issued_on < cutoff:
                    row.overdue = started_early - read_early
            rows[requirement.policy.pk] = row
    # In the order of the policies (by title).
    return [rows[r.policy.pk] for r in published_requirements()]


@dataclass
class SchoolTotals:
    """One school's line of the trust-wide breakdown: its staff, and the confirmations they owe and have made."""

    school_id: int | None  # None: the trust's central team
    name: str
    staff: int = 0
    due: int = 0
    read: int = 0
    overdue: int = 0

    @property
    def percent(self):
        return round(100 * self.read / self.due) if self.due else 100

    @property
    def outstanding(self):
        return self.due - self.read


def school_breakdown(today=None):
    """For the trust's HR: each school's confirmations, due and made, counted under each person's own school.

    Four queries whatever the number of schools, staff or policies (the staff, their groups, their other
    schools, and who has read what), then counted person by person with the same rule as the report's totals;
    kept in the shared cache beside the trust-wide totals."""
    key = totals_cache_key(None) if today is None else None
    if key is not None:
        kept = cache.get(f"{key}:schools")
        if kept is not None:
            return kept
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.POLICY_READ_WITHIN_DAYS)
    local_midnight = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    requirements = [r for r in published_requirements() if r.required is not None]
    User = get_user_model()
    people = list(
        User.objects.filter(is_active=True, groups__name=STAFF)
        .distinct()
        .values_list("pk", "school_id", "start_date", "date_joined")
    )
    wanted_groups = {g for r in requirements for g in r.audience_group_ids}
    groups = defaultdict(set)
    if wanted_groups:
        for user_id, group_id in User.groups.through.objects.filter(group_id__in=wanted_groups).values_list(
            "user_id", "group_id"
        ):
            groups[user_id].add(group_id)
    others = defaultdict(set)
    for user_id, school_id in User.other_schools.through.objects.values_list("user_id", "school_id"):
        others[user_id].add(school_id)
    satisfying = {pk: r.policy.pk for r in requirements for pk in r.satisfying_version_ids}
    read = set(ReadReceipt.objects.filter(version_id__in=satisfying).values_list("user_id", "policy_id").distinct())
    names = dict(School.objects.values_list("pk", "name"))
    lines = {pk: SchoolTotals(pk, name) for pk, name in names.items()}
    lines[None] = SchoolTotals(None, Trust.load().central_team_name)
    for user_id, school_id, start_date, joined in people:
        line = lines.setdefault(school_id, SchoolTotals(school_id, names.get(school_id, "?")))
        line.staff += 1
        early = start_date < cutoff if start_date else joined < local_midnight
        theirs = {school_id, *others[user_id]}
        for requirement in requirements:
            if not requirement.applies_to(groups[user_id], theirs):
                continue
            line.due += 1
            if (user_id, requirement.policy.pk) in read:
                line.read += 1
            elif early and requirement.required.issued_on < cutoff:
                line.overdue += 1
    result = sorted(
        (line for line in lines.values() if line.staff), key=lambda line: (line.school_id is None, line.name)
    )
    if key is not None:
        cache.set(f"{key}:schools", result, TOTALS_TIMEOUT)
    return result


ALL_SCHOOLS = "all"


def _people_by_school(audience, started_before_cutoff):
    """{school id: (people, started before the cutoff)} of `audience` (a values("pk") queryset), counting a
    person under their school and under each other school they work at, and {ALL_SCHOOLS: (...)} for everyone
    once. Two queries."""
    User = get_user_model()
    counts = defaultdict(lambda: [0, 0])
    for school_id, everyone, early in (
        User.objects.filter(pk__in=audience)
        .values("school_id")
        .annotate(everyone=Count("pk"), early=Count("pk", filter=started_before_cutoff()))
        .values_list("school_id", "everyone", "early")
    ):
        for key in (school_id, ALL_SCHOOLS):
            counts[key][0] += everyone
            counts[key][1] += early
    for school_id, everyone, early in (
        User.other_schools.through.objects.filter(user_id__in=audience)
        .exclude(school_id=F("user__school_id"))
        .values("school_id")
        .annotate(everyone=Count("user_id"), early=Count("user_id", filter=started_before_cutoff("user__")))
        .values_list("school_id", "everyone", "early")
    ):
        counts[school_id][0] += everyone
        counts[school_id][1] += early
    return {key: tuple(value) for key, value in counts.items()}


def _readers_by_policy_and_school(receipts, started_early):
    """{(policy id, school id or ALL_SCHOOLS): (people who read it, those who started before the cutoff)},
    each reader counted under their school, each other school they work at, and ALL_SCHOOLS once. Two queries:
    distinct (policy, person) pairs counted by the database, then the few readers who work at other schools."""
    found = defaultdict(lambda: [0, 0])
    pairs = (
        receipts.annotate(early=Case(When(started_early, then=Value(1)), default=Value(0)), school=F("user__school_id"))
        .values("policy_id", "user_id", "early", "school")
        .distinct()
    )
    sql, params = pairs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT policy_id, school, COUNT(*), SUM(early) FROM ({sql}) pairs GROUP BY policy_id, school",
            params,
        )
        for policy_id, school_id, read, early in cursor.fetchall():
            for key in ((policy_id, school_id), (policy_id, ALL_SCHOOLS)):
                found[key][0] += read
                found[key][1] += early or 0
    elsewhere = set(
        receipts.filter(user__other_schools__isnull=False)
        .annotate(early=Case(When(started_early, then=Value(1)), default=Value(0)))
        .values_list("policy_id", "user_id", "early", "user__school_id", "user__other_schools")
    )
    for policy_id, _user_id, early, school_id, other_school_id in elsewhere:
        if other_school_id != school_id:
            found[(policy_id, other_school_id)][0] += 1
            found[(policy_id, other_school_id)][1] += early
    return {key: tuple(value) for key, value in found.items()}


def policy_report(policy, today=None, schools=None):
    """[(user, status)] for everyone the policy applies to (in `schools`, if given)."""
    requirement = requirements_for([policy])[0]
    users = list(staff_members(schools))
    matrix = reading_matrix(users, [requirement], today)
    return requirement, [(u, matrix[(u.pk, policy.pk)]) for u in users if (u.pk, policy.pk) in matrix]


def person_report(user, today=None):
    requirements = published_requirements()
    matrix = reading_matrix([user], requirements, today)
    return [matrix[(user.pk, r.policy.pk)] for r in requirements if (user.pk, r.policy.pk) in matrix]
