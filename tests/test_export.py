"""kg.export: every format parses back to what the store holds; writes are atomic."""
from __future__ import annotations

import os

import pytest
from rdflib import Dataset, Graph, Literal

from kg.export import FORMATS, atomic_write, export, format_name
from kg.graph import article_graph
from kg.namespace import KG
from kg.store import MemoryStore, Store, open_store

from test_store import HOSTILE, article_a, article_b, make_result

RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}
DATASET_FORMATS = ("trig", "nq", "jsonld")


@pytest.fixture(params=["memory", "oxigraph"])
def filled(request, tmp_path):
    """A store holding articles a and b, and their graphs by graph IRI."""
    s = open_store("memory:" if request.param == "memory" else tmp_path / "store")
    graphs = dict(article_graph(r) for r in (article_a(), article_b()))
    for iri, g in graphs.items():
        s.put_article(iri, g)
    yield s, graphs
    s.close()


def norm(triples) -> set:
    """Triples with literals compared by value: rdflib's Turtle writer (the
    memory backend's) turns "2756"^^xsd:decimal into 2756.0, the same number."""
    def term(t):
        if isinstance(t, Literal):
            return ("literal", t.datatype, t.language, t.toPython())
        return t
    return {tuple(term(t) for t in triple) for triple in triples}


def parse(path, fmt):
    if fmt in DATASET_FORMATS:
        ds = Dataset(default_union=True)
        ds.parse(path, format=RDFLIB_FORMAT[fmt])
        return ds
    return Graph().parse(path, format=RDFLIB_FORMAT[fmt])


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_union_formats_hold_each_triple_once_without_graph_names(filled, tmp_path, fmt):
    store, graphs = filled
    out = export(store, tmp_path / f"kg{FORMATS[fmt][0]}")
    union = set().union(*(set(g) for g in graphs.values()))
    g = parse(out, fmt)
    assert norm(g) == norm(union)
    # the two articles both state 吴江区's label: the store holds it twice, the file once
    assert len(union) == store.count() < sum(1 for _ in store.quads())
    if fmt == "nt":
        lines = [ln for ln in out.read_text(encoding="utf-8").splitlines() if ln.strip()]
        assert len(lines) == len(union)


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_dataset_formats_keep_one_named_graph_per_article(filled, tmp_path, fmt):
    store, graphs = filled
    out = export(store, tmp_path / f"kg{FORMATS[fmt][0]}", fmt)
    ds = parse(out, fmt)
    named = {g.identifier: norm(g) for g in ds.graphs() if len(g)}
    assert named == {iri: norm(g) for iri, g in graphs.items()}
    assert sum(len(t) for t in named.values()) == sum(1 for _ in store.quads())


def test_turtle_and_trig_use_the_project_prefixes(filled, tmp_path):
    store, _ = filled
    ttl = export(store, tmp_path / "kg.ttl").read_text(encoding="utf-8")
    trig = export(store, tmp_path / "kg.trig").read_text(encoding="utf-8")
    for text in (ttl, trig):
        assert "@prefix kg: <https://w3id.org/jiuye-kg/ontology#> ." in text
        assert "kg:Article" in text and "<https://w3id.org/jiuye-kg/ontology#" not in text.replace(
            "@prefix kg: <https://w3id.org/jiuye-kg/ontology#>", "")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_hostile_literal_survives_export_and_reparse(tmp_path, fmt):
    for spec in ("memory:", tmp_path / f"store-{fmt}"):
        with open_store(spec) as store:
            store.put_article(*article_graph(make_result("x.txt", "吴江区。", [], title=HOSTILE)))
            out = export(store, tmp_path / f"hostile{FORMATS[fmt][0]}")
            g = parse(out, fmt)
            titles = list(g.objects(None, KG.title))
            assert titles == [Literal(HOSTILE, lang="zh")], (spec, titles)


def test_oxigraph_export_is_byte_stable(tmp_path):
    with open_store(tmp_path / "s1") as a, open_store(tmp_path / "s2") as b:
        for r in (article_a(), article_b()):
            a.put_article(*article_graph(r))
        for r in (article_b(), article_a()):          # other order
            b.put_article(*article_graph(r))
        for suffix in (".ttl", ".nt"):
            assert export(a, tmp_path / f"a{suffix}").read_bytes() == \
                export(b, tmp_path / f"b{suffix}").read_bytes()


def test_format_names():
    assert format_name(None, "x/kg.trig") == "trig"
    assert format_name("turtle") == "ttl"
    assert format_name("N-Quads") == "nq"
    assert format_name(None, "kg.nq") == "nq"
    with pytest.raises(ValueError, match="unknown export format"):
        format_name("rdfxml")
    with pytest.raises(ValueError, match="cannot tell the format"):
        format_name(None, "kg.txt")
    assert all(suffix.startswith(".") and desc for suffix, desc in FORMATS.values())


# --- atomic writes -------------------------------------------------------------

def test_atomic_write_keeps_the_old_file_when_the_writer_fails(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("old content\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_write(target) as f:
            f.write("new content, half of it")
            f.flush()
            raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]   # no temp file left


def test_atomic_write_replaces_on_success_and_keeps_permissions(tmp_path):
    target = tmp_path / "sub" / "out.html"
    with atomic_write(target) as f:                   # creates the directory
        f.write("一")
    assert target.read_text(encoding="utf-8") == "一"
    os.chmod(target, 0o640)
    with atomic_write(target, "wb") as f:
        f.write("二".encode("utf-8"))
    assert target.read_text(encoding="utf-8") == "二"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.html"]


class FailingStore(MemoryStore):
    """A store that breaks half way through being read."""

    def quads(self):
        for i, q in enumerate(super().quads()):
            if i == 3:
                raise OSError("disk went away")
            yield q

    def dataset(self):
        return Store.dataset(self)       # built from quads(), so it fails too


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_failed_export_leaves_the_previous_export(tmp_path, fmt):
    store = FailingStore()
    store.put_article(*article_graph(article_a()))
    target = tmp_path / f"kg{FORMATS[fmt][0]}"
    target.write_bytes(b"previous export")
    with pytest.raises(OSError, match="disk went away"):
        export(store, target, fmt)
    assert target.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
