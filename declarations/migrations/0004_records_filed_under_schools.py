"""A record's school becomes the School it is filed under (declarations 0004, 0006, 0007): first the new
columns, on records and on their audit entries. (Separate migrations: PostgreSQL will not alter a table with
foreign-key checks pending from the rows just filled in.)
"""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
