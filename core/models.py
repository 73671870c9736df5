from django.db import models


class ContentVersion(models.Model):
    """One row: a token that changes whenever published content, privacy, branding or synonyms change.

    Kept in the database so that every process and every server agrees on it even without a shared cache;
    with Redis it is read from the cache and the database is only asked when the cache has lost it. Everything
    cached from published content (the published snapshot, the page caches, search's vocabularies) is keyed by
    it (core/content.py).
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table search created before the token moved here: moved without copying (see the migrations).
        db_table = "sitesearch_contentversion"
        verbose_name = "content version"

    def __str__(self):
        return self.token
