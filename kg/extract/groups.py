"""Target groups: the people services aim at (高校毕业生, 就业困难人员, 退役军人 …).

A vocabulary of the standard categories of Chinese employment policy, matched
longest first, plus the head-noun grammar for the open class: a place-origin
word before 务工人员 (来沪务工人员) or a modifier before 毕业生/农民工.
Synonyms that policy writing uses interchangeably map to one name.
"""
from __future__ import annotations

import re

from ..model import Article, Mention

GROUPS = (
    "高校毕业生", "应届高校毕业生", "高校应届毕业生", "应届毕业生", "离校未就业高校毕业生",
    "未就业高校毕业生", "未就业毕业生", "困难家庭毕业生", "户籍毕业生", "就业困难高校毕业生",
    "就业困难人员", "就业困难群体", "重点就业困难群体", "失业人员", "城镇失业人员", "失业登记人员",
    "长期失业人员", "失无业人员", "退役军人", "农民工", "新生代农民工", "农村劳动力", "城乡劳动力",
    "农村转移就业劳动者", "脱贫劳动力", "脱贫人口", "贫困劳动力", "贫困户", "零就业家庭", "残疾人",
    "返乡人员", "返乡创业人员", "外出务工人员", "务工人员", "退捕渔民", "创业者", "重点群体",
    "重点就业群体", "重点人群", "灵活就业人员", "低保对象", "技能人才", "高技能人才", "求职者",
    "大学生", "毕业生", "城乡劳动者", "新就业形态劳动者", "妇女", "青年", "困难人员", "就困", "应届生",
    # more standard categories of employment-assistance policy (any province's)
    "大龄失业人员", "失业青年", "低保家庭", "低保家庭成员", "农牧民", "留守妇女", "农村留守妇女",
    "城镇登记失业人员", "零就业家庭成员",
)
SYNONYMS = {
    "大学生": "高校毕业生", "就困": "就业困难人员", "就业困难群体": "就业困难人员",
    "重点就业困难群体": "就业困难人员", "困难人员": "就业困难人员", "重点群体": "重点就业群体",
    "重点人群": "重点就业群体", "应届生": "应届毕业生", "未就业毕业生": "未就业高校毕业生",
}
# Qualifiers that do not make another group: 应届 (this year's) 高校毕业生 are the
# 高校毕业生 the article talks about; 外出务工人员 are its 务工人员.
GENERIC_QUALIFIERS = ("应届", "外出", "广大", "各类", "全体")
SYNONYMS.update({"毕业生": "高校毕业生", "应届生": "高校毕业生", "应届毕业生": "高校毕业生"})


def canonical_group(surface: str) -> str:
    """The group a surface form names: qualifiers dropped, synonyms mapped."""
    name = surface
    for q in GENERIC_QUALIFIERS:
        rest = name.replace(q, "", 1)
        if rest != name and len(rest) >= 2 and (rest in GROUPS or rest in SYNONYMS):
            name = rest
    return SYNONYMS.get(name, name)


_RE = re.compile("(来[\u4e00-\u9fff]务工人员|" + "|".join(sorted(GROUPS, key=len, reverse=True)) + ")")


def find_groups(article: Article) -> list[Mention]:
    out = []
    for m in _RE.finditer(article.text):
        surface = m.group()
        out.append(Mention("TargetGroup", surface, m.start(), m.end(), name=canonical_group(surface),
                           attrs={"aliases": {surface}}))
    return out
