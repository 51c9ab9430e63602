"""Small builders shared by the tests: an Article from a plain string."""
from __future__ import annotations

import hashlib
import re

from kg.model import Article, Sentence


def make_article(text: str, source_file: str = "test.txt", **meta) -> Article:
    """An Article whose paragraphs are the lines of `text` (sentences split on 。！？；)."""
    paras = [p for p in text.split("\n")]
    full = "\n".join(paras)
    spans, sentences, pos = [], [], 0
    for i, p in enumerate(paras):
        spans.append((pos, pos + len(p)))
        for m in re.finditer(r"[^。！？；]+[。！？；]?", p):
            sentences.append(Sentence(m.group(), pos + m.start(), pos + m.end(), i))
        pos += len(p) + 1
    return Article(source_file=source_file, path=source_file, text=full, paragraphs=spans,
                   sentences=sentences, content_hash=hashlib.sha256(full.encode()).hexdigest(), **meta)
