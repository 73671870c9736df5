"""Where evidence files live: the `evidence` storage (settings.STORAGES).

On one machine, a folder outside MEDIA_ROOT (PRIVATE_MEDIA_ROOT) with no URL; on several, a private S3
bucket (S3_EVIDENCE_BUCKET). Either way the only way out is declarations.views.evidence_file.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage rooted at PRIVATE_MEDIA_ROOT (read when used, so tests can move it) with no URL."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Evidence files have no public address; use declarations.views.evidence_file.")


def evidence_storage():
    return storages["evidence"]
