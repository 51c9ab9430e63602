"""Entities in the store, and the ones that may be one thing under two identities.

`kg entities` lists the entities; `kg entities --suspects` lists what a person
should review:
- the same name and type under different IRIs (two 张燕 in two bureaus may be
  right; 春风行动 in two districts is right by design; two 恒力 in one district
  are not);
- near names of one type in one district: one name inside the other
  (合兴食品 / 苏州合兴食品有限公司) or one character apart (人社局 / 人设局);
- districts left unresolved (kg:ambiguous): a name several divisions share.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .queries import run_query

TYPES = ("District", "Agency", "Program", "Enterprise", "Person",
         "Institution", "Policy", "TargetGroup", "Publisher")

ENTITIES = """
SELECT ?e ?type ?label (COUNT(DISTINCT ?a) AS ?articles) WHERE {
  ?e a ?t ; rdfs:label ?label .
  VALUES ?t { %s }
  BIND(STRAFTER(STR(?t), "#") AS ?type)
  OPTIONAL { ?e kg:mentionedIn ?a }
} GROUP BY ?e ?type ?label ORDER BY ?type ?label
"""

# The district an entity belongs to: where it is, where its organizer is, its parent.
HOMES = """
SELECT DISTINCT ?e ?home WHERE {
  { ?e kg:locatedIn ?home } UNION { ?e kg:organizer/kg:locatedIn ?home }
  UNION { ?e kg:affiliation/kg:locatedIn ?home } UNION { ?e kg:partOf ?home }
}
"""

# National campaigns and their district editions share a name by design.
BY_DESIGN = "SELECT DISTINCT ?e WHERE { { ?e kg:editionOf ?c } UNION { ?e kg:scope \"national\" } }"

UNRESOLVED = "SELECT DISTINCT ?e ?label WHERE { ?e kg:ambiguous true ; rdfs:label ?label }"


@dataclass(frozen=True)
class Suspect:
    reason: str          # same name | near names | unresolved
    type: str
    labels: tuple[str, ...]
    iris: tuple[str, ...]


def entities(store, etype: str | None = None) -> list[dict]:
    types = [etype] if etype else list(TYPES)
    sparql = ENTITIES % " ".join(f"kg:{t}" for t in types)
    return run_query(store, sparql).dicts()


def _one_apart(a: str, b: str) -> bool:
    """One substitution, insertion or deletion apart (a cheap Levenshtein ≤ 1)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _near(a: str, b: str) -> bool:
    if min(len(a), len(b)) < 2:
        return False
    return (a in b or b in a) or (min(len(a), len(b)) >= 3 and _one_apart(a, b))


def suspects(store) -> list[Suspect]:
    rows = entities(store)
    out: list[Suspect] = []
    by_design = {str(r["e"]) for r in run_query(store, BY_DESIGN).dicts()}
    by_name = defaultdict(set)
    for r in rows:
        if str(r["e"]) not in by_design:
            by_name[(r["type"], r["label"])].add(str(r["e"]))
    for (t, label), iris in sorted(by_name.items()):
        if len(iris) > 1:
            out.append(Suspect("same name", t, (label,), tuple(sorted(iris))))

    homes = defaultdict(set)
    for r in run_query(store, HOMES).dicts():
        homes[str(r["e"])].add(str(r["home"]))
    label_of = {str(r["e"]): r["label"] for r in rows}
    type_of = {str(r["e"]): r["type"] for r in rows}
    by_home = defaultdict(list)
    for e, hs in homes.items():
        for h in hs:
            if e in type_of and type_of[e] != "District":
                by_home[(type_of[e], h)].append(e)
    seen = set()
    for (t, _), members in sorted(by_home.items()):
        members = sorted(set(members))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = (a, b)
                if pair not in seen and label_of[a] != label_of[b] and _near(label_of[a], label_of[b]):
                    seen.add(pair)
                    out.append(Suspect("near names", t, (label_of[a], label_of[b]), pair))
    for r in run_query(store, UNRESOLVED).dicts():
        out.append(Suspect("unresolved", "District", (r["label"],), (str(r["e"]),)))
    return out
