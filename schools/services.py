"""Which school a person belongs to, and whether the site is a trust at all."""

from core import published

from .models import School


def is_trust():
    """A site with one school shows no trust furniture: nobody is asked to choose a school. Counted once per
    content version in each process (a school saved or removed changes it: schools/signals.py)."""
    return published.current().derived("schools counted", School.objects.count) > 1


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


def school_of_page(page):
    """The school whose site holds `page`, or None (the trust's own site, or a site with one school)."""
    for school in School.objects.exclude(site=None).select_related("site__root_page"):
        if page.path.startswith(school.site.root_page.path):
            return school
    return None


def school_sites(snapshot):
    """(root page path, school id) of every school with its own site, worked out once per content version (a
    school saved or removed changes it). None with fewer than two sites: nothing to tell apart, no query."""
    if len(snapshot.sites) < 2:
        return None

    def make():
        return tuple(
            (school.site.root_page.path, school.pk)
            for school in School.objects.exclude(site=None).select_related("site__root_page")
        )

    return snapshot.derived("schools:sites", make)


def trust_roots(snapshot):
    """Root paths of the trust's own sites (the sites no school has), or () outside a trust."""
    sites = school_sites(snapshot)
    if not sites:
        return ()
    schools = {path for path, _school_id in sites}
    return tuple(site.root_page.path for site in snapshot.sites if site.root_page.path not in schools)


def in_a_schools_site(page, snapshot):
    """Whether `page` is in one school's own site in a trust (not the trust's site, not a lone school's)."""
    sites = school_sites(snapshot)
    return bool(sites) and page.path.startswith(tuple(path for path, _school_id in sites))


def in_central_team(user):
    """Whether this person works for the trust's central team, which reads and acts across the schools. Said
    explicitly on their account (User.in_central_team), never inferred from a missing school."""
    return bool(getattr(user, "in_central_team", False)) and getattr(user, "school_id", None) is None


def is_unfiled(user):
    """In a trust, a signed-in person filed under no school and not in the central team (a new single-sign-on
    account whose domain names no one school, say): they read no school's staff-only pages until someone files
    them. On a site with one school everyone is filed under it."""
    return (
        getattr(user, "is_authenticated", False)
        and getattr(user, "school_id", None) is None
        and not in_central_team(user)
        and not user.is_superuser
        and is_trust()
    )


def schools_of(user):
    """The schools a person works at: theirs and any others (remembered on the user object, per request)."""
    if not hasattr(user, "_schools_of"):
        user._schools_of = frozenset({user.school_id, *user.other_schools.values_list("pk", flat=True)})
    return user._schools_of


def other_schools_roots(user, snapshot):
    """The root paths of the school sites whose pages are not for `user` to act on or choose from in the admin:
    every school's but their own (none for the central team and superusers, every one for someone filed under
    no school). () on a site with one school."""
    sites = school_sites(snapshot)
    if not sites or not user.is_authenticated or user.is_superuser or in_central_team(user):
        return ()
    theirs = schools_of(user) if user.school_id is not None else set()
    return tuple(path for path, school_id in sites if school_id not in theirs)


def other_schools_staff_pages(request, snapshot):
    """A school's staff-only pages are for that school's staff (and the trust's central team): the restricted
    pages inside another school's site, for core.privacy.refused_paths. Someone filed under no school reads
    none of them, nor the trust's own."""
    user = request.user
    if not user.is_authenticated or in_central_team(user) or (user.is_superuser and user.school_id is None):
        return ()
    sites = school_sites(snapshot)
    if not sites:
        return ()
    if user.school_id is None:  # unfiled: every staff-only page of the trust is closed to them
        return tuple(r.page.path for r in snapshot.restrictions if r.restriction_type != r.PASSWORD)
    theirs = schools_of(user)
    elsewhere = tuple(path for path, school_id in sites if school_id not in theirs)
    if not elsewhere:
        return ()
    return tuple(
        r.page.path
        for r in snapshot.restrictions
        if r.restriction_type != r.PASSWORD and r.page.path.startswith(elsewhere)
    )


def other_schools_sites(request, snapshot):
    """What search leaves out for this reader in a trust: the sites of schools that are not theirs (their public
    pages too: a search answers for the reader's own school and the trust). A school's staff search their
    schools; anyone else (parents, the central team) the school whose site they are on, or everything on the
    trust's own site. Nothing on a site with one school, no query."""
    sites = school_sites(snapshot)
    if not sites:
        return ()
    user = request.user
    if user.is_authenticated and user.school_id is not None:
        theirs = schools_of(user)
    else:
        here = snapshot.site_for_request(request)
        root = here.root_page.path if here else None
        theirs = {school_id for path, school_id in sites if path == root}
        if not theirs:
            return ()
    return tuple(path for path, school_id in sites if school_id not in theirs)
