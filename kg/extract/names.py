"""Named things in quotation marks and the head nouns that follow them.

News names initiatives, brands, platforms and policy bundles by quoting a
core and following it with a head noun that says what kind of thing it is:
“马兰花”计划, “春风行动”大型招聘会, “长宁就业”微信公众号, “人人乐业，战疫为宁”惠民政策合集.
Several quoted cores may share one head: “乐业吴江”“创响吴江”“技能吴江”三大行动计划,
“甘州劳务”“丝路俏匠”等劳务品牌. This module finds such (cores, head) groups;
programs.py and policies.py decide what they are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..segment import words

OPEN_CLOSE = {"“": "”", "「": "」", "『": "』", '"': '"'}
_INNER_QUOTES = "‘’'「」『』“”\""
_NO_QUOTES = str.maketrans("", "", _INNER_QUOTES + "《》")
# A quoted core: 2–30 characters, no sentence punctuation inside.
_QUOTE_RE = re.compile(r"[“「『\"]([^“”「」『』\"\n。！？；]{2,30}?)[”」』\"]")
# What may sit between a chain's quotes: nothing, 、 , or ，.
_BOOK_RE = re.compile(r"《[^《》\n]{2,80}》")
_CHAIN_GAP = re.compile(r"\s*[、，,和及与]?\s*$")
# A run of name characters; a quoted single character (人才“吴”优) is a pun inside a word.
_HAN_RUN = re.compile(r"(?:20\d\d年)?(?:[\u4e00-\u9fffA-Za-z0-9·+]|[“‘][\u4e00-\u9fff][”’]){1,32}")
_LEADING_COUNT = re.compile(r"^(等)?([一二三四五六七八九十两\d]+大)?")


@dataclass
class Quoted:
    core: str          # the name inside the quotes, inner quotes dropped
    start: int         # offset of the opening quote
    end: int           # offset after the closing quote


@dataclass
class HeadedGroup:
    """Quoted cores that share one head noun (head may be empty)."""
    cores: list[Quoted]
    head: str          # 计划, 大型招聘会, 三大行动计划 (with 等/三大 stripped)
    head_end: int      # offset after the head (or after the last quote)
    before: str        # up to 8 characters before the first quote


def strip_quotes(text: str) -> str:
    return text.translate(_NO_QUOTES)


def find_quoted(text: str) -> list[Quoted]:
    """Quoted stretches that could be names (not speech: speech is long or ends a sentence)."""
    out = []
    titles = [(b.start(), b.end()) for b in _BOOK_RE.finditer(text)]
    for m in _QUOTE_RE.finditer(text):
        if any(s < m.start() and m.end() < e for s, e in titles):
            continue                      # a quote inside a document title belongs to the title
        core = strip_quotes(m.group(1)).strip()
        if len(core) < 2:
            continue
        out.append(Quoted(core, m.start(), m.end()))
    return out


def head_after(text: str, pos: int, heads: tuple[str, ...], limit: int = 32) -> tuple[str, int]:
    """The longest run of words after `pos` that ends in one of `heads`.

    Returns (head text, end offset) or ("", pos) when no head follows.
    """
    m = _HAN_RUN.match(text, pos)
    if not m:
        return "", pos
    raw = m.group()
    run = strip_quotes(raw)[:limit]
    lead = _LEADING_COUNT.match(run).group()
    rest = run[len(lead):]
    if not any(h in rest for h in heads):
        return "", pos                 # no head anywhere in reach: nothing to segment
    best, acc = "", ""
    for w in words(rest):
        acc += w
        if w in _STOP_WORDS or _is_verb_like(w):
            break
        if acc.endswith(heads):
            best = acc
    if not best:
        return "", pos
    # map the length in quote-free characters back onto the raw text
    want, n, i = len(lead) + len(best), 0, 0
    while n < want and i < len(raw):
        if raw[i] not in _INNER_QUOTES:
            n += 1
        i += 1
    return lead + best, pos + i


# Words that end a name: particles, conjunctions, adverbs of an ongoing clause.
_STOP_WORDS = frozenset("的 和 与 及 等 在 为 是 正 正在 将 已 已经 也 还 都 就 则 并 让 使 被 把 向 对 从".split())
_VERBS = ("利用", "通过", "推动", "开展", "推出", "发布", "促进", "帮助", "引导", "提供", "实现", "参加", "举办",
          "组织", "带动", "打造", "落实", "释放", "达成", "走进", "发出", "推进", "提升", "涉及")


def _is_verb_like(word: str) -> bool:
    return word in _VERBS


def headed_groups(text: str, heads: tuple[str, ...]) -> list[HeadedGroup]:
    """Chains of quoted cores with the head noun that follows the last one."""
    quoted = find_quoted(text)
    groups: list[HeadedGroup] = []
    chain: list[Quoted] = []
    for i, q in enumerate(quoted):
        if chain and _CHAIN_GAP.match(text[chain[-1].end:q.start]) and q.start - chain[-1].end <= 2:
            chain.append(q)
        else:
            chain = [q]
        nxt = quoted[i + 1] if i + 1 < len(quoted) else None
        if nxt is not None and _CHAIN_GAP.match(text[q.end:nxt.start]) and nxt.start - q.end <= 2:
            continue                                   # the chain goes on
        pos = q.end
        paren = re.match(r"[（(][^（()）]{0,60}[)）]", text[pos:])
        if paren:                                      # “三进三送”(即……)就业服务周活动
            pos += paren.end()
        head, end = head_after(text, pos, heads)
        if not head:
            end = q.end
        groups.append(HeadedGroup(list(chain), head, end, text[max(0, chain[0].start - 8):chain[0].start]))
        chain = []
    return groups
