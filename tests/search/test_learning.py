"""Learning from the school's own searches (issue 43): from Searches and answers, HR turns a search that found
nothing into another way of asking the right answer, or into a new draft answer; the next person finds it."""

import pytest
from wagtail.models import PageLogEntry

from guidance.models import GuidanceAnswerPage
from sitesearch import analytics
from sitesearch.learning import NotTaught, add_phrasing
from tests.guidance.factories import make_answer

pytestmark = pytest.mark.django_db

TEACH = "/admin/search-report/teach/"


@pytest.fixture
def answer(tree):
    return make_answer(
        tree.staff_guidance,
        "Can I claim back money I spent on classroom resources?",
        short_answer="Yes, with a receipt",
        answer="<p>Fill in an expenses claim with the receipt attached and give it to the school office.</p>",
    )


def results(client, q):
    return [r["title"] for r in client.get("/api/search/", {"q": q}).json()["results"]]


def test_hr_teaches_a_search_in_one_click_and_the_next_person_finds_it(client, hr_user, staff_user, answer):
    phrasing = "bought glue sticks with my own cash"
    client.force_login(staff_user)
    assert answer.title not in results(client, phrasing)[:1]
    analytics.record_search(phrasing, 0)
    client.force_login(hr_user)
    report = client.get("/admin/search-report/").content.decode()
    assert f"{TEACH}?q=bought%20glue%20sticks" in report
    page = client.get(TEACH, {"q": phrasing}).content.decode()
    assert "Teach search" in page and answer.title in page
    response = client.post(f"{TEACH}add/", {"q": phrasing, "answer": answer.pk}, follow=True)
    assert "Search finds it that way now" in response.content.decode()
    answer.refresh_from_db()
    assert answer.phrasings[-1] == phrasing and answer.live and not answer.has_unpublished_changes
    assert PageLogEntry.objects.filter(page=answer, action="wagtail.publish", user=hr_user).exists()
    client.force_login(staff_user)
    assert results(client, phrasing)[0] == answer.title


def test_an_answer_with_changes_waiting_is_not_published_from_here(hr_user, answer):
    answer.short_answer = "Unfinished wording"
    answer.save_revision(user=hr_user)
    with pytest.raises(NotTaught, match="changes waiting to be published"):
        add_phrasing(hr_user, answer, "spent my own money on books")
    answer.refresh_from_db()
    assert answer.short_answer == "Yes, with a receipt" and "spent my own money" not in answer.also_asked


def test_the_same_phrasing_twice_gets_a_message(client, hr_user, answer):
    client.force_login(hr_user)
    client.post(f"{TEACH}add/", {"q": "my own money on resources", "answer": answer.pk})
    response = client.post(f"{TEACH}add/", {"q": "My own  money on resources", "answer": answer.pk}, follow=True)
    assert "is already a way of asking" in response.content.decode()
    answer.refresh_from_db()
    assert answer.phrasings.count("my own money on resources") == 1


def test_no_answer_chosen_or_no_search_gets_a_message_not_an_error(client, hr_user, answer):
    client.force_login(hr_user)
    response = client.post(f"{TEACH}add/", {"q": "anything", "answer": ""}, follow=True)
    assert response.status_code == 200 and "Choose the answer" in response.content.decode()
    response = client.post(f"{TEACH}add/", {"q": "  ", "answer": answer.pk}, follow=True)
    assert "There is no search to add" in response.content.decode()
    response = client.get(TEACH, {"q": ""}, follow=True)
    assert response.status_code == 200


def test_a_new_answer_starts_as_a_draft_with_the_search_as_its_question(client, hr_user, tree):
    client.force_login(hr_user)
    response = client.post(f"{TEACH}new/", {"q": "who orders the school minibus", "audience": "staff"})
    draft = GuidanceAnswerPage.objects.get(title="Who orders the school minibus")
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{draft.pk}/edit/"
    assert not draft.live and draft.get_parent().pk == tree.staff_guidance.pk


def test_staff_and_governors_cannot_teach_search(client, staff_user, governor, answer):
    for person in (staff_user, governor):
        client.force_login(person)
        assert client.get(TEACH, {"q": "x"}).status_code in (302, 403)
        client.post(f"{TEACH}add/", {"q": "a staff member's phrasing", "answer": answer.pk})
        client.post(f"{TEACH}new/", {"q": "a staff member's question"})
    answer.refresh_from_db()
    assert "a staff member's phrasing" not in answer.also_asked
    assert not GuidanceAnswerPage.objects.filter(title__startswith="A staff member's").exists()
