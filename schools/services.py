"""Which school a person belongs to, and whether the site is a trust at all."""

from .models import School


def is_trust():
    """A site with one school shows no trust furniture: nobody is asked to choose a school."""
    return School.objects.count() > 1


def only_school():
    """The school, on a site that has exactly one."""
    schools = list(School.objects.all()[:2])
    return schools[0] if len(schools) == 1 else None


def school_for_sign_in(email, directory_groups=()):
    """The school single sign-on files a person under: their directory group's school, else their email
    domain's; on a site with one school, that school. None when the trust's settings do not say (the person
    then belongs to the trust's central team until someone files them)."""
    schools = School.objects.all()
    by_group = schools.for_directory_groups(directory_groups)
    if len(by_group) == 1:
        return by_group[0]
    domain = (email or "").rsplit("@", 1)[-1]
    by_domain = schools.for_email_domain(domain) if domain else []
    if len(by_domain) == 1:
        return by_domain[0]
    return only_school()
