"""kg.store: both backends put, replace and remove articles, and query the union."""
from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import make_article
from rdflib import Graph, Literal

from kg import store as store_mod
from kg.graph import article_graph
from kg.model import ArticleResult, Entity, Figure, Mention, Relation
from kg.namespace import ID, RDFS, article_graph_iri, article_iri
from kg.store import (
    MemoryStore, OxigraphStore, QueryError, StoreError, StoreLocked, open_store,
    register_backend,
)

WUJIANG = "<https://w3id.org/jiuye-kg/id/district/320509>"   # id:district/320509
SUZHOU = "<https://w3id.org/jiuye-kg/id/district/320500>"
HOSTILE = 'say "hi" \\ back\\slash \\u0022 \n<script>alert(1)</script> } ; DROP ALL # \'x\''


# --- building small articles by hand (also used by test_export, test_queries) --

def make_result(source_file: str, text: str, entities: list[tuple], relations=(), figures=(),
                content_hash: str = "h1", title: str | None = None) -> ArticleResult:
    """An ArticleResult over `text` split into sentences at 。

    entities: (type, name, key, attrs) tuples; each is mentioned where its
    name first occurs in the text. figures: (value, unit, clause) tuples.
    """
    art = make_article(text, source_file, title=title, published="2022-08-04")
    art.path, art.content_hash = "/seeds/" + source_file, content_hash
    ents = []
    for type_, name, key, attrs in entities:
        at = text.index(name)
        ents.append(Entity(type_, name, key, attrs=dict(attrs),
                           mentions=[Mention(type_, name, at, at + len(name), name=name)]))
    figs = []
    for value, unit, clause in figures:
        at = text.index(clause)
        figs.append(Figure(value=value, unit=unit, text=clause, start=at, end=at + len(clause),
                           measure="岗位", sentence=art.sentence_at(at), raw=clause))
    return ArticleResult(art, ents, [Relation(*r) for r in relations], figs)


def article_a(content_hash: str = "hash-a") -> ArticleResult:
    return make_result(
        "001_a.txt", "吴江区人社局举办招聘会。现场提供2756个岗位。吴江区属于苏州市。",
        [("District", "吴江区", "District|320509", {"adminCode": "320509", "level": "county"}),
         ("District", "苏州市", "District|320500", {"adminCode": "320500", "level": "city"}),
         ("Agency", "吴江区人社局", "Agency|320509|人社局", {})],
        relations=[("District|320509", "partOf", "District|320500"),
                   ("Agency|320509|人社局", "locatedIn", "District|320509")],
        figures=[(2756, "个", "2756个")], content_hash=content_hash, title="吴江招聘会")


def article_b(content_hash: str = "hash-b") -> ArticleResult:
    return make_result(
        "002_b.txt", "苏州合兴食品有限公司位于吴江区。",
        [("Enterprise", "苏州合兴食品有限公司", "Enterprise|合兴", {}),
         ("District", "吴江区", "District|320509", {"adminCode": "320509", "level": "county"})],
        relations=[("Enterprise|合兴", "locatedIn", "District|320509")],
        content_hash=content_hash, title="合兴")


@pytest.fixture(params=["memory", "oxigraph"])
def store(request, tmp_path):
    s = open_store("memory:" if request.param == "memory" else f"oxigraph:{tmp_path / 'store'}")
    yield s
    s.close()


def rows(store, sparql) -> set[tuple]:
    return {tuple(r) for r in store.query(sparql)}


def graph_triples(store, iri) -> set:
    return {(s, p, o) for s, p, o, g in store.quads() if g == iri}


# --- put / replace / remove ----------------------------------------------------

def test_put_article_stores_exactly_its_graph(store):
    iri, g = article_graph(article_a())
    store.put_article(iri, g)
    assert store.graph_names() == [iri]
    assert store.count() == len(g)
    assert graph_triples(store, iri) == set(g)


def test_replace_drops_what_the_old_version_said(store):
    old = article_a("v1")
    iri, g1 = article_graph(old)
    store.put_article(iri, g1)
    new = make_result("001_a.txt", "张家港市人社局举办招聘会。",
                      [("District", "张家港市", "District|320582", {"adminCode": "320582"})],
                      content_hash="v2")
    iri2, g2 = article_graph(new)
    assert iri2 == iri
    store.put_article(iri, g2)
    assert store.count() == len(g2)
    assert graph_triples(store, iri) == set(g2)
    assert not rows(store, "SELECT * WHERE { %s ?p ?o }" % WUJIANG)
    assert store.article_hash("001_a.txt") == "v2"


def test_put_same_article_twice_is_idempotent(store):
    iri, g = article_graph(article_a())
    store.put_article(iri, g)
    store.put_article(iri, g)
    assert store.count() == len(g)


def test_remove_article_leaves_the_others(store):
    ia, ga = article_graph(article_a())
    ib, gb = article_graph(article_b())
    store.put_article(ia, ga)
    store.put_article(ib, gb)
    assert store.remove_article(ia) is True
    assert store.graph_names() == [ib]
    assert store.count() == len(gb)
    assert store.article_hash("001_a.txt") is None
    assert store.article_hash("002_b.txt") == "hash-b"
    assert store.remove_article(ia) is False


def test_article_hash(store):
    assert store.article_hash("001_a.txt") is None
    store.put_article(*article_graph(article_a("abc123")))
    store.put_article(*article_graph(article_b("def456")))
    assert store.article_hash("001_a.txt") == "abc123"
    assert store.article_hash("002_b.txt") == "def456"
    assert store.article_hash("003_none.txt") is None
    assert store.article_hashes() == {"001_a.txt": "abc123", "002_b.txt": "def456"}


class Exploding(Graph):
    """A graph whose iteration fails half way, like a build interrupted mid-article."""

    def __iter__(self):
        for i, t in enumerate(super().__iter__()):
            if i == 5:
                raise KeyboardInterrupt("interrupted")
            yield t


def test_failed_replacement_keeps_the_old_version(store):
    iri, g = article_graph(article_a("old"))
    store.put_article(iri, g)
    _, g2 = article_graph(article_a("new"))
    bad = Exploding()
    for t in g2:
        bad.add(t)
    with pytest.raises(KeyboardInterrupt):
        store.put_article(iri, bad)
    assert graph_triples(store, iri) == set(g)
    assert store.article_hash("001_a.txt") == "old"


def test_hostile_literal_survives_put_and_replace(store):
    iri, g = article_graph(article_a())
    store.put_article(iri, g)          # first put: oxigraph extend
    hostile = make_result("001_a.txt", "吴江区。", [], title=HOSTILE)
    _, g2 = article_graph(hostile)
    store.put_article(iri, g2)         # second put: oxigraph DROP + INSERT DATA
    titles = [str(r[0]) for r in store.query("SELECT ?t WHERE { ?a kg:title ?t }")]
    assert titles == [HOSTILE]
    assert store.count() == len(g2)    # and nothing was dropped or added besides


# --- queries over the union ----------------------------------------------------

def test_union_query_joins_statements_from_two_articles(store):
    store.put_article(*article_graph(article_a()))
    store.put_article(*article_graph(article_b()))
    # article b says the enterprise is in 吴江区, article a that 吴江区 is part of 苏州市
    got = rows(store, """SELECT DISTINCT ?name WHERE {
        ?e a kg:Enterprise ; rdfs:label ?name ; kg:locatedIn/kg:partOf %s }""" % SUZHOU)
    assert got == {(Literal("苏州合兴食品有限公司", lang="zh"),)}
    arts = rows(store, "SELECT DISTINCT ?a WHERE { %s kg:mentionedIn ?a }" % WUJIANG)
    assert arts == {(article_iri("001_a.txt"),), (article_iri("002_b.txt"),)}


def test_graph_keyword_sees_each_article(store):
    store.put_article(*article_graph(article_a()))
    store.put_article(*article_graph(article_b()))
    got = rows(store, "SELECT ?g WHERE { GRAPH ?g { ?e a kg:Enterprise } }")
    assert got == {(article_graph_iri("002_b.txt"),)}


def test_query_kinds_and_prefixes(store):
    store.put_article(*article_graph(article_a()))
    assert store.query("ASK { %s kg:partOf %s }" % (WUJIANG, SUZHOU)).askAnswer is True
    assert store.query("ASK { %s kg:partOf %s }" % (SUZHOU, WUJIANG)).askAnswer is False
    res = store.query("CONSTRUCT { ?d rdfs:label ?l } WHERE { ?d a kg:District ; rdfs:label ?l }")
    assert set(res.graph) == {(ID["district/320509"], RDFS.label, Literal("吴江区", lang="zh")),
                              (ID["district/320500"], RDFS.label, Literal("苏州市", lang="zh"))}
    sel = store.query("SELECT ?v WHERE { ?f kg:value ?v }")
    assert [r[0].toPython() for r in sel] == [2756]


def test_bad_query_raises_query_error(store):
    with pytest.raises(QueryError):
        store.query("SELECT WHERE nonsense {")


def test_dataset_keeps_named_graphs(store):
    ia, ga = article_graph(article_a())
    ib, gb = article_graph(article_b())
    store.put_article(ia, ga)
    store.put_article(ib, gb)
    ds = store.dataset()
    assert set(ds.graph(ia)) == set(ga)
    assert set(ds.graph(ib)) == set(gb)
    assert sum(1 for _ in store.quads()) == len(ga) + len(gb)
    assert store.count() == len(ga + gb)   # distinct triples: shared statements count once


def test_closed_store_refuses_work(store):
    store.close()
    with pytest.raises(StoreError):
        store.count()


# --- oxigraph on disk ----------------------------------------------------------

def test_oxigraph_persists_and_opens_read_only(tmp_path):
    path = tmp_path / "store"
    iri, g = article_graph(article_a())
    with open_store(path) as s:          # a bare path means oxigraph
        assert isinstance(s, OxigraphStore)
        s.put_article(iri, g)
    with open_store(f"oxigraph:{path}", read_only=True) as ro:
        assert ro.count() == len(g)
        assert ro.article_hash("001_a.txt") == "hash-a"
        with pytest.raises(StoreError, match="read-only"):
            ro.put_article(iri, g)
    with open_store(path) as s:
        assert s.count() == len(g)


def test_read_only_open_of_missing_store_says_build_first(tmp_path):
    with pytest.raises(StoreError, match="kg build"):
        open_store(tmp_path / "nothing", read_only=True)
    assert not (tmp_path / "nothing").exists()


def test_locked_store_gives_a_one_line_error(tmp_path):
    path = tmp_path / "store"
    with open_store(path):
        with pytest.raises(StoreLocked, match="already open in this process"):
            open_store(path)
        proc = subprocess.run(
            [sys.executable, "-c",
             "import sys\nfrom kg.store import open_store, StoreError\n"
             f"try:\n    open_store({str(path)!r})\n"
             "except StoreError as e:\n    print(type(e).__name__, e)\n    sys.exit(2)\n"],
            capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, proc.stderr
        out = proc.stdout.strip()
        assert "\n" not in out
        assert out.startswith("StoreLocked store ")
        assert "locked by another process" in out and "wait for it" in out
    with open_store(path) as again:      # closing released the lock
        assert again.count() == 0


# --- specs and the registry ----------------------------------------------------

def test_specs_pick_backends(tmp_path):
    assert isinstance(open_store("memory:"), MemoryStore)
    with open_store(str(tmp_path / "a")) as s:
        assert isinstance(s, OxigraphStore) and s.path == str(tmp_path / "a")
    with open_store("oxigraph:") as s:   # in-memory oxigraph: nothing on disk
        assert isinstance(s, OxigraphStore) and s.path == ""
    with pytest.raises(StoreError, match="unknown store backend 'nosuch'"):
        open_store("nosuch:x")


def test_register_backend_plugs_in_a_store():
    made = []

    def factory(location, read_only):
        made.append((location, read_only))
        return MemoryStore()

    register_backend("test-backend", factory)
    try:
        s = open_store("test-backend:somewhere", read_only=True)
        assert isinstance(s, MemoryStore)
        assert made == [("somewhere", True)]
        assert "test-backend" in store_mod.backends()
    finally:
        store_mod._BACKENDS.pop("test-backend", None)


def test_terms_round_trip_between_rdflib_and_oxigraph():
    from decimal import Decimal
    from rdflib import BNode
    from kg.namespace import XSD
    terms = [ID["district/320509"], Literal("吴江区", lang="zh"),
             Literal("plain"), Literal(Decimal("50860000"), datatype=XSD.decimal),
             Literal(True), Literal("2022-08-04", datatype=XSD.date), Literal(HOSTILE)]
    for t in terms:
        back = store_mod.from_ox(store_mod.to_ox(t))
        assert back == t and type(back) is type(t), t
    b = store_mod.to_ox(BNode("abc"), {})
    assert isinstance(store_mod.from_ox(b), BNode)


def test_a_statement_two_articles_share_answers_once(store):
    """The default graph is the set merge of the articles: 吴江区's label, said by
    both articles, is one answer; it stays while one article still says it."""
    ia, ga = article_graph(article_a())
    ib, gb = article_graph(article_b())
    store.put_article(ia, ga)
    store.put_article(ib, gb)
    q = 'SELECT ?d WHERE { ?d rdfs:label "吴江区"@zh }'
    assert len(list(store.query(q))) == 1
    store.remove_article(ia)
    assert len(list(store.query(q))) == 1
    store.put_article(ia, ga)                      # and a replacement keeps it too
    store.put_article(ia, article_graph(article_a("hash-a2"))[1])
    assert len(list(store.query(q))) == 1
    store.remove_article(ia)
    store.remove_article(ib)
    assert list(store.query(q)) == []
    assert store.count() == 0


# --- the build's path: N-Triples text in, the merged graph streamed out ----------

def test_put_article_nt_fills_the_article_graph_and_the_merged_graph(store):
    from kg.graph import article_ntriples
    ia, nt_a = article_ntriples(article_a())
    ib, nt_b = article_ntriples(article_b())
    store.put_article_nt(ia, nt_a)
    store.put_article_nt(ib, nt_b)
    _, ga = article_graph(article_a())
    _, gb = article_graph(article_b())
    assert graph_triples(store, article_graph_iri("001_a.txt")) == set(ga)
    assert set(store.triples()) == set(ga) | set(gb)          # each triple once, streamed
    assert len(list(store.triples())) == store.count() < len(ga) + len(gb)
    store.put_article_nt(ia, article_ntriples(article_a("hash-a2"))[1])   # replaced in place
    assert store.article_hash("001_a.txt") == "hash-a2"
    assert set(store.triples()) == set(article_graph(article_a("hash-a2"))[1]) | set(gb)


def test_put_article_nt_refuses_bad_text_and_changes_nothing(store):
    from kg.graph import article_ntriples
    ia, nt_a = article_ntriples(article_a())
    bad = nt_a + '<https://x/s> <https://x/p> "unterminated .\n'
    with pytest.raises(SyntaxError):
        store.put_article_nt(ia, bad)                     # a new graph: nothing written
    assert store.count() == 0 and store.graph_names() == []
    store.put_article_nt(ia, nt_a)
    injection = '<https://x/s> <https://x/p> "x" . } } ; DROP ALL ; INSERT DATA { GRAPH <https://x/g> {\n'
    with pytest.raises(SyntaxError):
        store.put_article_nt(ia, nt_a + injection)        # a replacement: validated before the update
    assert set(store.triples()) == set(article_graph(article_a())[1])
