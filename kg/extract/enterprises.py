"""Enterprises: companies by their full legal name or a short name.

1. Legal-name suffixes: …有限公司, …股份有限公司, …集团, …公司 (orgnames.py
   finds where the name starts).
2. Enumerations closed by a counter: 锐奇控股、曼恒数字、申新电气等6家… and
   恒力等6家企业: the listed items are companies.
3. A place, a brand and an industry word: 甘肃传祁乳业.
4. Short forms of a legal name found above: the name less its leading places,
   legal suffix and generic words (成都博润光电科技有限公司 -> 博润光电科技, 博润光电),
   where the article uses them later (博润光电人力资源总监…): the same company.
A company's place is a district named inside its name (苏州合兴食品有限公司,
悦榕庄(苏州)…): resolve.py turns it into locatedIn, from the first place in
`places`, which is the most specific one (杭州富阳永兴纸业… sits in 富阳区, not
just in 杭州市).
"""
from __future__ import annotations

import re

from ..model import Article, Mention
from ..segment import tagged
from .orgnames import cut_at_place, name_before

LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "集团", "公司")
_LEGAL_RE = re.compile("|".join(LEGAL_SUFFIXES))
LEGAL_ENDS = ("公司", "集团")
# Industry words that end a company's short name (乳业, 化工 …): general vocabulary.
INDUSTRY = ("乳业", "化工", "电气", "数字", "科技", "电子", "食品", "医药", "药业", "物流", "机械",
            "纺织", "服饰", "建材", "能源", "汽车", "传媒", "网络", "软件", "生物", "环保", "牧业",
            "餐饮", "酒店", "银行", "置业", "商贸", "贸易", "控股", "股份", "实业", "制造", "钢铁",
            "水泥", "光电", "智能", "新材料", "农牧", "集团")
_ENUM_RE = re.compile(r"((?:[\u4e00-\u9fffA-Za-z0-9]{2,10}、){0,8}[\u4e00-\u9fffA-Za-z0-9]{2,12})等"
                      r"(?:\d+|[一二三四五六七八九十百]+)(?:家|个)(?=[\u4e00-\u9fff]{0,8}(?:企业|公司|基地|单位|集团))")
_NOT_NAMED = ("某", "该", "本", "这", "各", "一家", "此")
_INDUSTRY_RE = re.compile("(" + "|".join(INDUSTRY) + ")")
# Generic words between a brand and the legal suffix (…光电科技有限公司, …股份有限公司).
_GENERIC_TAIL = ("科技", "股份", "实业", "发展", "有限", "集团", "控股")
# A name that goes on to a school's suffix is the school's (河南工业贸易职业学院).
_SCHOOL_AFTER = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:大学|学院|学校|研究院|研究所)")
_LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "zone": 3, "town": 3, "village": 4}


def _short_forms(text: str, legal: list[tuple[int, int, str]], places: list[Mention]) -> list[tuple[int, int, str, str]]:
    """(start, end, short form, legal name) for later uses of a legal name's short form."""
    out = []
    for start, end, name in legal:
        if not name.endswith("公司"):
            continue
        core, pos = name, start
        for p in sorted(places, key=lambda p: p.start):      # leading places: 杭州 + 富阳
            if p.start == pos and p.end <= end:
                core, pos = core[p.end - p.start:], p.end
        core = re.sub("(?:" + "|".join(LEGAL_SUFFIXES) + ")$", "", core)
        forms = [core]
        while core.endswith(_GENERIC_TAIL):
            core = next(core[: -len(t)] for t in _GENERIC_TAIL if core.endswith(t))
            forms.append(core)
        for form in forms:
            if len(form) < 4 or form == name:
                continue                      # 2-3 characters alone are too easily a word
            for m in re.finditer(re.escape(form), text):
                if not text.startswith(("有限", "公司", "股份", "集团"), m.end()):
                    out.append((m.start(), m.end(), form, name))
    return out


def _enumerated(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _ENUM_RE.finditer(text):
        items = m.group(1).split("、")
        pos = m.start(1)
        for k, item in enumerate(items):
            start = pos
            pos += len(item) + 1
            if k == 0:                      # the first item may carry a verb: 推进恒力
                found = name_before(text, start + len(item), 0, max_len=len(item))
                if not found:
                    continue
                start, item = found
            if 2 <= len(item) <= 8:
                out.append((start, start + len(item), item))
    return out


def find_enterprises(article: Article, places: list[Mention]) -> list[Mention]:
    text = article.text
    found: list[tuple[int, int, str]] = []
    for m in _LEGAL_RE.finditer(text):
        if text.startswith("公司", m.end()) or (m.group() == "集团" and text[m.end():m.end() + 2] in ("公司", "有限")):
            continue
        got = name_before(text, m.end(), len(m.group()))
        if not got:
            continue
        start, name = got
        if text[max(0, start - 2):start].endswith(_NOT_NAMED):
            continue
        start, name = cut_at_place(text, start, name, places)
        found.append((start, m.end(), name))
    found += _enumerated(text)
    for p in places:                       # 甘肃 + 传祁 + 乳业
        m = re.compile(r"[\u4e00-\u9fff]{2,4}?(" + "|".join(INDUSTRY) + ")").match(text, p.end)
        if m and p.attrs.get("level") in ("province", "city", "county") and not text.startswith(("公司", "有限"), m.end()) \
                and not _SCHOOL_AFTER.match(text, m.end()):
            found.append((p.start, m.end(), text[p.start:m.end()]))
    mentions, seen = [], []
    for start, end, name in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if any(s < end and start < e for s, e in seen):
            continue
        seen.append((start, end))
        inside = [p for p in places if p.start >= start and p.end <= end]
        inside.sort(key=lambda p: -_LEVEL_RANK.get(p.attrs.get("level"), 0))   # most specific first
        mentions.append(Mention("Enterprise", name, start, end, name=name,
                                attrs={"aliases": {name}, "places": inside}))
    legal = {m.name: m for m in mentions}
    for start, end, form, name in _short_forms(text, [(m.start, m.end, m.name) for m in mentions], places):
        if any(s < end and start < e for s, e in seen):
            continue
        seen.append((start, end))
        # named and placed like the legal name, so that it resolves to the same company
        mentions.append(Mention("Enterprise", form, start, end, name=name,
                                attrs={"aliases": {form}, "places": legal[name].attrs["places"],
                                       "short_form": True}))
    mentions.sort(key=lambda m: m.start)
    return mentions


def company_core(name: str, places: list[Mention]) -> str | None:
    """The short name inside a full legal name: the words between the place and
    the industry word (苏州合兴食品有限公司 -> 合兴, 悦榕庄(苏州)餐饮管理有限公司 -> 悦榕庄).
    None when nothing specific is left (苏州市食品公司)."""
    core = name
    for p in sorted(places, key=lambda p: -len(p.text)):
        core = core.replace(p.text, "", 1) if core.startswith(p.text) else core
    core = re.sub(r"[(（][^()（）]*[)）]", "", core)
    core = re.sub("(" + "|".join(LEGAL_SUFFIXES) + ")$", "", core)
    # trailing words that say what the company does (食品, 饮料, 餐饮管理) are not its name
    words = tagged(core)
    while len(words) > 1 and (words[-1][0] in INDUSTRY or words[-1][1] in ("n", "vn", "nz", "v", "j")) \
            and len("".join(w for w, _ in words[:-1])) >= 2:
        words.pop()
    core = "".join(w for w, _ in words)
    return core if 2 <= len(core) <= 6 and (core != name or not name.endswith(LEGAL_ENDS)) else None
