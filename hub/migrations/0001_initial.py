# The front pages (home, staff hub, parents' page and its official accounts) moved here from the policies app.
# Their tables stay where they are (each model names its old table): only Django's idea of which app owns them
# changes, and the content types follow, so every page, revision and permission keeps pointing at the same row.

import core.page_cache
import core.published
import django.db.models.deletion
import modelcluster.fields
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


MOVED = ["homepage", "staffhubpage", "parentspage", "officialaccount"]


def _move(apps, from_app, to_app):
    content_type = apps.get_model("contenttypes", "ContentType")
    page = apps.get_model("wagtailcore", "Page")
    revision = apps.get_model("wagtailcore", "Revision")
    for model in MOVED:
        old = content_type.objects.filter(app_label=from_app, model=model).first()
        if old is None:
            continue  # a new database: the content types are made after migrating, under the new app
        new = content_type.objects.filter(app_label=to_app, model=model).first()
        if new is None:
            old.app_label = to_app
            old.save(update_fields=["app_label"])
            continue
        # Both exist (the new one made by an earlier, interrupted run): everything moves to the new one.
        page.objects.filter(content_type=old).update(content_type=new)
        revision.objects.filter(content_type=old).update(content_type=new)
        revision.objects.filter(base_content_type=old).update(base_content_type=new)
        old.delete()


def move_content_types(apps, schema_editor):
    _move(apps, "policypages", "hub")


def move_content_types_back(apps, schema_editor):
    _move(apps, "hub", "policypages")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('wagtailcore', '0098_apitoken'),
        ('policypages', '0011_confirm_by_signing_in_again'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
        migrations.CreateModel(
            name='HomePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True)),
            ],
            options={
                'db_table': 'policypages_homepage',
            },
            bases=(core.published.RestrictionsFromSnapshot, core.page_cache.CachedForVisitors, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='ParentsPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True)),
                ('body', wagtail.fields.StreamField([('paragraph', 0), ('subheading', 1), ('list', 5), ('rule', 8), ('note', 10), ('legislation', 14), ('form_link', 18), ('table', 21)], blank=True, block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul'], 'icon': 'pilcrow'}), 1: ('wagtail.blocks.CharBlock', (), {'help_text': "A sub-clause heading such as '4.2 Friend requests'.", 'icon': 'title', 'template': 'policypages/blocks/subheading.html'}), 2: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('bulleted', 'Bullet points'), ('numbered', 'Numbered (1, 2, 3)'), ('lettered', 'Lettered (a, b, c)')]}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link']}), 4: ('wagtail.blocks.ListBlock', (3,), {'min_num': 1}), 5: ('wagtail.blocks.StructBlock', [[('style', 2), ('items', 4)]], {}), 6: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('must', 'Must'), ('must_not', 'Must not'), ('should', 'Should'), ('should_not', 'Should not')]}), 7: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ul', 'ol'], 'help_text': "Write the whole rule, e.g. 'Staff must not …'."}), 8: ('wagtail.blocks.StructBlock', [[('kind', 6), ('text', 7)]], {}), 9: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('note', 'Note'), ('example', 'Example'), ('important', 'Important')]}), 10: ('wagtail.blocks.StructBlock', [[('kind', 9), ('text', 3)]], {}), 11: ('wagtail.blocks.CharBlock', (), {'help_text': 'e.g. Data Protection Act 2018'}), 12: ('wagtail.blocks.URLBlock', (), {'label': 'Link', 'required': False}), 13: ('wagtail.blocks.TextBlock', (), {'help_text': 'Why it matters here, in a sentence.', 'required': False}), 14: ('wagtail.blocks.StructBlock', [[('title', 11), ('url', 12), ('relevance', 13)]], {}), 15: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Form', 'page_type': ['declarations.RecordFormPage']}), 16: ('wagtail.blocks.CharBlock', (), {'help_text': "The button's words, e.g. 'Declare a relationship'. Defaults to the form's title.", 'max_length': 80, 'required': False}), 17: ('wagtail.blocks.CharBlock', (), {'help_text': "One sentence before the button, e.g. 'Family member at the school?'", 'max_length': 200, 'required': False}), 18: ('wagtail.blocks.StructBlock', [[('page', 15), ('label', 16), ('text', 17)]], {}), 19: ('wagtail.blocks.CharBlock', (), {'help_text': "What the table shows, e.g. 'Who to contact'.", 'required': False}), 20: ('wagtail.blocks.TextBlock', (), {'help_text': 'One row per line, cells separated by |. The first row is the header row.'}), 21: ('wagtail.blocks.StructBlock', [[('caption', 19), ('rows', 20)]], {})})),
            ],
            options={
                'db_table': 'policypages_parentspage',
            },
            bases=(core.published.RestrictionsFromSnapshot, core.page_cache.CachedForVisitors, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='StaffHubPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True)),
                ('popular_questions', wagtail.fields.StreamField([('answer', 0)], blank=True, block_lookup={0: ('wagtail.blocks.PageChooserBlock', (), {'page_type': ['guidance.GuidanceAnswerPage']})}, help_text='Questions to show on the staff hub, in this order. Space left over is filled with the answers staff found most helpful recently.')),
            ],
            options={
                'db_table': 'policypages_staffhubpage',
            },
            bases=(core.published.RestrictionsFromSnapshot, core.page_cache.CachedForReaders, wagtail.contrib.routable_page.models.RoutablePageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='OfficialAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('platform', models.CharField(help_text='e.g. Facebook, Instagram, X, YouTube, LinkedIn.', max_length=60)),
                ('name', models.CharField(help_text="The account's name or handle as people see it, e.g. @oakbrook.", max_length=120)),
                ('url', models.URLField(help_text="The account's address, so parents can check it is the real one.", verbose_name='Link')),
                ('purpose', models.CharField(blank=True, help_text="What the school posts there, e.g. 'News, events and closures'.", max_length=200)),
                ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='official_accounts', to='hub.parentspage')),
            ],
            options={
                'db_table': 'policypages_officialaccount',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        ]),
    ]
