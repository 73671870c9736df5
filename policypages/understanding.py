"""Check your understanding: a few questions on a policy version, each tied to the section that answers it.

HR writes them on the policy (a StreamField, so they are prepared, approved and issued with the version, and
the next version starts from them); the questions of an issued version are those of the policy revision it
issued (PolicyVersion.policy_revision), so they never change under a version. Staff answer them before they
confirm; a wrong answer names the section that explains it and they try again. Each person's first try and
number of tries per question are kept (UnderstandingAnswer), for the receipt and for HR's per-question figures.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils.html import format_html

from .blocks import TRUE_FALSE
from .models import UnderstandingAnswer


@dataclass(frozen=True)
class CheckQuestion:
    id: str  # the block's id: kept from version to version while HR leaves the question in place
    text: str
    kind: str
    choices: tuple  # (value, text)
    right: frozenset
    section_id: int | None
    section_heading: str
    section_url: str
    explanation: str

    @property
    def multiple(self):
        return self.kind == "multiple"

    def is_right(self, chosen):
        return frozenset(chosen) == self.right


def _from_block(block):
    value = block.value
    if value["kind"] == "true_false":
        choices, right = TRUE_FALSE, frozenset(["true" if value["statement_is_true"] else "false"])
    else:
        choices = tuple((str(i), c["text"]) for i, c in enumerate(value["choices"]))
        right = frozenset(str(i) for i, c in enumerate(value["choices"]) if c["correct"])
    section = value["section"]
    section = section.specific if section is not None else None
    return CheckQuestion(
        id=block.id,
        text=value["question"],
        kind=value["kind"],
        choices=choices,
        right=right,
        section_id=section.pk if section else None,
        section_heading=section.heading if section else "",
        section_url=section.url if section and section.live else "",
        explanation=value["explanation"],
    )


def questions_for(version):
    """The questions of an issued version, in order ([] if it has none). An issued revision never changes, so
    they are kept in the cache by revision (section addresses with them: a moved section shows its old address
    until the cache forgets, and the page redirects)."""
    if version is None or version.policy_revision_id is None:
        return []
    # The issue time too: a database restored or rolled back may give a new revision an old revision's id.
    key = f"understanding:questions:{version.policy_revision_id}:{version.issued_at.timestamp()}"
    found = cache.get(key)
    if found is None:
        policy = version.policy_revision.as_object()
        found = [_from_block(block) for block in policy.understanding_check]
        cache.set(key, found, 24 * 60 * 60)
    return found


# --- answering -----------------------------------------------------------------------------------------


@dataclass
class Marked:
    question: CheckQuestion
    chosen: list
    right: bool


def mark(user, version, answers):
    """Mark one try at the version's check. `answers`: question id -> list of chosen values. Keeps each
    question's first try and counts tries (once a question is right it stays right). Returns [Marked]."""
    questions = questions_for(version)
    marked = [Marked(q, answers.get(q.id, []), q.is_right(answers.get(q.id, []))) for q in questions]
    with transaction.atomic():
        kept = {
            a.question_id: a for a in UnderstandingAnswer.objects.select_for_update().filter(user=user, version=version)
        }
        for m in marked:
            answer = kept.get(m.question.id)
            if answer is None:
                UnderstandingAnswer.objects.create(
                    user=user, version=version, question_id=m.question.id, right_first_time=m.right, right=m.right
                )
            elif not answer.right:
                UnderstandingAnswer.objects.filter(pk=answer.pk).update(tries=F("tries") + 1, right=m.right)
            else:
                m.right = True  # answered right on an earlier try: not asked again
    return marked


def still_to_answer(user, version):
    """The questions of `version` this person has not yet answered right ([] when there is no check)."""
    questions = questions_for(version)
    if not questions:
        return []
    right = set(
        UnderstandingAnswer.objects.filter(user=user, version=version, right=True).values_list("question_id", flat=True)
    )
    return [q for q in questions if q.id not in right]


def tries_before_confirming(user, version):
    """For the receipt: how many tries the check took (the most any question needed); None without a check."""
    if not questions_for(version):
        return None
    tries = UnderstandingAnswer.objects.filter(user=user, version=version).values_list("tries", flat=True)
    return max(tries, default=1)


# --- HR's figures ----------------------------------------------------------------------------------------


@dataclass
class QuestionFigures:
    question: CheckQuestion
    answered: int
    right_first_time: int

    @property
    def percent(self):
        return round(100 * self.right_first_time / self.answered) if self.answered else None


def figures_for(version):
    """Per question of the version: how many answered, how many got it right first time; hardest first."""
    questions = questions_for(version)
    counts = {
        row["question_id"]: row
        for row in UnderstandingAnswer.objects.filter(version=version)
        .values("question_id")
        .annotate(answered=Count("pk"), first=Count("pk", filter=Q(right_first_time=True)))
    }
    figures = [
        QuestionFigures(q, counts.get(q.id, {}).get("answered", 0), counts.get(q.id, {}).get("first", 0))
        for q in questions
    ]
    return sorted(figures, key=lambda f: (f.percent is None, f.percent if f.percent is not None else 0))


def section_link(question):
    if not question.section_url:
        return question.section_heading
    return format_html('<a href="{}">{}</a>', question.section_url, question.section_heading)


# --- for the governors: the prepared version's questions against the issued version's ------------------------


@dataclass
class QuestionChange:
    question: CheckQuestion
    status: str  # "added", "changed", "removed", "unchanged"

    @property
    def right_answers(self):
        return [text for value, text in self.question.choices if value in self.question.right]


def _same(a, b):
    return (a.text, a.kind, a.choices, a.right, a.section_id, a.explanation) == (
        b.text,
        b.kind,
        b.choices,
        b.right,
        b.section_id,
        b.explanation,
    )


def check_changes(policy):
    """The questions the prepared version will ask, each marked against the issued version's, then those it
    drops. [] when neither has any."""
    prepared_policy = policy.get_latest_revision_as_object() if policy.has_unpublished_changes else policy
    prepared = [_from_block(block) for block in prepared_policy.understanding_check]
    issued = {q.id: q for q in questions_for(policy.current_version)}
    changes = []
    for question in prepared:
        before = issued.pop(question.id, None)
        status = "added" if before is None else ("unchanged" if _same(before, question) else "changed")
        changes.append(QuestionChange(question, status))
    return changes + [QuestionChange(q, "removed") for q in issued.values()]
