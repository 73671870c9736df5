"""In a trust, questions asked of HR belong to the asker's school (issue 41, finding 2): its HR sees them, sets
them aside and drafts their answers in the school's own guidance; another school's HR can do none of it; the
central team sees the trust's own, and every school's when the trust says so; the digest carries each reader's
own."""

import datetime

import pytest
from django.test import Client

from accounts import roles
from digests.services import send_leaders_digest
from guidance.models import GuidanceAnswerPage, Question
from schools.models import School, Trust
from sitesetup.setup import add_school
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa

pytestmark = pytest.mark.django_db
ELM = "elm.localhost"
QUEUE = "/admin/guidance/questions/"


@pytest.fixture
def trust(tree, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ELM]
    elm_tree, _ = add_school("Elm Primary", ELM, short_name="Elm")
    oakbrook, elm = School.objects.get(site__is_default_site=True), School.objects.get(name="Elm Primary")

    def hr(school):
        return with_mfa(
            UserFactory(groups=[roles.STAFF, roles.POLICY_EDITORS], school=school, in_central_team=school is None)
        )

    people = {
        "elm_teacher": UserFactory(groups=[roles.STAFF], school=elm),
        "oak_hr": hr(oakbrook),
        "elm_hr": hr(elm),
        "central_hr": hr(None),
    }
    teacher = Client()
    teacher.force_login(people["elm_teacher"])
    teacher.post("/ask/", {"text": "Can I drive a pupil home after the giraffe club?", "send_as": "anonymous"})
    teacher.post("/ask/", {"text": "Who signs off the zebra trip?", "send_as": "named"})
    Client().post("/ask/", {"text": "When does the elm parents evening start?", "reply_to": "p@x.example"}, HTTP_HOST=ELM)
    return {"elm": elm, "oakbrook": oakbrook, "elm_tree": elm_tree, **people}


def test_each_question_is_filed_under_the_askers_school(trust):
    assert set(Question.objects.values_list("school", flat=True)) == {trust["elm"].pk}


def test_another_schools_hr_neither_sees_nor_acts_on_them(client, trust):
    client.force_login(trust["oak_hr"])
    page = client.get(QUEUE).content.decode()
    assert "giraffe" not in page and "zebra" not in page and "parents evening" not in page
    ids = list(Question.objects.values_list("pk", flat=True))
    client.post(f"{QUEUE}set-aside/", {"question": ids})
    client.post(f"{QUEUE}draft/", {"question": ids[:1]})
    assert set(Question.objects.values_list("status", flat=True)) == {Question.Status.WAITING}
    assert Question.objects.filter(reply_to="p@x.example").exists()  # a parent's address is not deleted
    assert not GuidanceAnswerPage.objects.filter(title__icontains="giraffe").exists()


def test_the_schools_own_hr_drafts_the_answer_in_the_schools_guidance(client, trust):
    client.force_login(trust["elm_hr"])
    page = client.get(QUEUE).content.decode()
    assert "giraffe" in page and "zebra" in page and "parents evening" in page
    question = Question.objects.get(text__icontains="giraffe")
    client.post(f"{QUEUE}draft/", {"question": [question.pk]})
    draft = GuidanceAnswerPage.objects.get(title__icontains="giraffe")
    assert draft.get_parent().pk == trust["elm_tree"].staff_guidance.pk


def test_the_central_team_sees_the_trusts_own_and_every_schools_when_the_trust_says_so(client, trust):
    client.force_login(trust["central_hr"])
    assert "giraffe" not in client.get(QUEUE).content.decode()
    setting = Trust.load()
    setting.central_team_answers_every_school = True
    setting.save()
    assert "giraffe" in client.get(QUEUE).content.decode()


def test_the_digest_tells_each_hr_their_own_schools_questions(trust):
    from django.core import mail

    send_leaders_digest(today=datetime.date(2026, 11, 23))
    bodies = {tuple(m.to): m.body for m in mail.outbox}
    assert "zebra" in bodies[(trust["elm_hr"].email,)]
    oak = bodies.get((trust["oak_hr"].email,), "")
    assert "zebra" not in oak and "giraffe" not in oak
