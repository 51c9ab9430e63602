"""Enterprises, institutions, people, target groups, policies and publishers."""
from helpers import make_article

from kg.extract.agencies import find_agencies
from kg.extract.districts import find_districts
from kg.extract.enterprises import find_enterprises
from kg.extract.groups import find_groups
from kg.extract.institutions import find_institutions
from kg.extract.people import credited_people, find_people
from kg.extract.policies import find_policies
from kg.extract.publishers import find_publishers
from kg.model import Credit


def setup(text, **meta):
    article = make_article(text, **meta)
    districts, finder = find_districts(article)
    return article, districts, finder


def test_legal_names_start_after_the_verb():
    article, places, _ = setup("小王已在杭州娃哈哈饮料有限公司入职。记者走访了宁波三星电气股份有限公司。")
    assert {m.name for m in find_enterprises(article, places)} == {"杭州娃哈哈饮料有限公司", "宁波三星电气股份有限公司"}


def test_unnamed_company_is_skipped():
    article, places, _ = setup("帮助某物流公司招到员工。")
    assert find_enterprises(article, places) == []


def test_enumeration_closed_by_a_counter():
    article, places, _ = setup("组织海康威视、大华股份、宇视科技等5家企业参加招聘。")
    assert {m.name for m in find_enterprises(article, places)} == {"海康威视", "大华股份", "宇视科技"}


def test_place_brand_industry_and_company_place():
    article, places, _ = setup("他希望加盟浙江新希望乳业。杭州娃哈哈饮料有限公司招聘。")
    ms = {m.name: m for m in find_enterprises(article, places)}
    assert "浙江新希望乳业" in ms
    assert ms["杭州娃哈哈饮料有限公司"].attrs["places"][0].name == "杭州市"


def test_institutions():
    article, places, _ = setup("与浙江工商职业技术学院等3所院校合作，组织大学生参加萧山区天成职业培训学校的培训。")
    names = {m.name for m in find_institutions(article, places)}
    assert names == {"浙江工商职业技术学院", "萧山区天成职业培训学校"}


def test_people_with_posts_speech_and_honorifics():
    text = ("余杭区人社局党组成员、区就业管理服务中心主任王建国表示，将继续努力。"
            "28岁的陈晓东说，培训很有用。退役军人刘海波则希望回乡创业。李先生说工作离家近。")
    article, places, finder = setup(text)
    orgs = find_agencies(article, finder)
    groups = find_groups(article)
    people = {m.name: m for m in find_people(article, orgs, groups)}
    assert set(people) == {"王建国", "陈晓东", "刘海波"}
    assert people["王建国"].attrs["role"] == "主任"
    assert people["王建国"].attrs["affiliation"].name == "余杭区就业服务中心" or \
        people["王建国"].attrs["affiliation"].text.endswith("中心")
    assert people["刘海波"].attrs["role"] == "退役军人"


def test_credited_people():
    article = make_article("正文。", credits=[Credit("周敏", "记者"), Credit("孙颖", "责编")])
    assert [(m.name, m.attrs["role"]) for m in credited_people(article)] == [("周敏", "记者"), ("孙颖", "责编")]


def test_target_groups_and_synonyms():
    article = make_article("帮助大学生、就业困难人员和来杭务工人员就业。")
    names = {m.name for m in find_groups(article)}
    assert names == {"高校毕业生", "就业困难人员", "来杭务工人员"}


def test_policy_documents_and_outlets():
    article = make_article("出台《杭州市就业补助资金管理办法》。《钱江晚报》报道了此事。", publishers=["杭州日报"])
    assert [m.name for m in find_policies(article, [])] == ["杭州市就业补助资金管理办法"]
    assert {m.name for m in find_publishers(article)} == {"杭州日报", "钱江晚报"}


def test_generic_qualifiers_do_not_make_another_group():
    article = make_article("组织应届高校毕业生、高校应届毕业生和外出务工人员参加招聘，离校未就业高校毕业生另行安排。")
    by_surface = {m.text: m.name for m in find_groups(article)}
    assert by_surface["应届高校毕业生"] == by_surface["高校应届毕业生"] == "高校毕业生"
    assert by_surface["外出务工人员"] == "务工人员"
    assert by_surface["离校未就业高校毕业生"] == "离校未就业高校毕业生"   # a status, not a qualifier


def test_a_quoted_example_person_stands_for_the_group_just_named():
    text = "该县出台措施扶持返乡人员创业。去年回乡的45岁的王立军说，贷款很快就批了。"
    article, places, finder = setup(text)
    people = {m.name: m for m in find_people(article, [], find_groups(article))}
    assert people["王立军"].attrs["role"] == "返乡人员"


def test_a_legal_name_that_stacks_places_keeps_them_and_sits_in_the_most_specific():
    article, places, _ = setup("宁波余姚恒达模具有限公司在现场招聘。")
    (m,) = find_enterprises(article, places)
    assert m.name == "宁波余姚恒达模具有限公司"
    assert m.attrs["places"][0].name == "余姚市"


def test_a_short_form_of_a_legal_name_is_the_same_company():
    article, places, _ = setup("温州中科恒新材料科技有限公司来了。中科恒新材料副总经理沈立说，岗位很多。")
    ms = find_enterprises(article, places)
    assert [m.name for m in ms] == ["温州中科恒新材料科技有限公司"] * 2
    assert ms[1].text == "中科恒新材料"


def test_a_place_and_an_industry_word_before_a_school_suffix_are_the_schools():
    article, places, _ = setup("与湖南化工职业技术学院签订协议。")
    assert find_enterprises(article, places) == []


def test_a_post_after_an_anaphor_belongs_to_the_last_body_of_that_kind():
    text = ("温州瓯联电器有限公司展位前人头攒动。该公司行政主管林晓峰介绍，今年还缺80人。"
            "鹿城区就业管理服务中心也设了咨询台，该中心主任潘建说，将常态化办会。")
    article, places, finder = setup(text)
    orgs = find_agencies(article, finder) + find_enterprises(article, places)
    people = {m.name: m for m in find_people(article, orgs, find_groups(article))}
    assert people["林晓峰"].attrs["affiliation"].name == "温州瓯联电器有限公司"
    assert people["潘建"].attrs["affiliation"].canonical.endswith("中心")


def test_one_name_is_one_person_with_the_first_post():
    text = "鹿城区人社局局长吴立新在会上讲话。会后，吴立新表示将加大帮扶力度。"
    article, places, finder = setup(text)
    people = find_people(article, find_agencies(article, finder), find_groups(article))
    assert [(m.name, m.attrs["role"]) for m in people] == [("吴立新", "局长"), ("吴立新", "局长")]
    assert people[0].attrs["affiliation"] is people[1].attrs["affiliation"]


def test_what_a_person_is_in_the_story_is_a_role():
    text = "浙江大学2024届毕业生钱佳怡在现场投递了简历。家住城南的村民柯大勇说，家门口就能找到活。"
    article, places, finder = setup(text)
    people = {m.name: m for m in find_people(article, find_institutions(article, places), find_groups(article))}
    assert people["钱佳怡"].attrs["role"] == "毕业生"
    assert people["钱佳怡"].attrs["affiliation"].name == "浙江大学"
    assert people["柯大勇"].attrs["role"] == "村民"


def test_a_bracketed_byline_that_opens_the_body_credits_its_people():
    article = make_article("瓯江晚报讯（记者 叶子涵 通讯员 包立群）3月5日，招聘会举行。")
    assert [(m.name, m.attrs["role"]) for m in credited_people(article)] == [("叶子涵", "记者"), ("包立群", "通讯员")]


def test_more_standard_policy_groups():
    # the categories of employment-assistance policy, longest form first (留守妇女, not 妇女)
    article = make_article("帮扶大龄失业人员、失业青年、低保家庭和农村留守妇女，组织农牧民转移就业。")
    assert [m.name for m in find_groups(article)] == ["大龄失业人员", "失业青年", "低保家庭", "农村留守妇女", "农牧民"]


def test_official_named_before_a_news_verb():
    text = "省人社厅党组书记、厅长王凯出席会议并讲话。副局长刘洋主持会议。"
    article, places, finder = setup("河南省举办会议。" + text)
    orgs = find_agencies(article, finder)
    people = {m.name: m.attrs["role"] for m in find_people(article, orgs, [])}
    assert people == {"王凯": "厅长", "刘洋": "副局长"}


def test_a_word_after_a_post_is_no_name():
    article, places, finder = setup("以实施党建书记项目为主线，推进工作。")
    assert find_people(article, [], []) == []


def test_a_studio_named_after_a_person():
    article, places, _ = setup("成立了以王海涛命名的县技能大师工作室和以刘芳同志命名的首席技师工作室。")
    people = {m.name: m.attrs["role"] for m in find_people(article, [], [])}
    assert people == {"王海涛": None, "刘芳": "首席技师"}
