"""Property-based tests: the readers, the number grammar and IRI minting take
anything without crashing and give back only what they promise."""
from __future__ import annotations

import math

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.articles import ArticleError, read_article
from kg.extract.numbers import find_quantities, parse_number
from kg.namespace import (article_graph_iri, article_iri, entity_iri, figure_iri, safe_local,
                          sentence_iri)

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text that reaches the interesting paths: CJK, markup, separators, controls, astral planes.
TEXT = st.lists(st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from("就业岗位招聘会人社局一二三十百千万亿两点零〇％%，。；：“”《》<>/&\"'\\-—~至"),
    st.sampled_from(["<p>", "</div>", "<script>", "---\n", "来源：", "2022年1月2日", "\r\n", "\x00",
                     "\ufeff", "\u202e", "\ufffe", "\uffff", "9" * 40]),
), max_size=150).map("".join)


def read_or_article_error(path):
    """read_article's only failure is ArticleError naming the file; a result is consistent."""
    try:
        a = read_article(path)
    except ArticleError as e:
        assert str(path) in str(e) and "\n" not in str(e)
        return
    assert a.text and a.source_file == path.name
    for s in a.sentences:
        assert a.text[s.start:s.end] == s.text


@FUZZ
@given(raw=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_reader_takes_any_bytes(tmp_path, raw, suffix):
    path = tmp_path / f"any{suffix}"
    path.write_bytes(raw)
    read_or_article_error(path)


SHAPES = {
    "markdown": lambda t, u: f"---\ntitle: {u}\ndate: {u}\nauthor: {u}\ntags: [{u}]\n---\n{t}\n",
    "html": lambda t, u: (f"<!doctype html><html><head><title>{u}</title><meta name=\"author\" "
                          f"content=\"{u}\"></head><body><article><h1>{u}</h1><p>{t}</p></article></body>"),
    "plain": lambda t, u: f"{u}\n来源：{u}\n{t}\n（责编：{u}）\n",
}


@FUZZ
@given(shape=st.sampled_from(sorted(SHAPES)), body=TEXT, field=TEXT,
       encoding=st.sampled_from(["utf-8", "utf-16", "gb18030"]))
def test_reader_takes_any_text_in_each_shape(tmp_path, shape, body, field, encoding):
    suffix = {"markdown": ".md", "html": ".html", "plain": ".txt"}[shape]
    path = tmp_path / f"any{suffix}"
    text = SHAPES[shape](body, field)
    path.write_bytes(text.encode(encoding, errors="replace" if encoding != "utf-16" else "surrogatepass"))
    read_or_article_error(path)


def finite_non_negative(v) -> bool:
    return v is not None and math.isfinite(v) and v >= 0


@FUZZ
@given(text=TEXT)
@example(text="招聘" + "9" * 400 + "个岗位")
@example(text="九" * 400 + "万亿人")
@example(text="百分之" + "9" * 400)
def test_number_grammar_never_crashes_and_values_are_finite(text):
    for keep_all in (False, True):
        for q in find_quantities(text, keep_all=keep_all):
            assert finite_non_negative(q.value), q
            assert q.upper is None or finite_non_negative(q.upper), q
            assert 0 <= q.start <= q.end <= len(text) and text[q.start:q.end] == q.raw
    v = parse_number(text)
    assert v is None or finite_non_negative(v)


@FUZZ
@given(text=st.text(st.sampled_from("0123456789.,一二两三十百千万亿点零〇百分之％%　 "), max_size=40))
def test_parse_number_on_number_like_text(text):
    v = parse_number(text)
    assert v is None or finite_non_negative(v)


def valid_iri(iri) -> None:
    """pyoxigraph accepts it, and rdflib writes and reads it back through N-Triples unchanged."""
    ox.NamedNode(str(iri))
    g = Graph()
    g.add((URIRef(str(iri)), URIRef("https://w3id.org/jiuye-kg/ontology#p"), Literal("x")))
    back = Graph().parse(data=g.serialize(format="nt"), format="nt")
    assert {str(s) for s in back.subjects()} == {str(iri)}
    assert {str(s) for s in ox.parse(g.serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES)} != set()


ANY = st.text(max_size=60)


@FUZZ
@given(entity_type=st.one_of(st.sampled_from(["District", "Agency", "Program", "Person"]), ANY),
       key=st.one_of(ANY, st.builds(lambda c: f"District|{c}", ANY)),
       source_file=ANY, index=st.integers(min_value=0, max_value=10**9),
       value=st.floats(allow_nan=True, allow_infinity=True), unit=ANY)
@example(entity_type="District", key="District|²³", source_file="a.txt", index=0, value=1.0, unit="个")
@example(entity_type="就业 <x>", key='"}\n', source_file="a\nb\x00.txt", index=0, value=1.0, unit=">")
def test_every_minted_iri_is_valid(entity_type, key, source_file, index, value, unit):
    for iri in (entity_iri(entity_type, key), article_iri(source_file), article_graph_iri(source_file),
                figure_iri(source_file, index, value, unit), sentence_iri(source_file, index),
                "https://w3id.org/jiuye-kg/id/x/" + safe_local(key)):
        valid_iri(iri)


def test_minted_iris_keep_their_readable_forms():
    assert str(entity_iri("District", "District|320509")).endswith("/id/district/320509")
    assert "/id/agency/" in str(entity_iri("Agency", "Agency|320509|人社局"))
    assert entity_iri("就业 局", "k") != entity_iri("就业_局", "k")      # types kept apart
    assert entity_iri("Agency", "k") != entity_iri("Program", "k")


@pytest.mark.parametrize("bad_type", ["a b", "<script>", "类型", ""])
def test_odd_entity_types_still_give_valid_iris(bad_type):
    valid_iri(entity_iri(bad_type, "key"))
