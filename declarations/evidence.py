"""Evidence files: screenshots, PDFs, text and saved emails, checked by what they contain, not their name.

A file must be one of the accepted kinds, its content must be that kind (an executable renamed .png is
refused), and it must be at most 10 MB. Names are cleaned before they are stored or shown; on disk the
file gets a random name under PRIVATE_MEDIA_ROOT.
"""

import os
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
ACCEPTED = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".eml": "message/rfc822",
}
ACCEPT_ATTRIBUTE = ",".join(ACCEPTED)
WHAT_WE_ACCEPT = (
    "screenshots and photos (PNG, JPEG, GIF, WebP), PDF, text files and saved emails (.eml), up to 10 MB each"
)
IMAGE_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}
EMAIL_HEADERS = (
    b"from:",
    b"to:",
    b"subject:",
    b"date:",
    b"received:",
    b"message-id:",
    b"mime-version:",
    b"return-path:",
)


def clean_name(name):
    """A safe display name: no folders, no control characters, nothing a browser or shell would trip on."""
    name = unicodedata.normalize("NFKC", os.path.basename((name or "").replace("\\", "/"))).strip()
    name = "".join(ch for ch in name if ch.isprintable())
    stem, ext = os.path.splitext(name)
    stem = get_valid_filename(stem) if stem.strip(" ._") else "evidence"
    return (stem[:90] or "evidence") + ext.lower()[:10]


def _is_text(data):
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True


def _content_matches(content_type, data):
    if content_type in IMAGE_SIGNATURES:
        if not data.startswith(IMAGE_SIGNATURES[content_type]):
            return False
    elif content_type == "image/webp":
        if not (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
            return False
    elif content_type == "application/pdf":
        return b"%PDF-" in data[:1024]
    elif content_type == "text/plain":
        return _is_text(data)
    elif content_type == "message/rfc822":
        head = data[:8192].lower()
        return _is_text(data) and any(head.startswith(h) or b"\n" + h in head for h in EMAIL_HEADERS)
    # An image must also open as one: a valid signature on a broken or crafted file is not enough.
    from io import BytesIO

    from PIL import Image

    try:
        with Image.open(BytesIO(data)) as image:
            image.verify()
    except Exception:
        return False
    return True


def check(uploaded):
    """Return (clean name, content type) for an acceptable upload; raise ValidationError saying why not."""
    name = clean_name(uploaded.name)
    ext = os.path.splitext(name)[1]
    if ext not in ACCEPTED:
        raise ValidationError(f"“{name}” is not a kind of file we accept. We accept {WHAT_WE_ACCEPT}.")
    if uploaded.size > MAX_BYTES:
        raise ValidationError(
            f"“{name}” is {uploaded.size / 2**20:.1f} MB; the limit is 10 MB. A screenshot or a PDF of the page is "
            "usually much smaller."
        )
    if uploaded.size == 0:
        raise ValidationError(f"“{name}” is empty.")
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    content_type = ACCEPTED[ext]
    if not _content_matches(content_type, data):
        raise ValidationError(
            f"“{name}” does not contain what its name says ({ext}). Save it again as a screenshot, PDF or text "
            "file and attach that."
        )
    return name, content_type
