"""Everything the graph knows about one entity (`kg show NAME`).

    matches = find(store, "吴江区人社局")        # by label or alias (or an IRI)
    card = describe(store, matches[0].iri)
    print(format_card(card))

All of it is SPARQL against the store's merged default graph; names are
compared with STR() so a plain string matches the @zh labels.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from .namespace import PREFIXES
from .queries import compact, run_query
from .store import Store

_FIND = """
SELECT DISTINCT ?e ?type ?label WHERE {
  ?e rdfs:label|skos:altLabel ?n . FILTER(STR(?n) = ?name)
  ?e a ?type ; rdfs:label ?label .
} ORDER BY ?type ?label ?e
"""
_FIND_IRI = "SELECT DISTINCT ?e ?type ?label WHERE { ?e a ?type ; rdfs:label ?label } ORDER BY ?type ?label"
_NEAR = """
SELECT DISTINCT ?e ?type ?label WHERE {
  ?e rdfs:label|skos:altLabel ?n . FILTER(CONTAINS(STR(?n), ?name))
  ?e a ?type ; rdfs:label ?label .
} ORDER BY ?label LIMIT 10
"""
_NAMES = """
SELECT ?kind ?v WHERE {
  { ?e rdfs:label ?v BIND("label" AS ?kind) } UNION { ?e skos:altLabel ?v BIND("alias" AS ?kind) }
  UNION { ?e kg:adminCode ?v BIND("adminCode" AS ?kind) } UNION { ?e kg:level ?v BIND("level" AS ?kind) }
  UNION { ?e kg:role ?v BIND("role" AS ?kind) }
} ORDER BY ?kind ?v
"""
_OUT = """
SELECT DISTINCT ?p ?o ?label ?type WHERE {
  ?e ?p ?o . ?o rdfs:label ?label ; a ?type .
  FILTER(?p NOT IN (rdf:type, kg:mentionedIn))
} ORDER BY ?p ?label
"""
_IN = """
SELECT DISTINCT ?p ?s ?label ?type WHERE {
  ?s ?p ?e ; rdfs:label ?label ; a ?type .
} ORDER BY ?p ?label
"""
_FIGURES = """
SELECT ?value ?unit ?measure ?period ?text ?sentence ?file WHERE {
  ?f kg:subject ?e ; kg:value ?value ; kg:unit ?unit ; kg:measure ?measure ; kg:text ?text ;
     kg:reportedIn/kg:sourceFile ?file .
  OPTIONAL { ?f kg:period ?period }
  OPTIONAL { ?f kg:evidence/kg:text ?sentence }
} ORDER BY ?file DESC(?value)
"""
_ARTICLES = """
SELECT ?file ?published ?title WHERE {
  ?e kg:mentionedIn ?a . ?a kg:sourceFile ?file .
  OPTIONAL { ?a kg:published ?published } OPTIONAL { ?a kg:title ?title }
} ORDER BY ?published ?file
"""
_SENTENCES = """
SELECT ?file ?index ?text WHERE {
  ?s kg:mentions ?e ; kg:index ?index ; kg:text ?text ; kg:inArticle/kg:sourceFile ?file .
} ORDER BY ?file ?index
"""


@dataclass
class Match:
    iri: URIRef
    type: str          # kg:District …
    label: str


@dataclass
class Card:
    """What show prints for one entity; lists of plain tuples, in print order."""
    match: Match
    types: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)          # (kind, value)
    outgoing: list[tuple[str, str, str]] = field(default_factory=list)  # (property, label, type)
    incoming: list[tuple[str, str, str]] = field(default_factory=list)
    figures: list[tuple] = field(default_factory=list)    # value unit measure period text sentence file
    articles: list[tuple] = field(default_factory=list)   # file published title
    sentences: list[tuple] = field(default_factory=list)  # file index text


def _iri_of(name: str) -> URIRef | None:
    """NAME given as an IRI (<…>, http…, or id:… / kg:…), else None."""
    s = name.strip()
    if s.startswith("<") and s.endswith(">"):
        return URIRef(s[1:-1])
    if s.startswith(("http://", "https://")):
        return URIRef(s)
    prefix, colon, local = s.partition(":")
    if colon and prefix in PREFIXES and local:
        return URIRef(str(PREFIXES[prefix]) + local)
    return None


def _matches(store: Store, sparql: str, params: dict) -> list[Match]:
    rows = run_query(store, sparql, params).rows
    return [Match(e, compact(t), str(label)) for e, t, label in rows]


def find(store: Store, name: str) -> list[Match]:
    """Entities whose label or alias is exactly `name` (or whose IRI it is), one per IRI."""
    iri = _iri_of(name)
    if iri is not None:
        found = _matches(store, _FIND_IRI, {"e": iri})
    else:
        found = _matches(store, _FIND, {"name": Literal(name)})
    return _one_per_iri(found)


def near(store: Store, name: str) -> list[Match]:
    """Up to ten entities whose label or alias contains `name`: suggestions when nothing matches."""
    return _one_per_iri(_matches(store, _NEAR, {"name": Literal(name)}))


def _one_per_iri(found: list[Match]) -> list[Match]:
    seen: dict[URIRef, Match] = {}
    for m in found:
        if m.iri not in seen and m.type != "kg:Entity":
            seen[m.iri] = m
    return list(seen.values())


def _values(store: Store, sparql: str, iri: URIRef) -> list[tuple]:
    return [tuple("" if v is None else str(v) for v in row)
            for row in run_query(store, sparql, {"e": iri}).values()]


def describe(store: Store, match: Match) -> Card:
    """Names, facts, relations both ways, figures, articles and sentences of one entity."""
    iri = match.iri
    types = [compact(t) for (t,) in run_query(store, "SELECT DISTINCT ?t WHERE { ?e a ?t }", {"e": iri}).rows]
    rel = [(compact(URIRef(p)), label, compact(URIRef(t))) for p, _, label, t in _values(store, _OUT, iri)]
    back = [(compact(URIRef(p)), label, compact(URIRef(t))) for p, _, label, t in _values(store, _IN, iri)]
    return Card(match=match, types=types, facts=_values(store, _NAMES, iri), outgoing=rel, incoming=back,
                figures=_values(store, _FIGURES, iri), articles=_values(store, _ARTICLES, iri),
                sentences=_values(store, _SENTENCES, iri))


def _section(title: str, lines: list[str]) -> list[str]:
    return [f"{title} ({len(lines)}):", *("  " + line for line in lines)] if lines else []


def _fact_lines(card: Card) -> list[str]:
    by_kind: dict[str, list[str]] = {}
    for kind, value in card.facts:
        by_kind.setdefault(kind, []).append(value)
    order = ["label", "alias", "adminCode", "level", "role"]
    names = {"label": "name", "alias": "also called"}
    return [f"{names.get(k, k)}: {' / '.join(by_kind[k])}" for k in order if k in by_kind]


def _figure_lines(card: Card) -> list[str]:
    out = []
    for value, unit, measure, period, text, sentence, file in card.figures:
        when = f" ({period})" if period else ""
        out.append(f"{value} {unit}  {measure}{when}  「{text}」  [{file}]")
        if sentence and sentence != text:
            out.append(f"    sentence: {sentence}")
    return out


def format_card(card: Card) -> str:
    """The card as text, one section per kind of knowledge."""
    m = card.match
    lines = [f"{m.label}  ({', '.join(card.types)})  {compact(m.iri)}"]
    lines += ["  " + line for line in _fact_lines(card)]
    lines += _section("relations", [f"{p} → {label} ({t})" for p, label, t in card.outgoing]
                      + [f"{p} ← {label} ({t})" for p, label, t in card.incoming])
    lines += _section("figures about it", _figure_lines(card))
    lines += _section("articles", [f"{f}  {pub or '(no date)'}  {title}" for f, pub, title in card.articles])
    lines += _section("sentences", [f"{f} #{i}: {text}" for f, i, text in card.sentences])
    return "\n".join(lines)


def format_choices(name: str, found: list[Match]) -> str:
    """The list shown when NAME fits several entities, with how to pick one."""
    lines = [f"{len(found)} entities are called {name!r}:"]
    lines += [f"  {m.label}  ({m.type})  {compact(m.iri)}" for m in found]
    lines.append("give one of the IRIs above to see one (kg show id:…), or --all to see them all")
    return "\n".join(lines)


def show(store: Store, name: str, show_all: bool = False) -> tuple[str, int]:
    """(text to print, exit code) for `kg show NAME`: 0 shown, 1 nothing found, 3 ambiguous."""
    found = find(store, name)
    if not found:
        hint = near(store, name)
        more = "; similar names: " + ", ".join(f"{m.label} ({m.type})" for m in hint) if hint else ""
        return f"kg show: nothing in the graph is called {name!r}{more}", 1
    if len(found) > 1 and not show_all:
        return format_choices(name, found), 3
    return "\n\n".join(format_card(describe(store, m)) for m in found), 0
