"""Ask HR: questions that search could not answer, sent to HR, grouped, turned into answers, and their askers told.

A question goes to HR's queue (guidance/admin_views.py); questions that ask the same thing are shown as one
group with how often their words were searched; HR turns a group into a draft answer in one click, and when
that answer is published everyone who asked by name is told, with a link (guidance/signals.py).
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.log_actions import log

from core import counters, published
from core.text import content_stems, normalise
from schools.models import School, Trust
from schools.services import in_central_team, is_trust, only_school, school_sites, schools_of, trust_roots

from .models import Audience, GuidanceAnswerPage, GuidanceIndexPage, Question, front_page_type

logger = logging.getLogger(__name__)
SEARCHES_COUNTED_FOR = datetime.timedelta(days=90)


def ask(text, *, audience, searched="", user=None, reply_to="", school=None):
    """File a question. `user` only when the asker chose to give their name; nothing else about them is kept
    but the school it is for (school_asked_at)."""
    return Question.objects.create(
        text=" ".join(text.split())[:500],
        searched=normalise(searched),
        audience=audience,
        asked_by=user,
        reply_to=reply_to,
        school=school if school is not None else (None if is_trust() else only_school()),
    )


def school_asked_at(request):
    """Whose HR a question goes to: a member of staff's own school (None for the trust's central team, or
    someone not yet filed), a visitor's the school whose site they asked on (None on the trust's own site)."""
    user = request.user
    if not is_trust():
        return only_school()
    if user.is_authenticated:
        return user.school
    snapshot = published.current()
    here = snapshot.site_for_request(request)
    root = here.root_page.path if here else None
    school_id = next((school_id for path, school_id in school_sites(snapshot) or () if path == root), None)
    return School.objects.filter(pk=school_id).first() if school_id else None


def questions_for(user):
    """The questions this person's queue holds. On a site with one school, all of them. In a trust, their own
    schools'; the trust's own (asked on its site, or by the central team) for the central team, and every
    school's too when the trust says so (Settings > Trust)."""
    everything = Question.objects.all()
    if not is_trust() or user.is_superuser:
        return everything
    if in_central_team(user):
        return everything if Trust.load().central_team_answers_every_school else everything.filter(school=None)
    return everything.filter(school__in=schools_of(user) - {None})


# --- grouping ----------------------------------------------------------------------------------------------


def _same_question(a, b):
    """Two questions ask the same thing when they share at least two meaningful words and those make up at
    least two thirds of the shorter one (stems, stop words left out: "friend request from a parent" and "can I
    friend a parent?")."""
    if not a or not b:
        return a == b
    shared = len(a & b)
    return a == b or (shared >= 2 and shared / min(len(a), len(b)) >= 2 / 3)


@dataclass
class QuestionGroup:
    questions: list = field(default_factory=list)
    terms: set = field(default_factory=set)
    searches: int = 0

    @property
    def first(self):
        return self.questions[0]

    @property
    def audience(self):
        return self.first.audience

    @property
    def title(self):
        """The question as the first person asked it, as a title: capital letter, question mark."""
        text = self.first.text.strip().rstrip("?.! ")
        return (text[:1].upper() + text[1:])[:250] + "?"

    @property
    def phrasings(self):
        """Every other way it was asked or searched for, once each, for the answer's 'also asked'."""
        seen, out = {normalise(self.title)}, []
        for question in self.questions:
            for phrase in (question.text, question.searched):
                key = normalise(phrase)
                if key and key not in seen:
                    seen.add(key)
                    out.append(phrase.strip())
        return out

    @property
    def named(self):
        return sum(1 for q in self.questions if q.named)

    @property
    def ids(self):
        return [q.pk for q in self.questions]

    @property
    def waiting_ids(self):
        return [q.pk for q in self.questions if q.status == Question.Status.WAITING]

    @property
    def answer(self):
        return next((q.answer for q in self.questions if q.answer_id), None)


def group_questions(questions):
    """Questions of the same audience that ask the same thing, as groups; most asked first, then oldest."""
    groups = []
    for question in questions:
        terms = content_stems(f"{question.text} {question.searched}")
        for group in groups:
            if group.audience == question.audience and _same_question(group.terms, terms):
                group.questions.append(question)
                break
        else:
            groups.append(QuestionGroup(questions=[question], terms=terms))
    _count_searches(groups)
    groups.sort(key=lambda g: (-len(g.questions), -g.searches, g.first.asked_on, g.first.pk))
    return groups


def _count_searches(groups):
    """How often each group's words were searched in the last 90 days (one query for every group)."""
    phrases = {
        g_id: {normalise(p) for q in g.questions for p in (q.text, q.searched)} - {""} for g_id, g in enumerate(groups)
    }
    wanted = set().union(*phrases.values()) if phrases else set()
    since = timezone.localdate() - SEARCHES_COUNTED_FOR
    counters.write_pending()  # the last minute's searches, still in the shared cache
    counts = dict(
        # Search's own counts, named by a string: search sits a layer above guidance.
        apps.get_model("sitesearch", "SearchTermDay")
        .objects.filter(date__gte=since, query__in=wanted)
        .values("query")
        .annotate(n=Sum("searches"))
        .values_list("query", "n")
    )
    for g_id, group in enumerate(groups):
        group.searches = sum(counts.get(p, 0) for p in phrases[g_id])


def open_groups(user):
    """`user`'s queue: their questions waiting for an answer or with one being written."""
    waiting = questions_for(user).filter(status__in=[Question.Status.WAITING, Question.Status.DRAFTED])
    return group_questions(waiting.select_related("answer").order_by("asked_on", "pk"))


def waiting_count(user):
    return questions_for(user).filter(status=Question.Status.WAITING).count()


# --- answering ---------------------------------------------------------------------------------------------


def guidance_index_for(audience, school=None):
    """Where an answer for this audience goes: the staff hub's guidance, or the parents' (public) guidance, in
    the question's school's own site (in a trust; the trust's own site for its own questions)."""
    fronts = front_page_type("StaffHubPage" if audience == Audience.STAFF else "ParentsPage").objects.order_by("path")
    snapshot = published.current()
    if school is not None and school.site_id:
        fronts = fronts.filter(path__startswith=school.site.root_page.path)
    elif trust_roots(snapshot):
        fronts = [front for front in fronts if front.path.startswith(trust_roots(snapshot))]
    front = next(iter(fronts), None)
    return GuidanceIndexPage.objects.child_of(front).first() if front else None


@transaction.atomic
def draft_answer(group, user):
    """A draft answer for the group: its question as the title, every other phrasing as 'also asked'. Returns the
    draft page; the group's questions now point to it."""
    index = guidance_index_for(group.audience, group.first.school)
    page = GuidanceAnswerPage(
        title=group.title,
        audience=group.audience,
        also_asked="\n".join(group.phrasings),
        live=False,
        owner=user,
    )
    index.add_child(instance=page)
    page.save_revision(user=user, clean=False)  # a draft: HR writes the short answer and answer before publishing
    log(page, "wagtail.create", user=user)
    Question.objects.filter(pk__in=group.ids).update(status=Question.Status.DRAFTED, answer=page)
    return page


def _send(messages):
    for message in messages:
        try:
            send_mail(from_email=None, **message)
        except Exception:  # the answer is published either way; the failure is logged for the site admins
            logger.exception("Could not tell an asker that their question was answered")


def add_to_answer(ids, answer):
    """Questions asked again after HR started an answer: its askers are told when that answer is published."""
    return Question.objects.filter(pk__in=ids, status=Question.Status.WAITING).update(
        status=Question.Status.DRAFTED, answer=answer
    )


def set_aside(ids):
    """Not a question HR will answer here (spam, a personal matter handled another way). Parents' addresses go."""
    return Question.objects.filter(pk__in=ids).update(status=Question.Status.SET_ASIDE, reply_to="")


def tell_askers(answer):
    """The answer is published: close its questions and tell whoever asked by name, once. A parent's address
    only ever gets a link to a page anyone can read, and is deleted either way."""
    questions = list(
        answer.questions.filter(status__in=[Question.Status.WAITING, Question.Status.DRAFTED]).select_related(
            "asked_by"
        )
    )
    if not questions:
        return []
    public = not answer.get_view_restrictions().exists()
    recipients = []
    for question in questions:
        if question.asked_by_id and question.asked_by.is_active and question.asked_by.email:
            recipients.append((question, question.asked_by.email, question.asked_by.get_short_name()))
        elif question.reply_to and public:
            recipients.append((question, question.reply_to, ""))
    Question.objects.filter(pk__in=[q.pk for q in questions]).update(
        status=Question.Status.ANSWERED, reply_to="", told_on=timezone.localdate()
    )
    url = answer.full_url
    messages = [
        {
            "subject": "Your question has been answered",
            "message": render_to_string(
                "guidance/email/question_answered.txt",
                {"question": question, "name": name, "answer": answer, "url": url},
            ),
            "recipient_list": [address],
        }
        for question, address, name in recipients
    ]
    transaction.on_commit(lambda: _send(messages))
    return [address for _q, address, _n in recipients]
