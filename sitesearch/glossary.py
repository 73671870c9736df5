"""Terms of art of English schools, and how search reads them.

The model does not know "LADO", "PIDA" or "TOIL", and an answer may say "the DSL" where staff type "safeguarding
lead". Each term and its meaning stand in for each other on both sides: a term typed is searched as its meaning
too (its words, and in the sentence the model reads), and its meaning typed finds the term. Applied to the query
only, so it reaches every answer alike, old or new, without embedding anything again.

The list below is general to English schools (statutory guidance, HR and safeguarding vocabulary), written from
that vocabulary, not from any query of a set search is measured on. `setup_site` adds it when the glossary is
empty; after that it is HR's (Search glossary in the admin), and HR adds the school's own.
"""

from dataclasses import dataclass

from core import published
from core.text import WORD, words

from .dictionary import is_english
from .models import GlossaryTerm

DEFAULT_TERMS = [
    # Safeguarding
    ("DSL", "designated safeguarding lead"),
    ("DDSL", "deputy designated safeguarding lead"),
    ("LADO", "local authority designated officer, for allegations against staff"),
    ("KCSIE", "keeping children safe in education, the statutory safeguarding guidance"),
    ("MASH", "multi-agency safeguarding hub, children's social care referrals"),
    ("CP", "child protection"),
    ("CIN", "child in need"),
    ("LAC", "looked after children, in the care of the local authority"),
    ("CLA", "children looked after, in the care of the local authority"),
    ("CSE", "child sexual exploitation"),
    ("CCE", "child criminal exploitation"),
    ("FGM", "female genital mutilation"),
    ("Prevent duty", "the duty to stop people being drawn into terrorism or extremism"),
    ("CAMHS", "child and adolescent mental health services"),
    ("EWO", "education welfare officer, school attendance"),
    ("DBS", "disclosure and barring service, criminal record check"),
    ("SCR", "single central record of staff checks"),
    ("low-level concern", "a worry about an adult's behaviour towards pupils that does not meet the harm threshold"),
    # Whistleblowing, information and data
    ("PIDA", "public interest disclosure act, whistleblowing protection"),
    ("SAR", "subject access request, a request for a copy of someone's personal data"),
    ("DSAR", "data subject access request, a request for a copy of someone's personal data"),
    ("FOI", "freedom of information request"),
    ("GDPR", "data protection law"),
    ("DPO", "data protection officer"),
    ("ICO", "information commissioner's office, the data protection regulator"),
    ("data breach", "personal data lost, stolen or sent to the wrong person"),
    # Staff, pay and time
    ("HR", "human resources, personnel"),
    ("CPD", "continuing professional development, staff training"),
    ("INSET", "in-service training day, staff training day"),
    ("PPA", "planning, preparation and assessment time"),
    ("TOIL", "time off in lieu of extra hours worked"),
    ("TLR", "teaching and learning responsibility payment"),
    ("STPCD", "school teachers' pay and conditions document"),
    ("OH", "occupational health"),
    ("EAP", "employee assistance programme, staff wellbeing support"),
    ("ECT", "early career teacher"),
    ("NQT", "newly qualified teacher, early career teacher"),
    ("ITT", "initial teacher training"),
    ("TA", "teaching assistant"),
    ("HLTA", "higher level teaching assistant"),
    ("LSA", "learning support assistant"),
    ("SLT", "senior leadership team"),
    ("SMT", "senior management team"),
    ("HoD", "head of department"),
    ("HoY", "head of year"),
    ("SBM", "school business manager"),
    # Pupils and provision
    ("SEND", "special educational needs and disabilities"),
    ("SEN", "special educational needs"),
    ("SENCO", "special educational needs coordinator"),
    ("SENDCo", "special educational needs and disabilities coordinator"),
    ("EHCP", "education, health and care plan"),
    ("FSM", "free school meals"),
    ("PP", "pupil premium"),
    ("EAL", "english as an additional language"),
    ("EYFS", "early years foundation stage, nursery and reception"),
    ("PSHE", "personal, social, health and economic education"),
    ("RSE", "relationships and sex education"),
    ("SATs", "national curriculum tests"),
    # Bodies and documents
    ("DfE", "department for education"),
    ("LA", "local authority, the council"),
    ("MAT", "multi-academy trust"),
    ("Ofsted", "the schools inspectorate"),
    ("PTA", "parent teacher association"),
    ("AUP", "acceptable use policy for computers and the internet"),
    ("BYOD", "bring your own device, personal phones and laptops"),
    ("MFA", "multi-factor authentication, two-step sign-in"),
]


@dataclass(frozen=True)
class Entry:
    term: tuple  # the term's words, lower case
    meaning: tuple  # its meaning's words
    core: tuple  # the meaning up to its first comma ("subject access request"), typed in full brings the term
    as_written: tuple  # the term's words as the glossary writes them, for a term that is also a word
    only_as_written: bool  # "SEND", "TOIL", "HoD": an acronym that is also a word is read as one only in capitals


def entries():
    """The glossary, read once per content version (a glossary edit changes it: sitesearch/signals.py)."""

    def read():
        out = []
        for term, meaning in GlossaryTerm.objects.values_list("term", "meaning"):
            term_words, meaning_words = tuple(words(term)), tuple(words(meaning))
            if not term_words or not meaning_words:
                continue
            # An acronym written in capitals that is also an English word ("SEND", "MAT"): "send a photo" is not
            # about special needs. A word HR adds as written ("Bramble", the medical room) is read however typed.
            capitals = sum(c.isupper() for c in term)
            also_a_word = len(term_words) == 1 and capitals >= 2 and is_english(term_words[0])
            core = tuple(words(meaning.split(",")[0]))
            as_written = tuple(WORD.findall(term))
            out.append(Entry(term_words, meaning_words, core, as_written, also_a_word))
        return tuple(out)

    return published.current().derived("search glossary", read)


def _contains(sequence, part, present):
    """Whether the words `part` occur together in `sequence`; `present`, the set of its words, answers "no" at
    once for most of the glossary (a search reads every term)."""
    if not part or part[0] not in present:
        return False
    n = len(part)
    return any(tuple(sequence[i : i + n]) == part for i in range(len(sequence) - n + 1))


def read_as(raw, tokens):
    """(the meanings to read a query by, the phrases that stand in for words of it), for the query as typed
    (`raw`) and its lower-case words (`tokens`): a term typed brings its meaning; its meaning typed out brings
    the term."""
    meanings, phrases = [], []
    present, cased = set(tokens), None
    for entry in entries():
        if entry.only_as_written:
            if cased is None:
                cased = WORD.findall(raw or "")
                cased_present = set(cased)
            typed = _contains(cased, entry.as_written, cased_present)
        else:
            typed = _contains(tokens, entry.term, present)
        if typed:
            meanings.append(" ".join(entry.meaning))
            phrases.append(entry.core or entry.meaning[:6])
        elif len(entry.core) >= 2 and _contains(tokens, entry.core, present):
            phrases.append(entry.term)
    return meanings, phrases


def spelled_out(text):
    """`text` with what its terms of art stand for added at its end ("... tell the DSL. (DSL: designated
    safeguarding lead)"), so an answer that says "the DSL" is close in meaning to "safeguarding lead" too. Used
    when a page is embedded; a term HR adds later reaches a page when it is next published."""
    tokens = words(text)
    if not tokens:
        return text
    present, cased = set(tokens), None
    found = []
    for entry in entries():
        if entry.only_as_written:
            if cased is None:
                cased = WORD.findall(text)
                cased_present = set(cased)
            typed = _contains(cased, entry.as_written, cased_present)
        else:
            typed = _contains(tokens, entry.term, present)
        if typed:
            found.append(
                f"{' '.join(entry.term).upper() if entry.only_as_written else ' '.join(entry.term)}: "
                f"{' '.join(entry.meaning)}"
            )
    return f"{text} ({'; '.join(found)})" if found else text
