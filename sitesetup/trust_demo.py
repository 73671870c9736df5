"""A trust at scale, for trying the trust's screens and for the benchmarks (issue 19, part 5).

`manage.py load_demo --trust 50` loads the demo school (Oakbrook, on the default site, with its demo logins),
then makes it one school of a trust: the trust's own site (trust.localhost) with its policies, and 49 more
schools, each on its own site (schoolNN.localhost) with its staff, its own policies, its copies of the
trust's adopted policies and its guidance answers. At 50 schools: 10,000 staff, about 2,000 policy section
pages and 10,000 answers. The words are made up from the demo school's own answers and policies; nothing in it
is a real school's.

Every page is in the tree with a revision, live as its revision says, and every version is issued through the
same service HR's approvals use, so what is measured is what a real trust would have. The thousands of answers
and sections are made live directly rather than through Wagtail's publish (three saves, a log entry, the search
and reference index updates and an embedding each, about a third of a second a page), then indexed and
embedded together at the end; Wagtail's reference index is left without them (they link to nothing). Safe to
run again: it adds only what is missing.
"""

import datetime
import random
from contextlib import contextmanager

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.models import Page, Site

from accounts import roles
from accounts.models import User
from core.content import content_changed
from guidance.models import GuidanceAnswerPage
from hub.models import HomePage
from policypages import adoption
from policypages.models import PolicyIndexPage, PolicyPage, PolicySectionPage, PolicyVersion, ReadReceipt, Sharing
from policypages.services import issue_version
from schools.models import School, Trust

from . import demo_data
from .demo import demo_password
from .demo_policies import publish
from .setup import add_school, ensure_approval_workflow, ensure_groups, school_pages

TRUST_NAME = "Oak Learning Trust"
TRUST_HOST = "trust.localhost"
# `make run` serves every demo site on this port: the sites say so, so a link from one school's site to the
# trust's (or another's) keeps it (http://trust.localhost:8000/...).
DEMO_PORT = 8000
STAFF_PER_SCHOOL = 200
ANSWERS_PER_SCHOOL = 200
TRUST_POLICIES = 20  # for every school as written, but the first ADOPTED_POLICIES
ADOPTED_POLICIES = 2  # each school adopts these, with its own key contacts
SCHOOL_POLICIES = 2  # each school's own
SECTIONS = 10  # in each trust policy
SCHOOL_SECTIONS = 8  # in each school's own policy
ISSUED = datetime.date(2026, 9, 1)


def paragraphs(*sentences):
    return [{"type": "paragraph", "value": f"<p>{s}</p>"} for s in sentences]


def _sentences():
    """Plain sentences from the demo school's answers, to give the generated pages real-looking words."""
    return [row["answer"] for row in demo_data.answer_rows()]


def _issue(policy, user, label="1"):
    issue_version(
        policy,
        label=label,
        issued_on=ISSUED,
        summary_of_changes="First issue in the trust's demo.",
        change_type=PolicyVersion.SUBSTANTIVE,
        approved_by="Trust board",
        approved_on=ISSUED,
        issued_by=user,
    )


BULK_PAGES = (GuidanceAnswerPage, PolicySectionPage)


@contextmanager
def indexed_afterwards():
    """While thousands of answers and sections are made: no search or reference index update per page (done
    together by `finish_indexing`)."""
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import update_reference_index_on_save

    handlers = (post_save_signal_handler, update_reference_index_on_save)
    for model in BULK_PAGES:
        for handler in handlers:
            post_save.disconnect(handler, sender=model)
    try:
        yield
    finally:
        for model in BULK_PAGES:
            for handler in handlers:
                post_save.connect(handler, sender=model)


def finish_indexing(say):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    for model in BULK_PAGES:
        backend.add_bulk(model, model.objects.live())
    say("  indexed the answers and sections for the admin's search")
    call_command("embed_content", stdout=_Quiet())  # the search's meaning layer, for what has no vectors yet
    say("  embedded them for search")
    content_changed()


class _Quiet:
    def write(self, *args, **kwargs):
        pass


def make_live(parent, page, user):
    """Add `page` under `parent`, live, with its first revision as its live one (what publishing leaves)."""
    now = timezone.now()
    page.live, page.has_unpublished_changes = True, False
    page.first_published_at = page.last_published_at = now
    parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=False, clean=False)
    type(page).objects.filter(pk=page.pk).update(live_revision=revision, has_unpublished_changes=False)
    return page


def _policy(index, title, slug, sections, words, user, sharing=Sharing.SCHOOL, adaptable=()):
    policy = PolicyPage(title=title, slug=slug, summary=f"{title}: what staff must do.", sharing=sharing)
    index.add_child(instance=policy)
    publish(policy, user)
    for n in range(1, sections + 1):
        section = PolicySectionPage(
            title="Key contacts" if n in adaptable else f"{title}, part {n}",
            slug=f"section-{n}",
            number=str(n),
            body=paragraphs(words[(n * 7 + len(title)) % len(words)], words[(n * 13) % len(words)]),
            adaptable=n in adaptable,
        )
        make_live(policy, section, user)
    _issue(policy, user)
    return PolicyPage.objects.get(pk=policy.pk)


def _trust_site(report):
    site = Site.objects.filter(hostname=TRUST_HOST).first()
    if site is not None:
        return site
    root = Page.get_first_root_node()
    home = HomePage(title=TRUST_NAME, slug="oak-learning-trust", intro=f"<p>{TRUST_NAME}'s policies.</p>")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.create(hostname=TRUST_HOST, port=DEMO_PORT, root_page=home, site_name=TRUST_NAME)
    tree = school_pages(home, report)
    report += ensure_groups(tree)
    report += ensure_approval_workflow(tree)
    report.append(f"Created the trust's own site {TRUST_HOST}")
    return site


def _trust_policies(site, words, hr, report):
    index = PolicyIndexPage.objects.child_of(site.root_page).first()
    made = []
    for n in range(TRUST_POLICIES):
        slug = f"trust-policy-{n + 1:02d}"
        existing = PolicyPage.objects.child_of(index).filter(slug=slug).first()
        if existing:
            made.append(existing)
            continue
        adopted = n < ADOPTED_POLICIES
        made.append(
            _policy(
                index,
                f"Trust policy {n + 1:02d}",
                slug,
                SECTIONS,
                words,
                hr,
                sharing=Sharing.ADOPTED if adopted else Sharing.EVERY_SCHOOL,
                adaptable=(2,) if adopted else (),
            )
        )
    report.append(f"The trust has {len(made)} policies ({ADOPTED_POLICIES} for schools to adopt)")
    return made


def _staff(school, count, groups):
    """`count` staff of `school` (in bulk: accounts carry no pages), five of them HR and one a governor, each
    with the demo password (hashed once: thousands of accounts)."""
    prefix = f"s{school.pk}-"
    password = make_password(demo_password())
    users = User.objects.bulk_create(
        User(
            username=f"{prefix}{i}",
            email=f"{prefix}{i}@trust.example",
            first_name="Staff",
            last_name=f"{school.display_name} {i:04d}",
            password=password,
            school=school,
            start_date=datetime.date(2020, 9, 1),
        )
        for i in range(count)
    )
    through = User.groups.through
    links = [through(user_id=u.pk, group_id=groups[roles.STAFF].pk) for u in users]
    links += [through(user_id=u.pk, group_id=groups[roles.POLICY_EDITORS].pk) for u in users[:5]]
    links += [through(user_id=u.pk, group_id=groups[roles.GOVERNORS].pk) for u in users[5:6]]
    through.objects.bulk_create(links)
    return users


def _adopt(trust_policy, school, hr):
    """The school's copy of a trust policy, with its own key contacts, issued as its governors approved it."""
    copy = adoption.adopt(trust_policy, school, hr)
    for section in PolicySectionPage.objects.child_of(copy):
        if adoption.is_local(section):
            section.body = paragraphs(f"At {school.display_name}, speak to the deputy head or the office.")
        revision = section.save_revision(user=hr, log_action=False, clean=False)
        PolicySectionPage.objects.filter(pk=section.pk).update(
            live=True, live_revision=revision, has_unpublished_changes=False, first_published_at=timezone.now()
        )
    prepared = PolicyPage.objects.get(pk=copy.pk).get_latest_revision_as_object()
    label = prepared.next_version_label
    prepared.next_version_label, prepared.next_version_summary = "", ""
    publish(prepared, hr)
    _issue(copy, hr, label=label)
    return copy


def _answers(school, tree, rows, count, hr):
    parent = tree.staff_guidance
    for i in range(count):
        row = rows[i % len(rows)]
        answer = GuidanceAnswerPage(
            title=f"{row['question']} ({school.display_name} {i // len(rows) + 1})",
            slug=f"answer-{i + 1}",
            short_answer=row["short_answer"][:255],
            answer=f"<p>{row['answer']}</p>",
            topics=row.get("topics", ""),
            audience="staff",
        )
        make_live(parent, answer, hr)


def trust_logins():
    """[(email, who)] to sign in as at the trust's first school: its staff sign in as s<school>-<n>."""
    school = School.objects.exclude(site=None).exclude(site__is_default_site=True).order_by("name").first()
    if school is None:
        return []
    people = User.objects.filter(school=school, email__endswith="@trust.example").order_by("pk")
    hr, governor, staff = people.first(), people[5:6].first(), people[6:7].first()
    return [
        (person.email, f"{label} at {school.display_name} (http://{school.site.hostname}:{DEMO_PORT}/)")
        for person, label in ((staff, "staff"), (hr, "HR"), (governor, "a governor"))
        if person is not None
    ]


def load_trust_demo(
    schools=50, staff_per_school=STAFF_PER_SCHOOL, answers_per_school=ANSWERS_PER_SCHOOL, seed=1, progress=None
):
    """Make the demo school one of a trust of `schools` (the demo must be loaded first). Returns the report."""
    report = []
    say = progress or (lambda line: None)
    rng = random.Random(seed)
    trust = Trust.load()
    if trust.name != TRUST_NAME:
        trust.name = TRUST_NAME
        trust.save()
    hr = User.objects.get(email=f"hr@{demo_data.school()['email_domain']}")
    words = _sentences()
    rows = demo_data.answer_rows()
    groups = {g.name: g for g in Group.objects.filter(name__in=[roles.STAFF, roles.POLICY_EDITORS, roles.GOVERNORS])}
    with indexed_afterwards():
        made = _build(schools, staff_per_school, answers_per_school, rng, hr, words, rows, groups, report, say)
    # The demo school's own site and any made by an older release: on the port the demo is served on too.
    moved = Site.objects.filter(is_default_site=True) | Site.objects.filter(hostname__endswith=".localhost")
    if moved.exclude(port=DEMO_PORT).update(port=DEMO_PORT):
        content_changed()
    if made:
        finish_indexing(say)
    report.append(f"The trust has {School.objects.count()} schools")
    return report


def _build(schools, staff_per_school, answers_per_school, rng, hr, words, rows, groups, report, say):
    """Returns whether anything was made."""
    before = School.objects.count()
    site = _trust_site(report)
    trust_policies = _trust_policies(site, words, hr, report)
    to_adopt = [p for p in trust_policies if p.sharing == Sharing.ADOPTED]
    every_school = [p for p in trust_policies if p.sharing == Sharing.EVERY_SCHOOL]

    have = School.objects.exclude(site=None).count()
    for n in range(have, schools):
        name, short = f"School {n:02d} Academy", f"School {n:02d}"
        with transaction.atomic():
            tree, _ = add_school(
                name, f"school{n:02d}.localhost", short_name=short, urn=f"{140000 + n}", port=DEMO_PORT
            )
            school = School.objects.get(name=name)
            staff = _staff(school, staff_per_school, groups)
            for p in range(SCHOOL_POLICIES):
                _policy(tree.policies, f"{short} local policy {p + 1}", f"local-{p + 1}", SCHOOL_SECTIONS, words, hr)
            for policy in to_adopt:
                _adopt(policy, school, hr)
            _answers(school, tree, rows, answers_per_school, hr)
            # Most staff have read the trust's policies.
            versions = {p.pk: p.current_version for p in every_school}
            ReadReceipt.objects.bulk_create(
                ReadReceipt(user=user, policy_id=policy_id, version=version)
                for user in staff
                for policy_id, version in versions.items()
                if rng.random() < 0.7
            )
        say(f"  {name}: {staff_per_school} staff, {answers_per_school} answers")
    adopted = 0
    for school in School.objects.exclude(site=None):  # the demo school adopts them too
        for policy in to_adopt:
            if adoption.copy_in(school, policy) is None:
                _adopt(policy, school, hr)
                adopted += 1
    return School.objects.count() != before or adopted > 0
