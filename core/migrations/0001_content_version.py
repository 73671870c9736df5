# The content version moved here from search (app label "sitesearch"). Its table stays where it is: only Django's
# idea of which app owns it changes, so the token every server reads is kept.
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("sitesearch", "0003_content_version")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentVersion",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("token", models.CharField(max_length=32)),
                        ("changed_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={"verbose_name": "content version", "db_table": "sitesearch_contentversion"},
                )
            ],
            database_operations=[],
        )
    ]
