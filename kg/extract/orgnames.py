"""Where an organisation's name starts: shared by enterprises and institutions.

Names are found from their suffix (有限公司, 学院) backwards. The name starts
after the last word that cannot be part of it: a verb, preposition, adverb,
pronoun, particle or conjunction (jieba's tags v p d r u c …), or punctuation.
POS tagging runs on the short stretch before the suffix only.
"""
from __future__ import annotations

import re

from ..segment import tagged

_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()（）·&]+$")
# Tags of words a name cannot contain (but vn/n/ns/nr/nz/j … may be in names).
_BREAK_TAGS = ("v", "p", "d", "r", "u", "c", "y", "e", "o", "t", "f", "m", "q", "zg", "ul", "uj", "ud")
_FUNCTION_CHARS = set("在于到与和及等为是向对从把被将就也都还了的让使给帮由某该本这此各每")
_KEEP_VERBS = {"管理", "服务", "发展", "建设", "咨询", "培训", "投资", "开发", "经营", "设计", "制造", "控股",
               "科技", "教育", "职业", "技术"}


def name_before(text: str, end: int, suffix_len: int, max_len: int = 20) -> tuple[int, str] | None:
    """(start, name) of the organisation whose suffix ends at `end`, or None."""
    suffix_start = end - suffix_len
    lo = max(0, suffix_start - max_len)
    m = _NAME_CHARS.search(text, lo, suffix_start)
    if not m or m.end() != suffix_start:
        return None
    stretch = text[m.start():suffix_start]
    start = m.start()
    pos = 0
    for word, tag in tagged(stretch):
        pos += len(word)
        if word in _KEEP_VERBS:
            continue
        if len(word) == 1 and word not in _FUNCTION_CHARS:
            continue                      # an unknown name falls apart into characters: 威/视
        if tag.startswith("m") and not re.search(r"\d", word):
            continue                      # 三益化工: a numeral character inside a name
        if tag.startswith(_BREAK_TAGS) and tag not in ("vn", "nr", "ns", "nz", "nt"):
            start = m.start() + pos
    name = text[start:end]
    name = name.lstrip("()（）")
    start = end - len(name)
    if len(name) - suffix_len < 2:
        return None
    return start, name


def cut_at_place(text: str, start: int, name: str, places) -> tuple[int, str]:
    """A name that runs over a place starts at that place: the words before it
    belong to the sentence (……服务月苏州信息职业技术学院 -> 苏州信息职业技术学院).
    A place in brackets (悦榕庄(苏州)…) is part of the name and does not cut, nor
    does a place that continues a run of places the name starts with: legal names
    stack their places, province or city first (杭州富阳永兴纸业有限公司)."""
    end = start + len(name)
    ends = {p.end for p in places if start <= p.start < end}
    for p in places:
        if start < p.start < end and p.attrs.get("level") in ("province", "city", "county") \
                and text[p.start - 1] not in "(（" and p.start not in ends:
            return p.start, text[p.start:end]
    return start, name
