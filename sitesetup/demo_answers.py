"""Load the demo guidance answers (idempotent: an existing question is left alone)."""

from django.utils.text import slugify

from declarations.models import RecordFormPage
from guidance.models import Audience, GuidanceAnswerPage
from policypages.models import PolicyPage, PolicySectionPage

from .demo_answer_texts import ANSWERS


def load_demo_answers(tree, user=None):
    policy = PolicyPage.objects.filter(slug="social-media").first()
    sections = {s.number: s for s in PolicySectionPage.objects.child_of(policy)} if policy else {}
    created = []
    for audience, question, short, answer, topics, also_asked, refs in ANSWERS:
        parent = tree.staff_guidance if audience == Audience.STAFF else tree.parents_guidance
        if GuidanceAnswerPage.objects.child_of(parent).filter(title=question).exists():
            continue
        page = GuidanceAnswerPage(
            title=question,
            slug=slugify(question)[:80],
            short_answer=short,
            answer=f"<p>{answer}</p>",
            topics=topics,
            also_asked="\n".join(also_asked),
            audience=audience,
        )
        page.policy_sections.set([sections[n] for n in refs if n in sections])
        parent.add_child(instance=page)
        page.save_revision(user=user).publish(user=user, skip_permission_checks=True)
        created.append(page)
    _relate_by_topic(created)
    _link_forms(created, user)
    _choose_popular_questions(tree.staff, user)
    return created


# What HR would pin to the staff hub in the first weeks of a new social media policy.
POPULAR_QUESTIONS = [
    "Can I friend a parent on Facebook?",
    "Can I accept a friend request from a pupil?",
    "How do I declare a relationship?",
    "Can I post photos from a school trip on my own account?",
    "Does WhatsApp count as social media?",
    "Someone is posting abuse about me online. What should I do?",
]


def _choose_popular_questions(staff_hub, user):
    staff_hub = staff_hub.specific
    if staff_hub.popular_questions:
        return
    answers = {a.title: a for a in GuidanceAnswerPage.objects.descendant_of(staff_hub).live()}
    chosen = [answers[q] for q in POPULAR_QUESTIONS if q in answers]
    if chosen:
        staff_hub.popular_questions = [("answer", answer) for answer in chosen]
        staff_hub.save_revision(user=user).publish(user=user, skip_permission_checks=True)


# Answers that ask the reader to fill in a form get a button to it (by question number in ANSWERS).
FORM_FOR_ANSWER = {
    "relationship": (5, 9, 10, 14, 16, 17, 19),
    "rejected_contact": (1, 3, 6, 7),
    "abuse": (15, 36, 37, 40),
    "account_request": (41, 43),
}


def _link_forms(pages, user):

    forms = {page.form: page for page in RecordFormPage.objects.all()}
    by_title = {page.title: page for page in pages}
    for form, numbers in FORM_FOR_ANSWER.items():
        if form not in forms:
            continue
        for number in numbers:
            page = by_title.get(ANSWERS[number][1])
            if page is None or page.form_links:
                continue
            page.form_links.append(("form_link", {"page": forms[form], "label": "", "text": ""}))
            page.save_revision(user=user).publish(user=user, skip_permission_checks=True)


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
