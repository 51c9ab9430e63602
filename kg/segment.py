"""The segmenter, behind one small adapter (jieba today).

Extractors ask for words or for (word, tag) pairs through these functions and
never import jieba themselves, so another segmenter can be plugged in here.
POS tagging is about ten times slower than segmentation: call `tagged` on
short spans only (a candidate name's left context), never on whole articles.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _jieba():
    import jieba
    import jieba.posseg
    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba, jieba.posseg


def words(text: str) -> list[str]:
    """Words of `text` (jieba's precise mode, no HMM guessing of new words)."""
    jieba, _ = _jieba()
    return jieba.lcut(text, HMM=False)


def tagged(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech tag) pairs, jieba's ICTCLAS-style tags."""
    _, posseg = _jieba()
    return [(p.word, p.flag) for p in posseg.lcut(text, HMM=False)]


def word_tag(word: str) -> str | None:
    """The dictionary tag of one word, or None when jieba does not know it."""
    _, posseg = _jieba()
    return posseg.dt.word_tag_tab.get(word)
