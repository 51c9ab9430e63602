"""kg.extract.numbers: the number grammar (values, units, hedges, what is not a figure)."""
from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.numbers import find_quantities, parse_number


def one(text: str):
    qs = find_quantities(text)
    assert len(qs) == 1, [(q.raw, q.value, q.unit) for q in qs]
    return qs[0]


def figures(text: str):
    return [(q.value, q.unit, q.approx) for q in find_quantities(text)]


# ---------------------------------------------------------------- values and units

@pytest.mark.parametrize("text, value, unit", [
    ("今年共举办招聘会37场", 37, "场"),
    ("累计培训各类劳动者2,418人次", 2418, "人次"),
    ("发放失业保险金1 350万元", 13500000, "元"),
    ("全市城镇新增就业6.72万人", 67200, "人"),
    ("实现劳务收入15.06亿元", 1506000000, "元"),
    ("为企业返还失业保险费820万元", 8200000, "元"),
    ("提供就业岗位１２００个", 1200, "个"),
    ("帮扶脱贫劳动力３．５万人", 35000, "人"),
    ("共有二百五十六名学员结业", 256, "人"),
    ("两千家企业参与", 2000, "家"),
    ("新招录十二位协理员", 12, "人"),
    ("招聘会吸引了三十家用人单位", 30, "家"),
    ("城镇调查失业率为4.9%", 4.9, "%"),
    ("调查失业率为4.9％", 4.9, "%"),
    ("百分之九十的村建成服务站", 90, "%"),
    ("较上年提高1.5个百分点", 1.5, "个百分点"),
    ("服务企业312家次", 312, "家次"),
    ("开设培训班8期", 8, "期"),
    ("发放贷款215笔", 215, "笔"),
    ("工资提高了2倍", 2, "倍"),
    ("建成零工驿站14所", 14, "所"),
])
def test_values_and_units(text, value, unit):
    q = one(text)
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.approx is False


@pytest.mark.parametrize("text, value, unit", [
    ("服务群众千余人次", 1000, "人次"),
    ("培养了上百名电商主播", 100, "人"),
    ("吸引上千人次参与", 1000, "人次"),
    ("新增岗位两千余个", 2000, "个"),
    ("惠及群众3万余人", 30000, "人"),
    ("发放补贴1000余万元", 10000000, "元"),
    ("兑付资金300多万元", 3000000, "元"),
    ("月收入4500多元", 4500, "元"),
    ("近60名残疾人实现就业", 60, "人"),
    ("约2000个岗位", 2000, "个"),
    ("超过1.2万人次参加", 12000, "人次"),
    ("参会企业超160家", 160, "家"),
    ("逾800人到场", 800, "人"),
    ("就业率不低于90%", 90, "%"),
    ("培训人数不少于500人", 500, "人"),
    ("合格率在95%以上", 95, "%"),
    ("失业率控制在4%以内", 4, "%"),
    ("平均每场300人左右", 300, "人"),
    ("二十来人报名", 20, "人"),
    ("十几家企业", 10, "家"),
    ("数千元", 1000, "元"),
])
def test_hedges_mark_approx(text, value, unit):
    q = one(text)
    assert (q.value, q.unit, q.approx) == (pytest.approx(value), unit, True)


def test_da_is_not_a_hedge():
    q = one("签约人数达1368人")
    assert (q.value, q.approx, q.raw) == (1368, False, "1368人")


def test_a_hedge_word_elsewhere_does_not_hedge():
    assert figures("300人参加，人数接近") == [(300, "人", False)]


def test_span_covers_hedges_and_raw_keeps_the_text():
    text = "共接待求职者约3500余人次，"
    q = one(text)
    assert q.raw == "约3500余人次" and text[q.start:q.end] == q.raw


@pytest.mark.parametrize("text, low, high, unit", [
    ("每人补贴3-5万元", 30000, 50000, "元"),
    ("每期招收10至20人", 10, 20, "人"),
    ("增幅在10%-20%之间", 10, 20, "%"),
    ("月薪6000元至8000元", 6000, 8000, "元"),
    ("三至五名导师", 3, 5, "人"),
])
def test_ranges_are_the_lower_bound_and_approx(text, low, high, unit):
    q = one(text)
    assert (q.value, q.upper, q.unit, q.approx) == (low, high, unit, True)


# ---------------------------------------------------------------- not figures

@pytest.mark.parametrize("text", [
    "2023年，该区开展了专项行动",
    "7月15日举行",
    "2021年6月以来",
    "9月初启动",
    "会期3天",
    "培训持续4个小时",
    "连续5年获评",
    "近两年来",
    "六年来坚持不懈",
    "今年42岁的老张",
    "被评为第三批示范基地",
    "排名第2位",
    "“6个100%”工作目标",
    "推行“2+3”模式",
    "1+N服务体系",
    "拨打12345热线",
    "开通5G基站",
    "G15沈海高速旁",
    "《关于做好2023年高校毕业生等青年就业创业工作的通知》",
    "发布时间：2023-05-12 09:30",
    "一名讲师",
    "一批企业",
    "打造一站式服务",
    "掌握一技之长",
    "关系千家万户",
    "十大重点产业",
    "区县两级联动",
    "“十四五”规划",
    "一、主要做法",
    "（二）加强培训",
    "实施“三项行动”",
    "推出“五个一”服务(即一次政策宣讲、一场招聘会、三个岗位推荐)",
])
def test_not_figures(text):
    assert figures(text) == []


def test_reasons_when_keeping_everything():
    qs = find_quantities("2022年第3批，36岁，5天，一名，“4个100%”", keep_all=True)
    reasons = {q.raw: q.reason for q in qs}
    assert reasons["2022年"] == "date"
    assert reasons["3批"] == "ordinal"
    assert reasons["36岁"] == "age"
    assert reasons["5天"] == "duration"
    assert reasons["一名"] == "one"
    assert reasons["4个"] == "quoted"


def test_enumerations_with_a_counter_are_quantities():
    # 三个 + noun is a count (the gold marks such ones optional); 三大 has no counter
    assert figures("梳理出三个方面的问题") == [(3, "个", False)]
    assert figures("实施三大行动") == []


def test_every_occurrence():
    assert figures("新增就业500人，其中女性就业500人") == [(500, "人", False), (500, "人", False)]


def test_parse_number():
    assert parse_number("8.43万") == 84300
    assert parse_number("二百五十六") == 256
    assert parse_number("百") == 100
    assert parse_number("千") == 1000
    assert parse_number("百分之九十") == 90
    assert parse_number("1,500") == 1500
    assert parse_number("１２") == 12
    assert parse_number("不是数") is None


# ---------------------------------------------------------------- properties

COUNTERS = st.sampled_from([("家", "家"), ("名", "人"), ("人", "人"), ("场", "场"), ("人次", "人次"),
                            ("个", "个"), ("项", "项"), ("期", "期")])


@settings(max_examples=150, deadline=None)
@given(n=st.integers(min_value=2, max_value=99_999_999), counter=COUNTERS)
def test_chinese_numerals_read_like_arabic(n, counter):
    written, unit = counter
    cn = cn2an.an2cn(n)
    a = find_quantities(f"共有{n}{written}参加")
    c = find_quantities(f"共有{cn}{written}参加")
    assert [(q.value, q.unit) for q in a] == [(n, unit)]
    assert [(q.value, q.unit) for q in c] == [(n, unit)]


@settings(max_examples=150, deadline=None)
@given(n=st.integers(min_value=1, max_value=10**9), mag=st.sampled_from([("", 1), ("万", 10**4), ("亿", 10**8)]))
def test_grouped_digits_and_magnitudes(n, mag):
    word, factor = mag
    for written in (str(n), f"{n:,}"):
        q = one(f"累计发放补贴{written}{word}元，")
        assert q.value == n * factor and q.unit == "元"


@settings(max_examples=100, deadline=None)
@given(y=st.integers(1990, 2035), m=st.integers(1, 12), d=st.integers(1, 28))
def test_dates_are_never_figures(y, m, d):
    assert figures(f"{y}年{m}月{d}日，{m}月{d}日，{y}年{m}月，{m}月份") == []


def test_a_year_before_jie_is_a_graduating_class_not_a_count():
    # 2024届 names the class that graduates in 2024; a plain count of sessions stays a figure
    assert figures("西北农林科技大学2024届硕士毕业生马晓丽应聘了技术岗") == []
    assert figures("该赛事已连续举办5届") == [(5, "届", False)]


def test_trips_are_counted_in_tang():
    # 趟 (trips of a bus or train) is a counter like 次: 开行务工专列6趟
    assert figures("今年春节后共开行务工专列6趟、包车42辆") == [(6, "趟", False), (42, "辆", False)]


def test_a_dash_range_of_non_years_is_a_range_not_a_date():
    from kg.extract.numbers import find_quantities
    qs = find_quantities("月薪4000-8000元不等，发布时间2023-05-06")
    assert [(q.value, q.unit, q.approx) for q in qs] == [(4000, "元", True)]
