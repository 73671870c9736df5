# Documents uploaded before their names were made unguessable (core/storage.py) move to a random folder of
# their own, keeping their file name. A file missing from storage is left as it is (and said so).
import logging

from django.db import migrations

from core.storage import UNGUESSABLE, unguessable

logger = logging.getLogger(__name__)


def move_documents(apps, schema_editor):
    Document = apps.get_model("wagtaildocs", "Document")
    for document in Document.objects.exclude(file="").iterator():
        old = document.file.name
        if UNGUESSABLE.match(old):
            continue
        storage = document.file.storage
        if not storage.exists(old):
            logger.warning("Document %s: its file %s is missing; its name is left as it is", document.pk, old)
            continue
        with storage.open(old, "rb") as content:
            new = storage.save(unguessable(old), content)
        Document.objects.filter(pk=document.pk).update(file=new)
        storage.delete(old)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_content_version"), ("wagtaildocs", "0014_alter_document_file_size")]

    operations = [migrations.RunPython(move_documents, migrations.RunPython.noop)]
