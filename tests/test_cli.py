"""The kg command, run as a user would: build, rebuild, query, export, validate."""
import csv
import io
import json
import shutil
import subprocess
import sys

import pytest
from conftest import SEEDS
from rdflib import Dataset, Graph


def kg(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    run = kg("build", str(SEEDS), "--out", str(out))
    assert run.returncode == 0, run.stderr
    return out, run


def test_build_writes_exports_and_a_summary(built):
    out, run = built
    for name in ("graph.ttl", "graph.trig", "explorer.html"):
        assert (out / name).stat().st_size > 0
    assert "articles read: 5" in run.stdout
    assert "District" in run.stdout and "figures:" in run.stdout
    g = Graph().parse(out / "graph.ttl")
    assert len(g) > 1000
    ds = Dataset().parse(out / "graph.trig", format="trig")
    assert len(list(ds.graphs())) >= 5


def test_second_build_skips_unchanged_and_replaces_changed(built, tmp_path):
    out, _ = built
    again = kg("build", str(SEEDS), "--out", str(out))
    assert "articles read: 0" in again.stdout and "unchanged, already in the store: 5" in again.stdout
    changed = tmp_path / "arts"
    shutil.copytree(SEEDS, changed)
    f = changed / "003_202c76b8a6124669.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("22条", "23条"), encoding="utf-8")
    third = kg("build", str(changed), "--out", str(out))
    assert "articles read: 1 (1 replaced a changed version)" in third.stdout
    rows = kg("query", "SELECT ?v WHERE { ?f kg:value ?v ; kg:raw ?r . FILTER(CONTAINS(?r, '条')) }",
              "--out", str(out), "--format", "csv").stdout
    assert "23" in rows and "22\n" not in rows


def test_query_table_csv_json_and_params(built):
    out, _ = built
    q = "SELECT ?name ?code WHERE { ?d a kg:District ; rdfs:label ?name ; kg:adminCode ?code } ORDER BY ?code"
    table = kg("query", q, "--out", str(out)).stdout
    assert "甘州区" in table and "620702" in table
    rows = list(csv.DictReader(io.StringIO(kg("query", q, "--out", str(out), "--format", "csv").stdout)))
    assert {"name": "吴江区", "code": "320509"} in rows
    data = json.loads(kg("query", q, "--out", str(out), "--format", "json").stdout)
    assert data["head"]["vars"] == ["name", "code"]
    one = kg("query", "SELECT ?name WHERE { ?d kg:adminCode ?code ; rdfs:label ?name }",
             "--param", "code=310117", "--out", str(out), "--format", "csv").stdout
    assert one.split() == ["name", "松江区"]


def test_query_from_file_and_clear_errors(built, tmp_path):
    out, _ = built
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?a kg:sourceFile \"004_3f0cc9cd5d3e3597.txt\" }", encoding="utf-8")
    assert "true" in kg("query", str(rq), "--out", str(out)).stdout.lower()
    bad = kg("query", "SELECT * WHERE { ?s ?p ", "--out", str(out))
    assert bad.returncode == 2 and bad.stderr.startswith("kg query:") and "Traceback" not in bad.stderr
    missing = kg("query", "ASK {}", "--out", str(tmp_path / "nothing"))
    assert missing.returncode == 2 and "kg build" in missing.stderr


def test_export_formats(built, tmp_path):
    out, _ = built
    for fmt, parse in (("nq", "nquads"), ("jsonld", "json-ld"), ("ttl", "turtle"), ("trig", "trig")):
        target = tmp_path / f"g.{fmt}"
        run = kg("export", "--format", fmt, "-o", str(target), "--out", str(out))
        assert run.returncode == 0, run.stderr
        assert len(Dataset().parse(target, format=parse)) > 0 or len(Graph().parse(target, format=parse)) > 0


def test_validate_and_help(built):
    out, _ = built
    assert kg("validate", "--out", str(out)).returncode == 0
    helptext = kg("--help").stdout
    assert "build" in helptext and "query" in helptext and "export" in helptext


def test_summary_counts_the_store_and_a_large_store_gets_no_whole_graph_page(tmp_path):
    out = tmp_path / "out"
    run = kg("build", str(SEEDS), "--out", str(out), "--explorer-limit", "4")
    assert run.returncode == 0, run.stderr
    assert (out / "graph.ttl").exists() and not (out / "explorer.html").exists()
    assert "explorer.html not written: 5 articles" in run.stderr and "kg explore --district" in run.stderr
    written = int(run.stdout.split("triples written: ")[1].split()[0])
    stored = int(run.stdout.split("triples in the store: ")[1].split()[0])
    assert stored == len(Graph().parse(out / "graph.ttl"))
    assert written > stored                           # articles share labels, types, districts
    part = kg("explore", "--out", str(out), "--district", "吴江区")
    assert part.returncode == 0, part.stderr
    assert "吴江区" in (out / "explorer-吴江区.html").read_text(encoding="utf-8")


def test_unreadable_file_is_reported_and_the_build_goes_on(tmp_path):
    arts = tmp_path / "arts"
    arts.mkdir()
    shutil.copy(SEEDS / "004_3f0cc9cd5d3e3597.txt", arts)
    (arts / "empty.txt").write_bytes(b"")
    (arts / "binary.txt").write_bytes(bytes(range(256)) * 4)
    run = kg("build", str(arts), "--out", str(tmp_path / "out"))
    assert run.returncode == 0
    assert "articles read: 1" in run.stdout and "skipped: 2" in run.stdout
    assert "empty.txt" in run.stdout and "binary.txt" in run.stdout
    strict = kg("build", str(arts), "--out", str(tmp_path / "out2"), "--strict")
    assert strict.returncode == 1
