"""Everyone filed under a School (accounts 0004-0006).

On a site with one school (no text, or the same text for everyone) everyone is filed under that one school,
tied to the default site and named as the text or the site says. Where people's text names several schools
(a trust that used the field), each name becomes a school, and everyone is filed under theirs; people with no
text are left as the trust's central team. A fresh install (nobody yet) is left to setup_site.
"""

from django.db import migrations


def file_everyone_under_a_school(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    School = apps.get_model("schools", "School")
    Site = apps.get_model("wagtailcore", "Site")
    names = sorted({(text or "").strip() for text in User.objects.values_list("school", flat=True)} - {""})
    site = Site.objects.filter(is_default_site=True).first()
    if len(names) <= 1:
        if not User.objects.exists():
            return  # a fresh install (Wagtail's placeholder site, nobody yet): setup_site makes the school
        name = names[0] if names else (site.site_name if site and site.site_name else "Our school")
        school = School.objects.filter(name=name[:150]).first() or School.objects.create(name=name[:150], site=site)
        User.objects.update(school_link=school)
        return
    for name in names:
        school, _ = School.objects.get_or_create(name=name[:150])
        if site and name == site.site_name and school.site_id is None:
            school.site = site
            school.save(update_fields=["site"])
        User.objects.filter(school__in=[name, f" {name}", f"{name} "]).update(school_link=school)
    for user in User.objects.filter(school_link__isnull=True).exclude(school=""):
        user.school_link = School.objects.get(name=user.school.strip()[:150])
        user.save(update_fields=["school_link"])


def back_to_text(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(school_link=None).select_related("school_link"):
        user.school = user.school_link.name
        user.save(update_fields=["school"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_people_belong_to_schools"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(file_everyone_under_a_school, back_to_text)]
