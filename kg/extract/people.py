"""People: officials by their posts, people quoted in stories, authors and editors.

A personal name is a surname from the list of common Chinese surnames plus one
or two given-name characters, believed only in a frame that marks a person:
1. a post right before it, the post's body before that: 吴江区人社局局长张燕,
   党组成员、区就业服务中心主任薛建军 (role 主任, affiliation the nearest body);
2. a speech verb right after it (耿巍表示, 李丽说/介绍), with an age or a
   group word before it (36岁的耿巍, 退役军人李泽经: role 退役军人);
3. the article's credits (作者, 编辑, 责编), read by articles.py, and a byline in
   brackets at the head of the body (郑州日报讯（记者 赵一鸣 通讯员 郭晓娜）);
4. a word for what a person is in the story (毕业生, 学员, 村民, 居民, 求职者) right
   before the name, as a role: 2023届毕业生杨思琪, 村民于长海说.
A post whose body is named by an anaphor (该公司负责人, 公司人事经理, 该中心主任)
belongs to the last body of that kind named before. One name is one person: a
later bare mention (陈国梁表示) takes the post and body of the first.
Honorifics (李先生, 张女士, 王师傅) are not names.
"""
from __future__ import annotations

import re

from ..model import Article, Mention
from ..segment import word_tag

SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强"
    "帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓"
    "修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植"
    "衡富尧闭由")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "夏侯")
POSTS = ("党组书记", "党委书记", "党工委书记", "副书记", "书记", "党组成员", "党委委员", "副局长", "局长",
         "副主任", "主任", "副科长", "科长", "副处长", "处长", "副部长", "部长", "副厅长", "厅长",
         "副区长", "区长", "副县长", "县长", "副市长", "市长", "副镇长", "镇长", "乡长", "街道主任",
         "副主席", "主席", "董事长", "副总经理", "总经理", "经理", "副校长", "校长", "副院长", "院长",
         "所长", "站长", "首席技师", "负责人", "记者", "通讯员", "社长", "总监", "会长", "秘书长",
         "队长", "专干", "干事", "馆长", "理事长", "创始人", "厂长", "村支书", "支部书记", "老师", "教授",
         "技师", "工作人员", "就业指导师", "职业指导师", "主管")
# What a person is in the story, standing where a post stands (2023届毕业生杨思琪).
PEOPLE_NOUNS = ("毕业生", "学员", "村民", "居民", "求职者", "大学生")
SPEECH = ("表示", "说", "介绍", "感慨", "指出", "认为", "强调", "坦言", "告诉", "称", "谈到", "希望",
          "笑着", "高兴", "回忆", "透露", "则")
# What follows an official's name in news: 出席/主持/调研/带队 … (general news verbs).
AFTER_NAME = ("在", "等", "带", "和", "与", "也", "的", "同志", "一行", "出席", "参加", "主持", "调研",
              "率队", "陪同", "走访", "深入", "检查", "讲话", "致辞", "作", "到", "来", "赴", "对", "就",
              "宣布", "解读", "发布", "代表", "为", "向", "表彰", "颁发", "会见", "看望", "慰问", "当选",
              "命名")
HONORIFICS = ("先生", "女士", "师傅", "同志", "老师", "小姐", "阿姨", "大爷", "大妈", "老人")
_POST_RE = re.compile("(" + "|".join(sorted(POSTS + PEOPLE_NOUNS, key=len, reverse=True)) + ")")
# An anaphor for the body a post belongs to: 该公司负责人, 公司人事经理, 该中心主任.
_ORG_ANAPHOR = re.compile(r"(?:该|本|这家|此)?(公司|企业|集团|中心|局|站|所)[\u4e00-\u9fff]{0,6}$")
_BYLINE_RE = re.compile(r"[（(]((?:\s*(?:记者|通讯员|特约记者|见习记者|实习生)\s*(?:[\u4e00-\u9fff]{2,3}\s*)+)+)[）)]")
_BYLINE_ROLE = re.compile(r"记者|通讯员|特约记者|见习记者|实习生")
_SPEECH_RE = "|".join(SPEECH)
_HAN = "[\u4e00-\u9fff]"


def _given_name(text: str, pos: int) -> str | None:
    """The personal name starting at pos (surname + 1–2 characters), or None."""
    sn = 2 if text.startswith(COMPOUND_SURNAMES, pos) else 1
    if sn == 1 and text[pos:pos + 1] not in SURNAMES:
        return None
    if text.startswith(HONORIFICS, pos + sn):
        return None                       # 李先生, 张女士: no name given
    for length in (sn + 2, sn + 1):
        name = text[pos:pos + length]
        if len(name) < length or not re.fullmatch(f"{_HAN}+", name):
            continue
        rest = text[pos + length:]
        if rest.startswith(HONORIFICS):
            return name                   # 王明先生, 王明同志: a full name before the honorific
        if length == sn + 2 and (name[-1] in "表说介感指认强坦告称谈希笑高回透则在等带和与、，。的也" or
                                 rest.startswith(("书记", "局长", "主任"))):
            continue
        if not rest or not re.match(_HAN, rest[0]) or rest.startswith(SPEECH) or \
                rest.startswith(AFTER_NAME):
            return name
    return None


def _looks_like_name(name: str) -> bool:
    """Not an ordinary word (宣传介绍 is no person): jieba knows it as a name or not at all."""
    tag = word_tag(name)
    return tag is None or tag.startswith("nr")


def find_people(article: Article, orgs: list[Mention], groups: list[Mention]) -> list[Mention]:
    text = article.text
    out: list[Mention] = []

    def add(name: str, start: int, role: str | None, affiliation: Mention | None, how: str):
        if any(m.start < start + len(name) and start < m.end for m in out):
            return
        out.append(Mention("Person", name, start, start + len(name), name=name,
                           attrs={"role": role, "affiliation": affiliation, "how": how}))

    for m in _POST_RE.finditer(text):
        name = _given_name(text, m.end())
        if not name:
            continue
        if not _looks_like_name(name) and not text.startswith(SPEECH, m.end() + len(name)):
            continue                      # 书记项目: 项 is a surname, 项目 a word
        before = [o for o in orgs if o.end <= m.start() and m.start() - o.end <= 12
                  and "。" not in text[o.end:m.start()]]
        aff = before[-1] if before else _anaphoric_body(text, m.start(), orgs)
        add(name, m.end(), m.group(), aff, "post")

    for m in re.finditer(f"(?:(\\d+|[一二三四五六七八九十]+)岁的)?({_HAN}{{2,4}}?)(?={_SPEECH_RE})", text):
        name = _given_name(text, m.start(2))
        if not name or name != m.group(2):
            continue
        prev = text[max(0, m.start(2) - 1):m.start(2)]
        group = next((g for g in groups if g.end == m.start(2)), None)
        if not _looks_like_name(name):
            continue
        if m.group(1) or group or prev in ("”", "。", "，", "\n", "") or m.start(2) == 0:
            role = group.canonical if group else _story_group(groups, m.start(2))
            add(name, m.start(2), role, None, "speech")

    for m in re.finditer(f"以({_HAN}{{2,4}}?)(?:同志)?命名的", text):   # 以邹丰恒命名的…工作室
        name = _given_name(text, m.start(1))
        if name and name == m.group(1):
            studio = re.match(f"{_HAN}{{0,16}}?(?:工作室|创新室|服务站)", text[m.end():])
            post = _POST_RE.search(studio.group()) if studio else None
            add(name, m.start(1), post.group() if post else None, None, "named")

    for g in groups:                       # 退役军人李泽经则希望
        name = _given_name(text, g.end)
        if name and any(text.startswith(s, g.end + len(name)) for s in SPEECH):
            add(name, g.end, g.canonical, None, "group")
    # one name, one person: a bare later mention takes the first one's post and body
    first = {}
    for m in sorted(out, key=lambda m: m.start):
        f = first.setdefault(m.name, m)
        if f is not m and m.attrs.get("affiliation") is None and f.attrs.get("affiliation") is not None:
            m.attrs["affiliation"] = f.attrs["affiliation"]
            m.attrs["role"] = f.attrs.get("role")
    return out


def _anaphoric_body(text: str, post_start: int, orgs: list[Mention]) -> Mention | None:
    """The body an anaphor before a post stands for (该公司负责人 -> the last company named)."""
    lead = re.split(r"[，,。；;：:！？!?”“\n]", text[max(0, post_start - 10):post_start])[-1]
    m = _ORG_ANAPHOR.search(lead)
    if not m or m.start() > 0:
        return None                      # the anaphor must open the phrase before the post
    head = m.group(1)
    firm = head in ("公司", "企业", "集团")
    for o in sorted((o for o in orgs if o.end <= post_start), key=lambda o: o.end, reverse=True):
        if firm and o.type == "Enterprise":
            return o
        if not firm and o.type == "Agency" and o.canonical.endswith(head):
            return o
    return None


def _story_group(groups: list[Mention], pos: int, reach: int = 300) -> str | None:
    """A person quoted as an example, with no post, stands for the group the
    story just spoke of (…帮助创业者… 36岁的耿巍表示… -> 创业者): the nearest
    target group named before them, within a few sentences."""
    before = [g for g in groups if g.end <= pos and pos - g.end <= reach]
    return before[-1].canonical if before else None


def credited_people(article: Article) -> list[Mention]:
    """People the article credits: bylines and editors from the metadata (no position
    in the text), and a bracketed byline that opens a paragraph of the body
    (郑州日报讯（记者 赵一鸣 通讯员 郭晓娜）1月28日，…): the first 40 characters only,
    where a dateline stands."""
    out = [Mention("Person", c.name, -1, -1, name=c.name, attrs={"role": _credit_role(c.role), "credit": True})
           for c in article.credits]
    for ps, pe in article.paragraphs:
        m = _BYLINE_RE.search(article.text, ps, min(pe, ps + 40))
        if not m:
            continue
        role = None
        for tok in re.finditer(r"记者|通讯员|特约记者|见习记者|实习生|[\u4e00-\u9fff]{2,3}", m.group(1)):
            word, at = tok.group(), m.start(1) + tok.start()
            if _BYLINE_ROLE.fullmatch(word):
                role = word
            elif role and (word[0] in SURNAMES or word.startswith(COMPOUND_SURNAMES)):
                out.append(Mention("Person", word, at, at + len(word), name=word,
                                   attrs={"role": _credit_role(role), "credit": True}))
    return out


def _credit_role(role: str) -> str:
    for r in ("责编", "编辑", "记者", "通讯员", "摄影", "审核", "校对", "作者"):
        if r in role:
            return r
    return role or "作者"
