"""ArticleResult -> RDF triples under the kg: ontology (ontology/kg.ttl).

Everything one article says goes into that article's named graph, so a store
can replace an article by replacing its graph, and every triple keeps its
source. The shape, per article:

    <article>  a kg:Article ; kg:sourceFile "001.txt" ; kg:title … ;
               kg:published "2022-08-04"^^xsd:date ; kg:publisher <publisher> ;
               kg:url … ; kg:contentHash "sha256…" .
    <sentence> a kg:Sentence ; kg:inArticle <article> ; kg:index 3 ;
               kg:text "…" ; kg:mentions <entity> … .
    <entity>   a kg:District ; rdfs:label "吴江区"@zh ; skos:altLabel "吴江"@zh ;
               kg:mentionedIn <article> ; kg:adminCode "320509" ; kg:level "county" ;
               kg:partOf <district> ; kg:locatedIn … ; kg:affiliation … ;
               kg:role "局长"@zh ; kg:organizer … ;
               kg:editionOf <national campaign> ; kg:ambiguous true (unresolved name) .
    <figure>   a kg:Figure ; kg:reportedIn <article> ; kg:value 2756 ;
               kg:unit "个" ; kg:approx false ; kg:measure "岗位" ;
               kg:subject <entity> ; kg:period "6月30日" ; kg:text "现场提供2756个优质岗位" ;
               kg:raw "2756个" ; kg:evidence <sentence> .
"""
from __future__ import annotations

import re
from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from .model import ArticleResult, Entity
from .namespace import (
    KG, PREFIXES, RDF, RDFS, SKOS, XSD,
    article_graph_iri, article_iri, entity_iri, figure_iri, sentence_iri,
)

ZH = "zh"


def bind_prefixes(g: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def number_literal(value: float) -> Literal:
    """An exact xsd:decimal (integers stay integers: 50860000, not 5.086E7)."""
    d = Decimal(repr(value)).normalize()
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    return Literal(d, datatype=XSD.decimal)


def date_literal(text: str) -> Literal:
    if len(text) == 10:
        return Literal(text, datatype=XSD.date)
    return Literal(text, datatype=XSD.dateTime)


_UNCARRIED = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Drop characters RDF syntaxes cannot carry (C0 controls but tab/newline).
    (One regex pass: the character-by-character version was 2% of a build.)"""
    return _UNCARRIED.sub("", text)


def iri_of(entity: Entity) -> URIRef:
    return entity_iri(entity.type, entity.key)


def article_triples(result: ArticleResult) -> list[tuple]:
    """All triples one article contributes, in the order they are made."""
    art = result.article
    a = article_iri(art.source_file)
    t: list[tuple] = []
    add = t.append
    add((a, RDF.type, KG.Article))
    add((a, KG.sourceFile, Literal(clean(art.source_file))))
    add((a, KG.contentHash, Literal(art.content_hash)))
    if art.title:
        add((a, KG["title"], Literal(clean(art.title), lang=ZH)))
    if art.published:
        add((a, KG.published, date_literal(art.published)))
    if art.url:
        add((a, KG.url, Literal(clean(art.url), datatype=XSD.anyURI)))

    by_key = {e.key: e for e in result.entities}
    mentioned_in_sentence: dict[int, set] = {}
    for e in result.entities:
        n = iri_of(e)
        add((n, RDF.type, KG[e.type]))
        add((n, RDFS.label, Literal(clean(e.name), lang=ZH)))
        for alias in sorted(e.aliases - {e.name}):
            add((n, SKOS.altLabel, Literal(clean(alias), lang=ZH)))
        if not e.attrs.get("unmentioned"):      # an ancestor district the text never names
            add((n, KG.mentionedIn, a))
        if e.attrs.get("role"):
            add((n, KG.role, Literal(clean(e.attrs["role"]), lang=ZH)))
        for prop in ("adminCode", "level", "scope"):
            if e.attrs.get(prop):
                add((n, KG[prop], Literal(str(e.attrs[prop]))))
        if e.attrs.get("ambiguous"):            # a name several divisions share, left unresolved
            add((n, KG.ambiguous, Literal(True)))
        if e.type == "Publisher":
            add((a, KG.publisher, n))
        for m in e.mentions:
            i = art.sentence_at(m.start)
            if i >= 0:
                mentioned_in_sentence.setdefault(i, set()).add(n)

    for r in result.relations:
        if r.subject not in by_key or r.object not in by_key:
            continue
        s, o = iri_of(by_key[r.subject]), iri_of(by_key[r.object])
        add((s, KG[r.predicate], o))
        if r.role:
            add((s, KG.role, Literal(clean(r.role), lang=ZH)))

    used_sentences = set(mentioned_in_sentence)
    for i, f in enumerate(result.figures):
        n = figure_iri(art.source_file, i, f.value, f.unit)
        add((n, RDF.type, KG.Figure))
        add((n, KG.reportedIn, a))
        add((n, KG.value, number_literal(f.value)))
        add((n, KG.unit, Literal(f.unit)))
        add((n, KG.approx, Literal(bool(f.approx))))
        add((n, KG.measure, Literal(clean(f.measure), lang=ZH)))
        add((n, KG.text, Literal(clean(f.text), lang=ZH)))
        if f.raw:
            add((n, KG.raw, Literal(clean(f.raw))))
        if f.period:
            add((n, KG.period, Literal(clean(f.period), lang=ZH)))
        if f.subject and f.subject in by_key:
            add((n, KG.subject, iri_of(by_key[f.subject])))
        if f.sentence >= 0:
            add((n, KG.evidence, sentence_iri(art.source_file, f.sentence)))
            used_sentences.add(f.sentence)

    for i in sorted(used_sentences):
        s = art.sentences[i]
        n = sentence_iri(art.source_file, i)
        add((n, RDF.type, KG.Sentence))
        add((n, KG.inArticle, a))
        add((n, KG["index"], Literal(i)))
        add((n, KG.text, Literal(clean(s.text), lang=ZH)))
        for e in sorted(mentioned_in_sentence.get(i, ())):
            add((n, KG.mentions, e))
    return t


def article_statements(result: ArticleResult) -> tuple[URIRef, list[tuple]]:
    """(graph IRI, the article's distinct triples): what a store needs, without
    the cost of building an rdflib Graph (about half the time of a build)."""
    return article_graph_iri(result.article.source_file), list(dict.fromkeys(article_triples(result)))


def article_graph(result: ArticleResult) -> tuple[URIRef, Graph]:
    """The named graph of one article: (graph IRI, graph)."""
    g = bind_prefixes(Graph())
    for triple in article_triples(result):
        g.add(triple)
    return article_graph_iri(result.article.source_file), g
