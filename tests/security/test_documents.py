"""Files follow their collection (issue 41, finding 5): a document in a private collection is handed out only by
Wagtail's document view after its privacy check, never from /media/, and its file name cannot be guessed."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import Http404
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from schoolsite.views import local_media

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_document(tree):
    collection = Collection.get_first_root_node().add_child(name="HR procedures")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    document = Document(title="Disciplinary procedure", collection=collection)
    document.file.save("disciplinary-procedure.pdf", ContentFile(b"%PDF-1.4 secret"), save=True)
    return document


def test_the_file_name_cannot_be_guessed_but_the_download_keeps_its_name(private_document):
    name = private_document.file.name
    assert name != "documents/disciplinary-procedure.pdf"
    folder, filename = name.removeprefix("documents/").split("/")
    assert len(folder) == 22 and filename == "disciplinary-procedure.pdf"
    assert private_document.filename == "disciplinary-procedure.pdf"


def test_only_the_document_view_hands_it_out_and_it_checks_the_collection(client, private_document, staff_user):
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    url = private_document.url
    assert url.startswith("/documents/")
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"


@pytest.mark.parametrize(
    "path",
    [
        "documents/disciplinary-procedure.pdf",
        "documents/{folder}/disciplinary-procedure.pdf",
        "images/../documents/{folder}/disciplinary-procedure.pdf",
        "./documents/{folder}/disciplinary-procedure.pdf",
        "documents",
        "../settings.py",
    ],
)
def test_local_media_never_serves_documents(rf, private_document, path):
    """`make run` serves /media/ for images; a document's file is never among them, however it is asked for."""
    folder = private_document.file.name.split("/")[1]
    with pytest.raises(Http404):
        local_media(rf.get("/media/x"), path.format(folder=folder))


def test_documents_uploaded_before_are_moved_to_unguessable_names(tree):
    document = Document.objects.create(title="Old", file="documents/old-policy.pdf")
    storage = document.file.storage
    storage.save("documents/old-policy.pdf", ContentFile(b"old"))
    missing = Document.objects.create(title="Gone", file="documents/gone.pdf")
    migration = importlib.import_module("core.migrations.0002_documents_get_unguessable_names")
    migration.move_documents(apps, None)
    document.refresh_from_db()
    missing.refresh_from_db()
    assert document.file.name.startswith("documents/") and document.file.name.endswith("/old-policy.pdf")
    assert document.file.name != "documents/old-policy.pdf" and not storage.exists("documents/old-policy.pdf")
    assert document.file.read() == b"old"
    assert missing.file.name == "documents/gone.pdf"  # nothing to move: left as it was, and logged


def test_moving_a_private_document_somewhere_more_public_needs_the_privacy_right(private_document, hr_user, site_admin):
    from django.db import transaction

    from accounts.acting import acting_as
    from accounts.places import PlaceRefused

    root = Collection.get_first_root_node()
    with acting_as(hr_user), pytest.raises(PlaceRefused), transaction.atomic():
        private_document.collection = root
        private_document.save()
    assert Document.objects.get(pk=private_document.pk).collection.name == "HR procedures"
    restriction = CollectionViewRestriction.objects.get()
    with acting_as(hr_user), pytest.raises(PlaceRefused), transaction.atomic():
        restriction.delete()
    with acting_as(site_admin):
        private_document.collection = root
        private_document.save()
    assert Document.objects.get(pk=private_document.pk).collection == root


def test_wagtails_bulk_add_to_collection_saves_each_document(tree):
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    from accounts.wagtail_hooks import AddDocumentsToCollectionOneByOne

    action = bulk_action_registry.get_bulk_action_class("wagtaildocs", "document", "add_to_collection")
    assert action is AddDocumentsToCollectionOneByOne
