"""Measuring search on answers and queries nobody here wrote (issue 13): recall@1, recall@3, MRR and the misses.

A set is a CSV of answers (id, question, answer, audience, and optionally short_answer, also_asked) and a TSV of
queries (role `staff` or `anon`, the query as typed, the expected answer ids joined by `|`), as in
`../shared/devsets/search/`. The answers go through the real importer and every query through the real
pipeline, as its role: `manage.py search_eval` does it in a throwaway database; the relevance test does it in
the test database.

Queries are split into two fixed halves by a hash of their text: tune on the `tuning` half, and report the
`held-out` half beside it. A rule, synonym or weight added to fix one query of a set is not allowed.
"""

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from guidance.models import GuidanceAnswerPage
from policypages.importer import create_policy, parse_policy, read_document

from .learning import add_phrasing
from .pipeline import NOTHING, SURE, search

HALVES = ("tuning", "held-out")


def read_answers(raw_bytes):
    return list(csv.DictReader(io.StringIO(raw_bytes.decode("utf-8-sig"))))


def read_queries(raw_bytes):
    rows = csv.DictReader(io.StringIO(raw_bytes.decode("utf-8-sig")), delimiter="\t")
    return [
        {"role": row["role"].strip(), "query": row["query"], "expected": set(row["expected"].strip().split("|"))}
        for row in rows
        if row.get("query")
    ]


def read_unanswerable(raw_bytes):
    """A TSV of role and query: questions the answers do not answer, which search should say it has no answer
    for. Their expected set is empty."""
    rows = csv.DictReader(io.StringIO(raw_bytes.decode("utf-8-sig")), delimiter="\t")
    return [{"role": row["role"].strip(), "query": row["query"], "expected": set()} for row in rows if row.get("query")]


def half_of(query):
    """Which half a query belongs to: fixed by its text, so the halves never change between runs."""
    return HALVES[hashlib.sha1(query["query"].encode()).digest()[0] % 2]


def only_required_columns(raw_bytes):
    """The answers as a school's first spreadsheet would have them: question, answer and audience only."""
    rows = read_answers(raw_bytes)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["id", "question", "answer", "audience"])
    writer.writeheader()
    for row in rows:
        writer.writerow({key: row.get(key, "") for key in writer.fieldnames})
    return out.getvalue().encode()


@dataclass
class Outcome:
    query: dict
    ranked: list  # answer ids, best first
    half: str
    sureness: str = ""  # pipeline.SURE, UNSURE or NOTHING

    @property
    def answerable(self):
        return bool(self.query["expected"])

    @property
    def hit1(self):
        return bool(self.ranked[:1]) and self.ranked[0] in self.query["expected"]

    @property
    def hit3(self):
        return bool(self.query["expected"] & set(self.ranked[:3]))

    @property
    def reciprocal_rank(self):
        for position, answer_id in enumerate(self.ranked, start=1):
            if answer_id in self.query["expected"]:
                return 1 / position
        return 0.0


@dataclass
class Report:
    outcomes: list = field(default_factory=list)

    def scores(self, role=None, half=None):
        chosen = [
            o
            for o in self.outcomes
            if o.answerable and (role is None or o.query["role"] == role) and (half is None or o.half == half)
        ]
        if not chosen:
            return {"queries": 0, "recall@1": 0.0, "recall@3": 0.0, "mrr": 0.0}
        n = len(chosen)
        return {
            "queries": n,
            "recall@1": sum(o.hit1 for o in chosen) / n,
            "recall@3": sum(o.hit3 for o in chosen) / n,
            "mrr": sum(o.reciprocal_rank for o in chosen) / n,
        }

    def misses(self):
        return [o for o in self.outcomes if o.answerable and not o.hit1]

    def sureness(self, half=None):
        """How often search said it had nothing for a question with no answer, and how often it was sure, and
        right, for one with an answer."""
        chosen = [o for o in self.outcomes if half is None or o.half == half]
        unanswerable = [o for o in chosen if not o.answerable]
        sure = [o for o in chosen if o.answerable and o.sureness == SURE]
        return {
            "unanswerable": len(unanswerable),
            "nothing found": sum(o.sureness == NOTHING for o in unanswerable),
            "sure of an answer, wrongly": sum(o.sureness == SURE for o in unanswerable),
            "answerable": sum(o.answerable for o in chosen),
            "sure": len(sure),
            "sure and right": sum(o.hit1 for o in sure),
            "answerable, nothing found": sum(o.answerable and o.sureness == NOTHING for o in chosen),
        }

    def text(self):
        lines = []
        for label, role, half in [
            ("all", None, None),
            ("staff", "staff", None),
            ("anon", "anon", None),
            ("tuning half", None, "tuning"),
            ("held-out half", None, "held-out"),
        ]:
            s = self.scores(role, half)
            lines.append(
                f"{label:<14} {s['queries']:>4} queries  recall@1 {s['recall@1']:.3f}  recall@3 {s['recall@3']:.3f}"
                f"  MRR {s['mrr']:.3f}"
            )
        if any(not o.answerable for o in self.outcomes):
            lines.append("")
            for label, half in [("all", None), ("tuning half", "tuning"), ("held-out half", "held-out")]:
                s = self.sureness(half)
                lines.append(
                    f"{label:<14} no answer: {s['nothing found']} of {s['unanswerable']} said so"
                    f" ({s['sure of an answer, wrongly']} sure of one); with an answer: sure of {s['sure']} of"
                    f" {s['answerable']}, right {s['sure and right']}; nothing found for {s['answerable, nothing found']}"
                )
            lines.append("Questions with no answer that found something (role, half, query -> top 3):")
            for o in self.outcomes:
                if not o.answerable and o.sureness != NOTHING:
                    lines.append(f"  {o.query['role']:<5} {o.half:<8} {o.query['query']!r} -> {o.ranked[:3]}")
        lines.append("")
        lines.append("Misses at 1 (role, half, query -> top 3, expected):")
        for o in self.misses():
            lines.append(
                f"  {o.query['role']:<5} {o.half:<8} {o.query['query']!r} -> {o.ranked[:3]} "
                f"(wanted {'|'.join(sorted(o.query['expected']))})"
            )
        return "\n".join(lines)


def evaluate(answers, queries, staff_user):
    """Run every query as its role through the search pipeline; `answers` are the rows the pages came from. A
    query with no expected answer (read_unanswerable) counts only towards how sure search is."""
    id_by_title = {row["question"].strip(): row["id"] for row in answers}
    id_by_pk = {
        pk: id_by_title[title]
        for pk, title in GuidanceAnswerPage.objects.values_list("pk", "title")
        if title in id_by_title
    }
    report = Report()
    for query in queries:
        user = staff_user if query["role"] == "staff" else AnonymousUser()
        found = _search(query["query"], user)
        ranked = [id_by_pk[result.pk] for result in _first(found) if result.pk in id_by_pk]
        report.outcomes.append(Outcome(query, ranked, half_of(query), found.sureness))
    return report


def _search(text, user):
    request = RequestFactory().get("/search/", {"q": text})
    request.user = user
    request.session = {}
    return search(request, text)


def _first(found, shown=20):
    return found.results[: min(len(found.results), shown)]


def _first_results(text, user, shown=20):
    """The first results a search shows this person, through the real pipeline."""
    return _first(_search(text, user), shown)


# --- section questions (issue 14): does a question find the right section of an imported policy? ----------


def read_section_questions(raw_bytes):
    """A TSV of half, policy (a document's file name without its extension), query, expected section heading.
    The halves are fixed by policy, not by query, so no policy's wording is seen in both."""
    rows = csv.DictReader(io.StringIO(raw_bytes.decode("utf-8-sig")), delimiter="\t")
    return [
        {
            "role": "staff",
            "half": row["half"].strip(),
            "query": row["query"],
            "expected": {f"{row['policy'].strip()}: {row['expected'].strip()}"},
        }
        for row in rows
        if row.get("query")
    ]


def straight(text):
    """Curly quotes as straight ones: a document's "Parents’ right" is the question set's "Parents' right"."""
    return text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'}))


def read_titled_questions(raw_bytes, folder):
    """Section questions as ../shared/devsets/import2/ writes them: query, policy_title, section_title (the
    policy named by its title, as the folder's expected files give it). All in one half: "held-out"."""
    stems = {}
    for expected in Path(folder).glob("*.expected.json"):
        stems[json.loads(expected.read_text())["title"]] = expected.name[: -len(".expected.json")]
    rows = csv.DictReader(io.StringIO(raw_bytes.decode("utf-8-sig")), delimiter="\t")
    return [
        {
            "role": "staff",
            "half": "held-out",
            "query": row["query"],
            "expected": {straight(f"{stems[row['policy_title'].strip()]}: {row['section_title'].strip()}")},
        }
        for row in rows
        if row.get("query")
    ]


def import_policies(folder, parent):
    """Import and publish every policy document in `folder` through the real importer. Returns a map from each
    published section's page id to "<document name>: <section heading as the document gives it>"."""
    names = {}
    for path in sorted(Path(folder).iterdir()):
        if path.suffix not in (".txt", ".md", ".docx", ".pdf", ".html") or path.stem.upper() == "README":
            continue
        parsed = parse_policy(read_document(path))
        # The title HR would type on the import screen: the document's own, where the set records it.
        expected = path.with_name(f"{path.stem}.expected.json")
        title = json.loads(expected.read_text())["title"] if expected.exists() else parsed.title or path.stem
        policy = create_policy(parsed, title=title, parent=parent, publish=True)
        for section, page in zip(parsed.sections, policy.get_children().order_by("path"), strict=True):
            names[page.pk] = straight(f"{path.stem}: {section.display_title}")
    return names


def evaluate_sections(questions, section_names, staff_user):
    """Run every question as a member of staff; a result that is not one of the sections counts as a miss."""
    report = Report()
    for query in questions:
        shown = _first_results(query["query"], staff_user)
        ranked = [section_names.get(result.pk, f"{result.kind} {result.title}") for result in shown]
        report.outcomes.append(Outcome(query, ranked, query["half"]))
    return report


# --- learning from searches (issue 43): does teaching search the misses of one half keep the other? --------


@dataclass
class Replay:
    before: Report
    after: Report
    taught: list  # the queries added as other ways of asking their expected answer

    def text(self):
        taught = {q["query"] for q in self.taught}
        hits_after = sum(o.hit1 for o in self.after.outcomes if o.query["query"] in taught)
        lines = [f"Taught {len(taught)} searches of the tuning half that missed at 1 (HR's Teach search, as HR would)."]
        lines.append(f"  those searches now first: {hits_after} of {len(taught)}")
        for label, half in (("tuning half", "tuning"), ("held-out half", "held-out")):
            b, a = self.before.scores(half=half), self.after.scores(half=half)
            lines.append(
                f"  {label:<14} recall@1 {b['recall@1']:.3f} -> {a['recall@1']:.3f}   "
                f"recall@3 {b['recall@3']:.3f} -> {a['recall@3']:.3f}"
            )
        return "\n".join(lines)


def replay_learning(answers, queries, staff_user, hr_user):
    """Replay every query; for each miss at 1 of the tuning half, add the query to its expected answer's other
    ways of asking through sitesearch.learning (published, as HR's one click does); replay again. The held-out
    half is what shows whether teaching one search costs another."""
    before = evaluate(answers, queries, staff_user)
    pk_by_id = {
        row["id"]: pk
        for pk, title in GuidanceAnswerPage.objects.values_list("pk", "title")
        for row in answers
        if row["question"].strip() == title
    }
    taught = []
    for outcome in before.misses():
        if outcome.half != "tuning":
            continue
        expected = sorted(outcome.query["expected"])[0]
        add_phrasing(hr_user, GuidanceAnswerPage.objects.get(pk=pk_by_id[expected]), outcome.query["query"])
        taught.append(outcome.query)
    after = evaluate(answers, queries, staff_user)
    return Replay(before, after, taught)
