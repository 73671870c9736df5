from django.apps import AppConfig


class SiteSetupConfig(AppConfig):
    """The top layer: building a school's site (setup_site: the page tree, groups, privacy, workflow, synonyms)
    and the demo school (load_demo). It may use every app; no app uses it."""

    name = "sitesetup"
    verbose_name = "Site setup and demo"
