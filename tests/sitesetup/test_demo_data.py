"""The demo school is data (sitesetup/demo_school/), read and checked by sitesetup.demo_data."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from policypages.models import PolicyPage
from sitesetup import demo_data
from sitesetup.demo_data import DEMO_SCHOOL, DemoDataError

SITESETUP = Path(demo_data.__file__).parent


def test_the_schools_words_live_in_data_files_not_in_code():
    """A sentence from each kind of content (policy, answer, parents' page) is in the data and in no module."""
    social = json.loads((DEMO_SCHOOL / "policies/social-media.json").read_text())
    sentences = [
        social["sections"][0]["body"][0]["value"][3:60],
        (DEMO_SCHOOL / "answers.csv").read_text().splitlines()[1].split('"')[1][:50],
        demo_data.school()["parents_page"]["body"][0]["value"][3:50],
    ]
    code = "".join(path.read_text() for path in SITESETUP.rglob("*.py"))
    for sentence in sentences:
        assert sentence and sentence not in code


@pytest.fixture
def scratch_school(tmp_path, monkeypatch):
    copy = tmp_path / "demo_school"
    shutil.copytree(DEMO_SCHOOL, copy)
    monkeypatch.setattr(demo_data, "DEMO_SCHOOL", copy)
    demo_data.school.cache_clear()
    yield copy
    demo_data.school.cache_clear()


def test_a_file_that_is_not_json_is_named(scratch_school):
    (scratch_school / "school.json").write_text("{ not json")
    with pytest.raises(DemoDataError, match="school.json"):
        demo_data.school()


def test_a_demo_user_in_a_group_no_role_defines_is_refused(scratch_school):
    school = json.loads((scratch_school / "school.json").read_text())
    school["users"][0]["groups"] = ["Staff", "Teachers"]
    (scratch_school / "school.json").write_text(json.dumps(school))
    with pytest.raises(DemoDataError, match="Teachers"):
        demo_data.demo_users()


@pytest.mark.django_db
def test_an_answer_the_importer_rejects_stops_the_demo_and_says_which(bare_site, scratch_school):
    answers = scratch_school / "answers.csv"
    answers.write_text(answers.read_text() + '"Can I vape in the car park?","No.",pupils,,,,\n')
    with pytest.raises(DemoDataError, match="audience 'pupils'"):
        call_command("load_demo", "--allow-without-debug", verbosity=0)


@pytest.mark.django_db
def test_the_parents_page_links_to_the_complaints_procedure_wherever_it_moves(bare_site, client):
    call_command("load_demo", "--allow-without-debug", verbosity=0)
    assert 'href="/policies/complaints/"' in client.get("/parents/").content.decode()
    complaints = PolicyPage.objects.get(slug="complaints")
    complaints.slug = "concerns-and-complaints"
    complaints.save_revision().publish()
    html = client.get("/parents/").content.decode()
    assert 'href="/policies/concerns-and-complaints/"' in html and "/policies/complaints/" not in html
