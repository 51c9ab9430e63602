"""kg.extract.figures: statistics with measure, subject and period.

Most tests are sentences written in the style of employment-service news (not
taken from the seeds); the last one runs the extractor over the seed articles
and compares with the gold figures.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import pytest

from kg.extract.figures import extract_figures
from kg.model import Article, Mention, Sentence

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "gold"


# ---------------------------------------------------------------- helpers of this test

def article(text: str, title: str | None = None) -> Article:
    """Paragraphs are lines; sentences end at 。！？； or …… (closing quotes kept)."""
    paras = text.split("\n")
    full = "\n".join(paras)
    spans, sents, pos = [], [], 0
    for i, p in enumerate(paras):
        spans.append((pos, pos + len(p)))
        for m in re.finditer(r"[^。！？；…]+(?:[。！？；]|…+)?[”’」）)]*", p):
            if m.group().strip():
                sents.append(Sentence(m.group(), pos + m.start(), pos + m.end(), i))
        pos += len(p) + 1
    return Article(source_file="t.txt", path="t.txt", text=full, paragraphs=spans, sentences=sents,
                   content_hash=hashlib.sha256(full.encode()).hexdigest(), title=title)


def mentions(a: Article, spec) -> list[Mention]:
    """Mentions of every occurrence of each (type, surface[, name]); longest first."""
    out: list[Mention] = []
    for item in sorted(spec, key=lambda x: -len(x[1])):
        typ, surface = item[0], item[1]
        name = item[2] if len(item) > 2 else surface
        for m in re.finditer(re.escape(surface), a.text):
            if not any(x.start < m.end() and m.start() < x.end for x in out):
                out.append(Mention(typ, surface, m.start(), m.end(), name=name))
    return sorted(out, key=lambda m: m.start)


def run(text: str, spec=(), main: str | None = None, title: str | None = None):
    a = article(text, title)
    return extract_figures(a, mentions(a, spec), main, lambda m: m.canonical)


def by_raw(figs):
    out = {}
    for f in figs:
        out.setdefault(f.raw, f)
    return out


# ---------------------------------------------------------------- values, text, offsets

def test_value_unit_approx_raw_and_offsets():
    text = "今年以来，平湖市累计发放创业担保贷款1.36亿元，扶持创业1150人，带动就业3400余人。"
    figs = run(text, [("District", "平湖市")], "平湖市")
    assert [(f.value, f.unit, f.approx) for f in figs] == [
        (136000000, "元", False), (1150, "人", False), (3400, "人", True)]
    for f in figs:
        assert text[f.start:f.end] == f.raw
        assert f.raw in f.text and f.text in text
        assert f.sentence == 0
    assert figs[0].text == "平湖市累计发放创业担保贷款1.36亿元"


def test_non_figures_are_skipped():
    text = ("2023年5月18日，36岁的刘女士参加了第二期培训，历时5天，"
            "掌握了一技之长，在一家企业找到工作，月薪4000元。")
    assert [(f.value, f.unit) for f in run(text, main="X区")] == [(4000, "元")]


def test_every_occurrence_counts():
    text = "一季度新增就业1200人。\n上半年新增就业2600人，其中一季度新增就业1200人。"
    assert [f.value for f in run(text, main="X区")] == [1200, 2600, 1200]


def test_headings_are_not_read():
    text = "“三个100%”护航毕业生就业\n实现就业100%，服务岗位3000个\n今年全区共提供就业岗位3000个，毕业生就业率达100%。"
    figs = run(text, main="X区", title="“三个100%”护航毕业生就业")
    assert [(f.value, f.unit) for f in figs] == [(3000, "个"), (100, "%")]
    assert all(f.sentence == 2 for f in figs)


def test_numbers_inside_names_are_skipped():
    text = ("该区推行“12345”服务法，打造“15分钟就业服务圈”，启动“双千”工程。"
            "按照《2023年稳就业十条措施》，落实十条措施，共培训1200人。")
    figs = run(text, [("Program", "“双千”工程", "双千工程"), ("Policy", "2023年稳就业十条措施")], "X区")
    assert [(f.value, f.unit) for f in figs] == [(1200, "人")]


def test_a_mention_covering_a_number_hides_it():
    text = "白云区“1+3+N”就业服务体系成效明显，今年服务群众9800人次。"
    figs = run(text, [("District", "白云区"), ("Program", "“1+3+N”就业服务体系", "1+3+N就业服务体系")], "白云区")
    assert [(f.value, f.unit) for f in figs] == [(9800, "人次")]


def test_clause_splits_on_enumeration_comma_only_between_figures():
    text = "全年培训农民工5600人，其中电商培训1200人、家政培训860人、焊工培训540人。"
    figs = run(text, main="X县")
    assert [f.text for f in figs] == ["全年培训农民工5600人", "其中电商培训1200人", "家政培训860人", "焊工培训540人"]
    text = "组织汽修、焊接、家政等12个工种开展培训。"
    assert run(text, main="X县")[0].text == "组织汽修、焊接、家政等12个工种开展培训"


# ---------------------------------------------------------------- measure

@pytest.mark.parametrize("text, raw, measure", [
    # verb + object + number + unit
    ("全年开展就业政策宣讲420场次", "420场次", "就业政策宣讲"),
    ("办理就业登记5320人", "5320人", "就业登记"),
    ("累计输转农村劳动力12.6万人", "12.6万人", "农村劳动力"),
    ("核发一次性扩岗补助85万元", "85万元", "一次性扩岗补助"),
    ("共计收到求职简历860余份", "860余份", "求职简历"),
    # number + unit + noun
    ("现场提供1800个技术岗位", "1800个", "技术岗位"),
    ("举办15场直播带岗活动", "15场", "直播带岗活动"),
    ("惠及600余家小微企业", "600余家", "小微企业"),
    ("为320名退役军人提供就业指导", "320名", "退役军人"),
    ("共有86家企业进场招聘", "86家", "企业"),
    ("帮助46名低保户实现就业", "46名", "低保户"),
    ("38名返乡青年投身电商创业", "38名", "返乡青年"),
    # noun + 达/为 + number
    ("进场求职人员达4100余人", "4100余人", "进场求职人员"),
    ("城镇调查失业率为5.1%", "5.1%", "城镇调查失业率"),
    ("培训合格率达97%", "97%", "培训合格率"),
    ("参训学员的就业率达92%", "92%", "就业率"),
    ("平均月薪就有5500多元", "5500多元", "平均月薪"),
    # an enumeration before the head noun
    ("发放社保补贴、岗位补贴等各类就业补助资金3260万元", "3260万元", "就业补助资金"),
    ("开设育婴员、电工、面点师等职业技能培训班32期", "32期", "职业技能培训班"),
    # number + verb
    ("280人参加“技能提升”专项培训", "280人", "技能提升专项培训"),
    ("分管领导先后4次调研", "4次", "调研"),
    ("帮助其中52人实现再就业", "52人", "实现再就业"),
    ("用人单位招聘信息做到100%公开", "100%", "招聘信息公开"),
])
def test_measure(text, raw, measure):
    f = by_raw(run(text + "。", main="X区"))[raw]
    assert f.measure == measure


def test_measure_after_the_subject_and_period():
    figs = run("2022年，武侯区人社局开展职业指导服务1.8万人次。", [("Agency", "武侯区人社局")], "武侯区")
    assert figs[0].measure == "职业指导服务"


def test_measure_drops_a_leading_place():
    figs = run("共有65名凉山州务工人员来到园区就业。", [("District", "凉山州")], "X区")
    assert figs[0].measure == "务工人员"


def test_measure_of_two_figures_in_one_clause():
    figs = run("活动共推送300余家企业约4200个岗位。", main="X区")
    assert [f.measure for f in figs] == ["企业", "岗位"]


def test_a_bare_number_after_a_figure_counts_the_same_thing():
    figs = run("全镇有低保户215户、487人。", main="X镇")
    assert [f.measure for f in figs] == ["低保户", "低保户"]


# ---------------------------------------------------------------- subject

def test_subject_is_the_clause_topic():
    text = "截至6月底，梅江区人社局发放稳岗返还资金2300万元，惠及企业1200家。"
    figs = run(text, [("Agency", "梅江区人社局"), ("District", "梅江区")], "梅州市")
    assert {f.subject for f in figs} == {"梅江区人社局"}


def test_objects_and_enumerated_members_are_not_subjects():
    text = ("同时，与黔东南州人社局等5地人社部门签订劳务协作协议，"
            "组织比亚迪、立讯精密等12家企业开展岗位对接。")
    spec = [("Agency", "黔东南州人社局"), ("Enterprise", "比亚迪"), ("Enterprise", "立讯精密"),
            ("District", "龙华区")]
    figs = run("龙华区积极拓展劳务协作渠道。\n" + text, spec, "深圳市")
    assert [f.subject for f in figs] == ["龙华区", "龙华区"]


def test_subject_carries_over_within_the_paragraph_and_across():
    text = ("今年以来，海沧区人社局深入开展稳就业行动。据统计，共组织招聘会46场，"
            "提供岗位1.5万个。\n同时，办理失业登记620人。")
    figs = run(text, [("Agency", "海沧区人社局"), ("District", "海沧区")], "厦门市")
    assert [f.subject for f in figs] == ["海沧区人社局"] * 3


def test_a_topic_later_in_the_sentence_or_paragraph():
    text = "3200余名群众找到工作、150家企业招到员工……今年以来，青秀区持续实施就业服务提质行动。"
    figs = run(text, [("District", "青秀区")], "南宁市")
    assert [f.subject for f in figs] == ["青秀区", "青秀区"]


def test_person_affiliation_is_not_a_topic():
    text = ("“去年我们帮助210名残疾人实现就业。”惠阳区就业服务中心主任李强介绍，"
            "今年惠阳区将继续开展专项帮扶。")
    spec = [("Agency", "惠阳区就业服务中心"), ("District", "惠阳区"), ("Person", "李强")]
    figs = run("惠州市持续做好就业援助工作。\n" + text, spec, "惠州市")
    assert figs[0].subject == "惠阳区"


def test_the_event_a_sentence_holds_owns_its_results():
    text = ("3月8日，武昌区举办“春暖巾帼”女性专场招聘会，共有86家企业参会，"
            "提供岗位2300余个，现场达成意向420人。")
    spec = [("District", "武昌区"), ("Program", "“春暖巾帼”女性专场招聘会", "春暖巾帼女性专场招聘会")]
    figs = run(text, spec, "武汉市")
    assert [f.subject for f in figs] == ["春暖巾帼女性专场招聘会"] * 3


def test_an_event_counted_in_its_own_clause_is_not_the_subject():
    text = "今年以来，鼓楼区人社局开展“就业援助月”活动13次。"
    spec = [("Agency", "鼓楼区人社局"), ("Program", "“就业援助月”活动", "就业援助月活动")]
    assert run(text, spec, "鼓楼区")[0].subject == "鼓楼区人社局"
    text = "今年以来，各街道开展“就业援助月”活动13次。"
    assert run(text, spec, "鼓楼区")[0].subject == "鼓楼区"


def test_a_plan_is_not_an_event():
    text = "嘉定区深入实施“技能嘉定”行动计划，全区开展补贴性培训3.2万人次。"
    spec = [("District", "嘉定区"), ("Program", "“技能嘉定”行动计划", "技能嘉定行动计划")]
    assert run(text, spec, "嘉定区")[0].subject == "嘉定区"


def test_event_anaphor_points_back_to_the_event():
    text = ("近日，柯桥区2023年“春风行动”退役军人专场招聘活动落下帷幕。"
            "据统计，本次活动历时3天，参与企业42家，提供岗位860个。")
    spec = [("District", "柯桥区"),
            ("Program", "“春风行动”退役军人专场招聘活动", "春风行动退役军人专场招聘活动")]
    figs = run(text, spec, "柯桥区")
    assert [(f.value, f.subject) for f in figs] == [(42, "春风行动退役军人专场招聘活动"),
                                                     (860, "春风行动退役军人专场招聘活动")]


def test_place_anaphor_points_to_the_last_place_of_its_level():
    text = ("临夏州加快培训步伐。在和政县买家集镇，培训老师正在授课。\n"
            "该县坚持订单培训，全年完成职业技能培训6200人。")
    spec = [("District", "临夏州"), ("District", "和政县"), ("District", "买家集镇")]
    assert run(text, spec, "临夏州")[0].subject == "和政县"
    # a place of another level is not what 该区 stands for
    text = ("城关区稳步推进技能培训。在五一镇柳林村，学员正在实操。\n"
            "该区坚持政策引培，全年完成职业技能培训4100人。")
    spec = [("District", "城关区"), ("District", "五一镇"), ("District", "柳林村")]
    assert run(text, spec, "兰州市")[0].subject == "城关区"


def test_places_in_a_scene_are_not_topics():
    text = ("安宁区持续开展技能培训。\n在沙井驿街道培训基地，学员正在实操。\n"
            "全年完成职业技能培训3100人。")
    spec = [("District", "安宁区"), ("District", "沙井驿街道")]
    assert run(text, spec, "兰州市")[0].subject == "安宁区"


def test_pay_belongs_to_the_employer():
    text = ("去年，王女士参加了区职业技能培训学校的育婴员培训，如今在康乐家政服务有限公司上岗。"
            "“试用期月薪就有5000多元。”王女士说。")
    spec = [("Institution", "区职业技能培训学校"), ("Enterprise", "康乐家政服务有限公司")]
    figs = run(text, spec, "X区")
    assert figs[0].subject == "康乐家政服务有限公司"


def test_firm_anaphor():
    text = "海尔集团与当地院校合作培养技术工人300名。该公司目前共有员工1.2万人。"
    figs = run(text, [("Enterprise", "海尔集团")], "青岛市")
    assert [f.subject for f in figs] == ["海尔集团", "海尔集团"]


def test_main_subject_is_the_last_resort():
    figs = run("全年新增就业3100人。", main="District|441302")
    assert figs[0].subject == "District|441302"


def test_only_actor_types_are_subjects():
    text = "张伟帮助高校毕业生120人实现就业。"
    figs = run(text, [("Person", "张伟"), ("TargetGroup", "高校毕业生")], "X区")
    assert figs[0].subject == "X区"


def test_whole_place_anaphor_is_the_article_place():
    text = ("近年来，七里河区持续推进劳务输转，新疆维吾尔自治区、内蒙古自治区等地成为主要输入地。"
            "全区累计输转劳动力3.6万人次。")
    spec = [("District", "七里河区"), ("District", "新疆维吾尔自治区"), ("District", "内蒙古自治区")]
    figs = run(text, spec, "兰州市")
    assert figs[0].subject == "七里河区"        # 全区: not an autonomous region (自治区)
    text = "城北区人社局推出“家门口”就业服务。全区今年已新建就业驿站16个。"
    figs = run(text, [("District", "城北区"), ("Agency", "城北区人社局")], "城北区")
    assert figs[0].subject == "城北区"


def test_robust_to_odd_input():
    assert run("", main="X区") == []
    assert run("没有数字的一句话。", main="X区") == []
    a = article("全年新增就业3100人。")
    m = Mention("District", "全年", 0, 2, name="?")
    figs = extract_figures(a, [m, Mention("Agency", "x", 50, 60)], "K", lambda _: None)
    assert [(f.value, f.subject) for f in figs] == [(3100, "K")]


def test_measure_after_list_marker_and_grouped_digits():
    figs = run("1.开展技能培训45期，培训3,600人次。", main="X区")
    assert [(f.measure, f.text) for f in figs] == [("技能培训", "1.开展技能培训45期"), ("培训", "培训3,600人次")]


def test_verbal_noun_alone_after_the_number():
    figs = run("目前，该村扶贫车间已吸纳当地群众56人就业。", main="X村")
    assert figs[0].measure == "当地群众"


# ---------------------------------------------------------------- period

@pytest.mark.parametrize("text, period", [
    ("2022年，全县城镇新增就业4300人。", "2022年"),
    ("今年1—9月，全市城镇新增就业3.6万人。", "今年1—9月"),
    ("招聘月期间，共举办招聘会18场。", "招聘月期间"),
    ("“十四五”以来，累计培训18万人次。", "“十四五”以来"),
    ("近五年来，全区累计输转劳动力21万人次。", "近五年来"),
    ("截至9月底，发放补贴860万元。", "截至9月底"),
    ("目前，已建成就业驿站26家。", "目前"),
    ("全年共开展培训85期。", "全年"),
    ("共开展培训85期。", None),
])
def test_period(text, period):
    assert run(text, main="X区")[0].period == period


def test_period_carries_through_the_sentence_and_past_a_semicolon():
    text = "2023年，全区实现城镇新增就业5100人，失业人员再就业1300人；发放创业担保贷款2600万元。"
    assert [f.period for f in run(text, main="X区")] == ["2023年"] * 3


def test_paragraph_opening_period_carries_to_the_paragraph():
    text = "服务周期间，街道组织了多场活动。累计服务群众2100人次。"
    assert run(text, main="X区")[0].period == "服务周期间"


# ---------------------------------------------------------------- the seeds against gold

def _seed_article(path: Path) -> Article:
    """A plain-text Article from a seed file: front matter and tags dropped, lines as paragraphs."""
    raw = path.read_text(encoding="utf-8")
    title = None
    fm = re.match(r"\s*---\n(.*?)\n---\n", raw, re.S)
    if fm:
        t = re.search(r"^title:\s*['\"]?(.*?)['\"]?\s*$", fm.group(1), re.M)
        title = t.group(1) if t else None
        raw = raw[fm.end():]
    raw = re.sub(r"(?i)</p>|<br\s*/?>|</div>|</center>", "\n", raw)
    raw = html.unescape(re.sub(r"<[^>]+>", "", raw))
    lines = [l.strip() for l in raw.splitlines() if l.strip()]
    if title:
        lines.insert(0, title)
    return article("\n".join(lines), title)


def _gold_mentions(a: Article, gold) -> list[Mention]:
    """Every gold name or alias found in the text (quotes allowed inside), longest first."""
    q = "[“”‘’\"《》]?"
    cands = []
    for e in gold["entities"]:
        for n in {e["name"], *e.get("aliases", [])}:
            n = re.sub(r"[“”‘’\"《》]", "", n)
            if len(n) >= 2:
                for m in re.finditer(q.join(map(re.escape, n)), a.text):
                    cands.append((m.start(), m.end(), e))
    out: list[Mention] = []
    for s, e_, ent in sorted(cands, key=lambda c: (c[0] - c[1], c[0])):
        if not any(x.start < e_ and s < x.end for x in out):
            out.append(Mention(ent["type"], a.text[s:e_], s, e_, name=ent["name"]))
    return sorted(out, key=lambda m: m.start)


def _norm(s: str) -> str:
    return re.sub(r"[\s“”‘’\"'《》「」]", "", s or "")


_UNIT = {"名": "人", "位": "人", "万元": "元", "亿元": "元", "万人": "人"}


@pytest.mark.skipif(not GOLD.is_dir(), reason="shared/gold is not beside the repository")
def test_seeds_against_gold():
    tp = n_sys = n_gold = measure_ok = subject_ok = 0
    for gf in sorted(GOLD.glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        a = _seed_article(SEEDS / gold["file"])
        ms = _gold_mentions(a, gold)
        places = [m.name for m in ms if m.type == "District"]
        main = max(set(places), key=places.count) if places else None
        figs = extract_figures(a, ms, main, lambda m: m.name)
        ents = {e["name"]: e for e in gold["entities"]}
        used: set[int] = set()
        excused = 0
        for g in sorted(gold["figures"], key=lambda g: bool(g.get("optional"))):
            unit = _UNIT.get(g["unit"], g["unit"])
            cands = [f for f in figs if id(f) not in used and abs(f.value - g["value"]) < 1e-6 * max(1, g["value"])
                     and _UNIT.get(f.unit, f.unit) == unit]
            gm = _norm(g.get("measure"))

            def m_hit(f):
                fm = _norm(f.measure)
                return bool(fm) and (fm in gm or gm in fm)

            def s_hit(f):
                if f.subject == g["subject"]:
                    return True
                want, got = ents.get(g["subject"], {}), ents.get(f.subject, {})
                return want.get("locatedIn") == f.subject or got.get("locatedIn") == g["subject"]

            cands.sort(key=lambda f: (not m_hit(f), not s_hit(f)))
            if g.get("optional"):
                if cands:
                    used.add(id(cands[0]))
                    excused += 1
                continue
            n_gold += 1
            if cands:
                f = cands[0]
                used.add(id(f))
                tp += 1
                measure_ok += m_hit(f)
                subject_ok += s_hit(f)
        n_sys += len(figs) - excused
    p, r = tp / n_sys, tp / n_gold
    f1 = 2 * p * r / (p + r)
    assert f1 >= 0.95, (p, r, f1)
    assert measure_ok / tp >= 0.85, measure_ok / tp
    assert subject_ok / tp >= 0.85, subject_ok / tp
