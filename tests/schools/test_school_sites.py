"""Each school of a trust has its own site: its home, staff hub, parents' page, policies and branding. A school's
staff-only pages are for its own staff (and the trust's central team), by page, search and the search API;
its public pages are for everyone."""

import pytest
from django.core.management import CommandError, call_command
from django.utils.text import slugify

from accounts import roles
from core.privacy import refused_paths
from schools.models import School
from sitesetup.setup import add_school
from tests.accounts.factories import UserFactory
from tests.guidance.factories import make_answer

pytestmark = pytest.mark.django_db
ELM = "elm.localhost"


@pytest.fixture
def trust(tree, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ELM]
    elm_tree, _ = add_school("Elm Primary", ELM, short_name="Elm")
    oakbrook, elm = School.objects.get(site__is_default_site=True), School.objects.get(name="Elm Primary")
    make_answer(tree.staff_guidance, "Where is the zebracode kept?", answer="<p>In the Oakbrook office.</p>")
    make_answer(elm_tree.staff_guidance, "Where is the giraffecode kept?", answer="<p>In the Elm office.</p>")
    return {
        "oakbrook": (tree, UserFactory(groups=[roles.STAFF], school=oakbrook)),
        "elm": (elm_tree, UserFactory(groups=[roles.STAFF], school=elm)),
        "central": UserFactory(groups=[roles.STAFF], school=None, in_central_team=True),
    }


def staff_pages(tree):
    answer_slug = tree.staff_guidance.get_children().first().slug
    return [tree.staff.url_path, tree.staff_guidance.url_path, f"{tree.staff_guidance.url_path}{answer_slug}/"]


def path_on_site(url_path):
    """A page's address on its own site: its url_path without the site's home."""
    return "/" + url_path.split("/", 2)[2]


def test_a_new_school_has_its_own_site_pages_and_name(client, trust):
    elm_tree, _ = trust["elm"]
    home = client.get("/", HTTP_HOST=ELM)
    assert home.status_code == 200 and "Elm Primary" in home.content.decode()
    assert client.get("/parents/", HTTP_HOST=ELM).status_code == 200
    assert client.get("/staff/", HTTP_HOST=ELM).status_code == 302  # signed-in staff only
    assert School.objects.get(name="Elm Primary").site.root_page_id == elm_tree.home.pk


@pytest.mark.parametrize(
    "reader, sees",
    [("oakbrook", {"oakbrook"}), ("elm", {"elm"}), ("central", {"oakbrook", "elm"})],
)
def test_a_schools_staff_pages_are_for_its_own_staff(client, trust, reader, sees):
    client.force_login(trust[reader] if reader == "central" else trust[reader][1])
    for school, host in (("oakbrook", "localhost"), ("elm", ELM)):
        tree = trust[school][0]
        for url_path in staff_pages(tree):
            status = client.get(path_on_site(url_path), HTTP_HOST=host).status_code
            assert (status == 200) == (school in sees), (reader, school, url_path, status)
        assert client.get("/parents/", HTTP_HOST=host).status_code == 200  # public pages are everyone's


def test_search_finds_only_the_readers_schools_staff_answers(client, trust):
    client.force_login(trust["elm"][1])
    api = client.get("/api/search/", {"q": "zebracode"}, HTTP_HOST=ELM).json()
    page = client.get("/search/", {"q": "zebracode"}, HTTP_HOST=ELM).content.decode()
    assert "Where is the zebracode kept?" not in [r["title"] for r in api["results"]]
    assert "Where is the zebracode kept?" not in page
    client.force_login(trust["oakbrook"][1])
    api = client.get("/api/search/", {"q": "zebracode"}).json()
    assert api["results"][0]["title"] == "Where is the zebracode kept?"


@pytest.mark.parametrize(
    "reader, host, finds",
    [
        ("visitor", ELM, "Elm"),  # a parent on Elm's site: Elm's answers
        ("visitor", "localhost", "Oakbrook"),
        ("elm", "localhost", "Elm"),  # a school's staff: their school's, wherever they search from
        ("oakbrook", ELM, "Oakbrook"),
        ("central", ELM, "Elm"),  # the central team: the school whose site they are on
    ],
)
def test_search_answers_for_the_readers_school_not_another_schools_public_pages(client, trust, reader, host, finds):
    (oak_tree, _), (elm_tree, _) = trust["oakbrook"], trust["elm"]
    for tree, name in ((oak_tree, "Oakbrook"), (elm_tree, "Elm")):
        make_answer(tree.parents_guidance, f"When is {name} walrusday?", audience="parents")
    if reader != "visitor":
        client.force_login(trust[reader] if reader == "central" else trust[reader][1])
    titles = [r["title"] for r in client.get("/api/search/", {"q": "walrusday"}, HTTP_HOST=host).json()["results"]]
    page = client.get("/search/", {"q": "walrusday"}, HTTP_HOST=host).content.decode()
    other = "Elm" if finds == "Oakbrook" else "Oakbrook"
    assert titles == [f"When is {finds} walrusday?"]
    assert f"When is {finds} walrusday?" in page and f"When is {other} walrusday?" not in page
    suggestions = client.get("/api/search/suggest/", {"q": "when is"}, HTTP_HOST=host).json()["suggestions"]
    assert f"When is {finds} walrusday?" in suggestions and f"When is {other} walrusday?" not in suggestions


@pytest.fixture
def trust_with_its_own_site(trust, settings):
    """The default site becomes the trust's own (no school's), with answers for every school; Ash is a second
    school beside Elm."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "ash.localhost"]
    oakbrook = School.objects.get(site__is_default_site=True)
    oakbrook.site = None
    oakbrook.save()
    ash_tree, _ = add_school("Ash Academy", "ash.localhost", short_name="Ash")
    trust_tree = trust["oakbrook"][0]
    make_answer(ash_tree.staff_guidance, "Where is the okapicode kept?")
    make_answer(trust_tree.parents_guidance, "When is the trust's walrusday?", audience="parents")
    make_answer(ash_tree.parents_guidance, "When is Ash's walrusday?", audience="parents")
    return trust


def test_a_schools_hub_lists_the_trusts_answers_with_its_own_and_no_other_schools(client, trust_with_its_own_site):
    client.force_login(trust_with_its_own_site["elm"][1])
    hub = client.get("/staff/", HTTP_HOST=ELM).content.decode()
    assert "Where is the giraffecode kept?" in hub  # Elm's own
    assert "Where is the zebracode kept?" in hub  # the trust's, for every school
    assert "The trust's staff guidance" in hub
    assert "okapicode" not in hub  # Ash's


def test_a_schools_parents_page_lists_the_trusts_answers_with_its_own_and_no_other_schools(
    client, trust_with_its_own_site
):
    page = client.get("/parents/", HTTP_HOST=ELM).content.decode()
    assert "When is the trust&#x27;s walrusday?" in page
    assert "Ash&#x27;s walrusday" not in page


def test_the_trusts_own_hub_lists_only_its_own_answers(client, trust_with_its_own_site):
    client.force_login(trust_with_its_own_site["central"])
    hub = client.get("/staff/").content.decode()
    assert "Where is the zebracode kept?" in hub
    assert "giraffecode" not in hub and "okapicode" not in hub and "The trust's staff guidance" not in hub


def test_a_one_school_site_refuses_nothing_more(rf, tree):
    request = rf.get("/")
    request.user = UserFactory(groups=[roles.STAFF])
    assert refused_paths(request) == ()


def test_the_command_adds_a_school_and_refuses_a_second_with_the_same_name_or_host(trust, capsys):
    call_command("add_school", "Ash Academy", "ash.localhost", "--urn", "138456")
    assert "Ash Academy is ready" in capsys.readouterr().out
    for args in (
        ["Ash Academy", "other.localhost"],
        ["Birch School", "ash.localhost"],
        ["Birch", "b.local", "--urn", "12"],
    ):
        with pytest.raises(CommandError):
            call_command("add_school", *args)
    ash = School.objects.get(name="Ash Academy")
    assert ash.urn == "138456" and ash.site.root_page.slug == slugify("Ash Academy")
    assert not School.objects.filter(name="Birch").exists()


ADD = "/admin/schools/add-with-site/"


def test_a_site_administrator_adds_a_school_from_the_admin(client, site_admin):
    client.force_login(site_admin)
    data = {"name": "Birch Academy", "short_name": "Birch", "urn": "140123", "hostname": "Birch.Localhost"}
    response = client.post(ADD, data)
    assert response.status_code == 302 and response["Location"] == "/admin/schools/"
    birch = School.objects.get(name="Birch Academy")
    assert birch.site.hostname == "birch.localhost" and birch.site.root_page.title == "Birch Academy"
    again = client.post(ADD, {**data, "hostname": "other.localhost"})
    assert again.status_code == 200 and "already a school with this name" in again.content.decode()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"hostname": "https://elm.example/"}, "without https://"),
        ({"urn": "12ab"}, "six-digit number"),
        ({"name": ""}, "This field is required"),
    ],
)
def test_adding_a_school_with_a_mistake_says_what_and_adds_nothing(client, site_admin, change, message):
    client.force_login(site_admin)
    response = client.post(ADD, {"name": "Birch Academy", "urn": "", "hostname": "birch.localhost", **change})
    assert response.status_code == 200 and message in response.content.decode()
    assert School.objects.count() == 1


@pytest.mark.parametrize("role", ["hr_user", "senior_leader", "staff_user"])
def test_only_site_administrators_add_schools(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(ADD, {"name": "Birch Academy", "hostname": "birch.localhost"})
    assert response.status_code in (302, 403) and not School.objects.filter(name="Birch Academy").exists()


def test_a_result_link_leads_to_the_page_on_the_readers_site_and_across_the_trust(client, trust):
    """With more than one site Wagtail writes every page's address in full, which the result link refused (every
    click in a trust landed on the home page) and which dropped the port the reader came in on."""
    _, elm_user = trust["elm"]
    client.force_login(elm_user)
    here = f"{ELM}:8000"
    own = client.get("/api/search/", {"q": "giraffecode"}, HTTP_HOST=here).json()["results"][0]["url"]
    assert own.startswith("/staff/")  # a path on the reader's own site, whatever address and port
    assert client.get("/search/open/", {"q": "giraffecode", "to": own}, HTTP_HOST=here)["Location"] == own
    page = client.get("/search/", {"q": "giraffecode"}, HTTP_HOST=here).content.decode()
    assert "to=/staff/" in page or "to=%2Fstaff%2F" in page
    # From another of the trust's sites the address is in full, and followed: it is one of the trust's own.
    far = client.get("/api/search/", {"q": "giraffecode"}).json()["results"][0]["url"]
    assert far.startswith(f"http://{ELM}/")
    assert client.get("/search/open/", {"q": "giraffecode", "to": far})["Location"] == far
    for elsewhere in ("http://evil.example/staff/", f"http://{ELM}.evil.example/"):
        assert client.get("/search/open/", {"q": "x", "to": elsewhere})["Location"] == "/"
