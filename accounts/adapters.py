from allauth.account.adapter import DefaultAccountAdapter


class SchoolAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the school (admin, invitation or single sign-on), never by sign-up."""

    def is_open_for_signup(self, request):
        return False
