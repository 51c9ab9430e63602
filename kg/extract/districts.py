"""Districts: administrative divisions at every level, and development zones.

1. The gazetteer's automaton finds official names (松江区, 新桥镇) and the
   short names of provinces, cities and counties (松江, 上海).
2. A name that several divisions share (新桥镇, 长宁) is resolved by the
   article's other places: the candidate whose ancestors or descendants the
   article also names wins. When nothing decides, a full name is kept
   unresolved (flagged `ambiguous`) and a short one is dropped.
3. A short name that is also a surname or an ordinary word (吴江, 惠民 are
   tagged nr by jieba) counts only when the article backs it up.
4. Once a town or zone is known, its bare core (新桥 for 新桥镇) is an alias.
5. Villages are looked for only inside the towns the article names.
6. Development zones follow their grammar: place + 经济技术开发区 / 高新区 /
   工业园区 …; a bare 经开区 is the article's own district's zone.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..gazetteer import Division, gazetteer, is_weak_short
from ..model import Article, Mention
from ..segment import tagged, words

# Zone suffixes: full form -> short form (and back), general naming practice.
ZONE_FORMS = {
    "高新技术产业开发区": "高新区",
    "经济技术开发区": "经开区",
    "经济开发区": "经开区",
    "工业园区": "工业园区",
    "产业园区": "产业园区",
    "综合保税区": "综保区",
    "自由贸易试验区": "自贸区",
}
ZONE_SHORT_TO_FULL = {"高新区": "高新技术产业开发区", "经开区": "经济技术开发区", "综保区": "综合保税区",
                      "自贸区": "自由贸易试验区"}
_ZONE_SUFFIXES = sorted(set(ZONE_FORMS) | set(ZONE_SHORT_TO_FULL) | {"开发区"}, key=len, reverse=True)
ZONE_RE = re.compile("(?:" + "|".join(_ZONE_SUFFIXES) + ")")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Characters that end a phrase before a name: 是, 在, 的, 和 …
_FUNCTION_CHARS = set("是在的和与及了等为到赴至从向由对把被将于就也都还")
_LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "zone": 3, "town": 3, "village": 4}


@dataclass
class Place:
    """A resolved (or knowingly unresolved) place the article names."""
    name: str
    level: str
    key: str
    division: Division | None = None
    parent_key: str | None = None
    ambiguous: bool = False


def _score(cand: Division, named: set[str]) -> int:
    """How many of the candidate's ancestors and children the article names."""
    score = 0
    for a in cand.ancestors():
        if a.name in named or (a.short and a.short in named):
            score += 2
    for c in cand.children:
        if isinstance(c, Division) and (c.name in named or (c.short and c.short in named)):
            score += 1
    return score


def _resolve(surface: str, named: set[str], listed: bool = False) -> tuple[Division | None, bool]:
    """(division, ambiguous) for one surface form, given all names in the article.

    `listed`: the surface stands in a list with places already accepted
    (北京、上海、大连等城市), which backs a short name that is also a word."""
    g = gazetteer()
    full = g.by_name.get(surface, [])
    short = g.by_short.get(surface, [])
    cands = full + [c for c in short if c not in full]
    if not cands:
        return None, False
    scored = sorted(((_score(c, named), -_LEVEL_RANK[c.level], c) for c in cands),
                    key=lambda x: (x[0], x[1]), reverse=True)
    best, runner = scored[0], scored[1] if len(scored) > 1 else None
    if runner is None or best[0] > runner[0]:
        d = best[2]
        if surface not in g.by_name and best[0] == 0 and d.name not in named and not listed \
                and (is_weak_short(surface) or not g.is_place_word(surface)):
            return None, False     # a weak short name with nothing to back it
        return d, False
    if best[0] == runner[0] and best[1] > runner[1] and best[0] > 0:
        return best[2], False      # 朝阳市 over its 朝阳区 when context ties
    return None, surface in g.by_name


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Is text[start:end] a word of its own (not inside 真金白银)?"""
    lo = max(0, start - 4)
    window = text[lo:end + 4]
    bounds, pos = {0}, 0
    for w in words(window):
        pos += len(w)
        bounds.add(pos)
    return (start - lo) in bounds and (end - lo) in bounds


def _given_name_of_speaker(text: str, start: int, end: int) -> bool:
    """A short place name between a surname and a speech verb is a given name
    (李卫东介绍, 于长海说): a county's short form does not speak."""
    from .people import SPEECH, SURNAMES
    return start > 0 and text[start - 1] in SURNAMES and text.startswith(SPEECH, end)


def _ambiguous_place(name: str) -> Place:
    return Place(name, "county" if name[-1] in "区县市旗" else "town", f"District|?|{name}", ambiguous=True)


def _place_of(d: Division) -> Place:
    return Place(d.name, d.level, d.key, d, d.parent.key if d.parent else None)


def _core(name: str) -> str:
    """新桥镇 -> 新桥, 梁家墩街道 -> 梁家墩, 汾湖高新区 -> 汾湖."""
    for suffix in ("街道", "镇", "乡", "苏木", *_ZONE_SUFFIXES):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _zone_prefix(text: str, start: int, district_hits: dict[int, tuple]) -> tuple[str, int] | None:
    """The place word right before a zone suffix, or None for a bare zone."""
    if start in district_hits:                     # 松江 + 经济技术开发区
        s, e, w = district_hits[start]
        return w, s
    window = text[max(0, start - 6):start]
    if not window or not _HAN.match(window[-1]):
        return None
    words = tagged(window)
    if not words:
        return None
    word, tag = words[-1]
    if len(word) >= 2 and tag in ("ns", "nr", "nz", "nt") and _HAN.match(word[0]):
        return word, start - len(word)
    # a name jieba does not know falls apart into single characters: 是/汾/湖
    run = ""
    for w, t in reversed(words):
        if len(w) != 1 or not _HAN.match(w) or w in _FUNCTION_CHARS:
            break
        run = w + run
    if len(run) >= 2:
        return run, start - len(run)
    return None


class DistrictFinder:
    """Finds the places an article names and resolves each to one division."""

    def __init__(self, article: Article):
        self.article = article
        self.text = article.text
        self.places: dict[str, Place] = {}
        self.mentions: list[Mention] = []

    def run(self) -> list[Mention]:
        g = gazetteer()
        hits = g.find(self.text)
        named = {w for _, _, w in hits}
        deferred = []
        for s, e, w in hits:
            tail = 1 if w not in g.by_name and self.text[e:e + 1] in "州市区县盟" else 0
            if w not in g.by_name and not _stands_alone(self.text, s, e + tail):
                continue               # 白银 inside 真金白银
            if w[-1] in "镇乡" and self.text[e:e + 1] in ("镇", "乡"):
                continue               # 苏木乡 in 苏木乡镇: the word 乡镇 (townships), not a town
            if w not in g.by_name and _given_name_of_speaker(self.text, s, e):
                continue               # 卫东 in 局长李卫东介绍: a place does not speak
            d, ambiguous = _resolve(w, named)
            if d is not None and w not in g.by_name and self.text[e:e + 1] == "州" \
                    and d.name.endswith("州"):
                e += 1                 # 西双版纳 + 州
            if d is not None:
                self._add(_place_of(d), s, e)
            elif ambiguous:
                self._add(_ambiguous_place(w), s, e)
            elif w not in g.by_name:
                deferred.append((s, e, w))
        for s, e, w in deferred:       # a weak short name listed among accepted places
            if self._listed_with_places(s, e):
                d, _ = _resolve(w, named, listed=True)
                if d is not None:
                    self._add(_place_of(d), s, e)
        self._zones({e: (s, e, w) for s, e, w in hits})
        self._villages()
        self._short_forms()
        self.mentions.sort(key=lambda m: m.start)
        return self.mentions

    # -- pieces --------------------------------------------------------------
    def _listed_with_places(self, start: int, end: int) -> bool:
        """Is text[start:end] an item of a list (、 和 及 与) whose neighbour is a place?"""
        for m in self.mentions:
            between = self.text[m.end:start] if m.end <= start else self.text[end:m.start]
            if len(between) == 1 and between in "、和及与，,":
                return True
        return False

    def _add(self, place: Place, start: int, end: int, surface: str | None = None) -> None:
        self.places.setdefault(place.key, place)
        self.mentions.append(Mention(
            "District", surface or self.text[start:end], start, end, name=place.name,
            attrs={"key": place.key, "level": place.level,
                   "adminCode": place.division.code if place.division else None,
                   "place": place}))

    def _taken(self, start: int, end: int) -> bool:
        return any(m.start < end and start < m.end for m in self.mentions)

    def _zones(self, hits_by_end: dict[int, tuple]) -> None:
        for m in ZONE_RE.finditer(self.text):
            suffix = m.group()
            prefix = _zone_prefix(self.text, m.start(), hits_by_end)
            full_suffix = ZONE_SHORT_TO_FULL.get(suffix, suffix)
            if prefix is None:
                if suffix not in ("经开区", "高新区", "开发区", "经济技术开发区", "高新技术产业开发区"):
                    continue
                home = self.home_district("county")
                if home is None or home.division is None or not home.division.short:
                    continue
                word, start = home.division.short, m.start()
                parent = home
            else:
                word, start = prefix
                parent = self._place_named(word) or self.home_district("county")
            # drop overlapping gazetteer matches of the prefix (松江 inside 松江经开区)
            self.mentions = [x for x in self.mentions if not (x.start >= start and x.end <= m.end())]
            if self._taken(start, m.end()):
                continue
            place_word = parent.division.short if (parent and parent.division and word in (
                parent.name, parent.division.short)) else word
            name = place_word + full_suffix       # the official full form, in every article
            anchor = parent.division.county_code() if parent and parent.division else "CN"
            key = f"District|{anchor}|zone|{place_word}{full_suffix}"
            place = self.places.get(key) or Place(name, "zone", key, None,
                                                  parent.key if parent else None)
            self._add(place, start, m.end())
            alt = place_word + (ZONE_FORMS.get(full_suffix, suffix))
            place_aliases = self.mentions[-1].attrs.setdefault("aliases", set())
            place_aliases.update({place_word + full_suffix, alt})

    def _place_named(self, word: str) -> Place | None:
        for p in self.places.values():
            if p.name == word or (p.division and p.division.short == word):
                return p
        return None

    def _short_forms(self) -> None:
        """Bare cores of the towns and zones found (新桥, 汾湖) as more mentions."""
        for place in list(self.places.values()):
            if place.level not in ("town", "zone") or place.ambiguous:
                continue
            core = _core(place.name)
            if core == place.name or len(core) < 2:
                continue
            for m in re.finditer(re.escape(core), self.text):
                if not self._taken(m.start(), m.end()):
                    self._add(place, m.start(), m.end())

    def _villages(self) -> None:
        for place in list(self.places.values()):
            if place.level != "town" or place.division is None:
                continue
            for v in place.division.villages():
                for m in re.finditer(re.escape(v.name), self.text):
                    if not self._taken(m.start(), m.end()):
                        self._add(_place_of(v), m.start(), m.end())

    # -- the article's own districts ------------------------------------------
    def counts(self) -> Counter:
        return Counter(m.attrs["key"] for m in self.mentions)

    def home_district(self, level: str | None = None, suffix: str | None = None) -> Place | None:
        """The article's most-named district (at `level`, or ending in `suffix`)."""
        counts = self.counts()
        best = None
        for key, n in counts.most_common():
            p = self.places[key]
            if p.ambiguous:
                continue
            if level and p.level != level and not (level == "city" and p.level == "county" and p.name.endswith("市")):
                continue
            if suffix and not p.name.endswith(suffix):
                continue
            best = p
            break
        return best


def find_districts(article: Article) -> tuple[list[Mention], DistrictFinder]:
    finder = DistrictFinder(article)
    return finder.run(), finder
