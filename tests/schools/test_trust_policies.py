"""A trust's policies in its schools (issue 19, parts 2 and 3): a policy the trust writes once and each school
adopts with its own local sections; its own label, approval and read receipts; a substantive trust version
becomes a re-adoption task with the trust's redline, an editorial one flows in at once; a policy for every
school as written is read by every school's staff."""

import datetime

import pytest
from django.test import override_settings
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import nested_form_data, streamfield

from accounts import roles
from policypages import adoption
from policypages.models import PolicyPage, PolicySectionPage, PolicyVersion, ReadoptionTask, ReadReceipt, Sharing
from policypages.reading import ReadingState, confirm_read, policies_to_read, requirements_for, status_for
from schools.models import School, Trust
from sitesetup.setup import add_school
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa
from tests.design.test_pdf import pdf_text
from tests.policypages.factories import issue, make_policy, section_body

pytestmark = pytest.mark.django_db
OAK, ELM = "oakbrook.localhost", "elm.localhost"
HOSTS = ["localhost", "testserver", OAK, ELM]


def refused(response):
    """Wagtail's admin answers a refusal by sending the person back to the dashboard with a message."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == "/admin/")


def sections_of(policy):
    return list(PolicySectionPage.objects.child_of(policy).order_by("path"))


def approve(copy, user, governor):
    """The school's HR submits its copy to the governors, and a governor approves it."""
    copy = PolicyPage.objects.get(pk=copy.pk)
    copy.get_workflow().start(copy, user)
    state = PolicyPage.objects.get(pk=copy.pk).current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, governor, "approve")
    return PolicyPage.objects.get(pk=copy.pk)


def trust_issues(policy, label, *changes, change_type=PolicyVersion.SUBSTANTIVE, summary="The trust's changes."):
    """Trust HR changes sections of the trust's policy and the trust board issues the version."""
    for number, text in changes:
        section = PolicySectionPage.objects.child_of(policy).get(number=number)
        section.body = section_body(text)
        section.save_revision().publish(skip_permission_checks=True)
    return issue(policy, label, change_type=change_type, summary=summary, issued_on=datetime.date(2026, 11, 1))


@pytest.fixture
def trust(tree, settings):
    settings.ALLOWED_HOSTS = HOSTS
    # The site the school started with becomes the trust's own: its policies are the trust's.
    School.objects.filter(site__is_default_site=True).update(site=None, name="Oak Learning Trust office")
    oak_tree, _ = add_school("Oakbrook Academy", OAK, short_name="Oakbrook")
    elm_tree, _ = add_school("Elm Primary", ELM, short_name="Elm")
    oak, elm = School.objects.get(short_name="Oakbrook"), School.objects.get(short_name="Elm")
    policy = make_policy(tree.policies, sections=3, title="Social media", slug="social-media", sharing=Sharing.ADOPTED)
    contacts = sections_of(policy)[1]
    contacts.adaptable, contacts.title = True, "Key contacts"
    contacts.save_revision().publish(skip_permission_checks=True)
    for staff_only in sections_of(policy)[1:]:  # the key contacts and section 3 are for staff only
        PageViewRestriction.objects.create(page=staff_only, restriction_type=PageViewRestriction.LOGIN)
    issue(policy, "4", issued_on=datetime.date(2026, 9, 1))

    def person(school, *groups):
        return UserFactory(
            groups=[roles.STAFF, *groups], school=school, in_central_team=school is None, start_date=datetime.date(2024, 9, 1)
        )

    people = {
        "oak_staff": person(oak),
        "elm_staff": person(elm),
        "oak_hr": with_mfa(person(oak, roles.POLICY_EDITORS)),
        "elm_hr": with_mfa(person(elm, roles.POLICY_EDITORS)),
        "trust_hr": with_mfa(person(None, roles.POLICY_EDITORS)),
        "governor": person(None, roles.GOVERNORS),
    }
    return {"policy": PolicyPage.objects.get(pk=policy.pk), "oak": oak, "elm": elm, "oak_tree": oak_tree} | people


@pytest.fixture
def adopted(trust):
    """Both schools adopted version 4; Oakbrook wrote its own contacts, Elm kept the trust's; both issued."""
    copies = {}
    for name in ("oak", "elm"):
        copy = adoption.adopt(trust["policy"], trust[name], trust[f"{name}_hr"])
        if name == "oak":
            contacts = sections_of(copy)[1]
            contacts.body = section_body("At Oakbrook, tell Ms Rowan, the deputy head.")
            contacts.save_revision()
        copies[name] = approve(copy, trust[f"{name}_hr"], trust["governor"])
    return trust | {"copies": copies}


def test_adopting_gives_the_school_a_draft_copy_of_the_trusts_text(trust):
    copy = adoption.adopt(trust["policy"], trust["oak"], trust["oak_hr"])
    assert copy.get_parent().pk == trust["oak_tree"].policies.pk and not copy.live
    assert copy.adopted_from_id == trust["policy"].pk
    sections = sections_of(copy)
    trust_sections = sections_of(trust["policy"])
    assert [s.trust_section_id for s in sections] == [s.pk for s in trust_sections]
    assert [s.title for s in sections] == ["Section 1", "Key contacts", "Section 3"]
    assert not any(s.live for s in sections)
    # A staff-only trust section stays staff-only in the school's copy.
    assert [PageViewRestriction.objects.filter(page=s).exists() for s in sections] == [False, True, True]
    assert copy.get_latest_revision_as_object().next_version_label == "4.1"
    assert adoption.to_adopt(trust["oak"]) == [] and adoption.to_adopt(trust["elm"]) == [trust["policy"]]
    with pytest.raises(Exception, match="already adopted"):
        adoption.adopt(trust["policy"], trust["oak"], trust["oak_hr"])


def test_the_school_edits_only_its_local_sections(trust):
    copy = adoption.adopt(trust["policy"], trust["oak"], trust["oak_hr"])
    trust_text, contacts, _ = sections_of(copy)
    assert not trust_text.permissions_for_user(trust["oak_hr"]).can_edit()
    assert not trust_text.permissions_for_user(trust["oak_hr"]).can_delete()
    assert contacts.permissions_for_user(trust["oak_hr"]).can_edit()


def test_each_school_issues_its_own_copy_with_a_label_from_both(client, adopted):
    oak_copy, elm_copy = adopted["copies"]["oak"], adopted["copies"]["elm"]
    version = oak_copy.current_version
    assert (version.label, version.name, version.trust_version_id) == (
        "4.1",
        "Trust 4 · Oakbrook 4.1",
        adopted["policy"].current_version.pk,
    )
    assert elm_copy.current_version.name == "Trust 4 · Elm 4.1"
    client.force_login(adopted["oak_staff"])
    page = client.get(oak_copy.url, HTTP_HOST=OAK).content.decode()
    assert "Trust 4 · Oakbrook 4.1" in page and "Ms Rowan" in page
    client.force_login(adopted["elm_staff"])
    page = client.get(elm_copy.url, HTTP_HOST=ELM).content.decode()
    assert "Trust 4 · Elm 4.1" in page and "Ms Rowan" not in page and "Text of" not in page


def test_each_schools_staff_read_their_own_copy_and_not_the_trusts_text(adopted):
    policies = list(policies_to_read())
    assert adopted["policy"] not in policies  # read in each school's copy
    oak_copy, elm_copy = adopted["copies"]["oak"], adopted["copies"]["elm"]
    assert status_for(adopted["oak_staff"], oak_copy).state == ReadingState.NOT_READ
    oak_requirement, elm_requirement = requirements_for([oak_copy, elm_copy])
    assert oak_requirement.school_id == adopted["oak"].pk and elm_requirement.school_id == adopted["elm"].pk
    confirm_read(adopted["oak_staff"], oak_copy, oak_copy.current_version.pk)
    assert ReadReceipt.objects.get(user=adopted["oak_staff"]).policy_id == oak_copy.pk


def test_a_substantive_trust_version_asks_each_school_to_readopt(client, adopted):
    oak_copy = adopted["copies"]["oak"]
    confirm_read(adopted["oak_staff"], oak_copy, oak_copy.current_version.pk)
    trust_issues(adopted["policy"], "5", ("1", "Staff must never accept a pupil's friend request."))
    tasks = ReadoptionTask.objects.filter(trust_version__label="5").order_by("copy__path")
    assert {t.copy_id for t in tasks} == {oak_copy.pk, adopted["copies"]["elm"].pk}
    # Nothing changes for readers until the school re-adopts, but they are told a newer trust version exists.
    client.force_login(adopted["oak_staff"])
    page = client.get(oak_copy.url, HTTP_HOST=OAK).content.decode()
    assert "The trust has issued version 5" in page and "never accept a pupil" not in page
    assert status_for(adopted["oak_staff"], PolicyPage.objects.get(pk=oak_copy.pk)).state == ReadingState.READ


def test_readopting_takes_the_trusts_text_and_keeps_the_schools(client, adopted):
    oak_copy, elm_copy = adopted["copies"]["oak"], adopted["copies"]["elm"]
    confirm_read(adopted["oak_staff"], oak_copy, oak_copy.current_version.pk)
    trust_issues(
        adopted["policy"],
        "5",
        ("1", "Staff must never accept a pupil's friend request."),
        ("2", "Tell the trust's safeguarding lead."),
    )
    task = ReadoptionTask.objects.get(copy=oak_copy)
    changes = {c.heading: c.status for c in adoption.trust_redline(task)}
    assert changes["1. Section 1"] == "changed" and changes["3. Section 3"] == "unchanged"

    adoption.start_readoption(task, adopted["oak_hr"])
    drafts = {s.draft.number: s.draft for s in PolicyPage.objects.get(pk=oak_copy.pk).section_drafts()}
    assert "never accept a pupil" in str(drafts["1"].body)
    assert "Ms Rowan" in str(drafts["2"].body)  # the school's contacts stay as it wrote them
    contacts = PolicySectionPage.objects.get(pk=drafts["2"].pk)
    contacts.body = section_body("At Oakbrook, tell Mr Ash, the new deputy head.")
    contacts.save_revision()

    copy = approve(oak_copy, adopted["oak_hr"], adopted["governor"])
    assert copy.current_version.name == "Trust 5 · Oakbrook 5.1"
    assert ReadoptionTask.objects.get(pk=task.pk).done_version == copy.current_version
    assert status_for(adopted["oak_staff"], copy).state == ReadingState.NEEDS_REREAD
    client.force_login(adopted["oak_staff"])
    page = client.get(copy.url, HTTP_HOST=OAK).content.decode()
    assert "Mr Ash" in page and "never accept a pupil" in page
    assert "<del>Ms Rowan,</del> <ins>Mr Ash,</ins>" in page  # what changed since the version they read
    assert "The trust has issued version" not in page
    # Elm has not re-adopted: its staff still read version 4, with the notice.
    client.force_login(adopted["elm_staff"])
    page = client.get(elm_copy.url, HTTP_HOST=ELM).content.decode()
    assert "Trust 4 · Elm 4.1" in page and "The trust has issued version 5" in page and "Mr Ash" not in page
    assert ReadoptionTask.objects.get(copy=elm_copy).done_at is None


def test_an_editorial_trust_version_flows_into_every_copy_at_once(adopted):
    oak_copy = adopted["copies"]["oak"]
    confirm_read(adopted["oak_staff"], oak_copy, oak_copy.current_version.pk)
    trust_issues(
        adopted["policy"],
        "4.1",
        ("1", "Staff must be kind and courteous."),
        change_type=PolicyVersion.EDITORIAL,
        summary="Wording.",
    )
    assert not ReadoptionTask.objects.exists()
    copy = PolicyPage.objects.get(pk=oak_copy.pk)
    assert (copy.current_version.label, copy.current_version.name) == ("4.2", "Trust 4.1 · Oakbrook 4.2")
    assert not copy.current_version.is_substantive
    live = {s.number: s for s in copy.live_sections().specific()}
    assert "kind and courteous" in str(live["1"].body) and "Ms Rowan" in str(live["2"].body)
    assert status_for(adopted["oak_staff"], copy).state == ReadingState.READ  # wording only: nothing to re-read


def test_an_editorial_version_waits_for_a_school_preparing_its_own(adopted):
    oak_copy = adopted["copies"]["oak"]
    contacts = sections_of(oak_copy)[1]
    contacts.body = section_body("At Oakbrook, tell the head.")
    contacts.save_revision()
    trust_issues(adopted["policy"], "4.1", ("1", "Kinder words."), change_type=PolicyVersion.EDITORIAL)
    task = ReadoptionTask.objects.get()
    assert task.copy_id == oak_copy.pk and "preparing a version" in task.why
    assert PolicyPage.objects.get(pk=oak_copy.pk).current_version.label == "4.1"


def test_a_policy_for_every_school_as_written_is_read_by_every_schools_staff(trust):
    policy = make_policy(trust["policy"].get_parent(), sections=1, sharing=Sharing.EVERY_SCHOOL)
    issue(policy, "1")
    assert policy in list(policies_to_read())
    for reader in ("oak_staff", "elm_staff", "trust_hr"):
        assert status_for(trust[reader], policy).state == ReadingState.NOT_READ


@override_settings(ALLOWED_HOSTS=HOSTS)
def test_a_schools_hr_adopts_and_readopts_only_for_their_own_school(client, adopted):
    trust_issues(adopted["policy"], "5", ("1", "New trust rule."))
    oak_task = ReadoptionTask.objects.get(copy=adopted["copies"]["oak"])
    elm_task = ReadoptionTask.objects.get(copy=adopted["copies"]["elm"])
    second = make_policy(adopted["policy"].get_parent(), sections=1, sharing=Sharing.ADOPTED, title="Trips")
    issue(second, "1")

    client.force_login(adopted["oak_hr"])
    page = client.get("/admin/trust-policies/").content.decode()
    assert "Oakbrook Academy" in page and "Elm Primary" not in page and "Trips" in page
    assert client.get(f"/admin/trust-policies/task/{oak_task.pk}/").status_code == 200
    assert refused(client.get(f"/admin/trust-policies/task/{elm_task.pk}/"))
    assert refused(client.post(f"/admin/trust-policies/task/{elm_task.pk}/start/"))
    assert refused(client.post(f"/admin/trust-policies/adopt/{adopted['elm'].pk}/{second.pk}/"))
    assert not PolicyPage.objects.filter(adopted_from=second).exists()
    assert ReadoptionTask.objects.get(pk=elm_task.pk).started_at is None
    home = client.get("/admin/").content.decode()
    assert f"/admin/trust-policies/task/{oak_task.pk}/" in home and f"task/{elm_task.pk}/" not in home

    response = client.post(f"/admin/trust-policies/adopt/{adopted['oak'].pk}/{second.pk}/")
    copy = PolicyPage.objects.get(adopted_from=second)
    assert response.status_code == 302 and response.url == f"/admin/pages/{copy.pk}/edit/"
    task_page = client.get(f"/admin/trust-policies/task/{oak_task.pk}/").content.decode()
    assert "<ins>New trust rule.</ins>" in task_page and "Key contacts" in task_page
    assert client.post(f"/admin/trust-policies/task/{oak_task.pk}/start/").status_code == 302
    assert ReadoptionTask.objects.get(pk=oak_task.pk).started_by == adopted["oak_hr"]

    client.force_login(adopted["trust_hr"])
    page = client.get("/admin/trust-policies/").content.decode()
    assert "Oakbrook Academy" in page and "Elm Primary" in page
    assert client.get(f"/admin/trust-policies/task/{elm_task.pk}/").status_code == 200
    client.force_login(adopted["oak_staff"])
    assert refused(client.get("/admin/trust-policies/")) or client.get("/admin/trust-policies/").status_code == 302


def test_a_single_school_sees_no_trust_policies(client, hr_user, policy):
    client.force_login(hr_user)
    assert refused(client.get("/admin/trust-policies/"))
    assert "Who this policy is for" not in client.get(f"/admin/pages/{policy.pk}/edit/").content.decode()


def test_every_schools_list_shows_the_trusts_policies_for_every_school(client, trust):
    policy = make_policy(trust["policy"].get_parent(), sections=1, sharing=Sharing.EVERY_SCHOOL, title="Data privacy")
    issue(policy, "2")
    client.force_login(trust["elm_staff"])
    elm_list = client.get(trust["oak_tree"].policies.url_path.replace("/oakbrook", "", 1), HTTP_HOST=ELM)
    page = elm_list.content.decode()
    assert elm_list.status_code == 200 and "The trust's policies for every school" in page and "Data privacy" in page
    assert "Social media" not in page  # adopted policies are read in the school's own copy


def test_a_trust_policy_is_written_in_the_trusts_site_not_a_schools(client, trust):
    school_policy = make_policy(trust["oak_tree"].policies, sections=1, title="Trips", slug="trips")
    data = nested_form_data(
        {
            "title": "Trips",
            "slug": "trips",
            "sharing": Sharing.ADOPTED,
            "acknowledgement_required": "on",
            "next_version_change_type": "substantive",
            "understanding_check": streamfield([]),
        }
    )
    client.force_login(trust["trust_hr"])
    response = client.post(f"/admin/pages/{school_policy.pk}/edit/", data)
    assert response.status_code == 200 and "Write a trust policy in the trust&#x27;s site" in response.content.decode()
    assert PolicyPage.objects.get(pk=school_policy.pk).get_latest_revision_as_object().sharing == Sharing.SCHOOL


@pytest.mark.parametrize(
    "groups",
    [
        (),
        (roles.POLICY_EDITORS,),
        (roles.SENIOR_LEADERS,),
        (roles.SAFEGUARDING_LEAD,),
        (roles.GOVERNORS,),
    ],
    ids=["staff", "hr", "head", "dsl", "governor"],
)
def test_no_role_of_one_school_reads_anothers_staff_only_local_sections(client, adopted, groups):
    """Oakbrook's key contacts (a staff-only local section) reach none of Elm's people: not by the page, the
    policy page, its PDF, search, the search API or the admin."""
    reader = with_mfa(UserFactory(groups=[roles.STAFF, *groups], school=adopted["elm"]))
    copy = adopted["copies"]["oak"]
    contacts = sections_of(copy)[1]
    client.force_login(reader)
    path = copy.get_url_parts()[2]
    assert client.get(contacts.get_url_parts()[2], HTTP_HOST=OAK).status_code == 404
    assert "Ms Rowan" not in client.get(path, HTTP_HOST=OAK).content.decode()
    pdf = client.get(f"{path}pdf/", HTTP_HOST=OAK)
    assert pdf.status_code == 200 and "Ms Rowan" not in " ".join(pdf_text(pdf))
    for host in (OAK, ELM):
        assert "Ms Rowan" not in client.get("/search/", {"q": "Rowan deputy head"}, HTTP_HOST=host).content.decode()
        results = client.get("/api/search/", {"q": "Rowan deputy head"}, HTTP_HOST=host).json()["results"]
        assert all("Rowan" not in str(result) for result in results)
    for url in (f"/admin/pages/{contacts.pk}/edit/", f"/admin/pages/{contacts.pk}/history/"):
        assert refused(client.get(url)) or client.get(url).status_code == 302
    # Oakbrook's own staff read it.
    client.force_login(adopted["oak_staff"])
    assert b"Ms Rowan" in client.get(contacts.get_url_parts()[2], HTTP_HOST=OAK).content
    assert "Ms Rowan" in " ".join(pdf_text(client.get(f"{path}pdf/", HTTP_HOST=OAK)))


def test_a_parent_of_each_school_reads_their_schools_public_copy(client, adopted):
    for name, host, other in (("oak", OAK, "Elm"), ("elm", ELM, "Oakbrook")):
        copy = adopted["copies"][name]
        page = client.get(copy.get_url_parts()[2], HTTP_HOST=host)
        text = page.content.decode()
        school = "Oakbrook" if name == "oak" else "Elm"
        assert page.status_code == 200 and f"Trust 4 · {school} 4.1" in text and f"· {other} 4.1" not in text
        assert "Ms Rowan" not in text  # the contacts are for staff
        listing = client.get(copy.get_parent().get_url_parts()[2], HTTP_HOST=host).content.decode()
        assert copy.title in listing


def test_the_trust_may_have_its_board_approve_the_schools_copies(adopted):
    oak_governor = UserFactory(groups=[roles.STAFF, roles.GOVERNORS], school=adopted["oak"])
    trust_issues(adopted["policy"], "5", ("1", "New trust rule."))
    copy = adoption.start_readoption(ReadoptionTask.objects.get(copy=adopted["copies"]["oak"]), adopted["oak_hr"])
    copy.get_workflow().start(copy, adopted["oak_hr"])
    task = PolicyPage.objects.get(pk=copy.pk).current_workflow_state.current_task_state.task.specific

    def may_approve(user):
        in_list = any(int(s.workflow_state.object_id) == copy.pk for s in task.get_task_states_user_can_moderate(user))
        return bool(task.get_actions(copy, user)), in_list

    assert may_approve(oak_governor) == (True, True)  # by default, the school's own governors
    setting = Trust.load()
    setting.copies_approved_by = Trust.CopiesApprovedBy.TRUST_BOARD
    setting.save()
    assert may_approve(oak_governor) == (False, False)
    assert may_approve(adopted["governor"]) == (True, True)  # a governor of the trust's central team
