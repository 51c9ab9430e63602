"""Programs and quoted policy bundles: quoted cores with heads, cue verbs, slogans."""
from helpers import make_article

from kg.extract.programs import find_programs, find_quoted_names
from kg.resolve import Resolver


def programs(text):
    return find_programs(make_article(text))


def names(text):
    return {m.name for m in programs(text)}


def test_quoted_core_with_head():
    ms = programs("萧山区深入实施“青蓝计划”，打造“萧才汇”就业品牌。")
    by_name = {m.name: m for m in ms}
    assert set(by_name) == {"青蓝计划", "萧才汇就业品牌"}
    assert "萧才汇" in by_name["萧才汇就业品牌"].attrs["aliases"]


def test_chain_of_cores_sharing_one_head():
    assert names("全力打造“乐业萧山”“创业萧山”“技能萧山”三大行动计划。") == {"乐业萧山", "创业萧山", "技能萧山"}
    assert names("发挥“萧山劳务”“钱塘巧匠”等劳务品牌带动效应。") == {"萧山劳务", "钱塘巧匠"}


def test_bare_quote_needs_a_launching_verb():
    assert names("该局推出“就业直通车”，服务群众。") == {"就业直通车"}
    assert names("他说这是“家门口”的好事。") == set()


def test_slogans_and_speech_are_not_programs():
    assert names("要求“早谋划、早部署、早落实”。") == set()
    assert names("“现在的工作离家近，收入也不错。”他说。") == set()


def test_unquoted_name_after_a_launching_verb_with_a_strong_head():
    assert "2023年春季就业服务月系列活动" in names("全区开展了2023年春季就业服务月系列活动。")
    assert names("依托基层就业服务平台开展服务。") == set()


def test_acronym_training():
    assert "GYB创业培训" in names("组织GYB创业培训5期。")


def test_policy_head_makes_a_policy():
    ms = find_quoted_names(make_article("推出“稳岗留工，共渡难关”惠企政策合集。"))
    assert [(m.type, m.name) for m in ms] == [("Policy", "稳岗留工，共渡难关惠企政策合集")]


def test_one_core_is_one_program_and_an_event_under_it_is_another():
    article = make_article("打造“创客联盟”品牌。“创客联盟”创业服务品牌影响广泛。举办“创客联盟”创业训练营活动。")
    r = Resolver(article, "District|330109")
    r.programs(find_programs(article), [])
    got = {e.name: e for e in r.entities.values()}
    assert set(got) == {"创客联盟", "创客联盟创业训练营活动"}
    assert "创客联盟创业服务品牌" in got["创客联盟"].aliases


def test_the_host_not_the_co_organiser_runs_a_program():
    from kg.pipeline import extract_article
    article = make_article("本次“金桥就业”专场招聘会由萧山区人社局主办、萧山区就业管理服务中心承办。")
    r = extract_article(article)
    rel = {(r.entity(x.subject).name, x.predicate, r.entity(x.object).name) for x in r.relations
           if x.predicate == "organizer"}
    assert rel == {("金桥就业专场招聘会", "organizer", "萧山区人力资源和社会保障局")}


def test_a_quoted_name_opening_a_sentence_as_the_subject_of_a_verb():
    assert names("该区推行新机制。“一网通办”推动事项办理提速。") == {"一网通办"}
    assert names("“我们很满意”，他说。") == set()
