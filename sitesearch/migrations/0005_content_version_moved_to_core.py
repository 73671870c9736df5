# The content version now belongs to core (core/models.py); its table and row stay as they are.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0004_page_embeddings"), ("core", "0001_content_version")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ContentVersion")], database_operations=[]
        )
    ]
