from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def private_media_is_not_public(app_configs, **kwargs):
    """Evidence must never be reachable as a static or media file."""
    if settings.S3_EVIDENCE_BUCKET:
        if settings.S3_EVIDENCE_BUCKET == settings.S3_MEDIA_BUCKET:
            return [
                Error(
                    "S3_EVIDENCE_BUCKET is the same bucket as S3_MEDIA_BUCKET: confidential evidence would be public.",
                    hint="Use a separate, private bucket for evidence.",
                    id="declarations.E002",
                )
            ]
        return []
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if public and (private == Path(public).resolve() or Path(public).resolve() in private.parents):
            return [
                Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) is inside {name}: confidential evidence would be public.",
                    hint="Point PRIVATE_MEDIA_ROOT at a folder outside MEDIA_ROOT and STATIC_ROOT.",
                    id="declarations.E001",
                )
            ]
    return []
