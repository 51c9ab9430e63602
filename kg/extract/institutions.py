"""Institutions: universities, colleges, schools, training schools, research bodies.

A name ends in an institution suffix (大学, 职业技术学院, 职业培训学校, 研究院 …)
and starts where orgnames.py says. Generic nouns (高校, 院校) have no suffix
here, and 大学生 is not 大学.
"""
from __future__ import annotations

import re

from ..model import Article, Mention
from .orgnames import cut_at_place, name_before

SUFFIXES = ("职业技术学院", "职业学院", "技师学院", "技工学校", "职业培训学校", "培训学校", "职业学校",
            "大学", "学院", "学校", "中学", "小学", "研究院", "研究所", "研究中心", "党校", "幼儿园")
_RE = re.compile("|".join(SUFFIXES))
_GENERIC = {"高校", "院校", "高职院校", "大学", "学校", "学院"}


def find_institutions(article: Article, places: list[Mention]) -> list[Mention]:
    text = article.text
    out: list[Mention] = []
    for m in _RE.finditer(text):
        if text[m.end():m.end() + 1] in ("生", "城"):      # 大学生, 大学城
            continue
        got = name_before(text, m.end(), len(m.group()))
        if not got:
            continue
        start, name = got
        if name in _GENERIC or any(x.start < m.end() and start < x.end for x in out):
            continue
        start, name = cut_at_place(text, start, name, places)
        inside = [p for p in places if p.start >= start and p.end <= m.end()]
        out.append(Mention("Institution", name, start, m.end(), name=name,
                           attrs={"aliases": {name}, "places": inside}))
    return out
