"""Figures: the statistics of an article, with what they count, whose and when.

    extract_figures(article, mentions, main_subject, key_of) -> [Figure]

1. Numbers. numbers.find_quantities reads each paragraph (dates, durations,
   ages, ordinals, codes, quoted names and 一 + counter are not figures). On
   top of that, a number is dropped when it lies inside an entity mention
   (24365全年不打烊服务模式, 五号村) or inside a name the article quotes
   elsewhere (新八条 after 《…新八条》). Headings (short paragraphs without a
   sentence end, the title among them) are not read: they restate the body's
   figures as slogans.

2. The clause. A sentence is cut at ，；：。！？…; a 、 also cuts when the pieces
   on both sides hold figures (就业技能培训2951人、创业培训3149人). The clause
   is the figure's `text`.

3. Measure: what is counted, from the clause's own grammar.
   a. number + counter + noun: the noun phrase after the number
      (2756个优质岗位 -> 优质岗位; 91名西双版纳州贫困户来到… -> 贫困户: the noun
      phrase ends where a predicate verb starts; a leading place is dropped;
      a modifier ending in 的 gives its head);
   b. verb + object + number: the object after the first chain of predicate
      verbs (开展岗前培训3006人次 -> 岗前培训; 发放职业技能提升补贴 -> 职业技能提升补贴:
      a verb right after a noun is inside the phrase); 带动就业, 参加招聘 keep
      their verb; after 等 the head of the enumeration (…等各项纾困资金 -> 纾困资金);
      noun + 达/为/有 + number: the whole noun phrase (进场咨询人员达3200余人,
      城镇登记失业率为2.8%); …人员的就业率 -> 就业率;
   c. number + verb: the verb phrase after it (369人开展“马兰花”创业培训 ->
      马兰花创业培训; 6次批示 -> 批示; 86人实现再就业 -> 实现再就业), with the noun
      before it for a bare complement (就业服务做到100%到位 -> 就业服务到位);
   d. nothing left (低保户215户、487人): the measure of the figure just before.
   The subject, the period, list markers and function words (已, 共, 累计, 各类 …)
   are left out. Predicate verbs (开展, 提供, 办理 …), domain verbal nouns that stay
   inside a measure (就业, 培训, 招聘 …) and function words are general word
   lists; a quoted name is one noun. POS tags (jieba, on the short left and
   right parts only) decide the rest.

4. Subject: the District / Agency / Program / Enterprise / Institution the
   figure is about; in this order:
   a. pay (工资, 薪酬 …) belongs to the nearest enterprise before it;
   b. the topic of the figure's own clause: an actor at the clause start (only
      period words and connectives before it), not one enumerated with 等 (those
      are the things counted), not a modifier (新桥镇的…, …中心主任);
   c. an event the sentence holds before the figure: a Program named as an
      event (…活动, …大赛, …招聘会) that the sentence 举办/开展/举行 … — the
      figures that follow are its results;
   d. the topic of an earlier clause of the sentence (nearest), then of a later
      clause; anaphors count as topics: 全区/本市 -> main_subject when it is
      of that level, 该区/该县 -> the last district of that level named before
      (自治区 is not a 区), 本次招聘会/此次活动 -> the last event Program named,
      该公司 -> the last enterprise;
   e. the topic (District or Agency only) of the nearest earlier sentence of
      the paragraph, then of a later sentence of the paragraph, then of the
      nearest earlier paragraph;
   f. main_subject.
   Objects of prepositions or verbs (与麻城市人社局等…, 在梁家墩镇…, 通过…,
   由…开展) are never topics, since the prefix before them is not empty.

5. Period: a time phrase as written (2021年, 服务月期间, 近三年来, 截至目前,
   6月30日, 今年1—9月, “十三五”期间 …): the nearest before the number in its
   clause (not a year that names an event: 举办2022年“…”活动), else one that
   opens an earlier clause of the sentence (or follows just its subject:
   该中心今年…), else one that opens a clause of an earlier sentence of the
   paragraph (nearest first); a paragraph that opens with 同时/此外 … continues
   the paragraph before it.

Every occurrence counts: the same number twice is two figures.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Callable

from ..model import Article, Figure, Mention
from ..segment import tagged
from .numbers import Quantity, find_quantities

ACTOR_TYPES = ("District", "Agency", "Program", "Enterprise", "Institution")
CARRIED_TYPES = ("District", "Agency")   # subjects that carry across sentences

# ------------------------------------------------------------------ word lists (general)

# Verbs that head a predicate in a report clause: the measure is their object.
PRED_VERBS = set("""
开展 举办 举行 组织 提供 实现 完成 发放 办理 帮助 支持 推进 推动 吸纳 培育 征集 接受 收到 参加 参与 达成
累计 共计 合计 总计 惠及 带动 引导 鼓励 召开 开设 设立 建立 建成 打造 发布 推送 推出 梳理 整合 开发 落实
拨付 输送 输出 走访 慰问 签订 受理 审核 核发 申领 申报 吸引 覆盖 涉及 掌握 排查 摸排 筛选 遴选 选派 招收
录用 聘用 解决 促进 实施 发动 引进 创建 评选 评定 表彰 资助 减免 减征 返还 兑现 投入 筹集 争取 扶持 救助
对接 联系 走进 进入 来到 前往 赴 找到 获得 取得 享受 领取 录入 采集 收集 统计 核查 达到 超过 突破 增加
增长 提高 下降 减少 占 包括 欢送 培养 孵化 带领 邀请 动员 安排 推荐 介绍 吸附 组建 成立 建设 新建 提升
制定 出台 印发 召集 开通 进场 入场 参会 入职 返岗 到场 开辟 上报 报名 挖掘 收集 汇总 释放 提交 服务于 安排 举荐 选拔 组团 指导
输转 转 输 促成 匹配 做到 实行 推行 完善 开放 发出 带着 办好 做好 投身 加入 走上 回到 返回 留在
进驻 入驻 落户 扎根 从事 选择 通过 完成了 实现了
""".split())
# Domain verbal nouns that stay inside a measure (就业政策宣传, 失业登记, 返乡人员).
KEEP_VERBS = set("""
就业 再就业 创业 失业 培训 招聘 求职 见习 实习 登记 务工 返乡 用工 咨询 孵化 实训 服务 援助 参保 认定
鉴定 新增 转移 安置 脱贫 退役 离校 毕业 应届 在岗 转岗 下岗 待业 外出 进城 留守 贫困 困难 签约 上岗 到岗
宣传 交流 协作 合作 对口 兜底 托底 稳岗 扩岗 招工 用人 考核 评价 竞赛 练兵 比武 备案 申请 补贴 贷款 担保
扶贫 帮困 助残 育婴 养老 家政 直播 电商
""".split())
# Verbal nouns that, alone after a verb, make the measure with it (带动就业, 参加招聘).
VERBAL_OBJECTS = set("就业 再就业 创业 招聘 求职 培训 见习 实习 务工 上岗 返岗 复工 复产 脱贫 增收 参保".split())
# Leading words of a measure that are not part of it.
LEADING_WORDS = set("""
同时 此外 另外 其中 并 并且 还 也 已 已经 共 共计 累计 合计 总计 全年 全月 全区 全市 全县 全省 全镇 全乡 全街
全国 现场 先后 分别 目前 当前 共有 再 又 均 积极 主动 集中 为 对 向 给 从 在 于 将 把 让 使 帮 以 通过 依托
各类 各项 各种 各级 相关 多种 多项 所有 全部 其 这 该 此 本 有 已有 总共 一共 新 持续 不断 进一步 深入 大力
全力 扎实 着力 切实 有序 陆续 直接 及时 顺利 成功地 累计为 共为 已为 先后为 现在 每月 每年 每人 人均
""".split())
# Copulas and adverbs between a noun and its number (人员达3200余人, 失业率为2.8%).
TRAILING_WORDS = ("达到", "分别为", "分别达", "已达", "高达", "多达", "共计", "合计", "总计", "累计", "共有", "已有",
                  "就有", "总数", "人数为", "做到", "实现", "保持在", "控制在", "超过", "达", "为", "是", "有",
                  "共", "均", "都", "已", "就", "了", "先后", "分别", "约", "计", "在")
DETERMINERS = ("各类", "各项", "各种", "各级", "相关", "多种", "多项", "所有", "全部", "其他", "其它", "有关")
STOP_WORDS = set("全部 均 都 全 已 已经 先后 分别 陆续 及时 顺利 共 累计 共同 正在 将 还 也 又 再 就 才 约 近 超 等 分别".split())
NOUNISH = ("n", "vn", "an", "nz", "eng", "j", "ng", "nr", "ns", "nt", "nrt", "nrfg", "l", "i", "b", "zg", "g", "t")
PAY_RE = re.compile(r"工资|薪资|薪酬|月薪|年薪|底薪|时薪|日薪|收入待遇|工资待遇")
EVENT_RE = re.compile(r"(?:活动|大赛|比赛|竞赛|招聘会|双选会|交流会|洽谈会|推介会|对接会|博览会|宣讲会|分享会|"
                      r"座谈会|见面会|训练营|培训班|专场|招聘月|服务月|活动月|服务周|活动周|招聘节|文化节|论坛|"
                      r"峰会|评选|展会|集市)(?:活动)?$")
EVENT_VERBS = ("举办", "举行", "开展", "组织", "承办", "主办", "召开", "启动", "开办", "策划")
ROLE_AFTER = ("主任", "局长", "书记", "负责人", "工作人员", "党组", "副局", "科长", "处长", "干部", "职工", "员工",
              "领导", "经理", "董事", "总经理", "主席", "部长", "校长", "老师", "站长", "所长", "院长", "社长",
              "主管", "专员", "代表", "成员", "记者", "编辑", "的")
CONNECTIVES = ("据悉", "据统计", "据了解", "据介绍", "数据显示", "统计显示", "同时", "此外", "另外", "其中", "目前", "当前",
               "近期", "近日", "日前", "今年", "去年", "与此同时", "除此之外", "在此基础上", "下一步", "并", "还", "也",
               "而", "又")
ANAPHOR_RE = re.compile(r"(该|本|全|我|此|这)(区|县|市|镇|乡|村|街道|社区|州|旗|省)(?![\u4e00-\u9fff]{0,1}(?:人社|政府|委|局))")
EVENT_ANAPHOR_RE = re.compile(r"(?:本次|此次|这次|本届|此届|该次|该|此|本)(?:活动|招聘会|招聘活动|大赛|比赛|竞赛|"
                              r"双选会|交流会|洽谈会|对接会|博览会|宣讲会|训练营|培训班|专场|评选)")
FIRM_ANAPHOR_RE = re.compile(r"(?:该|本|这家|此)?(?:公司|集团)|(?:该|这家|此)(?:企业|厂|单位)")
_LEVEL_SUFFIX = {"区": ("区",), "县": ("县", "旗"), "市": ("市", "州", "盟"), "镇": ("镇",), "乡": ("乡",),
                 "村": ("村",), "社区": ("社区",),
                 "街道": ("街道",), "州": ("州",), "旗": ("旗",), "省": ("省", "自治区")}

# ------------------------------------------------------------------ periods

_CN_NUM = "一二两三四五六七八九十"
_YEAR = r"(?:\d{4}年|今年|去年|明年|前年|当年)"
_MONTH = rf"(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}})月份?"
_DAY = r"\d{1,2}[日号]"
_SUFFIX = r"(?:以来|至今|初|底|末|中旬|上旬|下旬|前|期间|上半年|下半年|全年|前三季度|[一二三四]季度|年初|年底|年末)"
PERIOD_RE = re.compile(
    r"(?:截至|截止到|截止)(?:目前|今年|去年|\d{4}年)?(?:" + _MONTH + r")?(?:" + _DAY + r")?(?:底|末|初)?"
    r"|“[^”\n]{1,10}”(?:期间|以来|时期)"
    r"|[^\W\d_a-zA-Z在于自从的是为了和与及对向把被将，。、]{1,8}?(?:期间|以来)"
    rf"|(?:{_YEAR})?(?:\d{{1,2}}|[{_CN_NUM}]{{1,2}})(?:至|到|-|—|－|～|~)(?:{_MONTH})(?:{_DAY})?{_SUFFIX}?"
    rf"|{_YEAR}(?:{_MONTH})?(?:{_DAY})?{_SUFFIX}?"
    rf"|{_MONTH}(?:{_DAY})?{_SUFFIX}?"
    rf"|(?:近|过去)(?:[\d{_CN_NUM}]+|几|些|多)年(?:来|间|以来)?"
    rf"|[\d{_CN_NUM}]+年(?:来|间|以来)|多年来|近年来"
    r"|目前|日前|近日|近期|当前|此前|同期|全年|全月|当月|本月|上月|年底前|年内|上半年|下半年|前三季度|[一二三四]季度")
_CONTINUES = re.compile(r"\s*(?:同时|此外|另外|与此同时|并且|而且|此后|随后)")
_PERIOD_LEAD = re.compile(r"^(?:在|于|早在|自|从)")


def _periods(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in PERIOD_RE.finditer(text):
        s, e = m.start(), m.end()
        frag = m.group()
        if frag.endswith(("期间", "以来")) and not frag.startswith("“"):
            # 在服务月期间 -> 服务月期间; keep the noun before 期间 only
            lead = _PERIOD_LEAD.match(frag)
            if lead:
                s += lead.end()
                frag = frag[lead.end():]
            if len(frag) <= 2:
                continue
        if frag in ("截至", "截止", "截止到"):
            continue
        out.append((s, e, frag))
    return out


# ------------------------------------------------------------------ helpers

_CLAUSE_CUT = re.compile(r"[，；;：。！？!?]|,(?!\d{3}(?!\d))|:(?!\d)|…+|⋯+")
_QUOTES = "“”‘’\"'《》「」『』"


_NO_QUOTES = str.maketrans("", "", _QUOTES)


def _strip_quotes(s: str) -> str:
    return s.translate(_NO_QUOTES).strip()


def _nounish(tag: str) -> bool:
    return tag.startswith(NOUNISH) or tag == "x"


def _is_pred(word: str, tag: str) -> bool:
    if word in KEEP_VERBS:
        return False
    return word in PRED_VERBS or (tag.startswith("v") and tag != "vn")


def _strip_trailing(s: str) -> str:
    changed = True
    while changed and s:
        changed = False
        for w in TRAILING_WORDS:
            if s.endswith(w):
                s = s[: -len(w)]
                changed = True
                break
    return s


def _clean(measure: str) -> str:
    m = _strip_quotes(measure)
    m = re.sub(r"[（(][^）)]*[）)]?$", "", m)
    m = m.strip("，,、；;：:。！？!?… 的之")
    for d in DETERMINERS:
        if m.startswith(d) and len(m) > len(d):
            m = m[len(d):]
    return m


# ------------------------------------------------------------------ the article model

@dataclass
class _Clause:
    start: int
    end: int
    doc: "_Doc | None" = field(default=None, repr=False)
    _topics: list | None = field(default=None, repr=False)

    @property
    def topics(self) -> list:
        """[(offset, key, type, mention-or-None)]: found on first use, since
        only the clauses around a figure are ever asked (most hold none)."""
        if self._topics is None:
            self._topics = self.doc._topics(self)
        return self._topics


@dataclass
class _Sent:
    index: int
    start: int
    end: int
    para: int
    clauses: list = field(default_factory=list)


class _Doc:
    def __init__(self, article: Article, mentions: list[Mention], main_subject, key_of):
        self.a = article
        self.text = article.text
        self.main = main_subject
        self.key_of = key_of
        self.mentions = sorted((m for m in mentions if m.start >= 0 and m.end <= len(self.text)),
                               key=lambda m: (m.start, -m.end))
        self.actors = []
        for m in self.mentions:
            if m.type in ACTOR_TYPES:
                try:
                    k = key_of(m)
                except Exception:       # noqa: BLE001 - a resolver that fails on one mention
                    k = None
                if k is not None:
                    self.actors.append((m, k))
        self._actor_starts = [m.start for m, _ in self.actors]       # actors are in text order
        self.headings = {i for i, (s, e) in enumerate(article.paragraphs) if self._is_heading(s, e)}
        self._names = self._quoted_names()
        self.sents: list[_Sent] = []
        self._figure_spans: list[tuple[int, int]] = []

    # ---- paragraphs and names
    def _is_heading(self, s: int, e: int) -> bool:
        t = self.text[s:e].strip()
        if not t:
            return True
        if self.a.title and _strip_quotes(t) == _strip_quotes(self.a.title.strip()):
            return True
        return len(t) <= 40 and not re.search(r"[。！？!?；;]", t)

    def _quoted_names(self) -> list[str]:
        names = set()
        for m in re.finditer(r"《([^》\n]{2,60})》|“([^”\n]{2,20})”", self.text):
            inner = m.group(1) or m.group(2)
            if m.group(1) or not re.search(r"[，。；！？,;!?：:]", inner):
                names.add(_strip_quotes(inner))
        for m in self.mentions:
            if m.type in ("Program", "Policy", "Enterprise", "Institution"):
                names.add(_strip_quotes(m.canonical))
        return [n for n in names if re.search(r"[\d一二两三四五六七八九十百千万]", n)]

    def inside_name(self, s: int, e: int) -> bool:
        for m in self.mentions:
            if m.start <= s and e <= m.end:
                return True
        for k in (1, 2):
            left = self.text[max(0, s - k):e]
            right = self.text[s:e + k]
            for w in (left, right):
                if len(w) == e - s + k and re.fullmatch(r"[\u4e00-\u9fff\d.%]+", w):
                    if any(w in n for n in self._names):
                        return True
        return False

    # ---- sentences, clauses, topics
    def build(self, figure_spans: list[tuple[int, int]]) -> None:
        self._figure_spans = sorted(figure_spans)
        self._figure_starts = [s for s, _ in self._figure_spans]
        for i, s in enumerate(self.a.sentences):
            st = _Sent(i, s.start, s.end, s.paragraph)
            st.clauses = [_Clause(cs, ce, self) for cs, ce in self._clauses(s.start, s.end)]
            self.sents.append(st)

    def actors_starting(self, lo: int, hi: int) -> list:
        """The actors (mention, key) that start in [lo, hi), in text order."""
        return self.actors[bisect_left(self._actor_starts, lo):bisect_left(self._actor_starts, hi)]

    def _clauses(self, start: int, end: int) -> list[tuple[int, int]]:
        text = self.text
        cuts = [start]
        for m in _CLAUSE_CUT.finditer(text, start, end):
            cuts.append(m.end())
        cuts.append(end)
        out = []
        for a, b in zip(cuts, cuts[1:]):
            if b <= a:
                continue
            # 、 cuts when the pieces on both sides hold figures
            pieces = [a] + [m.end() for m in re.finditer("、", text[a:b])]
            pieces = [a] + [a + p for p in pieces[1:]] + [b]
            merged = [pieces[0]]
            for k in range(1, len(pieces) - 1):
                left = (merged[-1], pieces[k])
                right = (pieces[k], pieces[k + 1])
                if self._has_figure(*left) and self._has_figure(*right):
                    merged.append(pieces[k])
            merged.append(b)
            out.extend(zip(merged, merged[1:]))
        return out

    def _has_figure(self, a: int, b: int) -> bool:
        """Does a figure lie within [a, b)?"""
        spans, i = self._figure_spans, bisect_left(self._figure_starts, a)
        while i < len(spans) and spans[i][0] < b:
            if spans[i][1] <= b:
                return True
            i += 1
        return False

    def _prefix_is_open(self, a: int, b: int) -> bool:
        """True when text[a:b] holds only period phrases, connectives and quotes."""
        pre = self.text[a:b]
        for s, e, _ in sorted(_periods(pre), key=lambda x: -x[0]):
            lead = re.search(r"(?:早在|在|于|自|从)$", pre[:s])     # 在服务月期间
            pre = pre[:lead.start() if lead else s] + pre[e:]
        pre = pre.strip(" \u3000“”‘’\"'「」（）()—-，,；;：:。！？!?")
        changed = True
        while changed and pre:
            changed = False
            for c in CONNECTIVES:
                if pre.startswith(c):
                    pre = pre[len(c):].strip(" \u3000“”‘’\"'，,")
                    changed = True
        return pre == ""

    def _topics(self, c: _Clause) -> list:
        """The clause's topics: actors at its start (coordinated ones too), and anaphors."""
        out = []
        pos = c.start
        inside = self.actors_starting(c.start, c.end)
        for m, k in inside:
            if m.start < pos:
                continue
            if self._prefix_is_open(pos, m.start) or (out and re.fullmatch(
                    r"[、和及与,，\s]*", self.text[pos:m.start])):
                after = self.text[m.end:m.end + 4]
                if after.startswith("等"):
                    out = []                  # 甲、乙、丙等6家…: the things counted, not the actor
                    break
                if after.startswith(ROLE_AFTER):
                    break
                if any(m.start >= p.start and m.end <= p.end for p in self.mentions
                       if p.type == "Person"):
                    break
                out.append((m.start, k, m.type, m))
                pos = m.end
            else:
                break
        if not out:
            # anaphors at the clause start: 该区 全区 本市 / 本次招聘会 此次活动
            rest = self.text[c.start:c.end]
            for rx, kind in ((EVENT_ANAPHOR_RE, "event"), (ANAPHOR_RE, "place"), (FIRM_ANAPHOR_RE, "firm")):
                for m in rx.finditer(rest):
                    if self._prefix_is_open(c.start, c.start + m.start()):
                        out.append((c.start + m.start(), None, kind, m.groups() if kind == "place" else None))
                        break
                if out:
                    break
        return out

    # ---- subject resolution
    def _resolve_topic(self, t, before: int):
        off, key, kind, extra = t
        if key is not None:
            return key, kind
        if kind == "event":                    # 本次活动: in this paragraph or the one before
            i = self.a.sentence_at(off)
            para = self.sents[i].para if 0 <= i < len(self.sents) else 0
            after = self.a.paragraphs[max(0, para - 1)][0] if self.a.paragraphs else 0
            m = self._last_event_program(off, after)
            return (m, "Program") if m else (None, None)
        if kind == "firm":
            best = None
            for m, k in self.actors:
                if m.type == "Enterprise" and m.end <= off:
                    best = k
            return (best, "Enterprise") if best else (None, None)
        if kind == "place":
            # the last district of that level named before (该县 after 在和政县…), else
            # the article's main district
            det, level = extra
            suffixes = _LEVEL_SUFFIX.get(level, ())

            def fits(m):
                name = _strip_quotes(m.canonical)
                return name.endswith(suffixes) and not (level == "区" and name.endswith("自治区"))
            if det in "全本我":                  # 全区, 本市: the article's own place first
                if any(k == self.main and m.type == "District" and fits(m) for m, k in self.actors):
                    return self.main, "District"
            best = None
            for m, k in self.actors:
                if m.type == "District" and m.end <= off and fits(m):
                    best = k
            if best:
                return best, "District"
            if self.main:
                return self.main, "District"
        return None, None

    def _last_event_program(self, before: int, after: int = -1):
        best = None
        for m, k in self.actors:
            if m.type == "Program" and after <= m.start and m.end <= before and EVENT_RE.search(m.canonical):
                best = k
        return best

    def sentence_of(self, offset: int) -> _Sent | None:
        i = self.a.sentence_at(offset)
        return self.sents[i] if 0 <= i < len(self.sents) else None

    def subject(self, q_start: int, measure: str, st: _Sent, ci: int) -> str | None:
        text = self.text
        clause = st.clauses[ci]
        # a. pay belongs to the employer
        if PAY_RE.search(measure):
            pstart = self.a.paragraphs[st.para][0] if 0 <= st.para < len(self.a.paragraphs) else st.start
            best = None
            for m, k in self.actors:
                if m.type == "Enterprise" and pstart <= m.start and m.end <= q_start:
                    best = k
            if best:
                return best
        # b. the clause's own topic, before the number
        for t in clause.topics:
            if t[0] < q_start:
                k, _ = self._resolve_topic(t, q_start)
                if k:
                    return k
        # c. an event an earlier clause of the sentence holds (in the figure's own clause
        #    a named event is what is counted: 开展“就业援助月”活动13次)
        for m, k in reversed(self.actors):
            if m.type != "Program" or not (st.start <= m.start and m.end <= clause.start):
                continue
            if not EVENT_RE.search(m.canonical):
                continue
            lead = text[max(st.start, m.start - 10):m.start]
            lead = re.split(r"[，,；;：:]", lead)[-1]
            if any(v in lead for v in EVENT_VERBS) or any(
                    t[3] is m for c in st.clauses for t in c.topics):
                return k
        # d. earlier clauses of the sentence (nearest), then later ones
        for c in reversed(st.clauses[:ci]):
            for t in c.topics:
                k, _ = self._resolve_topic(t, q_start)
                if k:
                    return k
        for c in st.clauses[ci + 1:]:
            for t in c.topics:
                if t[2] in CARRIED_TYPES or t[2] == "place":
                    k, _ = self._resolve_topic(t, q_start)
                    if k:
                        return k
        # e. earlier sentences of the paragraph, later ones, earlier paragraphs
        same_para = [s for s in self.sents if s.para == st.para]
        earlier = [s for s in same_para if s.index < st.index]
        later = [s for s in same_para if s.index > st.index]
        for s in reversed(earlier):
            k = self._sentence_topic(s, q_start)
            if k:
                return k
        for s in later:
            k = self._sentence_topic(s, q_start)
            if k:
                return k
        for s in reversed([s for s in self.sents if s.para < st.para]):
            k = self._sentence_topic(s, q_start)
            if k:
                return k
        return self.main

    def _sentence_topic(self, st: _Sent, before: int) -> str | None:
        for c in st.clauses:
            for t in c.topics:
                if t[2] in CARRIED_TYPES or t[2] == "place":
                    k, _ = self._resolve_topic(t, min(before, c.end))
                    if k:
                        return k
        return None

    # ---- period
    def period(self, q_start: int, st: _Sent, ci: int) -> str | None:
        clause = st.clauses[ci]
        # in the figure's clause, the nearest before the number that is not part of a name
        # (举办2022年“…”活动: that year names the event)
        own = [p for p in _periods(self.text[clause.start:q_start])
               if not self.text[clause.start + p[1]:clause.start + p[1] + 1] in "“《"]
        if own:
            return own[-1][2]
        # an earlier clause of the sentence that opens with a period
        for c in reversed(st.clauses[:ci]):
            p = self._opening_period(c)
            if p:
                return p
        # an earlier sentence of the paragraph that opens with one (or ended with ；)
        para = st.para
        prev = [s for s in self.sents if s.para == para and s.index < st.index]
        while True:
            for s in reversed(prev):
                for c in s.clauses:
                    p = self._opening_period(c)
                    if p:
                        return p
            # a paragraph that opens with 同时/此外 … continues the one before
            first = next((s for s in self.sents if s.para == para), None)
            if first is None or not _CONTINUES.match(self.text, first.start) or para == 0:
                return None
            para -= 1
            prev = [s for s in self.sents if s.para == para]

    def _opening_period(self, c: _Clause) -> str | None:
        """A period that opens the clause, or follows only its subject (该中心今年…)."""
        found = _periods(self.text[c.start:c.end])
        if not found:
            return None
        at = c.start + found[0][0]
        if self._prefix_is_open(c.start, at) or re.fullmatch(r"[\s“”]*(?:早在|在|于|自|从)",
                                                               self.text[c.start:at]):
            return found[0][2]
        pre = self.text[c.start:at]
        for m, _ in self.actors:
            if c.start <= m.start and m.end <= at:
                pre = pre.replace(self.text[m.start:m.end], "", 1)
        pre = ANAPHOR_RE.sub("", FIRM_ANAPHOR_RE.sub("", pre))
        pre = re.sub(r"^(?:该|本|此)[\u4e00-\u9fff]{1,2}(?=$)", "", pre.strip())   # 该中心, 本单位
        if re.fullmatch(r"[\s、和及还也已将都]*", pre):
            return found[0][2]
        return None


# ------------------------------------------------------------------ measure

_GLUED = ("共计", "累计", "已经", "先后", "分别", "共", "已", "还", "也", "并", "均", "再", "又", "将")
_QUOTED_SEG = re.compile(r"“([^”\n]{1,20})”|《([^》\n]{1,40})》|「([^」\n]{1,20})」|‘([^’\n]{1,20})’")


def _tokens(s: str) -> list[tuple[str, str]]:
    """(word, tag) of s; a quoted name is one noun token (“技能提升”专项培训)."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _QUOTED_SEG.finditer(s):
        out += [(w, t) for w, t in tagged(s[pos:m.start()]) if w.strip() and w not in _QUOTES] if m.start() > pos else []
        inner = next(g for g in m.groups() if g)
        out.append((inner, "nz"))
        pos = m.end()
    if pos < len(s):
        out += [(w, t) for w, t in tagged(s[pos:]) if w.strip() and w not in _QUOTES]
    # a function word glued to a verb by the segmenter (共培养 -> 共 + 培养)
    split: list[tuple[str, str]] = []
    for w, t in out:
        lead = next((f for f in _GLUED if w.startswith(f) and w[len(f):] in PRED_VERBS), None)
        if lead and w not in PRED_VERBS:
            split += [(lead, "d"), (w[len(lead):], "v")]
        else:
            split.append((w, t))
    return split


def _is_function(w: str, t: str) -> bool:
    """A word that opens a phrase without belonging to it (已, 共, 为, 其中, 各类, 最终 …)."""
    return w in LEADING_WORDS or t.startswith(("p", "c", "u", "y", "r", "d"))


_LIST_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[、.．](?!\d)|[①-⑳])")


def _right_phrase(r: str) -> tuple[str, str, str]:
    """('np', noun phrase, '') or ('vp', verb phrase, object) or ('', '', '') for the text after the number."""
    r = re.split(r"[，；;：:。！？!?、（(…]|,(?!\d{3}(?!\d))", r, maxsplit=1)[0]
    toks = _tokens(r)
    if not toks:
        return "", "", ""
    w0, t0 = toks[0]
    nxt_nounish = len(toks) > 1 and _nounish(toks[1][1])
    complement = t0.startswith("a") and not nxt_nounish          # 100%公开
    if w0 in PRED_VERBS or complement or (_is_pred(w0, t0) and not nxt_nounish):
        # number + verb (+ object)
        i = 0
        verb = []
        while i < len(toks) and (i == 0 or ((_is_pred(*toks[i]) or toks[i][1].startswith("u"))
                                             and not _nounish(toks[i][1]))):
            verb.append(toks[i][0])
            i += 1
        obj = _noun_chunk(toks[i:])
        verb_s = "".join(verb).rstrip("了着过")
        if not obj and i < len(toks):           # 实现再就业: the verb phrase itself
            rest = []
            for w, t in toks[i:]:
                if t.startswith(("p", "c", "m", "q", "r", "y")) or w in ("等", "的"):
                    break
                rest.append(w)
            if rest:
                return "vp", verb_s + "".join(rest), ""
        return "vp", verb_s, obj
    np = _noun_chunk(toks)
    if np and not any(_nounish(t) for w, t in _tokens(np)):
        return "vp", np, ""                   # 56人就业: a verbal noun alone is the event
    return ("np", np, "") if np else ("", "", "")


def _noun_chunk(toks: list[tuple[str, str]]) -> str:
    """The noun phrase at the start of toks: it ends where a predicate starts."""
    out: list[tuple[str, str]] = []
    seen_noun = False
    for i, (w, t) in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if w in STOP_WORDS or w in ("与", "同", "和", "及", "或", "向", "对", "为", "在", "到", "从", "给"):
            break
        if w == "的" or (w == "之" and nxt is not None and _nounish(nxt[1])):
            out.append((w, t))
            continue
        if t.startswith(("p", "c", "d", "m", "q", "r", "y", "e", "o", "u")):
            break
        if w in PRED_VERBS and out:
            break
        if _nounish(t) or w in KEEP_VERBS:
            out.append((w, t))
            seen_noun = seen_noun or _nounish(t)
            continue
        if t.startswith("v") or w in PRED_VERBS:
            if nxt is not None and (_nounish(nxt[1]) or nxt[0] in KEEP_VERBS):
                # a verb that modifies a noun: 返乡人员 at the start, 带岗活动 (one-character
                # verb + noun) and 高技能焊工人才 (the next noun ends the phrase) inside;
                # otherwise after a noun a verb starts the predicate (投身电商创业)
                last = i + 2 >= len(toks) or not _nounish(toks[i + 2][1])
                if not seen_noun or (len(w) == 1 and len(nxt[0]) == 1) or (w not in PRED_VERBS and last):
                    out.append((w, t))        # …焊工人才: a noun ends the phrase right after
                    continue
            break
        if t.startswith("a") or t.startswith(("f", "s", "t")):
            out.append((w, t))
            continue
        break
    # end on a noun: trim a trailing 的, modifier or verb (用人单位进场招聘 -> 用人单位进场)
    while out and (out[-1][0] == "的" or not _nounish(out[-1][1])) and \
            any(_nounish(t) for _, t in out[:-1]):
        out.pop()
    while out and (out[-1][0] == "的" or not (_nounish(out[-1][1]) or out[-1][0] in KEEP_VERBS)):
        out.pop()
    s = "".join(w for w, _ in out)
    if "的" in s:
        s = s.rsplit("的", 1)[1]
    return s


_COPULAS = ("达到", "分别为", "分别达", "已达", "高达", "多达", "就有", "人数为", "保持在", "控制在", "达", "为", "是", "有")


def _left_object(l: str) -> tuple[str, bool, str]:
    """(measure, has_predicate_object, trailing noun phrase) from the text before the number."""
    l = _LIST_MARKER.sub("", l.rstrip())
    stripped = _strip_trailing(l)
    copula = any(l[len(stripped):].startswith(c) or l[len(stripped):].endswith(c) for c in _COPULAS) \
        and len(stripped) < len(l)
    toks = _tokens(stripped)
    # after an enumeration, the head noun: …稳岗返还等各项纾困资金 -> 纾困资金
    cut = max((i for i, (w, _) in enumerate(toks) if w in ("等", "等等")), default=-1)
    if cut >= 0:
        toks = toks[cut + 1:]
    while toks and (_is_function(*toks[0]) or toks[0][1].startswith(("m", "q"))):
        toks = toks[1:]
    if not toks:
        return "", False, ""
    words = [w for w, _ in toks]
    obj_from = None
    if not copula:
        # the object after the first chain of predicate verbs (发放|职业技能提升补贴,
        # 组织开展|招聘活动): a listed verb not preceded by a noun, or a verb by its tag when
        # it opens the phrase (评出|一等奖); 带动就业, 参加招聘 keep their verb
        first = None
        for i, (w, t) in enumerate(toks):
            after_noun = i > 0 and (_nounish(toks[i - 1][1]) or toks[i - 1][0] in KEEP_VERBS)
            if w in PRED_VERBS and not after_noun and any(ww not in PRED_VERBS for ww, _ in toks[i + 1:]):
                first = i          # (a verb after a noun is inside the phrase: 技能提升补贴)
                break
        if first is None and _is_pred(*toks[0]) and any(_nounish(tt) for _, tt in toks[1:]):
            first = 0
        if first is not None:
            k = first + 1
            while k < len(toks) - 1 and (toks[k][0] in PRED_VERBS or _is_pred(*toks[k])) and \
                    not _nounish(toks[k][1]):
                k += 1
            rest = toks[k:]
            if not (len(rest) == 1 and rest[0][0] in VERBAL_OBJECTS):
                obj_from = k
    if obj_from is not None:
        obj = toks[obj_from:]
        while obj and (obj[0][0] in LEADING_WORDS or obj[0][1].startswith(("p", "c", "u", "y", "r"))
                       or (obj[0][1] == "d" and len(obj[0][0]) == 1)):
            obj = obj[1:]                     # (一次性扩岗补助 keeps its 一次性)
        m = "".join(w for w, _ in obj)
        has_obj = bool(m)
        if not m:                             # 员工占比: no object, the whole phrase
            m = "".join(words)
    else:
        m = "".join(words)
        has_obj = False
    if "的" in m and not m.endswith("的"):
        m = m.rsplit("的", 1)[1]
    # trailing noun phrase (for 就业服务做到100%到位): the last nouns
    tail = []
    for w, t in reversed(toks):
        if _nounish(t) or w in KEEP_VERBS:
            tail.insert(0, w)
            if len(tail) == 2:
                break
        else:
            break
    if obj_from is None and all(w in PRED_VERBS for w in words):
        return "", False, ""
    return m, has_obj, "".join(tail)


def _measure(doc: _Doc, clause_start: int, clause_end: int, q_start: int, q_end: int,
             prev_end: int, next_start: int) -> str:
    text = doc.text
    l_from = max(clause_start, prev_end)
    if prev_end > clause_start:
        # the noun right after the previous figure is that figure's (为1500家企业|返还…)
        kind, np, _ = _right_phrase(text[prev_end:q_start])
        if kind == "np" and np:
            at = text.find(np, prev_end, q_start)
            if at >= 0:
                l_from = at + len(np)
    # the subject is not part of the measure: start after the last actor in the left part
    for m, _ in doc.actors_starting(l_from, q_start):
        if l_from <= m.start and m.end <= q_start and m.type != "Program":
            l_from = m.end
    # nor an anaphor standing for it (该区, 全市, 本次活动, 该公司)
    for rx in (EVENT_ANAPHOR_RE, ANAPHOR_RE, FIRM_ANAPHOR_RE):
        for m in rx.finditer(text, l_from, q_start):
            l_from = max(l_from, m.end())
    # nor is the period
    left = text[l_from:q_start]
    ps = _periods(left)
    if ps:
        left = left[ps[-1][1]:]
    right = text[q_end:min(clause_end, next_start)]
    # a place at the start of the noun phrase is whose, not what (西双版纳州贫困户)
    for m, _ in doc.actors_starting(q_end, q_end + 1):
        if m.type in ("District", "Agency"):
            rest = text[m.end:min(clause_end, next_start)]
            if rest and re.match(r"[\u4e00-\u9fff]", rest):
                right = rest
    kind, a, b = _right_phrase(right)
    if kind == "np":
        return _clean(a)
    lobj, has_obj, tail = _left_object(left)
    if has_obj:
        return _clean(lobj)
    if kind == "vp":
        if b:
            return _clean(b)
        return _clean((tail or "") + a)
    if lobj:
        return _clean(lobj)
    return _clean(a)


# ------------------------------------------------------------------ entry point

def extract_figures(article: Article, mentions: list[Mention], main_subject: str | None,
                    key_of: Callable[[Mention], str | None]) -> list[Figure]:
    """The figures of `article` (see the module doc)."""
    doc = _Doc(article, mentions, main_subject, key_of)
    found: list[tuple[Quantity, int, int]] = []
    for pi, (ps, pe) in enumerate(article.paragraphs):
        if pi in doc.headings:
            continue
        for q in find_quantities(article.text[ps:pe]):
            s, e = ps + q.start, ps + q.end
            if doc.inside_name(s, e):
                continue
            found.append((q, s, e))
    doc.build([(s, e) for _, s, e in found])
    figures = []
    for n, (q, s, e) in enumerate(found):
        st = doc.sentence_of(s)
        if st is None:
            continue
        ci = next((i for i, c in enumerate(st.clauses) if c.start <= s < c.end), len(st.clauses) - 1)
        clause = st.clauses[ci]
        prev_end = max([fe for _, fs, fe in found if clause.start <= fs and fe <= s] or [clause.start])
        next_start = min([fs for _, fs, fe in found if e <= fs < clause.end] or [clause.end])
        measure = _measure(doc, clause.start, clause.end, s, e, prev_end, next_start)
        if not measure and figures and figures[-1].sentence == st.index and \
                re.fullmatch(r"[、，,和及与\s]*", article.text[figures[-1].end:s]):
            measure = figures[-1].measure        # 建档立卡户326户、1052人: the same thing again
        subject = doc.subject(s, measure, st, ci)
        period = doc.period(s, st, ci)
        figures.append(Figure(
            value=q.value, unit=q.unit, text=article.text[clause.start:clause.end].strip("，,；;：:。！？!?…、 "),
            start=s, end=e, approx=q.approx, measure=measure, subject=subject, period=period,
            sentence=st.index, raw=q.raw))
    return figures
