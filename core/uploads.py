"""Uploads are refused as early as Django can, before a large body is read to the end.

- `RequestSizeLimitMiddleware` answers 413, with a page saying what the limits are and that nothing was
  saved, to any request whose declared length is over MAX_REQUEST_BYTES, before anything reads the body.
- `LimitedUploadHandler` stops reading an upload once one file passes MAX_UPLOAD_FILE_BYTES (for bodies
  sent without a length, or a single file that fits the total but not any form's limit), and marks the
  request so the view can say so (`upload_refused`).
Forms still check each file against their own limits and say which file and why. The reverse proxy in front
should cap bodies too (docs/deployment.md), so that a slow client cannot hold a worker while it sends.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render


def upload_refused(request):
    """True when the body was cut short because an upload in it was too large: nothing from it may be saved.
    Reading the body (request.POST) is what finds out, so this reads it if nothing has yet."""
    request.POST  # noqa: B018
    return getattr(request, "_upload_refused", False)


class LimitedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_FILE_BYTES:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self):
        if self.request is not None:
            self.request._upload_refused = True
        raise StopUpload(connection_reset=True)


def too_large_response(request):
    limits = {
        "per_file_mb": settings.MAX_UPLOAD_FILE_BYTES // 2**20,
        "total_mb": settings.MAX_REQUEST_BYTES // 2**20,
    }
    return render(request, "413.html", limits, status=413)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return too_large_response(request)
        return self.get_response(request)
