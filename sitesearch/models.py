from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel


class SynonymGroup(models.Model):
    """Words staff and parents use for the same thing, e.g. 'friend, add, follow, connect'.

    Curated and small on purpose: a general thesaurus maps 'can' to 'fire'. Editable by HR in the admin;
    `setup_site` ships the defaults in sitesearch/synonyms.py.
    """

    terms = models.TextField(help_text="Words or short phrases that mean the same here, separated by commas.")
    note = models.CharField(max_length=255, blank=True, help_text="Why these belong together (optional).")

    panels = [FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        verbose_name = "synonym group"

    def __str__(self):
        return ", ".join(self.term_list)

    @property
    def term_list(self):
        return [t.strip().lower() for t in self.terms.split(",") if t.strip()]

    def clean(self):
        if len(self.term_list) < 2:
            raise ValidationError({"terms": "Give at least two words, separated by commas."})
        if any(len(term) > 60 for term in self.term_list):
            raise ValidationError({"terms": "Each word or phrase must be under 60 characters."})


class SearchTermDay(models.Model):
    """How often a (normalised) query was searched on a day, how often it found nothing, how often a
    result was opened. Who searched is never stored."""

    date = models.DateField()
    query = models.CharField(max_length=200)
    searches = models.PositiveIntegerField(default=0)
    zero_results = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["date", "query"], name="one_row_per_query_per_day")]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.query} on {self.date}"

    @property
    def without_click(self):
        return max(self.searches - self.clicks, 0)


class PageEmbedding(models.Model):
    """A published page's sentence vectors and word-piece vectors (see sitesearch/embeddings.py), stored with the
    revision they were made from, so no process recomputes them. One row per revision and model; a section has
    one sentence vector per passage."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=60)
    passages = models.PositiveSmallIntegerField()
    vectors = models.BinaryField()  # float16, passages × dimensions
    # The meaningful word pieces of every passage, one unit vector each (int8, pieces × dimensions), passage
    # after passage; how many belong to each passage. Read only for the candidates of a search (rerank.py).
    pieces = models.BinaryField(default=b"")
    pieces_per_passage = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["revision", "model"], name="one_embedding_per_revision")]

    def __str__(self):
        return f"{self.model} vectors of revision {self.revision_id}"


class GlossaryTerm(models.Model):
    """A term of art of English schools and what it stands for, e.g. 'LADO': 'local authority designated officer'.

    Search reads a term typed as its meaning too (and the meaning typed as the term), so "lado number" finds the
    answer that says "the local authority designated officer", and "designated safeguarding lead" the one that
    says "the DSL". A general glossary ships with the site (sitesearch/glossary.py); HR adds the school's own.
    """

    term = models.CharField(
        max_length=40, unique=True, help_text="As people write it, e.g. 'LADO', 'SAR', 'PPA time'. Capitals do not matter."
    )
    meaning = models.CharField(
        max_length=200,
        help_text="What it stands for, in plain words, e.g. 'local authority designated officer'.",
    )

    panels = [FieldPanel("term"), FieldPanel("meaning")]

    class Meta:
        ordering = ["term"]
        verbose_name = "glossary term"

    def __str__(self):
        return f"{self.term}: {self.meaning}"

    def clean(self):
        self.term = " ".join(self.term.split())
        self.meaning = " ".join(self.meaning.split())
        if not any(c.isalnum() for c in self.term):
            raise ValidationError({"term": "Give the term as people write it, e.g. 'LADO'."})
        if not any(c.isalpha() for c in self.meaning):
            raise ValidationError({"meaning": "Say in words what the term stands for."})
        if self.term.lower() == self.meaning.lower():
            raise ValidationError({"meaning": "Give its meaning in other words than the term itself."})
        clash = GlossaryTerm.objects.filter(term__iexact=self.term).exclude(pk=self.pk).first()
        if clash is not None:
            raise ValidationError({"term": f"'{clash.term}' is in the glossary already: edit that one instead."})
