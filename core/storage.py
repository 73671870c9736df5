"""Where editors' uploads live (settings.STORAGES["default"]): images and documents.

A document's file is never its address: Wagtail's document view (/documents/<id>/<name>) hands it out after
checking the collection's privacy (WAGTAILDOCS_SERVE_METHOD = "serve_view"), and /media/documents/ is not
served (schoolsite/urls.py, docs/deployment.md). The file's name is still kept unguessable, a random folder
per document, so that a copy of the media folder served by mistake, or a bucket left public, does not give
away "disciplinary-procedure.pdf" to anyone who tries the obvious name. The file keeps its own name inside
the folder, so a download is still called what the school called it.
"""

import posixpath
import re
import secrets

from django.core.files.storage import FileSystemStorage

DOCUMENTS = "documents/"
UNGUESSABLE = re.compile(r"^documents/[A-Za-z0-9_-]{22}/[^/]+$")


def unguessable(name):
    """`documents/<22 random characters>/<the file's own name>`."""
    return f"{DOCUMENTS}{secrets.token_urlsafe(16)}/{posixpath.basename(name)}"


class UnguessableDocumentNames:
    def generate_filename(self, filename):
        filename = super().generate_filename(filename)
        if filename.startswith(DOCUMENTS) and not UNGUESSABLE.match(filename):
            return unguessable(filename)
        return filename


class SchoolFileSystemStorage(UnguessableDocumentNames, FileSystemStorage):
    pass
