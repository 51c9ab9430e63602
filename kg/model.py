"""The plain dataclasses that flow between the pipeline's stages.

article file --(articles.py)--> Article
Article --(extract/*)--> Mention, Figure
Mentions --(resolve.py)--> Entity, Relation
Article + Entities + Relations + Figures = ArticleResult --(graph.py)--> triples

Nothing here knows about RDF, the store or jieba: each stage can be built and
tested alone from these types.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# The entity types of the ontology, in the order the extractors run.
ENTITY_TYPES = (
    "District", "Agency", "Program", "Enterprise", "Person",
    "Institution", "Policy", "TargetGroup", "Publisher",
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article; `start`/`end` are offsets into Article.text."""
    text: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Credit:
    """A person the article credits: author, editor, photographer …"""
    name: str
    role: str          # as written: 作者, 编辑, 责编, 文字、编辑 …


@dataclass
class Article:
    """One news article, read and cleaned: chrome dropped, text split.

    `text` is the title (when there is one) followed by the body paragraphs,
    joined by "\\n"; every offset in the pipeline points into it.
    """
    source_file: str                  # the file's name, e.g. 001_e4451ba21e0d1eed.txt
    path: str                         # where it was read from
    text: str
    paragraphs: list[tuple[int, int]]  # (start, end) of each paragraph in text
    sentences: list[Sentence]
    content_hash: str                 # sha256 of the raw bytes: same content, same hash
    title: str | None = None
    published: str | None = None      # ISO date (YYYY-MM-DD) or datetime
    publishers: list[str] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    url: str | None = None
    encoding: str = "utf-8"
    shape: str = "plain"              # markdown | plain | html

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence that holds character `offset` (-1 if none)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return mid
        return -1


@dataclass
class Mention:
    """A stretch of article text that names an entity.

    `name` is the canonical name when the extractor already knows it (松江 ->
    松江区); `attrs` carries what the extractor learnt on the way (adminCode,
    level, parent code, role, affiliation text …).
    """
    type: str
    text: str
    start: int
    end: int
    name: str | None = None
    attrs: dict = field(default_factory=dict)

    @property
    def canonical(self) -> str:
        return self.name or self.text


@dataclass
class Entity:
    """One real-world thing named in an article.

    `key` is its identity: the same thing gets the same key in every article
    (graph.py mints the IRI from it), e.g. "District|320509" or
    "Agency|320509|人力资源和社会保障局".
    """
    type: str
    name: str
    key: str
    aliases: set[str] = field(default_factory=set)
    attrs: dict = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)


@dataclass(frozen=True)
class Relation:
    """subject --predicate--> object, between entity keys.

    predicate is one of partOf, locatedIn, affiliation, organizer; `role` is
    the job title that goes with an affiliation.
    """
    subject: str
    predicate: str
    object: str
    role: str | None = None


@dataclass
class Figure:
    """A statistic: a number with a unit that counts or measures something."""
    value: float               # in base units: 5086万元 -> 50860000
    unit: str                  # normalised counter: 人, 人次, 个, 元, % …
    text: str                  # the clause that holds it, copied from the article
    start: int                 # offsets of the number+unit in Article.text
    end: int
    approx: bool = False
    measure: str = ""          # what is counted: 招聘岗位, 纾困资金 …
    subject: str | None = None  # entity key the figure is about
    period: str | None = None  # as written: 2021年, 服务月期间 …
    sentence: int = -1         # index into Article.sentences
    raw: str = ""              # the number and unit as written: 5086万元


@dataclass
class ArticleResult:
    """Everything extracted from one article, ready to become triples."""
    article: Article
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def entity(self, key: str) -> Entity | None:
        for e in self.entities:
            if e.key == key:
                return e
        return None
