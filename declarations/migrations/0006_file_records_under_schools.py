"""Records filed under schools (declarations 0004, 0006, 0007).

Each name becomes that school (a school made for a name nobody has yet keeps the record filed, not lost);
records without a name are the trust's central team's, or on a one-school site the school's own. Audit entries
copy the school, as they copy the form, so the trail stays filtered after a record is purged.
"""

from django.db import migrations


def file_records_under_schools(apps, schema_editor):
    Record = apps.get_model("declarations", "Record")
    RecordLogEntry = apps.get_model("declarations", "RecordLogEntry")
    School = apps.get_model("schools", "School")
    by_name = {}
    for record in Record.objects.exclude(school="").only("pk", "school"):
        name = record.school.strip()[:150]
        if not name:
            continue
        if name not in by_name:
            by_name[name] = School.objects.filter(name=name).first() or School.objects.create(name=name)
        Record.objects.filter(pk=record.pk).update(school_link=by_name[name])
    schools = list(School.objects.all()[:2])
    if len(schools) == 1:
        Record.objects.filter(school_link__isnull=True).update(school_link=schools[0])
    for record in Record.objects.exclude(school_link=None).only("pk", "school_link"):
        RecordLogEntry.objects.filter(object_id=str(record.pk)).update(school=record.school_link_id)


def back_to_text(apps, schema_editor):
    Record = apps.get_model("declarations", "Record")
    for record in Record.objects.exclude(school_link=None).select_related("school_link"):
        Record.objects.filter(pk=record.pk).update(school=record.school_link.name)


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0005_each_school_its_own_form_pages"),
        ("accounts", "0005_file_everyone_under_a_school"),  # people's schools first, so names meet the same rows
    ]

    operations = [migrations.RunPython(file_records_under_schools, back_to_text)]
