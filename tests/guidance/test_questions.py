"""Ask HR (issue 20, fourth part): a question search did not answer goes to HR, named or anonymous; HR sees it
grouped with the same question asked other ways, turns it into a draft answer in one click, and whoever asked by
name is told when the answer is published. Parents ask without an account and never get a staff-only answer."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from guidance import questions
from guidance.models import GuidanceAnswerPage, Question
from sitesearch.models import SearchTermDay
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

ASK = "/ask/"


def ask_as_staff(client, text, send_as="named", searched=""):
    return client.post(ASK, {"text": text, "send_as": send_as, "searched": searched})


def test_an_empty_search_offers_to_ask_hr_with_the_words_typed(client, staff_user, tree):
    client.force_login(staff_user)
    page = client.get("/search/", {"q": "zzqx glorp"}).content.decode()
    assert 'href="/ask/?q=zzqx%20glorp">Ask HR</a>' in page
    form = client.get(ASK, {"q": "zzqx glorp"}).content.decode()
    assert "zzqx glorp</textarea>" in form and "With my name" in form and "Anonymously" in form
    client.logout()
    assert "Ask the school</a>" in client.get("/search/", {"q": "zzqx glorp"}).content.decode()


def test_a_named_question_keeps_who_asked(client, staff_user):
    client.force_login(staff_user)
    response = ask_as_staff(client, "Can I go to a pupil's birthday party?", searched="pupil party")
    assert "We will email you when it has an answer" in response.content.decode()
    question = Question.objects.get()
    assert question.asked_by == staff_user and question.audience == "staff" and question.searched == "pupil party"


def test_an_anonymous_question_holds_nothing_that_identifies_the_sender(client, staff_user):
    client.force_login(staff_user)
    ask_as_staff(client, "Can I go to a pupil's birthday party?", send_as="anonymous")
    question = Question.objects.get()
    assert question.asked_by is None and question.reply_to == ""
    stored = {f.name for f in Question._meta.get_fields()}
    assert not stored & {"ip", "ip_address", "user_agent", "created_at", "session"}  # a day, not a time
    assert isinstance(question.asked_on, datetime.date) and not isinstance(question.asked_on, datetime.datetime)


def test_staff_must_choose_named_or_anonymous(client, staff_user):
    client.force_login(staff_user)
    response = client.post(ASK, {"text": "Can I go to a pupil's party?"})
    assert response.status_code == 400
    assert "Choose whether to send it with your name or anonymously" in response.content.decode()
    assert not Question.objects.exists()


def test_a_parent_asks_without_an_account(client, tree):
    response = client.post(ASK, {"text": "How do I report a worrying post?", "reply_to": "parent@example.com"})
    assert response.status_code == 200
    question = Question.objects.get()
    assert question.audience == "parents" and question.reply_to == "parent@example.com" and question.asked_by is None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": "hi"}, "at least 10 letters"),
        ({"text": "x" * 501}, "under 500 characters"),
        ({"text": "Cheap watches at https://spam.example now"}, "leave web addresses out"),
        ({"text": "How do I report a post?", "reply_to": "not an address"}, "Enter an email address"),
    ],
)
def test_bad_questions_get_a_clear_message_and_keep_what_was_typed(client, tree, data, message):
    response = client.post(ASK, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Nothing has been sent yet" in page
    assert data["text"][:20] in page
    assert not Question.objects.exists()


def test_a_huge_search_carried_along_is_cut_not_refused(client, staff_user):
    client.force_login(staff_user)
    assert len(client.get(ASK, {"q": "friend " * 2000}).content) < 100_000
    response = ask_as_staff(client, "Can I friend a parent?", searched="friend " * 2000)
    assert response.status_code == 200
    assert 0 < len(Question.objects.get().searched) <= 200


def test_a_robot_filling_the_hidden_field_is_thanked_and_nothing_is_filed(client, tree):
    response = client.post(ASK, {"text": "Buy followers for your school page", "website": "spam"})
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert not Question.objects.exists()


def test_visitors_are_rate_limited_by_a_hash_of_their_address(client, tree, settings):
    settings.QUESTION_LIMITS = {"visitor": [(2, 600)], "staff": [(2, 3600)]}
    for _ in range(2):
        assert client.post(ASK, {"text": "How do I report a worrying post?"}).status_code == 200
    response = client.post(ASK, {"text": "How do I report a worrying post?"})
    assert response.status_code == 429 and "try again later" in response.content.decode()
    assert Question.objects.count() == 2


def test_staff_are_rate_limited_per_person_not_per_school_address(client, tree, settings):
    settings.QUESTION_LIMITS = {"visitor": [(1, 600)], "staff": [(1, 3600)]}
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    assert ask_as_staff(client, "Can I use my own phone?").status_code == 200
    assert ask_as_staff(client, "Can I use my own laptop?").status_code == 429
    client.force_login(second)  # the same address (a school's network), another person
    assert ask_as_staff(client, "Can I use my own laptop?").status_code == 200


# --- HR's queue ----------------------------------------------------------------------------------------


def test_the_same_question_asked_different_ways_is_one_group_with_its_searches(tree, hr_user):
    questions.ask("Can I accept a friend request from a parent?", audience="staff", searched="parent friend request")
    questions.ask("a parent sent me a friend request", audience="staff")
    questions.ask("Can I use my phone in lessons?", audience="staff")
    questions.ask("Can I accept a friend request from a parent?", audience="parents")  # other audience
    SearchTermDay.objects.create(date=timezone.localdate(), query="parent friend request", searches=7)
    groups = questions.open_groups(hr_user)
    assert [len(g.questions) for g in groups] == [2, 1, 1]
    friend = groups[0]
    assert friend.searches == 7 and friend.audience == "staff"
    assert friend.title == "Can I accept a friend request from a parent?"
    assert friend.phrasings == ["parent friend request", "a parent sent me a friend request"]


def test_only_hr_see_the_questions(client, tree, hr_user, staff_user, governor, senior_leader, site_admin):
    questions.ask("Can I go to a pupil's birthday party?", audience="staff", user=staff_user)
    for user in (staff_user, governor, senior_leader, site_admin):
        client.force_login(user)
        assert client.get("/admin/guidance/questions/").status_code in (302, 403), user
        assert "Questions asked" not in client.get("/admin/").content.decode()
        ids = list(Question.objects.values_list("pk", flat=True))
        client.post("/admin/guidance/questions/draft/", {"question": ids})
        client.post("/admin/guidance/questions/set-aside/", {"question": ids})
    assert Question.objects.get().status == Question.Status.WAITING
    client.force_login(hr_user)
    assert "pupil&#x27;s birthday party" in client.get("/admin/guidance/questions/").content.decode()
    assert "1 question from search waits for an answer" in client.get("/admin/").content.decode()


def test_one_click_makes_a_draft_answer_and_publishing_it_tells_the_named_askers(
    client, tree, hr_user, django_capture_on_commit_callbacks
):
    named = UserFactory(email="ann@school.example", first_name="Ann")
    first = questions.ask("can I friend a parent on facebook", audience="staff", user=named, searched="friend parent")
    second = questions.ask("Can I add a parent as a friend?", audience="staff")  # anonymous
    client.force_login(hr_user)
    response = client.post("/admin/guidance/questions/draft/", {"question": [first.pk, second.pk]})
    draft = GuidanceAnswerPage.objects.get()
    assert response.url == f"/admin/pages/{draft.pk}/edit/"
    assert draft.title == "Can I friend a parent on facebook?" and not draft.live
    assert draft.also_asked.splitlines() == ["friend parent", "Can I add a parent as a friend?"]
    assert draft.get_parent().pk == tree.staff_guidance.pk and draft.audience == "staff"
    assert set(Question.objects.values_list("status", flat=True)) == {Question.Status.DRAFTED}

    draft.short_answer = "No: use school channels."
    draft.answer = "<p>Keep contact with parents to school channels.</p>"
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision(user=hr_user).publish(user=hr_user)
    assert [m.to for m in mail.outbox] == [["ann@school.example"]]
    assert draft.full_url in mail.outbox[0].body and "can I friend a parent on facebook" in mail.outbox[0].body
    assert set(Question.objects.values_list("status", flat=True)) == {Question.Status.ANSWERED}
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision(user=hr_user).publish(user=hr_user)  # published again: nobody is told twice
    assert len(mail.outbox) == 1


def test_a_parents_question_gets_a_public_answer_and_their_address_is_deleted(
    client, tree, hr_user, django_capture_on_commit_callbacks
):
    question = questions.ask("How do I report a worrying post?", audience="parents", reply_to="p@example.com")
    client.force_login(hr_user)
    client.post("/admin/guidance/questions/draft/", {"question": [question.pk]})
    draft = GuidanceAnswerPage.objects.get()
    assert draft.get_parent().pk == tree.parents_guidance.pk and draft.audience == "parents"
    draft.short_answer, draft.answer = "Tell the school office", "<p>Call the office.</p>"
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision(user=hr_user).publish(user=hr_user)
    assert [m.to for m in mail.outbox] == [["p@example.com"]]
    assert Question.objects.get().reply_to == ""


def test_a_parents_address_never_gets_a_link_to_staff_only_content(tree, hr_user, django_capture_on_commit_callbacks):
    question = questions.ask("How do I report a worrying post?", audience="parents", reply_to="p@example.com")
    staff_answer = GuidanceAnswerPage(title="Reporting posts", short_answer="x", answer="<p>x</p>", live=False)
    tree.staff_guidance.add_child(instance=staff_answer)
    questions.add_to_answer([question.pk], staff_answer)
    with django_capture_on_commit_callbacks(execute=True):
        staff_answer.save_revision(user=hr_user).publish(user=hr_user)
    assert mail.outbox == []
    assert Question.objects.get().reply_to == ""  # deleted all the same


def test_a_staff_question_cannot_be_added_to_a_parents_answer_nor_the_reverse(client, tree, hr_user):
    question = questions.ask("How do I report a worrying post?", audience="parents")
    staff_answer = GuidanceAnswerPage(title="Reporting posts", short_answer="x", answer="<p>x</p>", live=False)
    tree.staff_guidance.add_child(instance=staff_answer)
    client.force_login(hr_user)
    response = client.post("/admin/guidance/questions/draft/", {"question": [question.pk], "answer": staff_answer.pk})
    assert response.status_code == 404
    assert Question.objects.get().answer is None


def test_a_question_asked_again_joins_the_answer_being_written(client, tree, hr_user):
    first = questions.ask("Can I friend a parent?", audience="staff")
    client.force_login(hr_user)
    client.post("/admin/guidance/questions/draft/", {"question": [first.pk]})
    draft = GuidanceAnswerPage.objects.get()
    again = questions.ask("can I friend a parent on instagram", audience="staff", user=UserFactory(email="b@x.org"))
    page = client.get("/admin/guidance/questions/").content.decode()
    assert "Continue the answer" in page and "Add the 1 new to that answer" in page
    client.post("/admin/guidance/questions/draft/", {"question": [again.pk], "answer": draft.pk})
    assert Question.objects.get(pk=again.pk).answer == draft.page_ptr.specific
    assert GuidanceAnswerPage.objects.count() == 1


def test_set_aside_removes_a_group_from_the_queue(client, tree, hr_user):
    spam = questions.ask("Buy followers for your school", audience="parents", reply_to="x@example.com")
    client.force_login(hr_user)
    client.post("/admin/guidance/questions/set-aside/", {"question": [spam.pk]})
    spam.refresh_from_db()
    assert spam.status == Question.Status.SET_ASIDE and spam.reply_to == ""
    assert "No questions are waiting" in client.get("/admin/guidance/questions/").content.decode()
