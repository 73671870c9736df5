"""Security headers every response gets: a Content-Security-Policy, and frame rules that keep Wagtail's preview.

The public site's policy is strict: its own scripts and styles only (the school's colours come as a
stylesheet, /brand.css), so a cached page and its policy never disagree. The admin (Wagtail's own templates) needs
inline scripts and styles, so it gets a looser policy, and may be framed by itself for the live preview.
A response that already has a policy (evidence files are served with a sandbox) keeps its own.
"""

from django.conf import settings

PUBLIC_POLICY = (
    "default-src 'self'; "
    "script-src 'self'; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)
ADMIN_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "font-src 'self' data:; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"
        self.extra_sources = " ".join(getattr(settings, "CSP_EXTRA_MEDIA_SOURCES", []))

    def __call__(self, request):
        response = self.get_response(request)
        in_admin = request.path.startswith(self.admin_prefix)
        if "Content-Security-Policy" not in response:
            policy = ADMIN_POLICY if in_admin else PUBLIC_POLICY
            if self.extra_sources:  # e.g. the S3 bucket that serves images
                policy = policy.replace("img-src 'self'", f"img-src 'self' {self.extra_sources}")
            response["Content-Security-Policy"] = policy
        if in_admin:
            # Wagtail's live preview frames the page from the admin itself; everything else is never framed.
            response["X-Frame-Options"] = "SAMEORIGIN"
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
