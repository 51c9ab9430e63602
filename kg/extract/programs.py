"""Programs: campaigns, action plans, brands, projects, named services, models, platforms.

Rules, each general to the genre:
1. A quoted core followed by a program head noun: “马兰花”计划, “长宁就业”微信公众号.
   Several quoted cores before one head are each a program (“乐业吴江”“创响吴江”三大行动计划).
2. A quoted core that already ends in a head (“人社服务快办行动”, “五心职业指导室”).
3. A bare quoted core right after a verb that launches or runs something
   (推出/实施/打造/开展 “即时快招”). Other quotes are slogans or speech: not programs.
4. Unquoted: a launching verb, then a name of at least four characters ending
   in a strong head (开展了2022年就业创业服务月系列活动, 举办……职工技能竞赛).
5. A Latin acronym before a training or service head (SYB创业培训).
One core is one program: “新创联盟”品牌 and “新创联盟”创业服务品牌 are one; an
event held under a brand (“新创联盟”创业训练营活动) is its own program.
"""
from __future__ import annotations

import re

from ..model import Article, Mention
from ..segment import tagged
from .names import head_after, headed_groups

PROGRAM_HEADS = (
    "计划", "行动", "行动计划", "专项行动", "工程", "品牌", "项目", "模式", "活动", "服务",
    "招聘会", "招聘月", "服务月", "服务周", "训练营", "大赛", "竞赛", "评选", "平台", "栏目", "板块",
    "小程序", "公众号", "视频号", "沙龙", "工作室", "指导室", "驿站", "联盟", "培训",
    "试点", "专区", "专栏", "热线", "专线", "APP", "频道", "直播", "分享会", "论坛", "峰会",
    "机制", "网格", "体系", "站",
)
# Heads that name an event held under a brand rather than the brand itself.
EVENT_HEADS = ("招聘会", "招聘活动", "训练营", "训练营活动", "大赛", "竞赛", "评选", "分享会",
               "论坛", "峰会")
# Heads strong enough to mark an unquoted name after a launching verb.
STRONG_HEADS = ("系列活动", "专项行动", "行动计划", "服务月", "招聘月", "服务周", "大赛", "竞赛", "评选",
                "专场招聘会", "招聘会", "工程", "服务平台", "比武活动", "练兵活动", "专项活动")
CUE_VERBS = ("打造", "推出", "开展", "实施", "启动", "推行", "依托", "升级", "上线", "开通", "建立",
             "设立", "举办", "发布", "深化", "推进", "提出", "创新", "固化", "实行", "开设", "创建",
             "打响", "擦亮", "启用", "用好", "参加", "参与", "组织")
_CUE_BEFORE = re.compile("(" + "|".join(CUE_VERBS) + r")[了的]?\s*$")
_CUE_RE = re.compile("(?:" + "|".join(CUE_VERBS) + r")了?")
_ACRONYM_RE = re.compile(r"(?<![A-Za-z])([A-Z]{2,6})(创业培训|培训|计划|项目|平台|课程)")
# Campaigns the Ministry of Human Resources and Social Security runs every year across the
# country (a district holds its own edition of them); general domain knowledge.
NATIONAL_CAMPAIGNS = (
    "春风行动", "就业援助月", "民营企业招聘月", "百日千万招聘专项行动", "金秋招聘月", "马兰花计划",
    "三支一扶", "大学生志愿服务西部计划", "百万就业见习岗位募集计划", "高校毕业生等青年就业服务攻坚行动",
    "大中城市联合招聘高校毕业生专场活动", "10+N公共就业服务专项活动", "技能中国行动", "职业技能提升行动",
    "农民工服务保障专项行动", "中国创翼创业创新大赛", "全国大众创业万众创新活动周",
)
_NATIONAL_RE = re.compile("|".join(sorted(map(re.escape, NATIONAL_CAMPAIGNS), key=len, reverse=True)))


def national_campaign(name: str, core: str = "") -> str | None:
    """The national campaign a program is an edition of: its quoted core is the
    campaign's name (“春风行动”招聘会 -> 春风行动, “马兰花”计划 -> 马兰花计划); a longer
    core that merely starts with it (“春风行动暖人心…”系列活动) is a local brand."""
    for c in NATIONAL_CAMPAIGNS:
        if name == c or core == c or (c.endswith("计划") and core == c[:-2]):
            return c
    return None


POLICY_HEADS = ("政策合集", "政策包", "办法", "方案", "意见", "条例", "规定", "细则", "措施", "新八条", "若干措施")


def _kind(head: str) -> str:
    """What a head makes of its core: policy, event or program."""
    if any(head.endswith(h) for h in POLICY_HEADS) or head.endswith("政策"):
        return "policy"
    if any(head.endswith(h) for h in EVENT_HEADS):
        return "event"
    return "program"


def _is_slogan(core: str) -> bool:
    """A slogan or quoted speech, not a name: clauses joined by 、，or too long."""
    return bool(re.search(r"[、，,。！？：:；]", core)) or len(core) > 16


def _acts_at_sentence_start(text: str, q) -> bool:
    """A short quoted name that opens a sentence and is the subject of a verb
    names a mechanism: “免申即享”推动资金直达企业, “一网通办”让群众少跑腿."""
    if len(q.core) > 8 or (q.start > 0 and text[q.start - 1] not in "。！？；\n"):
        return False
    words = tagged(text[q.end:q.end + 6])
    return bool(words) and words[0][1].startswith("v") and words[0][0] not in ("说", "表示", "道")


def find_quoted_names(article: Article) -> list[Mention]:
    """Programs and policies named in quotes (policies.py keeps the latter)."""
    text = article.text
    out: list[Mention] = []
    for g in headed_groups(text, PROGRAM_HEADS + POLICY_HEADS + ("政策",)):
        head = re.sub(r"^(等)?([一二三四五六七八九十两\d]+大)?", "", g.head)
        shared = len(g.cores) > 1 or g.head.startswith("等") or head != g.head
        for q in g.cores:
            core = q.core
            if head:
                kind = _kind(head)
                if kind == "event" and head in EVENT_HEADS:
                    kind = "program"      # “春风行动”招聘会 is the campaign's fair, not a name of its own
                if shared:
                    name, alias, start, end = core, core + head, q.start, q.end
                else:
                    name, alias, start, end = core + head, core, q.start, g.head_end
                if kind != "policy" and _is_slogan(core) and not head:
                    continue
            else:
                own = next((h for h in PROGRAM_HEADS + POLICY_HEADS
                            if core.endswith(h) and h not in ("服务", "站")), None)
                if own is None and not _CUE_BEFORE.search(g.before) \
                        and not _acts_at_sentence_start(text, q) or _is_slogan(core):
                    continue
                kind = _kind(own) if own else "program"
                name, alias, start, end = core, core, q.start, q.end
            out.append(Mention(
                "Policy" if kind == "policy" else "Program", text[start:end], start, end, name=name,
                attrs={"core": core, "event": kind == "event", "aliases": {alias, name},
                       "headed": bool(head) and not shared}))
    return out


def _unquoted(article: Article, taken) -> list[Mention]:
    text = article.text
    out = []
    for m in _CUE_RE.finditer(text):
        head, end = head_after(text, m.end(), STRONG_HEADS)
        if not head or len(head) < 9 or taken(m.end(), end):   # 基层就业服务平台 is no name
            continue
        name = re.sub(r"[“”‘’]", "", head)
        out.append(Mention("Program", text[m.end():end], m.end(), end, name=name,
                           attrs={"core": name, "event": _kind(name) == "event", "aliases": {name},
                                  "headed": True}))
    for m in _ACRONYM_RE.finditer(text):
        if not taken(m.start(), m.end()):
            out.append(Mention("Program", m.group(), m.start(), m.end(), name=m.group(),
                               attrs={"core": m.group(1), "event": False,
                                      "aliases": {m.group(), m.group(1)}, "headed": True}))
    return out


def find_programs(article: Article, quoted: list[Mention] | None = None) -> list[Mention]:
    mentions = [m for m in (quoted if quoted is not None else find_quoted_names(article))
                if m.type == "Program"]

    def taken(start, end):
        return any(x.start < end and start < x.end for x in mentions)

    mentions += _unquoted(article, taken)
    titles = [(b.start(), b.end()) for b in re.finditer(r"《[^《》\n]{2,80}》", article.text)]
    for m in _NATIONAL_RE.finditer(article.text):          # 开展春风行动: national names need no quotes
        if not taken(m.start(), m.end()) and not any(s <= m.start() < e for s, e in titles):
            mentions.append(Mention("Program", m.group(), m.start(), m.end(), name=m.group(),
                                    attrs={"core": m.group(), "event": False, "aliases": {m.group()},
                                           "headed": True}))
    mentions.sort(key=lambda m: m.start)
    return mentions
