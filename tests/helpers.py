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


# A short plain-text news item in the shape scraped from a county site (the
# reader and robustness tests re-encode and mangle it).
SONGJIANG_ARTICLE = """松江区举办春风行动专场招聘会
2023年02月10日09:30
来源：松江报
2月9日，松江区人社局在新桥镇举办春风行动专场招聘会，一百二十家企业提供岗位三千余个。
现场求职者络绎不绝！许多高校毕业生表示，这次招聘会岗位多、待遇好。
（责编：王晓明、李华）
"""
