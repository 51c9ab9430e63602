"""ontology/kg.ttl, ontology/shapes.ttl, ontology/README.md and kg.validate."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.graph import article_graph
from kg.model import (
    ENTITY_TYPES, Article, ArticleResult, Credit, Entity, Figure, Mention, Relation, Sentence,
)
from kg.namespace import ID, KG, PREFIXES
from kg.validate import ONTOLOGY_DIR, validate

GRAPH_PY = Path(__file__).resolve().parent.parent / "kg" / "graph.py"


def make_article(text: str, source_file: str = "001_test.txt", **kw) -> Article:
    """An Article whose sentences end at 。 or a newline."""
    sentences, paragraphs = [], []
    start, para = 0, 0
    pstart = 0
    for i, c in enumerate(text):
        if c in "。\n":
            end = i + 1 if c == "。" else i
            if text[start:end].strip():
                sentences.append(Sentence(text[start:end], start, end, para))
            start = i + 1
        if c == "\n":
            paragraphs.append((pstart, i))
            pstart, para = i + 1, para + 1
    if text[start:].strip():
        sentences.append(Sentence(text[start:], start, len(text), para))
    paragraphs.append((pstart, len(text)))
    return Article(source_file=source_file, path="/seeds/" + source_file, text=text,
                   paragraphs=paragraphs, sentences=sentences,
                   content_hash="0" * 64, **kw)


def entity(art: Article, type_: str, name: str, key: str, surface: str | None = None,
           **attrs) -> Entity:
    surface = surface or name
    at = art.text.index(surface)
    m = Mention(type_, surface, at, at + len(surface), name=name)
    return Entity(type_, name, key, aliases={surface} if surface != name else set(),
                  attrs=attrs, mentions=[m])


def sample_result() -> ArticleResult:
    text = ("吴江区人社局举办春风行动\n"
            "吴江区人社局局长张燕介绍，春风行动现场提供2756个优质岗位。"
            "苏州合兴食品有限公司位于吴江，苏州大学毕业生参加。"
            "高校毕业生可享受《就业补贴办法》。")
    art = make_article(text, title="吴江区人社局举办春风行动", published="2022-08-04",
                       publishers=["苏州日报"], credits=[Credit("李圆圆", "编辑")],
                       url="https://example.org/news/1")
    art.text += "\n苏州日报 编辑：李圆圆"
    art.sentences.append(Sentence("苏州日报 编辑：李圆圆", len(text) + 1, len(art.text), 3))
    ents = [
        entity(art, "District", "吴江区", "District|320509", surface="吴江区",
               adminCode="320509", level="county"),
        entity(art, "District", "苏州市", "District|320500", surface="苏州",
               adminCode="320500", level="city"),
        entity(art, "Agency", "吴江区人社局", "Agency|320509|人社局"),
        entity(art, "Program", "春风行动", "Program|春风行动"),
        entity(art, "Person", "张燕", "Person|张燕"),
        entity(art, "Enterprise", "苏州合兴食品有限公司", "Enterprise|苏州合兴食品有限公司"),
        entity(art, "Institution", "苏州大学", "Institution|苏州大学"),
        entity(art, "TargetGroup", "高校毕业生", "TargetGroup|高校毕业生"),
        entity(art, "Policy", "就业补贴办法", "Policy|就业补贴办法"),
        entity(art, "Publisher", "苏州日报", "Publisher|苏州日报"),
        entity(art, "Person", "李圆圆", "Person|李圆圆"),
    ]
    rels = [
        Relation("District|320509", "partOf", "District|320500"),
        Relation("Agency|320509|人社局", "locatedIn", "District|320509"),
        Relation("Enterprise|苏州合兴食品有限公司", "locatedIn", "District|320509"),
        Relation("Person|张燕", "affiliation", "Agency|320509|人社局", role="局长"),
        Relation("Person|李圆圆", "affiliation", "Publisher|苏州日报", role="编辑"),
        Relation("Program|春风行动", "organizer", "Agency|320509|人社局"),
    ]
    at = art.text.index("2756个")
    figs = [Figure(value=2756, unit="个", text="春风行动现场提供2756个优质岗位",
                   start=at, end=at + 5, measure="岗位", subject="Program|春风行动",
                   period="6月30日", sentence=art.sentence_at(at), raw="2756个"),
            Figure(value=50860000.0, unit="元", text="5086万元", start=0, end=1,
                   approx=True, measure="纾困资金", subject="District|320509")]
    return ArticleResult(art, ents, rels, figs)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle")


@pytest.fixture(scope="module")
def built() -> Graph:
    return article_graph(sample_result())[1]


# --- kg.ttl -----------------------------------------------------------------

def test_ontology_parses_with_header(ontology):
    onto = URIRef("https://w3id.org/jiuye-kg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo) is not None
    assert len(list(ontology.objects(onto, URIRef("http://purl.org/dc/terms/description")))) >= 1


def used_terms_in_source() -> set[URIRef]:
    """Every kg: term graph.py can emit, read from its code."""
    src = GRAPH_PY.read_text(encoding="utf-8")
    terms = set(re.findall(r"KG\.([A-Za-z]+)", src))
    terms |= set(re.findall(r'KG\[\s*"([A-Za-z]+)"\s*\]', src))
    for tup in re.findall(r"for prop in \(([^)]*)\)", src):
        terms |= set(re.findall(r'"([A-Za-z]+)"', tup))
    # KG[e.type] and KG[r.predicate]: the entity types and the relations
    terms |= set(ENTITY_TYPES) | {"partOf", "locatedIn", "affiliation", "organizer"}
    return {KG[t] for t in terms}


def test_every_emitted_term_is_defined_and_labelled(ontology, built):
    emitted = {p for p in built.predicates() if str(p).startswith(str(KG))}
    emitted |= {o for o in built.objects(None, RDF.type) if str(o).startswith(str(KG))}
    terms = emitted | used_terms_in_source()
    required = {
        "sourceFile", "contentHash", "title", "published", "url", "publisher", "mentionedIn",
        "reportedIn", "value", "unit", "approx", "measure", "subject", "period", "text", "raw",
        "evidence", "inArticle", "index", "mentions", "partOf", "locatedIn", "affiliation",
        "role", "organizer", "adminCode", "level", "Figure", "Article", "Sentence",
        *ENTITY_TYPES,
    }
    assert {KG[t] for t in required} <= terms
    for t in sorted(terms):
        assert (t, RDF.type, None) in ontology, f"{t} not declared"
        langs = {lbl.language for lbl in ontology.objects(t, RDFS.label)}
        assert {"zh", "en"} <= langs, f"{t} lacks a zh/en label"
        comments = [c for c in ontology.objects(t, RDFS.comment) if c.language == "en"]
        assert comments, f"{t} lacks an English comment"


def test_classes_and_properties_are_typed(ontology):
    for t in ENTITY_TYPES + ("Figure", "Article", "Sentence"):
        assert (KG[t], RDF.type, OWL.Class) in ontology
    for p in ("partOf", "locatedIn", "affiliation", "organizer", "mentionedIn", "subject"):
        assert (KG[p], RDF.type, OWL.ObjectProperty) in ontology
        assert ontology.value(KG[p], RDFS.domain) is not None
        assert ontology.value(KG[p], RDFS.range) is not None
    assert (KG.value, RDFS.range, URIRef("http://www.w3.org/2001/XMLSchema#decimal")) in ontology


def test_alignments(ontology):
    schema = PREFIXES["schema"]
    assert (KG.District, RDFS.subClassOf, schema.AdministrativeArea) in ontology
    assert (KG.Article, RDFS.subClassOf, schema.NewsArticle) in ontology
    assert (KG.Figure, RDFS.subClassOf, PREFIXES["qb"].Observation) in ontology
    assert (KG.affiliation, RDFS.subPropertyOf, PREFIXES["org"].memberOf) in ontology
    assert (KG.value, RDF.type, PREFIXES["qb"].MeasureProperty) in ontology


# --- shapes.ttl / validate ----------------------------------------------------

def test_built_article_conforms(built):
    conforms, report = validate(built)
    assert conforms, report


def test_dataset_of_article_graphs_conforms():
    ds = Dataset()
    for i in range(2):
        r = sample_result()
        r.article.source_file = f"00{i}_test.txt"
        iri, g = article_graph(r)
        target = ds.graph(iri)
        for t in g:
            target.add(t)
    before = ds.default_union
    conforms, report = validate(ds)
    assert conforms, report
    assert ds.default_union == before


def broken(built: Graph) -> Graph:
    g = Graph()
    for t in built:
        g.add(t)
    return g


def test_figure_without_value_fails(built):
    g = broken(built)
    fig = next(g.subjects(RDF.type, KG.Figure))
    g.remove((fig, KG.value, None))
    conforms, report = validate(g)
    assert not conforms
    assert "value" in report


def test_figure_value_must_be_decimal(built):
    g = broken(built)
    fig = next(g.subjects(RDF.type, KG.Figure))
    g.set((fig, KG.value, Literal("2756")))
    assert not validate(g)[0]


def test_district_part_of_agency_fails(built):
    g = broken(built)
    district = next(g.subjects(RDF.type, KG.District))
    agency = next(g.subjects(RDF.type, KG.Agency))
    g.add((district, KG.partOf, agency))
    conforms, report = validate(g)
    assert not conforms
    assert "partOf" in report


@pytest.mark.parametrize("mutate", [
    "article_two_source_files", "entity_two_labels", "entity_no_mention",
    "bad_admin_code", "agency_affiliation", "organizer_to_person", "subject_literal",
    "figure_two_articles", "locatedIn_program",
])
def test_other_violations(built, mutate):
    g = broken(built)
    art = next(g.subjects(RDF.type, KG.Article))
    district = next(g.subjects(RDF.type, KG.District))
    agency = next(g.subjects(RDF.type, KG.Agency))
    person = next(g.subjects(RDF.type, KG.Person))
    program = next(g.subjects(RDF.type, KG.Program))
    fig = next(g.subjects(RDF.type, KG.Figure))
    if mutate == "article_two_source_files":
        g.add((art, KG.sourceFile, Literal("other.txt")))
    elif mutate == "entity_two_labels":
        g.add((agency, RDFS.label, Literal("吴江人社", lang="zh")))
    elif mutate == "entity_no_mention":
        g.remove((person, KG.mentionedIn, None))
    elif mutate == "bad_admin_code":
        g.set((district, KG.adminCode, Literal("32-0509")))
    elif mutate == "agency_affiliation":
        g.add((agency, KG.affiliation, agency))
    elif mutate == "organizer_to_person":
        g.add((program, KG.organizer, person))
    elif mutate == "subject_literal":
        g.set((fig, KG.subject, Literal("吴江区")))
    elif mutate == "figure_two_articles":
        other = ID["article/other"]
        g.add((other, RDF.type, KG.Article))
        g.add((other, KG.sourceFile, Literal("x.txt")))
        g.add((other, KG.contentHash, Literal("x")))
        g.add((fig, KG.reportedIn, other))
    elif mutate == "locatedIn_program":
        g.add((program, KG.locatedIn, district))
    assert not validate(g)[0], mutate


def test_nine_digit_admin_code_is_fine(built):
    g = broken(built)
    district = next(g.subjects(RDF.type, KG.District))
    g.set((district, KG.adminCode, Literal("320509101")))
    assert validate(g)[0]


# --- README -------------------------------------------------------------------

def readme() -> str:
    return (ONTOLOGY_DIR / "README.md").read_text(encoding="utf-8")


def test_readme_documents_every_term(ontology):
    text = readme()
    for t in set(ontology.subjects(RDF.type, OWL.Class)) | set(
            ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(
            ontology.subjects(RDF.type, OWL.DatatypeProperty)):
        if isinstance(t, BNode):
            continue
        name = str(t).split("#")[-1]
        assert f"`{name}`" in text or f"kg:{name}" in text, name


def test_readme_queries_run():
    """Every ```sparql block of the README parses and runs on a built dataset."""
    blocks = re.findall(r"```sparql\n(.*?)```", readme(), flags=re.S)
    assert len(blocks) >= 5
    ds = Dataset(default_union=True)
    iri, g = article_graph(sample_result())
    target = ds.graph(iri)
    for t in g:
        target.add(t)
    rows = {}
    for q in blocks:
        rows[q] = list(ds.query(q))
    assert all(rows.values()), [q for q, r in rows.items() if not r]
