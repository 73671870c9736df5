"""Editors' uploads on S3-compatible storage (S3_MEDIA_BUCKET), with documents' names unguessable as on disk
(core.storage). A module of its own: boto3 is loaded only where a bucket is configured."""

from storages.backends.s3 import S3Storage

from .storage import UnguessableDocumentNames


class SchoolS3Storage(UnguessableDocumentNames, S3Storage):
    pass
