"""Evidence files: screenshots, PDFs, text and saved emails, checked by what they contain, not their name.

A file must be one of the accepted kinds, its content must be that kind (an executable renamed .png is
refused), and it must be at most 10 MB. Names are cleaned before they are stored or shown; on disk the
file gets a random name under PRIVATE_MEDIA_ROOT.
"""

import os
import re
import unicodedata
import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from PIL import Image

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
# A screenshot or phone photo is well under this; a file claiming more is refused before it is decoded.
MAX_IMAGE_PIXELS = 40_000_000
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
        return _looks_like_pdf(data)
    elif content_type == "text/plain":
        return _is_text(data)
    elif content_type == "message/rfc822":
        head = data[:8192].lower()
        return _is_text(data) and any(head.startswith(h) or b"\n" + h in head for h in EMAIL_HEADERS)
    return _decodes_as_image(data)


def _decodes_as_image(data):
    """An image must decode, whole: a valid header on truncated or crafted data is not enough, and its
    claimed size is checked before any pixel is decoded (a 10,000 x 10,000 header takes 300 MB to decode)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return False
                image.load()
    except Exception:
        return False
    return True


def _looks_like_pdf(data):
    """A PDF starts with its header (at the very start: HTML with '%PDF-' further on is not a PDF), ends with
    its end-of-file marker, and points to its cross-reference table."""
    if not re.match(rb"%PDF-\d\.\d", data[:16]):
        return False
    tail = data[-2048:]
    return b"%%EOF" in tail and b"startxref" in tail


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
