"""kg.queries: running, loading, binding parameters safely, and formatting results."""
from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from kg.graph import article_graph
from kg.namespace import ID, KG, XSD, article_graph_iri, article_iri
from kg.queries import (
    PAGE_SIZE, QueryResult, bind_params, compact, display_width, format_csv, format_json,
    format_result, format_table, load_query, page_marks, page_note, page_query, page_size,
    parse_param, run_query, sparql_term, with_prefixes,
)
from kg.store import QueryError, open_store

from test_store import HOSTILE, article_a, article_b

NASTY_VALUES = [
    HOSTILE,
    '"} ; DROP ALL',
    'x" } UNION { ?a ?p ?o } #',
    "back\\slash\\",
    "\\u0022) } #",
    "\\U00000022 \\\\u0041 uU\\u",
    "line\nbreak\r\tand \b \f \x01 end",
    "'single' and \"\"\"triple\"\"\"",
]


@pytest.fixture(params=["memory", "oxigraph"])
def store(request, tmp_path):
    s = open_store("memory:" if request.param == "memory" else tmp_path / "store")
    s.put_article(*article_graph(article_a()))
    s.put_article(*article_graph(article_b()))
    yield s
    s.close()


# --- running ---------------------------------------------------------------------

def test_run_select(store):
    r = run_query(store, load_query(
        "SELECT ?code ?label WHERE { ?d kg:adminCode ?code ; rdfs:label ?label } "
        "GROUP BY ?code ?label ORDER BY ?code"))
    assert r.kind == "select" and r.columns == ["code", "label"]
    assert r.values() == [("320500", "苏州市"), ("320509", "吴江区")]
    assert r.dicts()[0] == {"code": "320500", "label": "苏州市"}


def test_run_select_unbound_is_none(store):
    r = run_query(store, "SELECT ?a ?missing WHERE { ?a a kg:Article OPTIONAL { ?a kg:nope ?missing } }")
    assert len(r) == 2 and all(row[1] is None for row in r.rows)


def test_run_ask_and_construct(store):
    assert run_query(store, "ASK { ?e a kg:Enterprise }").boolean is True
    assert run_query(store, "ASK { ?e a kg:Person }").boolean is False
    r = run_query(store, "CONSTRUCT { ?e kg:locatedIn ?d } WHERE { ?e a kg:Enterprise ; kg:locatedIn ?d }")
    assert r.kind == "graph"
    assert r.rows == [(r.rows[0][0], KG.locatedIn, ID["district/320509"])]
    assert set(r.graph) == set(r.rows)


# --- parameters --------------------------------------------------------------------

@pytest.mark.parametrize("value", NASTY_VALUES)
def test_bind_params_matches_a_hostile_value_exactly(tmp_path, value):
    for spec in ("memory:", tmp_path / "store"):
        with open_store(spec) as s:
            for name, title in (("h.txt", "ok"), ("v.txt", value)):
                g = Graph()     # by hand: graph.py would drop the control characters
                g.add((article_iri(name), KG.title, Literal(title, lang="zh")))
                s.put_article(article_graph_iri(name), g)
            before = s.count()
            q = "SELECT ?a WHERE { ?a kg:title ?t . FILTER(str(?t) = ?want) }"
            r = run_query(s, q, {"want": value})
            assert r.rows == [(article_iri("v.txt"),)], (spec, value)
            # and a value that only looks like the text matches nothing
            assert run_query(s, q, {"want": value + " "}).rows == []
            assert s.count() == before


def test_bind_params_cannot_inject(store):
    q = "SELECT ?s WHERE { ?s kg:adminCode ?code }"
    for value in NASTY_VALUES:
        text = bind_params(q, {"code": value})
        assert run_query(store, text).rows == [], value
    # both articles state 吴江区's code: Oxigraph's union repeats it, rdflib's does not
    assert set(run_query(store, q, {"code": "320509"}).rows) == {(ID["district/320509"],)}
    assert store.count() > 0


def test_bind_params_text():
    q = ('SELECT ?d ?code (COUNT(?code) AS ?n) WHERE { ?d kg:adminCode $code . '
         '?d rdfs:label "{?code}" } GROUP BY ?d ?code ORDER BY DESC(?code) ?code # ?code')
    out = bind_params(q, {"code": '"} ; DROP ALL'})
    t = '"\\"} ; DROP ALL"'
    assert out == (f'SELECT ?d ({t} AS ?code) (COUNT({t}) AS ?n) WHERE {{ ?d kg:adminCode {t} . '
                   f'?d rdfs:label "{{?code}}" }} GROUP BY ?d ({t}) ORDER BY DESC({t}) ({t}) # ?code')


def test_bind_params_terms(store):
    q = "SELECT ?n WHERE { ?n kg:index ?i ; kg:inArticle ?a }"
    got = run_query(store, q, {"i": 1, "a": article_iri("001_a.txt")})
    assert len(got) == 1
    assert run_query(store, q, {"i": 1, "a": article_iri("002_b.txt")}).rows == []
    assert sparql_term(Literal("吴江区", lang="zh")) == '"吴江区"@zh'
    assert sparql_term(True) == '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    assert sparql_term(URIRef("https://w3id.org/jiuye-kg/id/district/1")) == \
        "<https://w3id.org/jiuye-kg/id/district/1>"
    for bad in (URIRef("http://x/> } ; DROP ALL <http://y"), URIRef("http://x/a b"),
                BNode(), object()):
        with pytest.raises(ValueError):
            sparql_term(bad)


def test_bind_params_is_seen_by_filters_subselects_and_construct(store):
    filt = "SELECT ?d WHERE { ?d kg:adminCode ?c FILTER(?c = ?code) }"
    assert run_query(store, filt, {"code": "320500"}).rows == [(ID["district/320500"],)]
    sub = "SELECT ?d WHERE { SELECT DISTINCT ?d WHERE { ?d kg:adminCode ?code } }"
    assert run_query(store, sub, {"code": "320500"}).rows == [(ID["district/320500"],)]
    cons = "CONSTRUCT { ?d kg:level ?l } WHERE { ?d kg:adminCode ?code ; kg:level ?l }"
    r = run_query(store, cons, {"code": "320509"})
    assert r.rows == [(ID["district/320509"], KG.level, Literal("county"))]
    desc = run_query(store, "DESCRIBE ?d", {"d": ID["district/320500"]})
    assert desc.kind == "graph" and len(desc) > 0


def test_bind_params_refuses_what_it_cannot_bind():
    with pytest.raises(ValueError, match=r"no variable \?nope"):
        bind_params("SELECT ?d WHERE { ?d kg:adminCode ?code }", {"nope": "1"})
    with pytest.raises(ValueError, match="assigns"):
        bind_params("SELECT ?d WHERE { ?d ?p ?o BIND(1 AS ?code) }", {"code": "1"})
    with pytest.raises(ValueError, match="assigns"):
        bind_params("SELECT ?d WHERE { VALUES ?code { 1 } ?d ?p ?code }", {"code": "1"})
    with pytest.raises(ValueError, match="needs an IRI"):
        bind_params("DESCRIBE ?d", {"d": "text"})
    with pytest.raises(ValueError, match="bad parameter name"):
        bind_params("SELECT ?d WHERE { ?d ?p ?code }", {"code) } #": "1"})


def test_parse_param():
    assert parse_param("code=320509") == ("code", Literal("320509"))
    assert parse_param("?d=id:district/320509") == ("d", ID["district/320509"])
    assert parse_param("d=<http://example.org/x>") == ("d", URIRef("http://example.org/x"))
    assert parse_param("u=http://example.org/x") == ("u", Literal("http://example.org/x"))
    assert parse_param("t=a=b") == ("t", Literal("a=b"))
    for bad in ("noequals", "d=<http://x/a b>", "bad name=1"):
        with pytest.raises(ValueError):
            parse_param(bad)


# --- pages -------------------------------------------------------------------------

# the entities a page picks (in IRI order), then their labels: a named query's shape
PAGED = """# labels, a page of entities at a time
SELECT ?e ?label WHERE {
  { SELECT ?e WHERE { ?e rdfs:label ?any } GROUP BY ?e ORDER BY ?e LIMIT 3  #page
  }
  ?e rdfs:label ?label .
}
ORDER BY DESC(?label)"""


def test_page_marks_and_page_query():
    [m] = page_marks(PAGED)
    assert PAGED[m.open] == "{" and PAGED[m.close] == "}" and PAGED[slice(*m.clause)] == "LIMIT 3"
    assert page_size(PAGED) == 3 and page_size("SELECT * WHERE { ?s ?p ?o }") == PAGE_SIZE
    assert "ORDER BY ?e LIMIT 10 OFFSET 20  #page" in page_query(PAGED, 10, 20)
    assert "ORDER BY ?e   #page" in page_query(PAGED, 0)                 # every row
    assert "LIMIT 3" in PAGED.replace("#page", "# not a page") and \
        page_marks(PAGED.replace("#page", "# not a page")) == []
    plain = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    assert page_query(plain, 5, 10) == plain + "\nLIMIT 5 OFFSET 10"
    for as_written in ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 2", "ASK { ?s ?p ?o }",
                       "SELECT ?s WHERE { ?s ?p ?o } OFFSET 1",
                       "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        assert page_query(as_written, 5) == as_written
    # a LIMIT in a string, a comment or an IRI is no page
    assert page_marks('SELECT ?s WHERE { ?s ?p "LIMIT 3  #page" } # LIMIT 3  #page') == []


def test_pages_of_a_marked_query(store):
    every = run_query(store, PAGED, limit=0)
    assert every.more is False and every.offset == 0
    entities = {row[0] for row in every.rows}
    assert len(entities) >= 4                                   # several pages
    assert len({row[0] for row in run_query(store, PAGED).rows}) == 3   # as written: the first page
    seen, offset, pages = [], 0, 0
    while True:
        page = run_query(store, PAGED, limit=2, offset=offset)
        pages += 1
        assert page.offset == offset and len({row[0] for row in page.rows}) <= 2
        labels = [str(row[1]) for row in page.rows]
        assert labels == sorted(labels, reverse=True)           # the query's own order, in the page
        seen += page.rows
        if not page.more:
            assert page.next_offset is None
            break
        assert page.next_offset == offset + 2
        offset = page.next_offset
    assert sorted(seen) == sorted(every.rows) and pages == -(-len(entities) // 2)
    beyond = run_query(store, PAGED, limit=2, offset=len(entities))
    assert beyond.rows == [] and beyond.more is False and beyond.columns == ["e", "label"]


def test_marked_alternatives_and_parameters(store):
    q = """SELECT ?d ?label WHERE {
      { SELECT ?d WHERE { { FILTER(COALESCE(?code, "") = "") } ?d kg:adminCode ?c } ORDER BY ?c LIMIT 5  #page
      } UNION {
        SELECT ?d WHERE { ?d kg:adminCode ?code } LIMIT 5  #page
      }
      ?d rdfs:label ?label .
    }"""
    assert len(page_marks(q)) == 2
    both = run_query(store, q, limit=1)
    assert [str(r[1]) for r in both.rows] == ["苏州市"] and both.more is True
    assert [str(r[1]) for r in run_query(store, q, limit=1, offset=1).rows] == ["吴江区"]
    one = run_query(store, q, {"code": "320509"}, limit=1)
    assert [str(r[1]) for r in one.rows] == ["吴江区"] and one.more is False


def test_pages_of_a_query_without_marks(store):
    q = "SELECT ?f WHERE { ?a kg:sourceFile ?f } ORDER BY ?f"
    first = run_query(store, q, limit=1)
    assert first.values() == [("001_a.txt",)] and first.more is True and first.next_offset == 1
    last = run_query(store, q, limit=1, offset=1)
    assert last.values() == [("002_b.txt",)] and last.more is False
    assert run_query(store, q, limit=0).values() == [("001_a.txt",), ("002_b.txt",)]
    own = run_query(store, q.replace("ORDER BY ?f", "ORDER BY ?f LIMIT 2"), limit=1)
    assert len(own) == 2 and own.more is None                   # its own LIMIT: as written
    ask = run_query(store, "ASK { ?a kg:sourceFile ?f }", limit=1)
    assert ask.boolean is True and ask.more is None
    with pytest.raises(ValueError):
        run_query(store, q, limit=-1)
    with pytest.raises(ValueError):
        run_query(store, q, offset=5)                           # an offset needs a limit


def test_a_page_of_blank_nodes_is_refused(store):
    q = "SELECT ?b WHERE { { SELECT (BNODE() AS ?b) WHERE { } LIMIT 1  #page\n } }"
    with pytest.raises(QueryError, match="blank nodes"):
        run_query(store, q, limit=1)


def test_page_note():
    rows = [(Literal(i),) for i in range(3)]
    assert page_note(QueryResult("select", ["n"], rows)) == "3 rows"
    assert page_note(QueryResult("select", ["n"], rows, offset=0, more=False)) == "3 rows"
    assert page_note(QueryResult("select", ["n"], rows, more=True, next_offset=3)) == \
        "3 rows shown; more with --offset 3 or --all"
    assert page_note(QueryResult("select", ["n"], rows, offset=3, more=True, next_offset=6)) == \
        "3 rows shown from --offset 3; more with --offset 6 or --all"
    assert page_note(QueryResult("select", ["n"], rows[:1], offset=6, more=False)) == \
        "1 row shown from --offset 6; no more"
    assert format_table(QueryResult("select", ["n"], rows, more=True, next_offset=3)).endswith(
        "(3 rows shown; more with --offset 3 or --all)")


# --- loading -----------------------------------------------------------------------

def test_load_query_text_adds_missing_prefixes():
    q = load_query("# districts\nPREFIX kg: <http://other/>\nSELECT * WHERE { ?s kg:x ?o }")
    assert q.startswith("# districts\n")
    assert q.count("PREFIX kg:") == 1 and "<http://other/>" in q
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in q
    assert "PREFIX id: <https://w3id.org/jiuye-kg/id/>" in q
    assert with_prefixes(q) == q
    assert q.split("\n")[2] == "SELECT * WHERE { ?s kg:x ?o }"   # line numbers kept


def test_bad_query_error_is_one_line_with_the_right_line_number(store):
    with pytest.raises(QueryError) as err:
        run_query(store, load_query("SELECT ?d\nWHERE { ?d a kg:District"))
    msg = str(err.value)
    assert "\n" not in msg and len(msg) < 200
    assert "2:" in msg or "line:2" in msg


def test_load_query_from_file_and_by_name(tmp_path):
    qdir = tmp_path / "queries"
    qdir.mkdir()
    (qdir / "districts.rq").write_text("# all districts\nSELECT ?d WHERE { ?d a kg:District }\n",
                                       encoding="utf-8")
    by_name = load_query("districts", directory=qdir)
    by_path = load_query(str(qdir / "districts.rq"))
    assert by_name == by_path
    assert "SELECT ?d WHERE { ?d a kg:District }" in by_name and "PREFIX kg:" in by_name
    with pytest.raises(QueryError, match="no named query 'nosuch'.*districts"):
        load_query("nosuch", directory=qdir)
    with pytest.raises(QueryError, match="no query file"):
        load_query(str(tmp_path / "missing.rq"))


# --- formatting ---------------------------------------------------------------------

def cjk_result() -> QueryResult:
    return QueryResult("select", columns=["district", "label", "n"], rows=[
        (ID["district/320509"], Literal("吴江区", lang="zh"), Literal(2756)),
        (ID["district/320500"], Literal("苏州市吴中区人力资源和社会保障局"), Literal(5)),
        (URIRef("http://example.org/x"), Literal("ascii only"), None),
    ])


def test_display_width():
    assert display_width("吴江区") == 6
    assert display_width("ab") == 2
    assert display_width("Ａ１") == 4            # fullwidth
    assert display_width("e\u0301") == 1        # combining accent takes no column


def test_format_table_aligns_cjk_columns():
    lines = format_table(cjk_result()).splitlines()
    assert lines[-1] == "(3 rows)"
    header, rule, *rows = lines[:-1]
    assert len(rows) == 3
    # the label column starts at the same terminal column on every line
    labels = ["label", "吴江区", "苏州市吴中区人力资源和社会保障局", "ascii only"]
    starts = {display_width(line[:line.index(cell)]) for line, cell in zip([header] + rows, labels)}
    assert starts == {display_width(rule.split("  ")[0]) + 2}
    # numbers are right-aligned: after the CJK labels, the n column ends at the
    # same terminal column on every line, though at different character counts
    assert {display_width(line) for line in (header, rows[0], rows[1])} == {display_width(rule)}
    assert len({len(line) for line in (header, rows[0], rows[1])}) == 3
    assert header.endswith(" n") and rows[0].endswith(" 2756") and rows[1].endswith(" 5")
    assert rows[0].startswith("id:district/320509  ") and rows[2].startswith("<http://example.org/x>")


def test_format_table_keeps_one_line_per_row_and_truncates():
    r = QueryResult("select", columns=["t"], rows=[(Literal("第一行\n第二行"),),
                                                    (Literal("长" * 100),)])
    lines = format_table(r, max_width=20).splitlines()
    assert lines[2] == "第一行↵第二行"
    assert lines[3] == "长" * 9 + "…" and display_width(lines[3]) <= 20
    assert format_table(QueryResult("ask", boolean=False)) == "false"


def test_format_csv():
    text = format_csv(cjk_result())
    back = list(csv.reader(io.StringIO(text)))
    assert back == [["district", "label", "n"],
                    ["https://w3id.org/jiuye-kg/id/district/320509", "吴江区", "2756"],
                    ["https://w3id.org/jiuye-kg/id/district/320500", "苏州市吴中区人力资源和社会保障局", "5"],
                    ["http://example.org/x", "ascii only", ""]]
    tricky = QueryResult("select", columns=["v"], rows=[(Literal(HOSTILE),)])
    assert list(csv.reader(io.StringIO(format_csv(tricky), newline="")))[1] == [HOSTILE]


def test_format_json_is_sparql_results_json():
    doc = json.loads(format_json(cjk_result()))
    assert doc["head"] == {"vars": ["district", "label", "n"]}
    b = doc["results"]["bindings"]
    assert b[0] == {
        "district": {"type": "uri", "value": "https://w3id.org/jiuye-kg/id/district/320509"},
        "label": {"type": "literal", "value": "吴江区", "xml:lang": "zh"},
        "n": {"type": "literal", "value": "2756", "datatype": str(XSD.integer)},
    }
    assert b[1]["label"] == {"type": "literal", "value": "苏州市吴中区人力资源和社会保障局"}
    assert "n" not in b[2]                                    # unbound: left out
    assert json.loads(format_json(QueryResult("ask", boolean=True))) == {"head": {}, "boolean": True}


def test_format_result_dispatch(store):
    r = run_query(store, "SELECT ?f WHERE { ?a kg:sourceFile ?f } ORDER BY ?f")
    assert format_result(r, "csv") == "f\r\n001_a.txt\r\n002_b.txt\r\n"
    with pytest.raises(ValueError):
        format_result(r, "xml")
    assert compact(KG.Agency) == "kg:Agency" and compact(None) == ""
