"""BERT's uncased WordPiece tokenizer, in plain Python: text -> the token ids the embedding model was trained on.

The rules are BERT's own (clean, split on spaces and punctuation, lower case, strip accents, then the longest
vocabulary piece first, "##" for pieces inside a word). The vocabulary comes from a package (see
`search.embeddings`); this file only applies it. Checked token-for-token against Hugging Face's `tokenizers`
on the demo content and the development sets when it was written (see docs/search.md).
A query is a few words, so a small cache per word is all the speed it needs.
"""

import unicodedata
from functools import lru_cache

MAX_WORD_CHARS = 100  # BERT's limit: a longer "word" is one unknown token


def _is_punctuation(char):
    code = ord(char)
    # BERT treats every non-letter, non-digit ASCII character as punctuation ("$", "^", "`" included).
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code):
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _basic_words(text):
    """Clean, space out CJK characters, lower case, strip accents and split off punctuation."""
    cleaned = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD or (unicodedata.category(char).startswith("C") and char not in "\t\n\r"):
            continue
        if char in "\t\n\r" or unicodedata.category(char) == "Zs":
            cleaned.append(" ")
        elif _is_cjk(code):
            cleaned.append(f" {char} ")
        else:
            cleaned.append(char)
    out = []
    for word in "".join(cleaned).lower().split():
        word = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
        piece = []
        for char in word:
            if _is_punctuation(char):
                if piece:
                    out.append("".join(piece))
                    piece = []
                out.append(char)
            else:
                piece.append(char)
        if piece:
            out.append("".join(piece))
    return out


class WordPiece:
    def __init__(self, vocab_lines):
        self.vocab = {token: index for index, token in enumerate(line.rstrip("\n") for line in vocab_lines)}
        self.unknown = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self._word_ids = lru_cache(maxsize=50_000)(self._word_ids_uncached)

    def _word_ids_uncached(self, word):
        if len(word) > MAX_WORD_CHARS:
            return (self.unknown,)
        ids, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    ids.append(self.vocab[piece])
                    break
                end -= 1
            else:
                return (self.unknown,)  # BERT: a word with any unknown piece is one unknown token
            start = end
        return tuple(ids)

    def encode(self, text, max_tokens):
        """[CLS] + the pieces of the text (cut to fit) + [SEP]."""
        ids = [self.cls]
        for word in _basic_words(text):
            ids.extend(self._word_ids(word))
            if len(ids) >= max_tokens - 1:
                break
        return ids[: max_tokens - 1] + [self.sep]
