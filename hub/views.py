"""Where a sign-in without a `next` address lands (settings.LOGIN_REDIRECT_URL)."""

from django.shortcuts import redirect

from accounts.roles import ADMIN_ACCESS

from .context_processors import navigation


def after_sign_in(request):
    """People who work in the admin (HR, leaders, the DSL, governors) land on its dashboard, where their tasks
    are; everyone else on the staff hub of the site they signed in to. Not signed in: the home page."""
    if not request.user.is_authenticated:
        return redirect("/")
    if request.user.has_perm(ADMIN_ACCESS):
        return redirect("wagtailadmin_home")
    return redirect(navigation(request)["nav"].staff_hub or "/")
