"""Measuring the policy importer on documents nobody here wrote (issue 14): does each come out whole?

A set is a folder of policies (.txt, .md, .docx), each with `NAME.expected.json` as in
`../shared/devsets/import/`: the top-level sections in order, phrases that must sit in a given section, and
lines that must not become sections. Both sides are normalised as that set's README says (lower case,
straight quotes, `*` `_` `#` and `\\` removed, whitespace collapsed). A document is *whole* when its section
titles equal the expected list, in order, and every phrase is in its section's body.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .importer import PolicyImportError, parse_policy, read_document, section_text

QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def normalise(text):
    text = (text or "").translate(QUOTES).lower()
    text = re.sub(r"[*_#\\]", "", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class DocumentResult:
    name: str
    expected: list
    found: list = field(default_factory=list)
    missing_phrases: list = field(default_factory=list)  # (section, phrase)
    false_sections: list = field(default_factory=list)  # titles that must not be sections
    leaked: list = field(default_factory=list)  # phrases that must appear nowhere (deleted text, furniture)
    error: str = ""

    @property
    def matched(self):
        """Expected titles found, as a multiset (for precision and recall)."""
        remaining = list(self.found)
        hits = 0
        for title in self.expected:
            if title in remaining:
                remaining.remove(title)
                hits += 1
        return hits

    @property
    def whole(self):
        return not self.error and self.found == self.expected and not self.missing_phrases and not self.leaked

    def text(self):
        status = "whole" if self.whole else "NOT whole"
        lines = [f"{self.name}: {status}, {len(self.found)} sections found, {len(self.expected)} expected"]
        if self.error:
            lines.append(f"  error: {self.error}")
        if self.found != self.expected:
            for title in self.expected:
                lines.append(f"  {'  ' if title in self.found else '- '}{title}")
            for title in self.found:
                if title not in self.expected:
                    lines.append(f"  + {title}")
        for section, phrase in self.missing_phrases:
            lines.append(f"  phrase not in '{section}': {phrase!r}")
        for title in self.false_sections:
            lines.append(f"  became a section but must not: {title!r}")
        for phrase in self.leaked:
            lines.append(f"  must appear nowhere but does: {phrase!r}")
        return "\n".join(lines)


def evaluate_document(document_path, expected_path):
    expected = json.loads(Path(expected_path).read_text(encoding="utf-8"))
    result = DocumentResult(Path(document_path).name, [normalise(t) for t in expected["sections"]])
    try:
        parsed = parse_policy(read_document(document_path))
    except PolicyImportError as error:
        result.error = str(error)
        return result
    bodies = {}
    for section in parsed.sections:
        title = normalise(section.display_title)
        result.found.append(title)
        bodies[title] = normalise(section_text(section))
    for section, phrases in expected.get("must_contain", {}).items():
        body = bodies.get(normalise(section), "")
        result.missing_phrases += [(section, p) for p in phrases if normalise(p) not in body]
    for line in expected.get("must_not_be_sections", []):
        entry = normalise(line)
        result.false_sections += [t for t in result.found if t == entry or t.startswith(entry + " ")]
    everything = [normalise(parsed.title), *result.found, *bodies.values()]
    for phrase in expected.get("must_not_contain", []):
        if any(normalise(phrase) in text for text in everything):
            result.leaked.append(phrase)
    return result


@dataclass
class Report:
    documents: list

    @property
    def whole(self):
        return sum(d.whole for d in self.documents)

    @property
    def f1(self):
        matched = sum(d.matched for d in self.documents)
        found = sum(len(d.found) for d in self.documents)
        expected = sum(len(d.expected) for d in self.documents)
        precision = matched / found if found else 0.0
        recall = matched / expected if expected else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def text(self):
        head = f"{self.whole} of {len(self.documents)} documents whole; section F1 {self.f1:.3f}"
        return "\n".join([head, *(d.text() for d in self.documents)])


def evaluate_folder(folder):
    folder = Path(folder)
    results = []
    for expected_path in sorted(folder.glob("*.expected.json")):
        stem = expected_path.name[: -len(".expected.json")]
        documents = [p for p in folder.glob(f"{stem}.*") if not p.name.endswith(".expected.json")]
        if documents:
            results.append(evaluate_document(documents[0], expected_path))
    return Report(results)
