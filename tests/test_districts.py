"""District extraction: the national dataset, short forms in context, zones, villages."""
from helpers import make_article

from kg.extract.districts import find_districts
from kg.gazetteer import gazetteer


def places(text):
    mentions, finder = find_districts(make_article(text))
    return {(m.name, m.text) for m in mentions}, finder


def test_gazetteer_has_codes_and_hierarchy():
    g = gazetteer()
    wujiang = g.by_name["吴江区"][0]
    assert wujiang.code == "320509"
    assert [a.name for a in wujiang.ancestors()] == ["苏州市", "江苏省"]
    assert g.by_name["甘州区"][0].code == "620702"
    assert g.by_name["长宁区"][0].code == "310105"
    assert g.by_name["松江区"][0].code == "310117"


def test_full_names_at_every_level():
    found, _ = places("浙江省杭州市余杭区仓前街道举办专场招聘会。")
    names = {n for n, _ in found}
    assert {"浙江省", "杭州市", "余杭区", "仓前街道"} <= names


def test_short_form_resolved_to_official_name():
    found, _ = places("今年以来，昆山人社部门组织招聘会。昆山市就业形势稳定。")
    assert ("昆山市", "昆山") in found


def test_ambiguous_short_name_resolved_by_other_places():
    # 长宁 is both 上海市长宁区 and 宜宾市长宁县: 宜宾 decides
    found, _ = places("宜宾市长宁开展春季招聘。")
    assert ("长宁县", "长宁") in found
    found, _ = places("上海长宁开展春季招聘。")
    assert ("长宁区", "长宁") in found


def test_shared_town_name_takes_the_named_county():
    mentions, _ = find_districts(make_article("成都市郫都区犀浦镇举办招聘会，犀浦镇提供岗位。"))
    town = next(m for m in mentions if m.name == "犀浦镇")
    assert town.attrs["place"].parent_key == "District|510117"


def test_short_name_inside_a_word_is_no_place():
    found, _ = places("政府拿出真金白银支持企业。")
    assert not found


def test_weak_short_name_needs_backing():
    # 惠民 is a county short name but here the verb phrase 稳岗惠民
    found, _ = places("推进稳岗惠民工程。")
    assert not found


def test_development_zone_with_place_prefix_and_bare():
    found, finder = places("萧山经济技术开发区举办招聘会。萧山区人社局表示，经开区企业用工需求旺盛。")
    names = {n for n, _ in found}
    assert "萧山经济技术开发区" in names
    zone = next(p for p in finder.places.values() if p.level == "zone")
    assert zone.parent_key == "District|330109"


def test_town_core_and_villages_found_inside_their_town():
    found, _ = places("梁家墩镇在清凉寺村开展培训，梁家墩的农民积极参加。")
    assert ("梁家墩镇", "梁家墩") in found
    assert ("清凉寺村", "清凉寺村") in found


def test_village_name_alone_is_not_matched():
    found, _ = places("五号村的村民参加培训。")
    assert not any(n == "五号村" for n, _ in found)


def test_home_district_is_the_most_named():
    _, finder = places("余杭区举办招聘会。余杭区人社局介绍，杭州市就业稳定。余杭区将继续努力。")
    assert finder.home_district().name == "余杭区"
    assert finder.home_district("city").name == "杭州市"


def test_a_short_place_name_between_a_surname_and_a_speech_verb_is_a_given_name():
    # 长海 is the short form of 长海县 (Liaoning); after 孙 and before 说 it is a person's name
    from helpers import make_article
    from kg.extract.districts import find_districts
    mentions, _ = find_districts(make_article("在宁波市鄞州区，船老大孙长海说，今年出海的收入不错。"))
    assert {m.name for m in mentions} == {"宁波市", "鄞州区"}


def test_weak_short_name_listed_among_places():
    # 大连 is ordinary vocabulary to jieba; listed with other cities it is the city
    found, _ = places("组织务工人员赴北京、天津、大连等城市就业。")
    assert ("大连市", "大连") in found
    found, _ = places("大连的企业来了。")
    assert not found


def test_the_word_for_townships_is_no_town():
    found, _ = places("全旗苏木乡镇全部建成就业服务站。")
    assert not found
