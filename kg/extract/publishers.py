"""Publishers: the outlets that published or supplied the article.

From the article's metadata (来源, 文章来源, front matter, read by articles.py)
and from outlet titles in the text (《苏州日报》关注…).
"""
from __future__ import annotations

import re

from ..model import Article, Mention
from .policies import is_outlet

_BOOK_RE = re.compile(r"《([^《》\n]{2,20})》")


def find_publishers(article: Article) -> list[Mention]:
    out = [Mention("Publisher", p, -1, -1, name=p, attrs={"metadata": True}) for p in article.publishers]
    for m in _BOOK_RE.finditer(article.text):
        if is_outlet(m.group(1)):
            out.append(Mention("Publisher", m.group(1), m.start(1), m.end(1), name=m.group(1)))
    return out
