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
from types import SimpleNamespace

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .model import ArticleResult, Entity
from .namespace import (
    KG, PREFIXES, RDF, RDFS, SKOS, XSD,
    article_graph_iri, article_iri, entity_iri, figure_iri, sentence_iri,
)
from .terms import from_ox

ZH = "zh"


def bind_prefixes(g: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


_UNCARRIED = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """Drop characters RDF syntaxes cannot carry (C0 controls but tab/newline).
    (One regex pass: the character-by-character version was 2% of a build.)"""
    return _UNCARRIED.sub("", text)


def iri_of(entity: Entity) -> URIRef:
    return entity_iri(entity.type, entity.key)


# --- N-Triples, written directly ------------------------------------------------
# A build makes ~900 triples an article; making them as rdflib terms and then
# converting them for the store was a fifth of a build's time. So the triples
# are written once, as N-Triples lines (the format every store backend loads),
# and rdflib terms are made from that text only for callers that want them
# (article_triples). Our IRIs are minted from digests, codes and ontology names,
# so they never need escaping; literals are escaped as N-Triples requires.

_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_XSD_DECIMAL, _XSD_INTEGER, _XSD_BOOLEAN = (f"<{XSD[n]}>" for n in ("decimal", "integer", "boolean"))
_XSD_DATE, _XSD_DATETIME, _XSD_ANYURI = (f"<{XSD[n]}>" for n in ("date", "dateTime", "anyURI"))
_TRUE, _FALSE = f'"true"^^{_XSD_BOOLEAN}', f'"false"^^{_XSD_BOOLEAN}'


def _i(iri) -> str:
    return f"<{iri}>"


def _s(text: str) -> str:
    """A plain string literal (xsd:string)."""
    return '"' + clean(text).translate(_NT_ESCAPES) + '"'


def _zh(text: str) -> str:
    """A Chinese-tagged literal."""
    return '"' + clean(text).translate(_NT_ESCAPES) + '"@zh'


def decimal_text(value: float) -> str:
    """An exact xsd:decimal lexical form (integers stay integers: 50860000, not 5.086E7)."""
    d = Decimal(repr(value)).normalize()
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    return format(d, "f")


def _date(text: str) -> str:
    return f'"{text.translate(_NT_ESCAPES)}"^^{_XSD_DATE if len(text) == 10 else _XSD_DATETIME}'


_TYPE, _LABEL, _ALT = _i(RDF.type), _i(RDFS.label), _i(SKOS.altLabel)
P = SimpleNamespace(**{name: _i(KG[name]) for name in (   # the ontology terms, written once
    "Article", "Figure", "Sentence", "sourceFile", "contentHash", "title", "published", "url",
    "mentionedIn", "role", "adminCode", "level", "scope", "ambiguous", "publisher", "reportedIn",
    "value", "unit", "approx", "measure", "text", "raw", "period", "subject", "evidence",
    "inArticle", "index", "mentions")})


def article_lines(result: ArticleResult) -> list[str]:
    """All N-Triples lines one article contributes, in the order they are made
    (a line may repeat: article_ntriples keeps the first)."""
    art = result.article
    a = _i(article_iri(art.source_file))
    t: list[str] = []

    def add(s: str, p: str, o: str) -> None:
        t.append(f"{s} {p} {o} .")

    add(a, _TYPE, P.Article)
    add(a, P.sourceFile, _s(art.source_file))
    add(a, P.contentHash, _s(art.content_hash))
    if art.title:
        add(a, P.title, _zh(art.title))
    if art.published:
        add(a, P.published, _date(art.published))
    if art.url:
        add(a, P.url, f'"{clean(art.url).translate(_NT_ESCAPES)}"^^{_XSD_ANYURI}')

    iris = {e.key: _i(iri_of(e)) for e in result.entities}
    mentioned_in_sentence: dict[int, set] = {}
    for e in result.entities:
        n = iris[e.key]
        add(n, _TYPE, _i(KG[e.type]))
        add(n, _LABEL, _zh(e.name))
        for alias in sorted(e.aliases - {e.name}):
            add(n, _ALT, _zh(alias))
        if not e.attrs.get("unmentioned"):      # an ancestor district the text never names
            add(n, P.mentionedIn, a)
        if e.attrs.get("role"):
            add(n, P.role, _zh(e.attrs["role"]))
        for prop in ("adminCode", "level", "scope"):
            if e.attrs.get(prop):
                add(n, getattr(P, prop), _s(str(e.attrs[prop])))
        if e.attrs.get("ambiguous"):            # a name several divisions share, left unresolved
            add(n, P.ambiguous, _TRUE)
        if e.type == "Publisher":
            add(a, P.publisher, n)
        for m in e.mentions:
            i = art.sentence_at(m.start)
            if i >= 0:
                mentioned_in_sentence.setdefault(i, set()).add(n)

    for r in result.relations:
        if r.subject not in iris or r.object not in iris:
            continue
        s = iris[r.subject]
        add(s, _i(KG[r.predicate]), iris[r.object])
        if r.role:
            add(s, P.role, _zh(r.role))

    used_sentences = set(mentioned_in_sentence)
    for i, f in enumerate(result.figures):
        n = _i(figure_iri(art.source_file, i, f.value, f.unit))
        add(n, _TYPE, P.Figure)
        add(n, P.reportedIn, a)
        add(n, P.value, f'"{decimal_text(f.value)}"^^{_XSD_DECIMAL}')
        add(n, P.unit, _s(f.unit))
        add(n, P.approx, _TRUE if f.approx else _FALSE)
        add(n, P.measure, _zh(f.measure))
        add(n, P.text, _zh(f.text))
        if f.raw:
            add(n, P.raw, _s(f.raw))
        if f.period:
            add(n, P.period, _zh(f.period))
        if f.subject and f.subject in iris:
            add(n, P.subject, iris[f.subject])
        if f.sentence >= 0:
            add(n, P.evidence, _i(sentence_iri(art.source_file, f.sentence)))
            used_sentences.add(f.sentence)

    for i in sorted(used_sentences):
        n = _i(sentence_iri(art.source_file, i))
        add(n, _TYPE, P.Sentence)
        add(n, P.inArticle, a)
        add(n, P.index, f'"{i}"^^{_XSD_INTEGER}')
        add(n, P.text, _zh(art.sentences[i].text))
        for e in sorted(mentioned_in_sentence.get(i, ())):
            add(n, P.mentions, e)
    return t


def article_ntriples(result: ArticleResult) -> tuple[str, str]:
    """(graph IRI, the article's distinct triples as N-Triples text): what a
    store loads (Store.put_article_nt) and what build workers send back."""
    lines = dict.fromkeys(article_lines(result))
    return str(article_graph_iri(result.article.source_file)), "".join(line + "\n" for line in lines)


def article_triples(result: ArticleResult) -> list[tuple]:
    """The article's distinct triples as rdflib terms (tests, rdflib stores)."""
    return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
            for t in ox.parse(article_ntriples(result)[1], format=ox.RdfFormat.N_TRIPLES)]


def article_graph(result: ArticleResult) -> tuple[URIRef, Graph]:
    """The named graph of one article: (graph IRI, graph)."""
    g = bind_prefixes(Graph())
    for triple in article_triples(result):
        g.add(triple)
    return article_graph_iri(result.article.source_file), g
