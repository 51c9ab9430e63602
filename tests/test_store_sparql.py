"""The SPARQL-endpoint store (kg/store_sparql.py) against a real Oxigraph server
started on loopback (`oxigraph serve`, from the `oxigraph` package of the test
extra): same graph, same answers as the embedded store."""
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import SEEDS
from rdflib import Literal, URIRef

from kg.build import build
from kg.cli import main
from kg.namespace import KG, RDFS
from kg.queries import list_queries, load_query, run_query
from kg.store import QueryError, StoreError, open_store
from kg.store_sparql import SparqlStore, endpoints


def _oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail("the `oxigraph` server binary is missing: pip install -e '.[test]' installs it")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    proc = subprocess.Popen([_oxigraph_binary(), "serve", "--location", str(tmp_path_factory.mktemp("ox")),
                             "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("oxigraph serve did not start")
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def store(server):
    s = open_store(f"sparql+{server}")
    s.clear()
    yield s
    s.close()


@pytest.fixture(scope="module")
def seeds_embedded():
    s = open_store("oxigraph:")
    build([SEEDS], s)
    yield s
    s.close()


def _rows(result):
    """Rows as comparable strings; GROUP_CONCAT's order is up to the engine, so
    " | "-joined lists are compared as sorted lists."""
    return sorted(repr([" | ".join(sorted(str(t).split(" | "))) if t is not None else None for t in row])
                  for row in result.rows)


def test_spec_and_endpoints():
    assert endpoints("http://h:7878") == ("http://h:7878/query", "http://h:7878/update")
    assert endpoints("http://h:3030/kg/") == ("http://h:3030/kg/query", "http://h:3030/kg/update")
    assert endpoints("https://h/repositories/kg?query=&update=/statements") == (
        "https://h/repositories/kg", "https://h/repositories/kg/statements")
    with pytest.raises(StoreError, match="only"):
        endpoints("http://h/x?foo=1")


def test_build_gives_the_same_graph_and_answers_as_the_embedded_store(store, seeds_embedded):
    report = build([SEEDS], store)
    assert report.read == 5 and store.count() == seeds_embedded.count()
    assert isinstance(store, SparqlStore)
    assert {tuple(map(str, q)) for q in store.quads()} == {tuple(map(str, q)) for q in seeds_embedded.quads()}
    assert store.article_hashes() == seeds_embedded.article_hashes()
    assert sorted(store.graph_names()) == sorted(seeds_embedded.graph_names())
    for name in list_queries():
        sparql = load_query(name)
        # every row: a page in the store's order need not be the same page on another store
        ours, theirs = run_query(store, sparql, limit=0), run_query(seeds_embedded, sparql, limit=0)
        assert ours.columns == theirs.columns and _rows(ours) == _rows(theirs), name
        assert len(ours) > 0, name
    again = build([SEEDS], store)
    assert (again.read, again.unchanged) == (0, 5)


def test_merged_default_graph_keeps_a_triple_until_its_last_article_goes(store):
    g1, g2 = URIRef("urn:g1"), URIRef("urn:g2")
    x = URIRef("urn:x")
    shared = (x, RDFS.label, Literal("甘州区", lang="zh"))
    store.put_article(g1, [shared, (x, KG.level, Literal("county"))])
    store.put_article(g2, [shared])
    assert store.count() == 2                                      # the label counts once
    store.put_article(g1, [(x, KG.level, Literal("city"))])        # g1 no longer states the label
    labels = store.query("SELECT ?l WHERE { <urn:x> rdfs:label ?l }")
    assert [str(r[0]) for r in labels] == ["甘州区"]                 # g2 still does
    assert {str(r[0]) for r in store.query("SELECT ?v WHERE { <urn:x> kg:level ?v }")} == {"city"}
    assert store.remove_article(g2) and not store.remove_article(g2)
    assert len(store.query("SELECT ?l WHERE { <urn:x> rdfs:label ?l }")) == 0
    assert store.count() == 1


def test_hostile_literals_round_trip(store):
    text = 'a "quoted" \\u0022 } ; DROP ALL ; \\ back\nslash\t制表 }} INSERT DATA { <urn:a> <urn:b> "c" }'
    triples = [(URIRef("urn:s"), KG.text, Literal(text, lang="zh")),
               (URIRef("urn:s"), KG.sourceFile, Literal('f"1.txt')),
               (URIRef("urn:s"), KG.contentHash, Literal("h1"))]
    store.put_article(URIRef("urn:g"), triples)
    assert store.count() == 3
    row = list(store.query("SELECT ?t WHERE { <urn:s> kg:text ?t }"))
    assert row[0][0] == Literal(text, lang="zh")
    assert store.article_hash('f"1.txt') == "h1" and store.article_hash("nope") is None


def test_ask_and_construct(store):
    store.put_article(URIRef("urn:g"), [(URIRef("urn:s"), RDFS.label, Literal("吴江区", lang="zh"))])
    assert store.query("ASK { ?s rdfs:label '吴江区'@zh }").askAnswer is True
    g = store.query("CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l }").graph
    assert set(g) == {(URIRef("urn:s"), RDFS.label, Literal("吴江区", lang="zh"))}


def test_errors_are_one_line(store, server):
    with pytest.raises(QueryError) as e:
        store.query("SELECT ?x WHERE {")
    assert "\n" not in str(e.value)
    with pytest.raises(StoreError, match="cannot reach the SPARQL endpoint"):
        open_store(f"sparql+http://127.0.0.1:{_free_port()}")
    ro = open_store(f"sparql+{server}", read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        ro.put_article(URIRef("urn:g"), [])
    ro.close()
    with pytest.raises(StoreError, match="closed"):
        ro.count()


def test_cli_build_query_export_on_the_endpoint(store, server, tmp_path, capsys):
    spec = f"sparql+{server}"
    assert main(["build", str(SEEDS), "--store", spec, "--out", str(tmp_path), "-q"]) == 0
    assert (tmp_path / "graph.trig").stat().st_size > 0
    capsys.readouterr()
    assert main(["query", "leaders", "--param", "district=甘州区", "--store", spec, "--format", "csv"]) == 0
    assert "薛建军" in capsys.readouterr().out
    assert main(["export", "--store", spec, "--format", "nq", "-o", str(tmp_path / "g.nq")]) == 0
    lines = [l for l in (tmp_path / "g.nq").read_text(encoding="utf-8").splitlines() if l.strip()]
    assert len(lines) == sum(1 for _ in store.quads())
