# The front pages moved to the hub app (hub/migrations/0001_initial.py): their tables and rows stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('policypages', '0011_confirm_by_signing_in_again'),
        ('hub', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
        migrations.RemoveField(
            model_name='officialaccount',
            name='page',
        ),
        migrations.RemoveField(
            model_name='parentspage',
            name='page_ptr',
        ),
        migrations.RemoveField(
            model_name='staffhubpage',
            name='page_ptr',
        ),
        migrations.DeleteModel(
            name='HomePage',
        ),
        migrations.DeleteModel(
            name='OfficialAccount',
        ),
        migrations.DeleteModel(
            name='ParentsPage',
        ),
        migrations.DeleteModel(
            name='StaffHubPage',
        ),
        ]),
    ]
