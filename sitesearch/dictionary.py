"""Real English words, so that spelling correction never rewrites one ("scrolling" is not a typo of "trolling").

The list is pyspellchecker's English word-frequency dictionary (MIT; 160,000 words with their inflections,
read from the package, nothing downloaded). Loaded once per process, on first use (about 0.2 s).
"""

from functools import cache

from spellchecker import SpellChecker


@cache
def english_words():
    return frozenset(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def is_english(word):
    return word in english_words()
