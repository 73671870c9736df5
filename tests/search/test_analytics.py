"""Search counts per day without who searched; clicks; 'was this helpful'; the HR report and who sees it."""

import pytest
from django.utils.text import slugify

from core.content import content_changed
from guidance.models import AnswerFeedback, GuidanceAnswerPage
from sitesearch.models import SearchTermDay

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(tree):
    title = "Can I post photos of the school play?"
    page = GuidanceAnswerPage(
        title=title, slug=slugify(title), short_answer="Only your own child", answer="<p>Yes.</p>", audience="parents"
    )
    tree.parents_guidance.add_child(instance=page)
    page.save_revision().publish(skip_permission_checks=True)
    content_changed()
    return page


def test_searches_and_zero_results_are_counted_without_the_searcher(client, answer, staff_user):
    client.force_login(staff_user)
    client.get("/search/", {"q": "Photos of the PLAY!"})
    client.get("/api/search/", {"q": "photos of the play"})
    client.get("/search/", {"q": "unicorn stables"})
    rows = {r.query: r for r in SearchTermDay.objects.all()}
    assert rows["photos of the play"].searches == 2 and rows["photos of the play"].zero_results == 0
    assert rows["unicorn stables"].zero_results == 1
    field_names = {f.name for f in SearchTermDay._meta.get_fields()}
    assert not field_names & {"user", "session", "ip"}


def test_clicks_are_counted_and_only_local_urls_followed(client, answer):
    response = client.get("/search/open/", {"q": "photos of the play", "to": answer.url})
    assert response.status_code == 302 and response["Location"] == answer.url
    assert SearchTermDay.objects.get(query="photos of the play").clicks == 1
    for evil in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        assert client.get("/search/open/", {"q": "x", "to": evil})["Location"] == "/"


def test_helpful_votes(client, answer):
    client.post(f"/answers/{answer.pk}/feedback/", {"helpful": "yes"})
    client.post(f"/answers/{answer.pk}/feedback/", {"helpful": "no"})  # same session: not counted twice
    feedback = AnswerFeedback.objects.get(answer=answer)
    assert (feedback.helpful, feedback.not_helpful) == (1, 0)
    response = client.post(f"/answers/{answer.pk}/feedback/", {"helpful": "maybe"}, follow=True)
    assert response.status_code == 200


def test_feedback_on_a_staff_answer_needs_sign_in(client, tree):
    page = GuidanceAnswerPage(
        title="Staff thing", slug="staff-thing", short_answer="No", answer="<p>No.</p>", audience="staff"
    )
    tree.staff_guidance.add_child(instance=page)
    page.save_revision().publish(skip_permission_checks=True)
    assert client.post(f"/answers/{page.pk}/feedback/", {"helpful": "yes"}).status_code == 404
    assert not AnswerFeedback.objects.exists()


def test_report_for_hr_not_for_governors(client, answer, hr_user, governor):
    SearchTermDay.objects.create(date="2099-01-01", query="future", searches=1)
    client.get("/search/", {"q": "unicorn stables"})
    client.post(f"/answers/{answer.pk}/feedback/", {"helpful": "no"})
    client.force_login(hr_user)
    html = client.get("/admin/search-report/").content.decode()
    assert "unicorn stables" in html and "Can I post photos of the school play?" in html
    client.force_login(governor)
    response = client.get("/admin/search-report/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
