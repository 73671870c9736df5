"""A record's school becomes the School it is filed under (it was the submitter's school as text).

Each name becomes that school (a school made for a name nobody has yet keeps the record filed, not lost);
records without a name are the trust's central team's, or on a one-school site the school's own. Audit entries
copy the school, as they copy the form, so the trail stays filtered after a record is purged.
"""

import django.db.models.deletion
from django.db import migrations, models


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
        ("declarations", "0003_reply_and_inbox_seen"),
        ("schools", "0002_trust_central_safeguarding_sees_every_school"),
        ("accounts", "0004_people_belong_to_schools"),
    ]

    operations = [
        migrations.AddField(
            model_name="record",
            name="school_link",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="schools.school",
            ),
        ),
        migrations.AddField(
            model_name="recordlogentry",
            name="school",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="schools.school",
            ),
        ),
        migrations.RunPython(file_records_under_schools, back_to_text),
        migrations.RemoveField(model_name="record", name="school"),
        migrations.RenameField(model_name="record", old_name="school_link", new_name="school"),
    ]
