"""Create the stock Wagtail yardstick's one page: 12 sections, about 2,500 words, under Wagtail's own home
page, served at /policy/, and a superuser, "editor", for the admin yardstick. Run with DJANGO_SETTINGS_MODULE=bench.stock_wagtail.settings and DATABASE_URL set,
after `migrate` (bench/load.py does both)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.stock_wagtail.settings")

import django  # noqa: E402

django.setup()

from wagtail.models import Page  # noqa: E402

from bench.stock_wagtail.models import StandardPage  # noqa: E402

SENTENCE = (
    "Staff keep a professional distance from pupils and parents online, and they ask a senior leader before "
    "they accept a request that could blur the line between their work and their private life."
)


def build():
    from django.contrib.auth import get_user_model

    # An editor for the admin yardstick (bench/load.py signs them in with a session made in the database).
    if not get_user_model().objects.filter(username="editor").exists():
        get_user_model().objects.create_superuser("editor", "editor@stock.example", None)
    if StandardPage.objects.filter(slug="policy").exists():
        return
    home = Page.objects.get(depth=2)
    body = []
    for n in range(1, 13):
        body.append({"type": "heading", "value": f"{n}. Section {n}"})
        for _ in range(2):  # 2 paragraphs of 3 sentences: about 208 words a section, 2,500 in all
            body.append({"type": "paragraph", "value": "<p>" + " ".join([SENTENCE] * 3) + "</p>"})
    page = StandardPage(title="A policy of 12 sections", slug="policy", body=body)
    home.add_child(instance=page)
    page.save_revision().publish()


if __name__ == "__main__":
    build()
