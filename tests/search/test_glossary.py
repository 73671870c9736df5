"""Words schools use (issue 43): terms of art read as their meaning, and their meaning as the term, from a shipped
glossary that HR extends in the admin."""

import pytest

from sitesearch import pipeline
from sitesearch.glossary import DEFAULT_TERMS
from sitesearch.models import GlossaryTerm
from tests.guidance.factories import make_answer

pytestmark = pytest.mark.django_db


def titles(client, q):
    return [r["title"] for r in client.get("/api/search/", {"q": q}).json()["results"]]


@pytest.fixture
def answers(tree):
    return {
        "allegation": make_answer(
            tree.staff_guidance,
            "What happens if a pupil makes an allegation against me?",
            answer="<p>The head tells the local authority designated officer within one working day.</p>",
        ),
        "records": make_answer(
            tree.staff_guidance,
            "Someone asked for a copy of everything we hold about them",
            answer="<p>Pass a subject access request to the data protection officer the same day.</p>",
        ),
        "worry": make_answer(
            tree.staff_guidance,
            "Who do I tell about a worry for a child?",
            answer="<p>Tell the DSL before you go home.</p>",
        ),
        "photos": make_answer(
            tree.staff_guidance,
            "Can I send a photo of my class to a parent?",
            answer="<p>Only through the school's app.</p>",
        ),
    }


def test_the_general_glossary_ships_with_the_site(tree):
    assert GlossaryTerm.objects.count() == len(DEFAULT_TERMS)
    assert GlossaryTerm.objects.get(term="LADO").meaning.startswith("local authority designated officer")


def test_a_term_typed_finds_the_answer_that_spells_it_out(client, staff_user, answers):
    client.force_login(staff_user)
    assert titles(client, "lado number")[0] == answers["allegation"].title
    assert titles(client, "SAR came in what do i do")[0] == answers["records"].title


def test_the_meaning_typed_finds_the_answer_that_uses_the_term(client, staff_user, answers):
    client.force_login(staff_user)
    assert titles(client, "designated safeguarding lead")[0] == answers["worry"].title


def test_a_term_that_is_also_a_word_is_read_as_the_term_only_when_typed_as_one(tree):
    assert pipeline.parse("can i send a photo", True).meanings == []
    assert pipeline.parse("SEND support for my class", True).meanings == ["special educational needs and disabilities"]
    assert pipeline.parse("is it an inset day", True).meanings == []
    assert pipeline.parse("pida", True).meanings  # not a word: read however it is typed


def test_a_term_of_art_is_never_corrected_as_a_typo(tree):
    assert pipeline.parse("lado", True).did_you_mean is None


def test_hr_adds_the_schools_own_term_and_the_next_search_reads_it(client, hr_user, staff_user, tree):
    answer = make_answer(
        tree.staff_guidance,
        "Who looks after first aid on the Oak site?",
        answer="<p>The medical room on the Oak site is staffed all day.</p>",
    )
    client.force_login(hr_user)
    add = "/admin/snippets/sitesearch/glossaryterm/add/"
    assert client.get(add).status_code == 200
    response = client.post(add, {"term": "Bramble", "meaning": "the medical room on the Oak site"})
    assert response.status_code == 302
    client.force_login(staff_user)
    assert titles(client, "bramble")[0] == answer.title


def test_a_term_already_there_gets_a_message_not_a_second_entry(client, hr_user):
    client.force_login(hr_user)
    response = client.post("/admin/snippets/sitesearch/glossaryterm/add/", {"term": "lado", "meaning": "x y"})
    assert response.status_code == 200
    assert "is in the glossary already" in response.content.decode()
    assert GlossaryTerm.objects.filter(term__iexact="lado").count() == 1


def test_staff_cannot_edit_the_glossary(client, staff_user):
    client.force_login(staff_user)
    response = client.post("/admin/snippets/sitesearch/glossaryterm/add/", {"term": "X1", "meaning": "something"})
    assert response.status_code in (302, 403)
    assert not GlossaryTerm.objects.filter(term="X1").exists()
