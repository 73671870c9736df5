"""The record's free-text school gives way to the School it is filed under (declarations 0004, 0006, 0007)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("declarations", "0006_file_records_under_schools")]

    operations = [
        migrations.RemoveField(model_name="record", name="school"),
        migrations.RenameField(model_name="record", old_name="school_link", new_name="school"),
    ]
