"""Agency grammar: place + body, context-bound bodies, national ministries."""
from helpers import make_article

from kg.extract.agencies import find_agencies
from kg.extract.districts import find_districts


def agencies(text):
    article = make_article(text)
    _, finder = find_districts(article)
    return find_agencies(article, finder)


def test_place_plus_body_and_its_short_form_are_one_body():
    ms = agencies("余杭区人力资源和社会保障局召开会议。余杭区人社局局长表示将加大力度。")
    keys = {m.attrs["key"] for m in ms}
    assert len(ms) == 2 and len(keys) == 1
    assert ms[0].name == "余杭区人力资源和社会保障局"
    assert "余杭区人社局" in ms[0].attrs["aliases"]


def test_context_bound_body_resolves_to_the_article_district():
    ms = agencies("余杭区举办招聘会。区人社局相关负责人介绍，区就业服务中心提供岗位。")
    by_text = {m.text: m for m in ms}
    assert by_text["区人社局"].name == "余杭区人力资源和社会保障局"
    assert by_text["区人社局"].attrs["context_bound"]
    assert by_text["区就业服务中心"].name == "余杭区就业服务中心"
    # a context-bound form is never an alias
    assert "区人社局" not in by_text["区人社局"].attrs["aliases"]


def test_party_committee_and_government():
    ms = agencies("余杭区委、区政府高度重视就业工作。")
    assert {m.name for m in ms} == {"余杭区委", "余杭区政府"}


def test_town_body_and_organisation_bureau():
    ms = agencies("临平街道社区事务受理服务中心和塘栖镇组织人社局联合开展活动。")
    names = {m.name for m in ms}
    assert "塘栖镇组织人社局" in names


def test_national_ministry_with_sub_unit():
    ms = agencies("人力资源和社会保障部办公厅印发通知。")
    assert [m.name for m in ms] == ["人力资源和社会保障部办公厅"]
    assert ms[0].attrs["place"] is None


def test_words_that_only_look_like_bodies():
    ms = agencies("余杭区委托第三方机构开展评估。社区委员会召开会议。以劳动者点单、人社部门接单的方式服务。")
    assert not any(m.name.endswith("区委") for m in ms)
    assert not any("人力资源和社会保障部" == m.name for m in ms)


def test_renli_shebao_ju_is_the_same_bureau():
    # 人力社保局 is the official short form of 人力资源和社会保障局 (浙江 and other provinces)
    from helpers import make_article
    from kg.extract.districts import find_districts
    article = make_article("嘉善县人力资源和社会保障局举办招聘会。嘉善县人力社保局副局长表示，岗位充足。")
    _, finder = find_districts(article)
    keys = {m.attrs["key"] for m in find_agencies(article, finder)}
    assert len(keys) == 1


def test_a_place_word_is_no_body():
    ms = agencies("岳池县人社局在县城中心广场开展活动。")
    assert [m.name for m in ms] == ["岳池县人力资源和社会保障局"]
