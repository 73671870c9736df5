from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from policypages.importer import PolicyImportError, create_policy, outline, parse_policy, read_document
from policypages.models import PolicyIndexPage


class Command(BaseCommand):
    help = (
        "Import a policy from a .docx, .pdf, .html, .md or .txt file: one policy page, one section page per "
        "top-level section (the whole document as one section when it has no headings). Nothing is created if "
        "the file cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--title", help="The policy's title on the site (default: the title the document gives itself, if any)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the outline (sections, their first words, what was left out, what to check); save nothing.",
        )
        parser.add_argument(
            "--parent",
            default=None,
            help="URL path of the policy index to import into, e.g. /policies/ (default: the first one).",
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish at once (default: save as drafts for review)."
        )

    def handle(self, *args, **options):
        if options["dry_run"]:
            try:
                parsed = parse_policy(read_document(options["file"]))
            except PolicyImportError as exc:
                raise CommandError(f"{exc} Nothing was imported.") from exc
            self.stdout.write(f"Outline of {options['file']} (nothing saved):")
            self.stdout.write("\n".join(outline(parsed)))
            return
        try:
            parsed = parse_policy(read_document(options["file"]))
        except PolicyImportError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        title = (options["title"] or "").strip() or parsed.title
        if not title:
            raise CommandError(
                "The document does not give its title: --title must be given "
                "(or use --dry-run to see the outline first)."
            )
        parent = self._parent(options["parent"])
        try:
            policy = create_policy(parsed, title=title, parent=parent, publish=options["publish"])
        except PolicyImportError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        state = "published" if options["publish"] else "saved as drafts"
        self.stdout.write(
            self.style.SUCCESS(
                f"Created policy '{policy.title}' at {policy.url_path} with {len(parsed.sections)} sections ({state}):"
            )
        )
        for section in parsed.sections:
            kinds = {}
            for block in section.blocks:
                kinds[block["type"]] = kinds.get(block["type"], 0) + 1
            summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "empty"
            self.stdout.write(f"  {section.number}. {section.title} ({summary})")
        for key, value in parsed.metadata.items():
            self.stdout.write(f"  Found {key.replace('_', ' ')}: {value}")

    def _parent(self, path):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise CommandError("The site is not set up yet: run `manage.py setup_site` first.")
        if path is None:
            parent = PolicyIndexPage.objects.descendant_of(site.root_page).first()
            if parent is None:
                raise CommandError("There is no policy index page yet: run `manage.py setup_site` first.")
            return parent
        url_path = site.root_page.url_path + path.strip("/") + "/"
        parent = PolicyIndexPage.objects.filter(url_path=url_path).first()
        if parent is None:
            raise CommandError(f"No policy index page at {path}. Policies can only be imported into a policy index.")
        return parent
