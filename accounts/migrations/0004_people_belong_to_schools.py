"""A person's school becomes a real School (schools.School) instead of free text: first the new column.

Three migrations, so that on PostgreSQL the rows are filled in and checked (0005) in a transaction of their own
before the table changes again (0006): the database will not alter a table with foreign-key checks pending.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_page_privacy_right"),
        ("schools", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="school_link",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="schools.school",
            ),
        ),
    ]
