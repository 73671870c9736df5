"""Load the demo guidance answers (demo_school/answers.csv) through the same importer HR uses, then the links a
spreadsheet cannot hold: related answers, buttons to forms, the questions pinned to the staff hub.
Idempotent: a question already on the site is left as it is, even if HR has edited it."""

from declarations.models import RecordFormPage
from guidance.importer import import_answers
from guidance.models import GuidanceAnswerPage

from .demo_data import DemoDataError, read_bytes
from .demo_policies import publish


def load_demo_answers(tree, school, user=None):
    report = import_answers(
        read_bytes(school["answers"]),
        staff_index=tree.staff_guidance,
        public_index=tree.parents_guidance,
        user=user,
        keep_existing=True,
    )
    if report.rejected:
        problems = "; ".join(f"row {number} ({question}): {reason}" for number, question, reason in report.rejected)
        raise DemoDataError(f"The demo school's answers cannot be imported: {problems}")
    created = list(GuidanceAnswerPage.objects.filter(title__in=report.created).order_by("path").specific())
    _relate_by_topic(created)
    _link_forms(created, school["answer_forms"], user)
    _choose_popular_questions(tree.staff, school["popular_questions"], user)
    return created


def _choose_popular_questions(staff_hub, questions, user):
    """What HR would pin to the staff hub in the first weeks of a new social media policy."""
    staff_hub = staff_hub.specific
    if staff_hub.popular_questions:
        return
    answers = {a.title: a for a in GuidanceAnswerPage.objects.descendant_of(staff_hub).live()}
    chosen = [answers[q] for q in questions if q in answers]
    if chosen:
        staff_hub.popular_questions = [("answer", answer) for answer in chosen]
        publish(staff_hub, user)


def _link_forms(pages, answer_forms, user):
    """Answers that ask the reader to fill in a form get a button to it."""
    forms = {page.form: page for page in RecordFormPage.objects.all()}
    by_title = {page.title: page for page in pages}
    for form, questions in answer_forms.items():
        if form not in forms:
            continue
        for question in questions:
            page = by_title.get(question)
            if page is None or page.form_links:
                continue
            page.form_links.append(("form_link", {"page": forms[form], "label": "", "text": ""}))
            publish(page, user)


def _relate_by_topic(pages):
    """Link each new answer to up to three others sharing its first topic, so readers can move on."""
    by_topic = {}
    for page in pages:
        if page.topic_list:
            by_topic.setdefault(page.topic_list[0], []).append(page)
    for page in pages:
        if not page.topic_list:
            continue
        others = [p for p in by_topic[page.topic_list[0]] if p.pk != page.pk and p.audience == page.audience][:3]
        if others:
            page.related_answers.set(others)
            page.save_revision().publish(skip_permission_checks=True)
