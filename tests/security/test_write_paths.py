"""Every admin view able to write a person, a group, a page's place or privacy, a collection or a document, walked
for every privileged role, in one school and in a trust (issue 41).

The write paths are found by walking the URL resolver, not listed by hand: every route in the areas below must be
named in WRITE_PATHS with what guards it, so a view that a Wagtail upgrade adds fails this test until someone
has looked at it. Each role then posts an attacker's form (superuser box, reviewer groups, a new address and
password, a public destination, privacy "none"...) to each, and what must not change is compared before and
after: who is a superuser, who is in the groups that see confidential records, those groups' rights, the
protected accounts' sign-in details, where the staff-only page is and that a visitor cannot read it, the
private document's collection and privacy, and in a trust the other school's people and pages.
"""

import json
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from accounts import roles
from accounts.guards import reviewer_groups
from accounts.models import User
from schools.models import School
from sitesetup.setup import add_school
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in_without_second_step, with_mfa
from tests.guidance.factories import make_answer
from tests.urlwalk import every_route

pytestmark = pytest.mark.django_db

# The areas that can write a person, a group, a page's place or privacy, a collection or a document.
WRITE_AREA = re.compile(
    r"^admin/(users|groups|bulk|collections|documents|account|sites|api/main/\^(pages|documents)|"
    r"pages/<int:page_to_move_id>|pages/<int:page_id>/(copy|privacy|convert_alias|delete|unpublish|revisions)|"
    r"pages/add/)|^accounts/(email|password)"
)
# Each write path found, and what guards it (the note on issue 41 lists these).
WRITE_PATHS = {
    r"^admin/users/": "accounts.changes: every save, bulk update, membership and deletion judged against the "
    "person acting; the forms show the same rule's reasons; copy switched off",
    r"^admin/groups/": "accounts.changes: reviewer groups' names, rights and members only by the superuser; "
    "record rights never offered; copy switched off",
    r"^admin/bulk/": "users: accounts.changes (pre_update for 'mark inactive'); pages: the permission tester and "
    "pre_page_move; documents: 'add to collection' saved one by one (accounts.places)",
    r"^admin/pages/<int:page_to_move_id>/": "move and reorder: the tester's can_move_to and pre_page_move "
    "(a privacy change needs the set-privacy right; restrictions carried)",
    r"^admin/pages/<int:page_id>/copy/": "copy and alias: the tester's can_copy_to (never more public)",
    r"^admin/pages/<int:page_id>/privacy/": "can_set_view_restrictions (the set-privacy right) and the "
    "restriction's pre_save and pre_delete",
    r"^admin/pages/<int:page_id>/(convert_alias|delete|unpublish|revisions)": "Wagtail's page permissions "
    "(per school in a trust); a save never moves a page (accounts.places)",
    r"^admin/pages/add/": "Wagtail's page permissions; a new page sits under its parent's privacy",
    r"^admin/api/main/\^pages/": "the admin API's actions use the same testers and signals as the views",
    r"^admin/api/main/\^documents/": "read only, filtered by collection permissions",
    r"^admin/collections/": "Wagtail's collection permissions (superuser only here); a collection's restriction "
    "is lifted only with the set-privacy right",
    r"^admin/documents/": "Wagtail's collection permissions; a document moved somewhere more public needs the "
    "set-privacy right (accounts.places)",
    r"^admin/account/": "own name only: the address field is off, and accounts.changes refuses the rest",
    r"^admin/sites/": "superusers only; Wagtail's site copy is not served",
    r"^accounts/email/": "shows the address, changes nothing",
    r"^accounts/password/": "allauth, own password (or a reset by emailed link): accounts.changes allows only that",
}
PASSWORD = "a-long-unusual-password-42"


@dataclass
class World:
    people: dict
    head: User
    owner: User
    target_person: User
    answer: Page
    public_parent: Page
    document: Document
    public_collection: Collection
    host: str = "localhost"


def make_world(tree, host="localhost", school=None, elm_tree=None):
    owner = with_mfa(UserFactory(is_superuser=True, groups=[roles.STAFF], school=school))
    head = with_mfa(UserFactory(email="head@elm.example", groups=[roles.STAFF, roles.SENIOR_LEADERS], school=school))
    target = UserFactory(email="teacher@elm.example", groups=[roles.STAFF], school=school)
    pages = elm_tree or tree
    answer = make_answer(pages.staff_guidance, "Where is the zebracode kept", answer="<p>zebracode 4321</p>")
    collection = Collection.get_first_root_node().add_child(name=f"HR procedures {host}")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    document = Document(title="Disciplinary procedure", collection=collection)
    document.file.save("disciplinary.pdf", ContentFile(b"%PDF secret"), save=True)
    return World(
        people={},
        head=head,
        owner=owner,
        target_person=target,
        answer=answer,
        public_parent=pages.parents_guidance,
        document=document,
        public_collection=Collection.get_first_root_node(),
        host=host,
    )


def people_of(school):
    def person(*groups, mfa=True):
        user = UserFactory(groups=[roles.STAFF, *groups], school=school)
        return with_mfa(user) if mfa else user

    return {
        "hr": person(roles.POLICY_EDITORS),
        "head": person(roles.SENIOR_LEADERS),
        "dsl": person(roles.SAFEGUARDING_LEAD),
        "governor": person(roles.GOVERNORS, mfa=False),
        "site_admin": person(roles.SITE_ADMINS),
    }


def write_routes(world):
    by_prefix = {
        "admin/users/": world.head.pk,
        "admin/groups/": Group.objects.get(name=roles.SENIOR_LEADERS).pk,
        "admin/collections/": world.document.collection_id,
        "admin/documents/": world.document.pk,
        "admin/api/main/^documents/": world.document.pk,
    }
    routes = []
    for route in every_route():
        if not WRITE_AREA.search(route.route) or "logout" in route.route:
            continue
        pk = next((value for prefix, value in by_prefix.items() if route.route.startswith(prefix)), world.answer.pk)
        values = {
            "pk": pk,
            "page_id": world.answer.pk,
            "page_to_move_id": world.answer.pk,
            "destination_id": world.public_parent.pk,
            "parent_page_id": world.public_parent.pk,
            "document_id": world.document.pk,
            "doc_id": world.document.pk,
            "collection_id": world.document.collection_id,
            "content_type_app_name": "guidance",
            "content_type_model_name": "guidanceanswerpage",
        }
        routes.append(next(r for r in every_route(values) if r.route == route.route))
    return routes


BULK = [
    ("accounts/user/assign_role", "head"),
    ("accounts/user/set_active_state", "head"),
    ("accounts/user/delete", "head"),
    ("accounts/user/assign_role", "target"),
    ("wagtailcore/page/move", "answer"),
    ("wagtailcore/page/delete", "answer"),
    ("wagtailcore/page/unpublish", "answer"),
    ("wagtaildocs/document/add_to_collection", "document"),
    ("wagtaildocs/document/delete", "document"),
]
API_ACTIONS = ["move", "copy", "convert_alias", "unpublish", "delete", "publish", "revert_to_page_revision"]


def attack(world):
    leaders = [g.pk for g in reviewer_groups()] + [Group.objects.get(name=roles.SITE_ADMINS).pk]
    return {
        "username": "takeover",
        "email": "attacker@evil.example",
        "first_name": "A",
        "last_name": "B",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "new_password1": PASSWORD,
        "new_password2": PASSWORD,
        "is_superuser": "on",
        "is_staff": "on",
        "is_active": "on",
        "groups": leaders,
        "role": leaders[0],
        "mark_as_active": "False",
        "name": "Renamed",
        "permissions": list(
            Permission.objects.filter(content_type__app_label="declarations").values_list("pk", flat=True)
        ),
        "new_parent_page": world.public_parent.pk,
        "new_title": "Copied",
        "new_slug": "copied-by-attacker",
        "alias": "on",
        "publish_copies": "on",
        "chooser": world.public_parent.pk,
        "restriction_type": "none",
        "collection": world.public_collection.pk,
        "parent": world.public_collection.pk,
        "title": "Moved",
        "name_email-email": "attacker@evil.example",
        "name_email-first_name": "A",
        "name_email-last_name": "B",
    }


def snapshot(world, also=()):
    """What no privileged role but the superuser may change, whatever it posts."""
    protected = [world.head, world.owner, *also]
    return {
        "superusers": set(User.objects.filter(is_superuser=True).values_list("pk", flat=True)),
        "reviewers": set(User.groups.through.objects.filter(group__in=reviewer_groups()).values_list("user", "group")),
        "reviewer groups": {(g.name, frozenset(g.permissions.values_list("pk", flat=True))) for g in reviewer_groups()},
        "protected accounts": {
            (u.pk, u.email, u.password, u.is_active) for u in User.objects.filter(pk__in=[p.pk for p in protected])
        },
        # Deleting them is some roles' right; moving them somewhere more public is nobody's.
        "staff page's place": Page.objects.filter(pk=world.answer.pk).values_list("path", flat=True).first(),
        "document's collection": Document.objects.filter(pk=world.document.pk)
        .values_list("collection", flat=True)
        .first(),
        "collection privacy": set(CollectionViewRestriction.objects.values_list("collection", "restriction_type")),
    }


def changed(before, after):
    """What changed, a deletion apart (a page or document gone is not one made public)."""
    return {k: v for k, v in after.items() if before[k] != v and v is not None}


def visitor_reads_anything_private(world):
    visitor = Client()
    readable = []
    for page in Page.objects.filter(title__icontains="zebracode").specific():
        response = visitor.get("/" + page.url_path.split("/", 2)[2], HTTP_HOST=world.host)
        readable += [page.url_path] if response.status_code == 200 and b"zebracode" in response.content else []
    for document in Document.objects.filter(title="Disciplinary procedure"):
        readable += [document.url] if visitor.get(document.url, HTTP_HOST=world.host).status_code == 200 else []
    return readable


def walk(client, world, routes):
    """Post the attack everywhere; no answer may be a server error."""
    payload = attack(world)
    errors = []
    for route in routes:
        client.get(route.path, HTTP_HOST=world.host)
        if client.post(route.path, payload, HTTP_HOST=world.host).status_code >= 500:
            errors.append(route.path)
    targets = {"head": world.head.pk, "target": world.target_person.pk, "answer": world.answer.pk}
    targets["document"] = world.document.pk
    for action, target in BULK:
        url = f"/admin/bulk/{action}/?next=/admin/&id={targets[target]}"
        if client.post(url, payload, HTTP_HOST=world.host).status_code >= 500:
            errors.append(url)
    for action in API_ACTIONS:
        body = {"destination_page_id": world.public_parent.pk, "keep_live": True, "recursive": False}
        response = client.post(
            f"/admin/api/main/pages/{world.answer.pk}/action/{action}/",
            json.dumps(body),
            content_type="application/json",
            HTTP_HOST=world.host,
        )
        if response.status_code >= 500:
            errors.append(action)
    assert errors == []


def test_every_write_path_found_is_named_with_its_guard(tree):
    found = {route.route for route in every_route() if WRITE_AREA.search(route.route)}
    unnamed = sorted(route for route in found if not any(re.search(p, route) for p in WRITE_PATHS))
    assert not unnamed, "write paths nobody has looked at:\n" + "\n".join(unnamed)
    copies = sorted(r.route for r in every_route() if "/copy/" in r.route and r.view != "schoolsite.views.not_here")
    assert copies == ["admin/pages/<int:page_id>/copy/"]  # Wagtail's generic copy saves onto the original


@pytest.mark.parametrize("role", ["hr", "head", "dsl", "governor", "site_admin"])
def test_no_role_gets_past_the_rules_by_any_write_path(tree, role):
    world = make_world(tree)
    world.people = people_of(School.objects.get())
    routes = write_routes(world)
    before = snapshot(world)
    client = Client(raise_request_exception=False)
    user = world.people[role]
    (sign_in_without_second_step if role == "governor" else Client.force_login)(client, user)
    walk(client, world, routes)
    assert changed(before, snapshot(world)) == {}
    assert visitor_reads_anything_private(world) == []
    if role != "site_admin":  # the only role here with the set-privacy right
        assert PageViewRestriction.objects.filter(page__path__startswith=tree.staff.path).exists()


@pytest.mark.parametrize("role", ["hr", "site_admin", "head"])
def test_in_a_trust_one_schools_roles_cannot_write_another_schools_people_or_pages(tree, settings, role):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "elm.localhost"]
    elm_tree, _ = add_school("Elm Primary", "elm.localhost", short_name="Elm")
    elm = School.objects.get(name="Elm Primary")
    oakbrook = School.objects.get(site__is_default_site=True)
    world = make_world(tree, host="elm.localhost", school=elm, elm_tree=elm_tree)
    world.people = people_of(oakbrook)
    routes = write_routes(world)
    before = snapshot(world, also=[world.target_person])
    client = Client(raise_request_exception=False)
    client.force_login(world.people[role])
    walk(client, world, routes)
    assert changed(before, snapshot(world, also=[world.target_person])) == {}
    teacher = User.objects.get(pk=world.target_person.pk)
    assert teacher.school == elm and set(teacher.groups.values_list("name", flat=True)) == {roles.STAFF}
    assert visitor_reads_anything_private(world) == []
    assert Page.objects.filter(pk=world.answer.pk).exists()  # another school's page is not theirs to delete
