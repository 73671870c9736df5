"""The admin screens a trust adds (issue 19): the schools, the trust's settings and a person's school on their
account, in a real browser at a phone's and a desktop's width, each checked with axe-core."""

from schools.models import School

from .conftest import axe_violations, sign_in

WIDTHS = (1280, 360)


def test_the_trust_screens_are_accessible(page, live_server, demo_school):
    School.objects.create(name="Elm Primary", short_name="Elm", email_domains="elm.sch.uk")
    oakbrook = School.objects.get(site__is_default_site=True)
    sign_in(page, live_server.url, "admin@oakbrook.example", next_path="/admin/")
    problems = []
    for path in (
        "/admin/schools/",
        "/admin/schools/new/",
        f"/admin/schools/edit/{oakbrook.pk}/",
        "/admin/settings/schools/trust/",
        "/admin/schools/add-with-site/",
        "/admin/users/new/",  # with the school fields: the site is a trust now
    ):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            problems += [f"{path} at {width}px: {v}" for v in axe_violations(page)]
    assert problems == []
    # The form's "Roles" button still opens the roles tab.
    page.locator("#tab-account a[href='#tab-roles']").click()
    assert page.locator("#tab-roles").is_visible() and page.locator("select[name=school]").count() == 1
