"""The named queries (ontology/queries/*.rq) and `kg show`, on the seed articles.

Expected rows are what the seed articles say (read in seeds/); the tests ask
that those rows are there, so a better extractor that finds more still passes,
and that parameters narrow the answer to what they name.
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import pytest
from conftest import SEEDS
from rdflib import Literal

from kg.queries import QUERIES_DIR, list_queries, load_query, page_marks, page_size, run_query
from kg.show import describe, find, format_card, show
from kg.store import open_store


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    run = subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "--out", str(out), "-q"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def store(out):
    with open_store(out / "store", read_only=True) as s:
        yield s


def rows(store, query_name, **params):
    result = run_query(store, load_query(query_name), params)
    return [tuple("" if v is None else str(v) for v in row) for row in result.values()]


def dicts(store, query_name, **params):
    return run_query(store, load_query(query_name), params).dicts()


def test_every_named_query_states_its_question_in_chinese_and_english():
    named = list_queries()
    assert len(named) >= 12
    for name, question in named.items():
        zh, _, en = question.partition(" / ")
        assert any("\u4e00" <= c <= "\u9fff" for c in zh) and en.endswith("?"), name
        assert (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8").startswith("# ")


def test_agency_programs(store):
    got = rows(store, "agency-programs")
    assert ("吴江区人力资源和社会保障局", "吴江区", "就在苏州 乐业吴江品牌工程", "1") in got
    assert ("长宁区人力资源和社会保障局", "长宁区", "三进三送", "1") in got
    only = rows(store, "agency-programs", district="长宁区")
    assert only and {r[1] for r in only} == {"长宁区"}
    by_alias = rows(store, "agency-programs", agency="吴江区人社局")
    assert by_alias and {r[0] for r in by_alias} == {"吴江区人力资源和社会保障局"}


def test_jobs_by_district_year(store):
    got = {(r["county"], r["year"]): r["jobs"] for r in dicts(store, "jobs-by-district-year")}
    assert got[("吴江区", 2022)] == 2756        # 现场提供2756个优质岗位 (6月30日, 2022 article)
    assert got[("长宁区", 2022)] == 1500        # 共推送200余家企业约1500个职位
    assert got[("松江区", 2022)] == 28295       # 新桥镇 共提供招聘岗位28295个, rolled up to 松江区
    assert [r["county"] for r in dicts(store, "jobs-by-district-year", district="吴江区")] == ["吴江区"]


def test_enterprises(store):
    got = {(r["enterprise"], r["file"]) for r in dicts(store, "enterprises")}
    assert ("张掖市三益化工公司", "004_3f0cc9cd5d3e3597.txt") in got
    assert ("苏州合兴食品有限公司", "001_e4451ba21e0d1eed.txt") in got
    assert ("锐奇控股", "000_cbe2f32d5ffc832a.txt") in got
    gz = dicts(store, "enterprises", district="甘州区")
    assert {r["enterprise"] for r in gz} >= {"张掖市三益化工公司"}
    assert {r["file"] for r in gz} == {"004_3f0cc9cd5d3e3597.txt"}


def test_programs_for_group(store):
    got = dicts(store, "programs-for-group", group="高校毕业生")
    pairs = {(r["target_group"], r["program"]) for r in got}
    assert ("高校毕业生", "人才吴优高校毕业生就业服务平台") in pairs
    assert ("高校毕业生", "4个100%") in pairs
    assert all("高校毕业生" in r["target_group"] or r["target_group"] == "高校毕业生" for r in got)
    assert len(got) == len({tuple(r.values()) for r in got})          # DISTINCT
    assert len(dicts(store, "programs-for-group")) > len(got)


def test_leaders(store):
    assert rows(store, "leaders", district="甘州区") == [("薛建军", "主任", "甘州区就业服务中心", "甘州区")]
    everyone = rows(store, "leaders")
    assert ("张燕", "局长", "吴江区人力资源和社会保障局", "吴江区") in everyone
    assert ("李丽", "主任", "新桥镇社区事务受理服务中心", "新桥镇") in everyone
    assert ("李丽", "主任", "新桥镇社区事务受理服务中心", "新桥镇") in rows(store, "leaders", district="松江区")


def test_figure_sources(store):
    got = dicts(store, "figure-sources", number="2756")
    assert len(got) == 1
    f = got[0]
    assert (f["unit"], f["measure_text"], f["file"]) == ("个", "优质岗位", "001_e4451ba21e0d1eed.txt")
    assert "现场提供2756个优质岗位" in f["sentence"] and "吴江" in f["title"]
    assert str(f["published"]) == "2022-08-04"
    gz = dicts(store, "figure-sources", subject="甘州区", measure="城镇新增就业")
    assert [(r["value"], r["period"]) for r in gz] == [(8303, "2021年")]


def test_districts(store):
    got = rows(store, "districts")
    assert ("吴江区", "320509", "county", "苏州市") in got
    assert ("甘州区", "620702", "county", "张掖市") in got
    assert any(r[0] == "新桥镇" and r[2:] == ("town", "松江区") for r in got)   # a code only if the gazetteer has one
    assert rows(store, "districts", district="吴江") == [("吴江区", "320509", "county", "苏州市")]


def test_district_figures(store):
    gz = dicts(store, "district-figures", district="甘州区")
    values = {(r["value"], r["unit"], r["measure_text"]) for r in gz}
    assert (8303, "人", "城镇新增就业") in values and (Decimal("2.8"), "%", "城镇登记失业率") in values
    assert {r["file"] for r in gz} == {"004_3f0cc9cd5d3e3597.txt"}
    sj = dicts(store, "district-figures", district="松江区")
    assert any(r["about"] == "新桥镇" and r["value"] == 28295 for r in sj)   # a town's figure counts


def test_articles(store):
    got = {r["file"]: r for r in dicts(store, "articles")}
    assert len(got) == 5
    a = got["001_e4451ba21e0d1eed.txt"]
    assert str(a["published"]) == "2022-08-04" and "苏州日报" in a["publishers"]
    assert a["figures"] > 20 and a["entities"] > 20
    assert str(got["002_b1819f007b8643d4.txt"]["published"]) == "2020-09-14"


def test_mentions(store):
    got = dicts(store, "mentions", name="吴江区人社局")
    assert [(r["entity"], r["file"]) for r in got] == [("吴江区人力资源和社会保障局", "001_e4451ba21e0d1eed.txt")]
    assert got[0]["type"].endswith("#Agency")
    assert {r["file"] for r in dicts(store, "mentions", name="高校毕业生")} >= {
        "001_e4451ba21e0d1eed.txt", "002_b1819f007b8643d4.txt", "003_202c76b8a6124669.txt"}


def test_policies(store):
    got = {(r["policy"], r["file"]) for r in dicts(store, "policies")}
    assert ("关于进一步推进2020年松江区高校毕业生就业的工作方案", "002_b1819f007b8643d4.txt") in got
    assert ("农村劳动力技能培训券管理使用办法", "004_3f0cc9cd5d3e3597.txt") in got


def test_target_groups(store):
    got = {r["target_group"]: r for r in dicts(store, "target-groups")}
    assert got["高校毕业生"]["articles"] >= 3 and got["高校毕业生"]["sentences"] >= 3
    counts = [r["articles"] for r in dicts(store, "target-groups")]
    assert counts == sorted(counts, reverse=True)


def test_agencies(store):
    got = rows(store, "agencies", district="甘州区")
    assert {r[0] for r in got} == {"甘州区人力资源和社会保障局", "甘州区就业服务中心"}
    assert rows(store, "agencies", district="松江区") and all(
        r[1] in ("松江区", "新桥镇", "松江经济技术开发区") for r in rows(store, "agencies", district="松江区"))


def test_measures(store):
    got = dicts(store, "measures", keyword="劳务收入")
    # 实现劳务收入29.32亿元 (“十三五”期间) and 23.71亿元 (2021年), both 甘州区
    assert [(r["about"], r["unit"], r["total"], r["largest"], r["figures"]) for r in got] == [
        ("甘州区", "元", 5303000000, 2932000000, 2)]
    rate = dicts(store, "measures", keyword="就业率")
    assert rate and all(r["total"] is None for r in rate)    # percentages are not added up


# --- pages and parameters ------------------------------------------------------------

PARAMETERISED = [
    ("agencies", {"district": "松江区"}), ("agency-programs", {"agency": "吴江区人社局"}),
    ("agency-programs", {"district": "长宁区"}), ("district-figures", {"district": "苏州市"}),
    ("districts", {"district": "吴江"}), ("enterprises", {"district": "松江区"}),
    ("figure-sources", {"subject": "甘州区"}), ("figure-sources", {"measure": "岗位"}),
    ("jobs-by-district-year", {"district": "吴江区"}), ("leaders", {"district": "松江区"}),
    ("measures", {"keyword": "培训"}), ("mentions", {"name": "高校毕业生"}),
    ("programs-for-group", {"group": "高校毕业生"}),
]


@pytest.mark.parametrize("name, params", [(n, {}) for n in list_queries()] + PARAMETERISED,
                         ids=lambda x: x if isinstance(x, str) else ",".join(x) or "-")
def test_pages_put_together_are_every_row(store, name, params):
    sparql = load_query(name)
    every = run_query(store, sparql, params, limit=0)
    assert every.more is False and len(every) > 0
    pages, offset = [], 0
    while True:                                 # pages of 4, followed as kg query says to
        page = run_query(store, sparql, params, limit=4, offset=offset)
        assert page.columns == every.columns and page.offset == offset
        pages += page.rows
        if not page.more:
            break
        offset = page.next_offset
    assert Counter(pages) == Counter(every.rows)
    # as written, a named query is its first page: what kg query shows by default
    first = run_query(store, sparql, params, limit=page_size(sparql))
    assert Counter(run_query(store, sparql, params).rows) == Counter(first.rows)


def test_every_named_query_pages_where_it_says():
    for name in list_queries():
        text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
        header = text[:text.index("\nSELECT")]
        if name == "target-groups":                     # a few dozen groups: ranked whole
            assert not page_marks(text)
        else:
            assert page_marks(text) and "#page" in header, name   # and the header says so


def test_a_large_answer_comes_in_pages(store):
    every = dicts(store, "mentions")                 # as written: the first page
    assert len(every) == 100
    page = run_query(store, load_query("mentions"), limit=100)
    assert page.more is True and page.next_offset == 100
    rest = run_query(store, load_query("mentions"), limit=100, offset=100)
    assert rest.more is False and 0 < len(rest) < 100
    assert not set(page.rows) & set(rest.rows)


def test_parameters_are_names_looked_up_as_labels_or_aliases(store):
    by_label = rows(store, "agencies", district="甘州区")
    assert by_label and rows(store, "agencies", district=Literal("甘州区", lang="zh")) == by_label
    assert rows(store, "districts", district="吴江") == rows(store, "districts", district="吴江区")
    assert rows(store, "mentions", name="吴江区人社局") == rows(store, "mentions", name="吴江区人力资源和社会保障局")
    # an empty value is no parameter; a name nothing has finds nothing
    assert rows(store, "leaders", district="") == rows(store, "leaders")
    assert rows(store, "leaders", district="不存在区") == []
    assert rows(store, "figure-sources", subject="不存在", number="2756") == []


def test_parameterised_rows_come_in_the_query_order(store):
    got = rows(store, "agencies", district="松江区")
    assert got == sorted(got, key=lambda r: (r[1], r[0]))          # district, then name
    figs = dicts(store, "district-figures", district="苏州市")
    keys = [(r["file"], -r["value"]) for r in figs]
    assert keys == sorted(keys) and {r["place"] for r in figs} == {"苏州市"}


def test_cli_query_pages(out):
    def kg(*args):
        return subprocess.run([sys.executable, "-m", "kg", "query", *args, "--out", str(out)],
                              capture_output=True, text=True)
    first = kg("mentions", "--limit", "5")
    assert first.returncode == 0
    assert first.stdout.rstrip().endswith("(5 rows shown; more with --offset 5 or --all)")
    total = len(run_query_rows(out, "mentions"))
    last = kg("mentions", "--limit", "5", "--offset", str(total - 2))
    assert last.stdout.rstrip().endswith(f"(2 rows shown from --offset {total - 2}; no more)")
    assert kg("mentions", "--all").stdout.rstrip().endswith(f"({total} rows)")
    assert kg("mentions").stdout.rstrip().endswith("(100 rows shown; more with --offset 100 or --all)")
    as_csv = kg("mentions", "--limit", "5", "--format", "csv")
    assert len(list(csv.reader(io.StringIO(as_csv.stdout)))) == 6         # header + 5 rows
    assert "more with --offset 5 or --all" in as_csv.stderr
    own = kg("SELECT ?f WHERE { ?a kg:sourceFile ?f } LIMIT 2", "--limit", "5")
    assert own.stdout.rstrip().endswith("(2 rows)") and "its own LIMIT" in own.stderr
    assert kg("mentions", "--limit", "-1").returncode == 2


def run_query_rows(out, name):
    with open_store(out / "store", read_only=True) as s:
        return run_query(s, load_query(name), limit=0).rows


def test_show_by_alias_prints_facts_relations_figures_and_sources(store):
    [m] = find(store, "吴江")
    text = format_card(describe(store, m))
    assert text.startswith("吴江区  (kg:District)  id:district/320509")
    assert "adminCode: 320509" in text and "level: county" in text
    assert "kg:partOf → 苏州市 (kg:District)" in text
    assert "kg:locatedIn ← 吴江区人力资源和社会保障局 (kg:Agency)" in text
    assert "001_e4451ba21e0d1eed.txt  2022-08-04" in text
    card = describe(store, find(store, "甘州区")[0])
    assert any(f[0] == "8303" and f[2] == "城镇新增就业" and f[3] == "2021年" for f in card.figures)


def test_show_person_ambiguous_and_missing(store):
    text, code = show(store, "薛建军")
    assert code == 0 and "role: 主任" in text and "kg:affiliation → 甘州区就业服务中心" in text
    assert "区就业服务中心主任薛建军" in text                         # the sentence behind it
    text, code = show(store, "三进活动")
    assert code == 3 and text.count("id:program/") == 2 and "--all" in text
    text, code = show(store, "三进活动", show_all=True)
    assert code == 0 and text.count("三进活动  (kg:Program)") == 2
    text, code = show(store, "不存在的机构")
    assert code == 1 and "\n" not in text


def test_cli_query_list_named_and_show(out):
    def kg(*args):
        return subprocess.run([sys.executable, "-m", "kg", *args, "--out", str(out)],
                              capture_output=True, text=True)
    listing = kg("query", "--list")
    assert listing.returncode == 0
    assert "leaders" in listing.stdout and "Which agencies run which programs?" in listing.stdout
    run = kg("query", "leaders", "--param", "district=甘州区", "--format", "csv")
    assert run.returncode == 0 and "薛建军,主任,甘州区就业服务中心,甘州区" in run.stdout
    shown = kg("show", "甘州区就业服务中心")
    assert shown.returncode == 0 and "kg:affiliation ← 薛建军 (kg:Person)" in shown.stdout
    missing = kg("show", "nobody")
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1
