"""The number grammar: quantities (number + counter) in Chinese news text.

    find_quantities(text) -> [Quantity]         the statistics candidates
    find_quantities(text, keep_all=True)        also the numbers that are not
                                                figures, with `reason` set
    parse_number("二百五十六") -> 256.0

A quantity is

    [prefix hedge] NUMBER [余|多|来|几] [万|亿|千|百] [余|多] [range] COUNTER [左右|以上|上下|许]

NUMBER is Arabic (2756, 1,500, 1 500 with thin spaces, 8.43, full-width １２)
or Chinese (三, 十二, 二百五十六, 两千, 百, 千, 十几, 上百; plain numerals go
through cn2an, bare magnitudes and the vague forms are handled here).
百分之九十 is 90 %.

Values are in base units: the magnitude multiplies (8.43万人 -> 84300 人,
5086万元 -> 50860000 元). Units are normalised: 名/位/人 -> 人, 万元/亿元/元
-> 元, ％ -> %; other counters are kept as written (人次, 家次, 场, 期, 项 …).

approx is True where the text hedges or bounds: 余 多 来 左右 以上 以下 以内 上下
许 after the number, 近 约 大约 超过 超 逾 上(百/千/万) 数(百/千/万) 不低于
不少于 不超过 低于 高于 至少 将近 接近 突破 不到 不足 before it. 达/共/累计 are
not hedges.

Ranges (3-5万元, 10至20人, 10%-20%): `value` is the lower bound, `upper` the
upper bound, `approx` is True and `raw` keeps the text as written. The vague
forms 十几/几十/数百/上百 are handled the same way: the lower bound, approx.

`start`/`end` cover the whole quantity as written, hedge words included
(约1500个, 3200余人, 95%以上).

Not figures (dropped, or kept with `reason` when keep_all=True):
  date      2021年, 6月30日, 2020年5月, 8月初, 2022-08-04, 16:01, 3季度
  duration  5天, 3小时, 4年, 6个月 (四年来, 近三年来 are periods)
  age       36岁, 16周岁
  ordinal   第五批, 第1名, 2023届 (a four-digit year before 届 names a graduating
            class: 2023届毕业生; 三届, 5届 still count)
  code      G60, 5G, 1+5, 1+2+X, 0512, numbers joined to letters or +
  quoted    inside a short quoted name (“4个100%”, “三进三送”) or 《…》,
            or in the (即…) gloss that follows a quoted name
  one       the Chinese numeral 一 alone (一名面点师傅, 一批, 一家店): in
            news 一 + counter is an article, not a statistic
  lexical   a Chinese numeral that is part of a word or idiom (千家万户,
            一技之长, 成千上万): the segmenter's word runs past the quantity
  nounit    a number without a counter (list markers 1., 一是, 十三五, 三大)
Enumerations such as 三大行动, 5大区域 have no counter (大), so they are not
quantities; 三个板块 is (3 个).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import cn2an

__all__ = ["Quantity", "find_quantities", "parse_number", "normalise_unit", "COUNTERS"]


@dataclass(frozen=True)
class Quantity:
    value: float          # base units; for a range, the lower bound
    unit: str             # normalised counter
    approx: bool
    start: int            # span in the text, hedges included
    end: int
    raw: str              # text[start:end]
    upper: float | None = None   # upper bound of a range
    reason: str | None = None    # why it is not a figure (keep_all=True only)

    @property
    def is_figure(self) -> bool:
        return self.reason is None


# ------------------------------------------------------------------ lexicon

# Counters (量词) that count or measure something in a statistic. General
# knowledge of Chinese measure words; longest forms are matched first.
COUNTERS = (
    "个百分点", "百分点", "人次", "家次", "户次", "场次", "批次", "期次", "班次", "件次", "篇次", "条次", "人年",
    "平方米", "公里", "千米", "公顷", "公斤", "千克", "学时", "课时",
    "人", "名", "位", "个", "场", "家", "期", "次", "份", "件", "项", "条", "所", "地", "批", "户", "岗",
    "座", "台", "套", "本", "篇", "门", "类", "款", "届", "班", "支", "组", "张", "辆", "间", "栋", "处",
    "种", "起", "例", "轮", "笔", "宗", "单", "节", "堂", "讲", "幅", "册", "块", "部", "集", "首", "亩",
    "趟", "车次", "架次", "航次",
    "吨", "倍", "元", "%", "‰",
)
# Units that make a number a date, a time, a duration or an age: never figures.
NON_FIGURE_UNITS = {
    "个工作日": "duration", "工作日": "duration", "个小时": "duration", "个星期": "duration",
    "个季度": "duration", "个月": "duration", "周年": "duration", "周岁": "age", "年度": "date",
    "年代": "date", "年级": "ordinal", "季度": "date", "世纪": "date", "月份": "date",
    "小时": "duration", "分钟": "duration", "星期": "duration",
    "年": "date", "月": "date", "日": "date", "号": "date", "天": "duration", "周": "duration",
    "秒": "duration", "岁": "age", "时": "time", "点": "time", "分": "time", "后": "code",
}
_UNIT_NORMAL = {"名": "人", "位": "人", "人": "人", "％": "%", "百分点": "个百分点"}

_HEDGE_PREFIXES = ("不低于", "不少于", "不下于", "不超过", "超过", "将近", "接近", "大约", "约为", "突破", "至少",
                   "不到", "不足", "低于", "高于", "近", "约", "超", "逾", "上")
_HEDGE_POST = ("左右", "以上", "以下", "以内", "上下", "许", "有余")

_FW = {i: i - 0xFEE0 for i in range(0xFF10, 0xFF1A)}          # full-width digits
_FW.update({0xFF05: ord("%"), 0xFF0E: ord("."), 0xFF0C: ord(","), 0xFF0B: ord("+"), 0xFF1A: ord(":"),
            0xFF0D: ord("-"), 0xFF5E: ord("~")})

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_CHARS = _CN_DIGITS + "十百千万亿"
_ARABIC = re.compile(r"\d+(?:(?:,|[\u2009\u202f\u00a0 ])\d{3}(?!\d))*(?:\.\d+)?")
_CHINESE = re.compile(rf"(?:[{_CN_CHARS}几]+点[{_CN_DIGITS}]+|[{_CN_CHARS}几]+)")
_MAGNITUDE = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2, "万亿": 1e12, "千万": 1e7, "百万": 1e6}
_RANGE_SEP = re.compile(r"\s*(?:-|~|～|—|–|－|至|到)\s*")
_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", "《": "》", "〈": "〉"}
_CLAUSE_PUNCT = set("，。；！？,;!?：:")
_LETTER = re.compile(r"[A-Za-z]")


def normalise_unit(unit: str) -> str:
    return _UNIT_NORMAL.get(unit, unit)


# ------------------------------------------------------------------ numbers

def _arabic_value(s: str) -> float:
    return float(re.sub(r"[,\s\u2009\u202f\u00a0]", "", s))


@lru_cache(maxsize=4096)
def _chinese_value(s: str) -> tuple[float, bool] | None:
    """(value, vague) of a Chinese numeral, or None. 百 -> 100, 十几 -> (10, True)."""
    if not s:
        return None
    if "几" in s:                      # 十几 二十几 几十 几百: the lower bound
        core = s.replace("几", "")
        if s.startswith("几"):
            mag = core[:1] if core else ""
            base = {"十": 10, "百": 100, "千": 1000, "万": 10000}.get(mag)
            rest = core[1:]
            if base is None:
                return None
            v = base * (_MAGNITUDE.get(rest, 1) if rest else 1)
            return float(v), True
        v = _chinese_value(core)
        return (v[0], True) if v else None
    if s in _MAGNITUDE:
        return _MAGNITUDE[s], False
    if s[0] in "百千万亿" and s != "十":  # 百万, 千万: handled above; 百二 is not a number
        return None
    try:
        v = cn2an.cn2an(s, "smart")
        return float(v), False
    except Exception:       # noqa: BLE001 - cn2an raises plain ValueError/others
        pass
    if s[-1] in "万亿" and len(s) > 1:   # 四十二点二一万
        inner = _chinese_value(s[:-1])
        if inner:
            return inner[0] * _MAGNITUDE[s[-1]], inner[1]
    return None


def parse_number(s: str) -> float | None:
    """The value of a number as written (Arabic or Chinese, magnitude suffix allowed)."""
    s = s.translate(_FW).strip()
    m = re.fullmatch(rf"({_ARABIC.pattern})\s*(万亿|千万|百万|[万亿千百])?", s)
    if m:
        v = _arabic_value(m.group(1)) * (_MAGNITUDE[m.group(2)] if m.group(2) else 1)
        return v if math.isfinite(v) else None
    pct = re.fullmatch(r"百分之(.+)", s)
    if pct:
        return parse_number(pct.group(1))
    v = _chinese_value(s)
    return v[0] if v else None


# ------------------------------------------------------------------ quotes

def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of name-like quotes: 《…》 always, “…” when short and without clause punctuation.

    A (即…) gloss, which explains a name, counts as quoted too.
    """
    spans = []
    stack: list[tuple[str, int]] = []
    for i, c in enumerate(text):
        if c in _QUOTE_PAIRS:
            stack.append((c, i))
        elif stack and c == _QUOTE_PAIRS[stack[-1][0]]:
            opener, j = stack.pop()
            inner = text[j + 1:i]
            if opener in "《〈" or (len(inner) <= 20 and not (set(inner) & _CLAUSE_PUNCT)):
                spans.append((j, i + 1))
        elif c == "\n":
            stack.clear()
    # a (即…) gloss explains a name or a term: its numbers restate it
    for m in re.finditer(r"[（(]\s*即[^（()）\n]*[）)]", text):
        spans.append((m.start(), m.end()))
    # plain ASCII "…" pairs
    for m in re.finditer(r'"([^"\n]{1,20})"', text):
        if not set(m.group(1)) & _CLAUSE_PUNCT:
            spans.append((m.start(), m.end()))
    return spans


# ------------------------------------------------------------------ segmentation check

@lru_cache(maxsize=1)
def _jieba():
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


def _lexicalised(text: str, start: int, end: int) -> bool:
    """True when a word of the segmenter overlaps [start, end) and runs past it (千家万户)."""
    lo, hi = max(0, start - 4), min(len(text), end + 4)
    pos = lo
    for w in _jieba().lcut(text[lo:hi], HMM=False):
        ws, we = pos, pos + len(w)
        pos = we
        if we <= start or ws >= end:
            continue
        if ws < start or we > end:
            return True
    return False


# ------------------------------------------------------------------ the scanner

_NUM_START = re.compile(rf"\d|[{_CN_CHARS}几]|百分之")


def _match_number(text: str, pos: int):
    """(end, value, vague, chinese) of the number starting at pos, or None."""
    m = _ARABIC.match(text, pos)
    if m:
        return m.end(), _arabic_value(m.group()), False, False
    m = _CHINESE.match(text, pos)
    if m:
        s = m.group()
        # keep the longest prefix that parses (三地 is matched as 三, 十三五 fails whole)
        for k in range(len(s), 0, -1):
            v = _chinese_value(s[:k])
            if v is not None:
                return pos + k, v[0], v[1], True
    return None


def _by_char(words, at: int) -> dict[str, tuple[str, ...]]:
    """Words grouped by their character at index `at`, each group in the given order
    (so a lookup tries only the words that can match, in the same order as before)."""
    out: dict[str, list[str]] = {}
    for w in words:
        out.setdefault(w[at], []).append(w)
    return {c: tuple(ws) for c, ws in out.items()}


_HEDGES_BY_LAST = _by_char(_HEDGE_PREFIXES, -1)


def _prefix_hedge(text: str, pos: int) -> tuple[int, bool]:
    """Start of a hedge word right before pos (or pos) and whether it hedges."""
    for h in _HEDGES_BY_LAST.get(text[pos - 1], ()) if pos > 0 else ():
        if pos >= len(h) and text.startswith(h, pos - len(h)):
            return pos - len(h), True
    return pos, False


_NON_FIGURE_LONGEST = sorted(NON_FIGURE_UNITS, key=len, reverse=True)
_UNITS_BY_FIRST = _by_char([*_NON_FIGURE_LONGEST, *COUNTERS], 0)   # non-figure units first


def _unit_at(text: str, pos: int) -> tuple[str, int, str | None] | None:
    """(unit as written, end, non-figure reason) at pos; 个月 before 个, 人次 before 人."""
    for u in _UNITS_BY_FIRST.get(text[pos], ()) if pos < len(text) else ():
        if text.startswith(u, pos):
            return u, pos + len(u), NON_FIGURE_UNITS.get(u)
    return None


def find_quantities(text: str, keep_all: bool = False) -> list[Quantity]:
    """Every quantity of `text`, left to right (see the module doc)."""
    norm = text.translate(_FW)
    quoted = _quoted_spans(norm)
    out: list[Quantity] = []
    pos = 0
    n = len(norm)
    while pos < n:
        m = _NUM_START.search(norm, pos)
        if not m:
            break
        q = _scan(norm, text, m.start(), quoted)
        if q is None:
            pos = m.start() + 1
            continue
        pos = max(q.end, m.start() + 1)
        if (q.reason is None or keep_all) and math.isfinite(q.value) and math.isfinite(q.upper or 0.0):
            out.append(q)               # 400 nines overflow a float to inf: not a figure
    return out


def _magnitude(norm: str, p: int, chinese: bool) -> tuple[float, int]:
    """A magnitude word at p (万 亿 …; a Chinese numeral already holds its 千 and 百)."""
    for mg in ("万亿", "千万", "百万", "万", "亿", "千", "百"):
        if norm.startswith(mg, p) and not (chinese and mg[0] in "千百"):
            return _MAGNITUDE[mg], p + len(mg)
    return 1.0, p


def _scan(norm: str, text: str, i: int, quoted) -> Quantity | None:
    """The quantity whose number starts at i (None when no number starts there)."""
    n = len(norm)
    pct = norm.startswith("百分之", i)
    num = _match_number(norm, i + 3 if pct else i)
    if num is None:
        return None
    end, value, approx, chinese = num
    num_start = i + 3 if pct else i
    # prefix hedges: 近 约 超过 … ; 上 and 数 only before a bare Chinese magnitude (上百, 数千)
    start, hedged = _prefix_hedge(norm, i)
    bare_magnitude = chinese and norm[num_start] in "十百千万亿"
    if hedged and norm[start:i] == "上" and not bare_magnitude:
        start, hedged = i, False
    if not hedged and i > 0 and norm[i - 1] == "数" and bare_magnitude:
        start, hedged = i - 1, True
    approx = approx or hedged
    p = end
    upper = None
    reason = None
    if pct:
        unit = "%"
    else:
        if p < n and norm[p] in "余多来":          # 1000余万元, 20来人
            approx, p = True, p + 1
        mag, p = _magnitude(norm, p, chinese)
        if p < n and norm[p] in "余多":            # 3万余人, 300多万元
            approx, p = True, p + 1
        # a range: 3-5万元, 10至20人 (value: the lower bound)
        r = _RANGE_SEP.match(norm, p)
        if r and r.end() < n:
            num2 = _match_number(norm, r.end())
            if num2 is not None and num2[3] == chinese:
                mag2, p2 = _magnitude(norm, num2[0], chinese)
                if p2 < n and norm[p2] in "余多":
                    p2 += 1
                if mag == 1.0:
                    mag = mag2
                if _unit_at(norm, p2) is not None and num2[1] * mag2 > value * mag:
                    upper, approx, p = num2[1] * mag2, True, p2
        value *= mag
        u = _unit_at(norm, p)
        if u is None:
            reason, unit = "nounit", ""
        else:
            unit_raw, p, nonfig = u
            unit = normalise_unit(unit_raw)
            reason = nonfig
            if reason is None and upper is None:
                # 10%-20%, 3000元至5000元: both ends carry the unit
                r = _RANGE_SEP.match(norm, p)
                if r:
                    num2 = _match_number(norm, r.end())
                    if num2 is not None and num2[3] == chinese:
                        mag2, p2 = _magnitude(norm, num2[0], chinese)
                        u2 = _unit_at(norm, p2)
                        if u2 and normalise_unit(u2[0]) == unit and num2[1] * mag2 > value:
                            upper, approx, p = num2[1] * mag2, True, u2[1]
    if reason is None:
        for h in _HEDGE_POST:
            if norm.startswith(h, p):
                approx, p = True, p + len(h)
                break
        reason = _not_a_figure(norm, start, num_start, end, p, chinese, quoted)
    return Quantity(value=value, unit=unit, approx=approx, start=start, end=p, raw=text[start:p],
                    upper=upper, reason=reason)


def _not_a_figure(norm, start, num_start, num_end, end, chinese, quoted) -> str | None:
    before = norm[start - 1] if start > 0 else ""
    after = norm[end] if end < len(norm) else ""
    if before == "第":
        return "ordinal"
    # 2023届毕业生: a year + 届 is a graduating class (a name), not a count of sessions
    if not chinese and norm[num_end:end] == "届" and re.fullmatch(r"(?:19|20)\d\d", norm[num_start:num_end]):
        return "ordinal"
    if any(a <= num_start and num_end <= b for a, b in quoted):
        return "quoted"
    if not chinese:
        if before and (before in "+×*/#.-_" or _LETTER.match(before)):
            return "code"
        nxt = norm[num_end] if num_end < len(norm) else ""
        if nxt == ":" and norm[num_end + 1:num_end + 2].isdigit():
            return "time"
        if nxt and (nxt in "+×*/_" or _LETTER.match(nxt)):
            return "code"
        if before == ":" and norm[start - 2:start - 1].isdigit():
            return "time"
        digits = re.sub(r"\D", "", norm[num_start:num_end].split(".")[0])
        if len(digits) > 1 and digits.startswith("0"):
            return "code"
        if re.match(r"-\d{1,2}(?:-\d{1,2})?(?!\d)", norm[num_end:num_end + 7]) and len(digits) == 4 \
                and re.fullmatch(r"(?:19|20)\d\d", digits):
            return "date"                 # 2022-08-04; but 4000-8000元 is a range
    else:
        core = norm[num_start:num_end]
        if core == "一" and not (norm[start:num_start]):
            return "one"
        if core in ("一", "两") and before == "一":
            return "lexical"
        if _lexicalised(norm, start, end):
            return "lexical"
    if after and after in "+×＋" and not chinese:
        return "code"
    return None
