"""`kg serve`: the SPARQL 1.1 Protocol over the built seeds, with SPARQLWrapper as the client.

The server runs in a thread of this process on 127.0.0.1 and a free port;
its query workers are processes. One extra article carries a hostile title
(<script>…) to check the page escapes what it shows.
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest
from conftest import SEEDS
from rdflib import Graph

from kg.server import is_update, make_server, negotiate

SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
from SPARQLWrapper import CSV, JSON, JSONLD, POST, TSV, TURTLE, XML  # noqa: E402

HOSTILE_TITLE = "<script>alert('x')</script>&amp; 招聘"
Q_CODES = "SELECT ?name ?code WHERE { ?d a kg:District ; rdfs:label ?name ; kg:adminCode ?code } ORDER BY ?code"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    arts = tmp_path_factory.mktemp("articles")
    for f in SEEDS.iterdir():
        shutil.copy(f, arts)
    (arts / "hostile.md").write_text(f'---\ntitle: "{HOSTILE_TITLE}"\ndate: 2022-01-01\n---\n'
                                     "吴江区人社局举办招聘会。\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("exports")
    run = subprocess.run([sys.executable, "-m", "kg", "build", str(arts), "--out", str(out), "-q"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    srv = make_server(str(out / "store"), "127.0.0.1", 0, timeout=1.5, max_rows=500, workers=1)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    host, port = srv.server_address[:2]
    yield f"http://{host}:{port}"
    srv.shutdown()
    srv.server_close()


def wrapper(base, query, fmt=JSON, method=None):
    w = SPARQLWrapper.SPARQLWrapper(f"{base}/sparql")
    w.setQuery(query)
    w.setReturnFormat(fmt)
    if method:
        w.setMethod(method)
    return w.query()


def http(url, data=None, headers=None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


def test_select_json_get_and_post(server):
    for method in (None, POST):
        res = wrapper(server, Q_CODES, JSON, method).convert()
        got = {(b["name"]["value"], b["code"]["value"]) for b in res["results"]["bindings"]}
        assert ("吴江区", "320509") in got and ("甘州区", "620702") in got
        b = res["results"]["bindings"][0]["name"]
        assert b["type"] == "literal" and b["xml:lang"] == "zh"


def test_select_xml_csv_tsv(server):
    doc = wrapper(server, Q_CODES, XML).convert()
    lits = [e.firstChild.data for e in doc.getElementsByTagName("literal")]   # a minidom Document
    assert "吴江区" in lits and "320509" in lits
    assert doc.documentElement.namespaceURI == "http://www.w3.org/2005/sparql-results#"
    rows = list(csv.DictReader(io.StringIO(wrapper(server, Q_CODES, CSV).convert().decode("utf-8"))))
    assert {"name": "吴江区", "code": "320509"} in rows
    tsv = wrapper(server, Q_CODES, TSV).convert().decode("utf-8").splitlines()
    assert tsv[0] == "?name\t?code" and '"吴江区"@zh\t"320509"' in tsv


def test_ask_and_construct(server):
    assert wrapper(server, "ASK { ?d kg:adminCode \"620702\" }").convert()["boolean"] is True
    assert wrapper(server, "ASK { ?d kg:adminCode \"999999\" }").convert()["boolean"] is False
    q = "CONSTRUCT { ?d kg:adminCode ?c } WHERE { ?d kg:adminCode ?c }"
    ttl = wrapper(server, q, TURTLE).convert()
    g = Graph().parse(data=ttl, format="turtle")
    assert any(str(o) == "320509" for o in g.objects())
    jsonld = wrapper(server, q, JSONLD).convert()          # SPARQLWrapper parses it into a Graph
    assert set(jsonld) == set(g)


def test_service_description(server):
    status, headers, body = http(f"{server}/sparql")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(str(o) == sd + "SPARQL11Query" for o in g.objects())
    assert any(str(o) == f"{server}/sparql" for o in g.objects())


def test_updates_are_refused(server):
    for data, ctype in ((b"update=DROP+ALL", "application/x-www-form-urlencoded"),
                        (b"DROP ALL", "application/sparql-update"),
                        (b"query=PREFIX+x%3A+<http://x/>+INSERT+DATA+{+x:a+x:b+x:c+}",
                         "application/x-www-form-urlencoded")):
        status, _, body = http(f"{server}/sparql", data, {"Content-Type": ctype})
        assert status == 403 and "read-only" in body and body.count("\n") == 1
    assert wrapper(server, "ASK { ?d kg:adminCode \"620702\" }").convert()["boolean"] is True
    assert is_update("# c\nPREFIX a: <http://a/> DELETE WHERE { ?s ?p ?o }")
    assert not is_update("PREFIX delete: <http://a/> SELECT * WHERE { ?s delete:x ?o }")


def test_timeout_then_server_still_answers(server):
    status, _, body = http(f"{server}/sparql?query={urllib.request.quote(HEAVY)}")
    assert status == 503 and "time limit" in body
    assert wrapper(server, "ASK { ?s ?p ?o }").convert()["boolean"] is True   # a fresh worker took over


def test_row_limit(server):
    status, _, body = http(f"{server}/sparql?query={urllib.request.quote('SELECT * WHERE { ?s ?p ?o }')}")
    assert status == 413 and "500 rows" in body
    ok = wrapper(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 500").convert()
    assert len(ok["results"]["bindings"]) == 500


def test_bad_query_and_not_acceptable(server):
    status, _, body = http(f"{server}/sparql?query=SELEC")
    assert status == 400 and "bad SPARQL" in body and body.count("\n") == 1
    status, _, _ = http(f"{server}/sparql?query={urllib.request.quote(Q_CODES)}",
                        headers={"Accept": "text/turtle"})
    assert status == 406
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml") == ("xml", None)
    assert negotiate(None) == ("json", "turtle")


def test_cors(server):
    status, headers, _ = http(f"{server}/sparql", method="OPTIONS",
                              headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    _, headers, _ = http(f"{server}/sparql?query={urllib.request.quote('ASK {}')}")
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_page_lists_named_queries_and_escapes_values(server):
    status, headers, page = http(f"{server}/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<textarea" in page and 'href="/?name=leaders"' in page and "<script" not in page
    status, _, page = http(f"{server}/?name=leaders")
    assert "kg:affiliation" in page                                     # the textarea is filled
    q = "SELECT ?t WHERE { ?a kg:title ?t FILTER(CONTAINS(STR(?t), 'alert')) }"
    status, _, page = http(f"{server}/?query={urllib.request.quote(q)}")
    assert status == 200 and "1 row" in page
    assert "<script>" not in page and "&lt;script&gt;alert(" in page and "&amp;amp;" in page
    assert "script-src" not in headers.get("Content-Security-Policy", "")  # no script allowed at all
    status, _, page = http(f"{server}/?query={urllib.request.quote('SELECT * WHERE { ?s ?p ?o }')}")
    assert "413" in page and "500 rows" in page
