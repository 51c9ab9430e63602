"""Policies: named policy documents (《…办法》) and quoted policy bundles.

A title in 《》 is a policy document unless it names a newspaper or outlet
(《苏州日报》: publishers.py). Quoted cores with a policy head
(“…”惠民政策合集) come from names.py via programs.find_quoted_names.
"""
from __future__ import annotations

import re

from ..model import Article, Mention
from .names import strip_quotes

_BOOK_RE = re.compile(r"《([^《》\n]{2,60})》")
OUTLET_END = ("日报", "晚报", "早报", "报", "杂志", "周刊", "频道", "网", "客户端", "电视台", "广播电台")


def is_outlet(title: str) -> bool:
    return title.endswith(OUTLET_END)


def find_policies(article: Article, quoted: list[Mention]) -> list[Mention]:
    out = [m for m in quoted if m.type == "Policy"]
    for m in _BOOK_RE.finditer(article.text):
        title = strip_quotes(m.group(1)).strip()
        if is_outlet(title):
            continue
        out.append(Mention("Policy", m.group(), m.start(), m.end(), name=title, attrs={"aliases": {title}}))
    return out
