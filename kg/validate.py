"""Check a built graph against the SHACL shapes in ontology/shapes.ttl.

    conforms, report = validate(graph_or_dataset)

A Dataset (one named graph per article) is validated as the union of its
graphs, which is what a reader of the store sees: an entity two articles name
differently then has two rdfs:labels and does not conform. No inference is
run and nothing is fetched (owl:imports are not followed).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY = ONTOLOGY_DIR / "kg.ttl"


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The parsed shapes (read once)."""
    return Graph().parse(SHAPES, format="turtle")


def validate(data: Graph | Dataset) -> tuple[bool, str]:
    """(conforms, report text) of a Graph, ConjunctiveGraph or Dataset."""
    import pyshacl

    # pyshacl switches a multigraph to default_union in place; put it back.
    had_union = getattr(data, "default_union", None)
    try:
        conforms, _report_graph, text = pyshacl.validate(
            data,
            shacl_graph=shapes_graph(),
            inference="none",
            abort_on_first=False,
            allow_infos=False,
            allow_warnings=False,
            advanced=False,
            do_owl_imports=False,
        )
    finally:
        if had_union is not None and getattr(data, "default_union", None) != had_union:
            data.default_union = had_union
    return bool(conforms), str(text)
