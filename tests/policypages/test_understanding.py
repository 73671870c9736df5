"""Check your understanding (issue 20, first part): questions on a version, each tied to the section that answers
it; staff answer them before confirming, a wrong answer shows the section and they try again; the receipt
records the tries, and HR sees per question how many got it right first time."""

import re

import pytest
from django.core.exceptions import ValidationError

from policypages.blocks import CheckQuestionBlock
from policypages.models import PolicyPage, PolicySectionPage, ReadReceipt, UnderstandingAnswer
from policypages.understanding import figures_for, questions_for
from tests.accounts.factories import UserFactory
from tests.policypages.factories import issue

pytestmark = pytest.mark.django_db


def question(section, text, kind="single", choices=(), statement_is_true=False, explanation=""):
    return (
        "question",
        {
            "question": text,
            "kind": kind,
            "choices": [{"text": t, "correct": c} for t, c in choices],
            "statement_is_true": statement_is_true,
            "section": section,
            "explanation": explanation,
        },
    )


@pytest.fixture
def checked_policy(policy):
    one, two, _three = PolicySectionPage.objects.child_of(policy).order_by("path")
    policy = PolicyPage.objects.get(pk=policy.pk)
    policy.understanding_check = [
        question(one, "A parent sends you a friend request. You…", choices=[("Accept", False), ("Decline", True)]),
        question(two, "Staff may post photos of pupils on their own accounts.", kind="true_false"),
        question(
            two,
            "Which must you report?",
            kind="multiple",
            choices=[("A pupil's message", True), ("A parent's request", True), ("A colleague's holiday", False)],
            explanation="Report any contact from pupils or parents on personal accounts.",
        ),
    ]
    policy.save_revision().publish()
    version = issue(policy, "1")
    return policy, version


def ids(version):
    return [q.id for q in questions_for(version)]


def check_url(policy):
    return policy.url + "check/"


def test_the_questions_are_the_issued_versions(checked_policy):
    policy, version = checked_policy
    found = questions_for(version)
    assert [q.kind for q in found] == ["single", "true_false", "multiple"]
    assert found[0].right == {"1"} and found[1].right == {"false"} and found[2].right == {"0", "1"}
    assert found[0].section_heading.startswith("1")
    # HR prepares the next version's questions: version 1's stay as issued.
    policy = PolicyPage.objects.get(pk=policy.pk)
    policy.understanding_check = []
    policy.save_revision()
    assert len(questions_for(version)) == 3


def test_staff_must_pass_the_check_before_confirming(checked_policy, staff_user, client):
    policy, version = checked_policy
    client.force_login(staff_user)
    page = client.get(policy.url).content.decode()
    assert "answer 3 short questions" in page and "Check your understanding" in page
    response = client.post(policy.url + "confirm/", {"version": version.pk})
    assert response.url == check_url(policy)
    assert not ReadReceipt.objects.exists()


def test_a_wrong_answer_shows_the_section_and_a_second_try_passes(checked_policy, staff_user, client):
    policy, version = checked_policy
    first, true_false, several = ids(version)
    client.force_login(staff_user)
    page = client.post(
        check_url(policy), {f"q-{first}": "0", f"q-{true_false}": "false", f"q-{several}": ["0"]}
    ).content.decode()
    assert page.count("Not quite.") == 2  # the friend request and the 'several' question
    assert "Report any contact from pupils or parents" in page
    assert 'href="/policies/social-media/section-1/"' in page
    assert "Right." in page  # the true/false question, not asked again
    # The wrong answers stay chosen, to be changed: a wrong try does not clear them.
    assert re.search(rf'value="0" id="q-{first}-0"[^>]*checked', page)
    assert re.search(rf'value="0" id="q-{several}-0"[^>]*checked', page)
    assert not re.search(rf'value="1" id="q-{several}-1"[^>]*checked', page)
    page = client.post(check_url(policy), {f"q-{first}": "1", f"q-{several}": ["0", "1"]}).content.decode()
    assert "You have answered every question right" in page
    client.post(policy.url + "confirm/", {"version": version.pk})
    receipt = ReadReceipt.objects.get(user=staff_user)
    assert receipt.version == version and receipt.understanding_tries == 2


def test_every_question_must_be_answered(checked_policy, staff_user, client):
    policy, version = checked_policy
    client.force_login(staff_user)
    response = client.post(check_url(policy), {f"q-{ids(version)[0]}": "1"})
    assert response.status_code == 400 and "Answer every question" in response.content.decode()
    assert not UnderstandingAnswer.objects.exists()  # not a try: nothing marked


def test_hr_sees_per_question_how_many_got_it_right_first_time(checked_policy, client, hr_user):
    policy, version = checked_policy
    first, true_false, several = ids(version)
    for chosen in ("1", "0", "0"):
        client.force_login(UserFactory())
        client.post(check_url(policy), {f"q-{first}": chosen, f"q-{true_false}": "false", f"q-{several}": ["0", "1"]})
    figures = {f.question.id: (f.answered, f.right_first_time) for f in figures_for(version)}
    assert figures == {first: (3, 1), true_false: (3, 3), several: (3, 3)}
    assert figures_for(version)[0].question.id == first  # hardest first
    client.force_login(hr_user)
    page = client.get(f"/admin/policy-reading/policy/{policy.pk}/").content.decode()
    assert "Right first time" in page and "1 (33%)" in page


def test_without_questions_staff_confirm_straight_away(policy, staff_user, client):
    version = issue(policy, "1")
    client.force_login(staff_user)
    assert "Check your understanding" not in client.get(policy.url).content.decode()
    client.post(policy.url + "confirm/", {"version": version.pk})
    assert ReadReceipt.objects.get().understanding_tries is None
    assert client.get(check_url(policy)).status_code == 302


def test_visitors_are_sent_to_sign_in(checked_policy, client):
    policy, _version = checked_policy
    assert "/accounts/login/" in client.get(check_url(policy)).url


@pytest.mark.parametrize(
    "choices, kind, message",
    [
        ([("Only one", True)], "single", "at least two answers"),
        ([("A", True), ("B", True)], "single", "exactly one right answer"),
        ([("A", False), ("B", False)], "multiple", "at least one right answer"),
    ],
)
def test_hr_is_told_what_is_wrong_with_a_question(policy, choices, kind, message):
    section = PolicySectionPage.objects.child_of(policy).first()
    block = CheckQuestionBlock()
    value = block.to_python(question(section, "Q?", kind=kind, choices=choices)[1] | {"section": section.pk})
    with pytest.raises(ValidationError) as problem:
        block.clean(value)
    assert message in str(problem.value.block_errors["choices"])


def test_the_governors_see_the_questions_the_next_version_will_ask_marked(checked_policy, client, hr_user):
    policy, version = checked_policy
    one = PolicySectionPage.objects.child_of(policy).order_by("path").first()
    draft = PolicyPage.objects.get(pk=policy.pk)
    kept, _true_false, several = list(draft.understanding_check)
    kept.value["question"] = "A parent sends you a friend request on Facebook. You…"
    draft.understanding_check = [
        ("question", kept.value),
        ("question", several.value),
        question(one, "You may accept a pupil's follow request.", kind="true_false"),
    ]
    draft.understanding_check[0].id, draft.understanding_check[1].id = kept.id, several.id
    draft.save_revision(user=hr_user)
    client.force_login(hr_user)
    page = client.get(f"/admin/policy-versions/{policy.pk}/next/").content.decode()
    assert "Check your understanding" in page
    for words, badge in [
        ("on Facebook. You…", "Changed"),
        ("You may accept a pupil&#x27;s follow request.", "Added"),
        ("Staff may post photos of pupils on their own accounts.</del>", "Removed"),
    ]:
        assert words in page
        assert page.index(badge, page.index(words)) - page.index(words) < 200, badge
    assert "Right answers: A pupil&#x27;s message; A parent&#x27;s request" in page
