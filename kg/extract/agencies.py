"""Agencies: government and party bodies, public employment services, mass organisations.

The grammar of a Chinese body's name is place + body (+ sub-unit):
吴江区 + 人社局, 新桥镇 + 社区事务受理服务中心, 人力资源和社会保障部 + 办公厅.
Three ways a body is named, in order of trust:
1. after a place the district extractor found: 麻城市人社局, 汾湖组织人社局;
2. after a bare level word (区人社局, 县就业服务中心, 本区人社局): the body of
   the article's own district at that level (context-bound: never an alias);
3. a national ministry (人力资源和社会保障部, 教育部) with an optional sub-unit.
Full and short forms of a body (人力资源和社会保障局 / 人社局 / 人社部门) are
one body: BODIES maps each surface to its canonical form.
"""
from __future__ import annotations

import re

from ..model import Article, Mention
from ..segment import tagged
from .districts import DistrictFinder, Place

# canonical body -> other surfaces (general naming practice of Chinese bodies)
BODIES: dict[str, tuple[str, ...]] = {
    # 人力社保局 is the official short form in Zhejiang and elsewhere
    "人力资源和社会保障局": ("人力资源社会保障局", "人社局", "人社部门", "人力资源和社会保障部门", "人社",
                           "人力社保局", "人力社保部门"),
    "人力资源和社会保障厅": ("人力资源社会保障厅", "人社厅"),
    "组织人社局": ("组织人事局",),
    "就业服务中心": ("公共就业服务中心", "就业服务管理中心"),
    "劳动就业服务中心": ("劳动就业管理中心",),
    "就业促进中心": (),
    "就业服务局": ("就业局", "就业管理局"),
    "人才服务中心": ("人才交流中心",),
    "人力资源服务中心": (),
    "社区事务受理服务中心": (),
    "社会保险事业管理中心": ("社保中心", "社会保险中心"),
    "社会保险事业管理局": ("社保局",),
    "劳动保障监察大队": ("劳动监察大队",),
    "劳动人事争议仲裁院": ("劳动人事争议仲裁委员会", "仲裁院"),
    "医疗保障局": ("医保局",),
    "民政局": (), "财政局": (), "教育局": (), "商务局": (), "统计局": (), "税务局": (),
    "公安局": (), "司法局": (), "审计局": (), "农业农村局": ("农业局",), "乡村振兴局": (),
    "退役军人事务局": ("退役军人局",), "市场监督管理局": ("市场监管局",),
    "发展和改革委员会": ("发展改革委", "发改委"), "经济和信息化局": ("经信局", "工信局"),
    "科学技术局": ("科技局",), "住房和城乡建设局": ("住建局",), "卫生健康委员会": ("卫健委",),
    "文化和旅游局": ("文旅局",), "交通运输局": ("交通局",), "应急管理局": (),
    "社会事业局": (), "经济发展局": (), "妇女联合会": ("妇联",), "残疾人联合会": ("残联",),
    "总工会": (), "工商业联合会": ("工商联",), "团委": ("共青团委员会",),
    "人民政府": ("政府",), "委": (), "党委": (), "党工委": (), "管理委员会": ("管委会",),
    "街道办事处": ("街道办",), "办事处": (), "组织部": (), "宣传部": (), "统战部": (),
    "政法委": (), "纪委": ("纪律检查委员会",), "人大常委会": (), "政协": (),
}
SURFACE_TO_BODY = {s: canon for canon, alts in BODIES.items() for s in (canon, *alts)}
# 人社 alone is a body only before 部门-like words; it is listed so that
# 吴江人社部门 parses, and guarded in _body_at.
_SHORTEST = {"人社", "委", "政府"}
_BODY_RE = re.compile("|".join(sorted(map(re.escape, SURFACE_TO_BODY), key=len, reverse=True)))

# National ministries and their canonical names (the State Council's bodies).
NATIONAL: dict[str, tuple[str, ...]] = {
    "人力资源和社会保障部": ("人力资源社会保障部", "人社部"),
    "教育部": (), "财政部": (), "民政部": (), "商务部": (), "农业农村部": (),
    "退役军人事务部": (), "国家发展和改革委员会": ("国家发展改革委", "国家发改委"),
    "国务院": (), "国务院办公厅": (), "国家乡村振兴局": (), "中华全国总工会": ("全国总工会",),
    "共青团中央": ("团中央",), "中国残疾人联合会": ("中国残联",), "全国妇联": (),
}
NATIONAL_SURFACE = {s: canon for canon, alts in NATIONAL.items() for s in (canon, *alts)}
_NATIONAL_RE = re.compile("|".join(sorted(map(re.escape, NATIONAL_SURFACE), key=len, reverse=True)))
_SUBUNIT_RE = re.compile(r"办公厅|办公室|[\u4e00-\u9fff]{2,6}司")

# A bare level word before a body: 区人社局 is the article's district's.
_LEVEL_RE = re.compile(r"([本我该全])?(街道|区|县|市|镇|乡|省|州|旗)")
_LEVEL_SUFFIX = {"区": "区", "县": "县", "市": "市", "镇": "镇", "乡": "乡", "省": "省", "州": "州",
                 "旗": "旗", "街道": "街道"}
# What may stand right before a context-bound 区/县/市 …: not part of a word.
_OPENERS = set("，。、；：！？“”‘’（）()《》「」,.;:!? \n\t由和与及经在对向是为等各将的并从同把被于就也都还")
# Bodies that only a committee-level place word can carry directly (松江区 + 委).
_LEVEL_ONLY = {"委", "党委", "党工委", "人民政府"}


# The open class: domain words + a unit suffix (就业管理服务中心, 劳动保障监察支队).
_GENERIC_BODY_RE = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:服务中心|管理中心|中心|局|办公室|委员会|服务站|工作站|"
                              r"大队|支队|服务所|管理所)")
_DOMAIN_VERBS = {"就业", "管理", "服务", "保障", "促进", "发展", "监察", "受理", "培训", "创业", "指导", "援助",
                 "交流", "招聘", "仲裁", "救助", "监督", "执法", "调解"}


def _generic_body(text: str, pos: int) -> str | None:
    """A body name the table does not list, if every word of it is a noun or a domain verb."""
    m = _GENERIC_BODY_RE.match(text, pos)
    if not m:
        return None
    words = tagged(m.group())
    if len(words) < 2 or len(words[0][0]) < 2:
        return None                       # 县 + 城中心(广场): a body's name starts with a word of its field
    for word, tag in words:
        if tag[0] in "vdpcurmqy" and word not in _DOMAIN_VERBS and tag != "vn":
            return None
    return m.group()


def _body_at(text: str, pos: int) -> tuple[str, str] | None:
    """(surface, canonical body) starting at text[pos], or None."""
    m = _BODY_RE.match(text, pos)
    if not m:
        generic = _generic_body(text, pos)
        return (generic, generic) if generic else None
    surface = m.group()
    if surface == "人社" and not text.startswith("部门", m.end()):
        # 人社 + 部门 is in the table; bare 人社 only in lists such as 三地人社
        return None
    if surface == "委" and text[m.end():m.end() + 1] in set("员托屈派任婉"):
        return None                      # 委员会 / 委托 … are other words
    return surface, SURFACE_TO_BODY[surface]


def _place_for_level(finder: DistrictFinder, level_word: str) -> Place | None:
    suffix = _LEVEL_SUFFIX[level_word]
    if level_word == "省":
        return finder.home_district("province")
    return finder.home_district(suffix=suffix)


class AgencyFinder:
    def __init__(self, article: Article, districts: DistrictFinder):
        self.article = article
        self.text = article.text
        self.districts = districts
        self.mentions: list[Mention] = []

    def run(self) -> list[Mention]:
        self._after_places()
        self._after_level_words()
        self._national()
        self.mentions.sort(key=lambda m: m.start)
        return self.mentions

    def _taken(self, start: int, end: int) -> bool:
        return any(m.start < end and start < m.end for m in self.mentions)

    def _add(self, place: Place | None, body: str, surface_start: int, end: int,
             context_bound: bool, place_surface: str = "") -> None:
        if self._taken(surface_start, end):
            return
        surface = self.text[surface_start:end]
        anchor = place.key if place else "CN"
        key = f"Agency|{anchor}|{body}"
        if place is not None:
            pname = place.name
            if body == "委":
                name = pname + "委"
            elif body == "人民政府":
                name = pname + "政府"
            else:
                name = pname + body
        else:
            name = surface
        aliases = set()
        if place is not None and body not in ("委",):
            aliases.add(place.name + body)
            for alt in BODIES.get(body, ()):
                if alt not in ("人社", "人社部门", "政府"):
                    aliases.add(place.name + alt)
            if body == "人民政府":
                aliases.add(place.name + "人民政府")
        if not context_bound:
            aliases.add(surface)
        self.mentions.append(Mention(
            "Agency", surface, surface_start, end, name=name,
            attrs={"key": key, "place": place, "body": body, "aliases": aliases,
                   "context_bound": context_bound}))

    def _after_places(self) -> None:
        dm = self.districts.mentions
        for i, m in enumerate(dm):
            hit = _body_at(self.text, m.end)
            if hit is None:
                continue
            surface, body = hit
            if i + 1 < len(dm) and dm[i + 1].start < m.end + len(surface):
                continue                  # 上海 + 长宁区人社局: the body belongs to the next place
            place = m.attrs["place"]
            if body in _LEVEL_ONLY and not m.text.endswith(("区", "县", "市", "镇", "乡", "省", "州", "旗")) \
                    and body != "人民政府":
                continue
            start = m.start
            # 上海长宁区人社局: an enclosing place right before belongs to the name
            j = i - 1
            while j >= 0 and dm[j].end == start:
                start = dm[j].start
                j -= 1
            self._add(place, body, start, m.end + len(surface), context_bound=False)

    def _after_level_words(self) -> None:
        for m in _LEVEL_RE.finditer(self.text):
            hit = _body_at(self.text, m.end())
            if hit is None:
                continue
            before = self.text[m.start() - 1] if m.start() > 0 else "\n"
            if not m.group(1) and before not in _OPENERS:
                continue
            place = _place_for_level(self.districts, m.group(2))
            if place is None:
                continue
            surface, body = hit
            self._add(place, body, m.start(), m.end() + len(surface), context_bound=True)

    def _national(self) -> None:
        for m in _NATIONAL_RE.finditer(self.text):
            canon = NATIONAL_SURFACE[m.group()]
            end = m.end()
            if self.text[end:end + 1] == "门":
                continue                 # 人社部门 is a local department
            sub = _SUBUNIT_RE.match(self.text, end)
            name = canon
            if sub and sub.group() in ("办公厅", "办公室"):
                name, end = canon + sub.group(), sub.end()
            if self._taken(m.start(), end):
                continue
            self.mentions.append(Mention(
                "Agency", self.text[m.start():end], m.start(), end, name=name,
                attrs={"key": f"Agency|CN|{name}", "place": None, "body": name,
                       "aliases": {self.text[m.start():end]}, "context_bound": False}))


def find_agencies(article: Article, districts: DistrictFinder) -> list[Mention]:
    return AgencyFinder(article, districts).run()
