"""The free-text school gives way to the School (accounts 0004-0006), and a person may work at other schools."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_file_everyone_under_a_school")]

    operations = [
        migrations.RemoveField(model_name="user", name="school"),
        migrations.RenameField(model_name="user", old_name="school_link", new_name="school"),
        migrations.AlterField(
            model_name="user",
            name="school",
            field=models.ForeignKey(
                blank=True,
                help_text="The school this person works at; their confidential records are filed under it. "
                "Blank: the trust's central team.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="staff",
                to="schools.school",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="other_schools",
            field=models.ManyToManyField(
                blank=True,
                help_text="Other schools this person also works at (a trust's peripatetic staff, say).",
                related_name="visiting_staff",
                to="schools.school",
            ),
        ),
    ]
