"""Parallel builds: local worker processes and a Dask cluster give the same store
and the same report as a serial build (kg/parallel.py)."""
import shutil

import pytest
from conftest import ROOT, SEEDS

from kg.build import build
from kg.cli import main
from kg.parallel import ParallelError, build_parallel, extract_file
from kg.store import open_store

CORPUS = ROOT / "tests" / "corpus" / "articles"


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    """The seeds and the held-out corpus (11 real articles), one exact copy of a
    seed under another name, and one file that is not an article."""
    d = tmp_path_factory.mktemp("articles")
    for src in [*SEEDS.iterdir(), *CORPUS.iterdir()]:
        shutil.copy(src, d / src.name)
    shutil.copy(SEEDS / "001_e4451ba21e0d1eed.txt", d / "zz_copy_of_001.txt")
    (d / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    return d


def _quads(store):
    return {tuple(map(str, q)) for q in store.quads()}


def _same_report(a, b):
    assert (a.read, a.unchanged, a.replaced, a.figures, a.triples) == \
           (b.read, b.unchanged, b.replaced, b.figures, b.triples)
    assert a.entities == b.entities
    assert a.duplicates == b.duplicates
    assert sorted(a.skipped) == sorted(b.skipped)


@pytest.fixture(scope="module")
def serial(articles):
    store = open_store("memory:")
    report = build([articles], store)
    yield store, report
    store.close()


def test_workers_build_the_same_store_and_report(articles, serial):
    store, report = serial
    assert report.read == 11 and report.duplicates == [("zz_copy_of_001.txt", "001_e4451ba21e0d1eed.txt")]
    assert [p for p, _ in report.skipped] == [str(articles / "broken.txt")]
    with open_store("oxigraph:") as par:
        preport = build([articles], par, workers=2)
        _same_report(preport, report)
        assert _quads(par) == _quads(store)


def test_rebuild_with_workers_skips_unchanged_and_replaces_changed(articles, tmp_path):
    folder = tmp_path / "a"
    shutil.copytree(articles, folder)
    with open_store("oxigraph:") as store:
        build_parallel([folder], store, workers=2)
        before = store.count()
        again = build_parallel([folder], store, workers=2)
        assert (again.read, again.unchanged) == (0, 11) and store.count() == before
        path = folder / "003_202c76b8a6124669.txt"
        path.write_text(path.read_text(encoding="utf-8").replace("长宁区", "静安区"), encoding="utf-8")
        changed = build_parallel([folder], store, workers=2)
        assert (changed.read, changed.replaced, changed.unchanged) == (1, 1, 10)
        labels = {str(r[0]) for r in store.query(
            "SELECT ?n WHERE { ?d a kg:District ; rdfs:label ?n }")}
        assert "静安区" in labels


def test_a_worker_does_not_extract_an_unchanged_article():
    path = SEEDS / "000_cbe2f32d5ffc832a.txt"
    fresh = extract_file(str(path), str(path))
    assert fresh.ntriples and fresh.graph_iri and fresh.figures > 0
    same = extract_file(str(path), str(path), fresh.content_hash)
    assert same.ntriples is None and same.content_hash == fresh.content_hash


def test_cli_build_with_workers(articles, tmp_path, capsys):
    code = main(["build", str(articles), "--out", str(tmp_path), "--workers", "2", "--no-export", "-q"])
    assert code == 0
    assert not (tmp_path / "graph.ttl").exists()               # --no-export: the store only
    with open_store(tmp_path / "store", read_only=True) as store:
        assert len(store.graph_names()) == 11


def test_dask_local_cluster_builds_the_same_store(articles, serial):
    distributed = pytest.importorskip("distributed", reason="pip install -e '.[test]' installs dask")
    store, report = serial
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        with open_store("oxigraph:") as dstore:
            dreport = build([articles], dstore, scheduler=cluster.scheduler_address)
            _same_report(dreport, report)
            assert _quads(dstore) == _quads(store)


def test_an_unusable_scheduler_address_is_one_line_error(articles, tmp_path, capsys):
    pytest.importorskip("distributed")
    with open_store("memory:") as store, pytest.raises(ParallelError, match="Dask scheduler"):
        build([articles], store, scheduler="nonsense://127.0.0.1:1")
    code = main(["build", str(articles), "--out", str(tmp_path), "--scheduler", "nonsense://x:1", "-q"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Dask scheduler" in err
