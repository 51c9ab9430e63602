"""The ontology's namespace and the minting of stable IRIs.

Ontology terms live under KG (classes District, Agency …, properties
mentionedIn, partOf …; see ontology/kg.ttl). Things live under ID, and their
IRIs are minted from the identity key an entity carries (model.Entity.key), so
the same thing gets the same IRI in every build and every article.
"""
from __future__ import annotations

import hashlib
import re

from rdflib import Namespace
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD  # noqa: F401  (re-exported)

BASE = "https://w3id.org/jiuye-kg/"
KG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES = {
    "kg": KG, "id": ID, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "xsd": XSD,
    "dcterms": DCTERMS, "prov": PROV, "schema": SCHEMA, "org": ORG, "qb": QB,
}

_SAFE = re.compile(r"[^0-9A-Za-z_-]")


def digest(*parts: str, length: int = 16) -> str:
    """A short, stable hex digest of the parts (joined with '|')."""
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:length]


def entity_iri(entity_type: str, key: str):
    """IRI of an entity from its type and identity key.

    Districts with an official code get a readable IRI (id/district/320509);
    everything else a digest of its key, so any name (quotes, spaces,
    <script>) gives a valid IRI. The type becomes a path segment as is when
    it is plain ASCII (agency, program …); any other type is made safe and
    tagged with its digest, so odd types neither break the IRI nor collide.
    """
    kind = entity_type.lower()
    if safe_local(kind) != kind or not kind:
        kind = f"{safe_local(kind)}-{digest('type', entity_type, length=8)}"
    parts = key.split("|")
    if entity_type == "District" and len(parts) == 2 and parts[1].isascii() and parts[1].isdigit():
        return ID[f"district/{parts[1]}"]
    return ID[f"{kind}/{digest(key)}"]


def article_iri(source_file: str):
    """IRI of an article, from its file name."""
    return ID[f"article/{digest('article', source_file)}"]


def article_graph_iri(source_file: str):
    """The named graph that holds everything one article says."""
    return ID[f"graph/{digest('article', source_file)}"]


def figure_iri(source_file: str, index: int, value: float, unit: str):
    """IRI of the index-th figure of an article."""
    return ID[f"figure/{digest('figure', source_file, str(index), repr(value), unit)}"]


def sentence_iri(source_file: str, index: int):
    return ID[f"sentence/{digest('sentence', source_file, str(index))}"]


def safe_local(text: str) -> str:
    """Text reduced to characters safe in any IRI's local part."""
    return _SAFE.sub("_", text) or "_"
