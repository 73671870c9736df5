"""The page tree's rules say the same thing from both ends: a page type that lists a child type is one that
child type accepts as its parent (Wagtail quietly drops the rest, leaving a rule that reads wrong)."""

from wagtail.models import get_page_models

PROJECT_APPS = {"policypages", "guidance", "declarations"}


def test_every_child_type_a_page_lists_accepts_it_as_parent():
    mismatched = [
        f"{model.__name__} lists {child.__name__}"
        for model in get_page_models()
        if model._meta.app_label in PROJECT_APPS
        for child in model.clean_subpage_models()
        if child not in model.allowed_subpage_models()
    ]
    assert mismatched == []


def test_the_home_page_names_each_door_for_who_walks_through_it(client, tree):
    page = client.get("/").content.decode()
    for heading in ("I work here", "I am a parent or carer", "All policies"):
        assert heading in page
