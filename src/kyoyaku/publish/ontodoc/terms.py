"""The ontology page's classes and properties (publish.ontodoc): each with its hierarchy, domains and
ranges, the concept schemes of its values and the SHACL shapes that target or constrain it."""

from __future__ import annotations

from rdflib import BNode, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from .base import PageBase


class TermSections(PageBase):
    """The entries of classes and properties."""

    def class_entry(self, term: URIRef) -> str:
        g = self.g
        properties = [*self.object_properties, *self.datatype_properties, *self.other_properties]

        def mentions(prop: URIRef) -> list[URIRef]:
            return [p for p in properties for value in g.objects(p, prop) if term in self._members(value)]

        rows = [
            *self.common_rows(term),
            ("上位クラス", "Subclass of", self.refs(g.objects(term, RDFS.subClassOf))),
            ("同値クラス", "Equivalent to", self.refs(g.objects(term, OWL.equivalentClass))),
            ("素なクラス", "Disjoint with", self.refs(g.objects(term, OWL.disjointWith))),
            ("下位クラス", "Subclasses", self.refs(s for s in g.subjects(RDFS.subClassOf, term) if s in self.ids)),
            ("定義域とするプロパティ", "Properties with this domain", self.refs(mentions(RDFS.domain))),
            ("値域とするプロパティ", "Properties with this range", self.refs(mentions(RDFS.range))),
            ("インスタンスである概念", "Concepts of this class",
             self.refs(c for c in g.subjects(RDF.type, term) if c in self.concepts)),
            ("対象とする SHACL 形状", "SHACL shapes targeting it",
             self.refs(s for s in self.s.subjects(SH.targetClass, term) if s in self.ids)),
            *self.note_rows(term),
        ]
        return self.entry(term, 3, rows)

    def _members(self, node) -> set:
        """A class expression's named classes: itself, or the members of an owl:unionOf."""
        if isinstance(node, URIRef):
            return {node}
        members = self.g.value(node, OWL.unionOf)
        return set(self.list_items(self.g, members) or []) if members is not None else set()

    def property_entry(self, term: URIRef) -> str:
        g = self.g
        kinds = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}
        characteristics = [t for t in g.objects(term, RDF.type) if t not in kinds]
        shapes = {self._shape_of(ps) for ps in self.s.subjects(SH.path, term)}
        shapes |= {s for p in (SH.targetSubjectsOf, SH.targetObjectsOf) for s in self.s.subjects(p, term)}
        rows = [
            *self.common_rows(term),
            ("特性", "Characteristics", self.refs(characteristics)),
            ("定義域", "Domain", self.refs(g.objects(term, RDFS.domain))),
            ("値域", "Range", self.refs(g.objects(term, RDFS.range))),
            ("上位プロパティ", "Subproperty of", self.refs(g.objects(term, RDFS.subPropertyOf))),
            ("同値プロパティ", "Equivalent to", self.refs(g.objects(term, OWL.equivalentProperty))),
            ("逆プロパティ", "Inverse of", self.refs(g.objects(term, OWL.inverseOf))),
            ("下位プロパティ", "Subproperties", self.refs(s for s in g.subjects(RDFS.subPropertyOf, term) if s in self.ids)),
            ("値の概念体系", "Values from scheme",
             self.refs(s for s in self.schemes if (s, RDFS.seeAlso, term) in g)),
            ("制約する SHACL 形状", "SHACL shapes constraining it", self.refs(s for s in shapes if s in self.ids)),
            *self.note_rows(term),
        ]
        return self.entry(term, 3, rows)

    def _shape_of(self, node):
        """The named shape a (possibly nested) property shape belongs to."""
        seen = set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            parent = next(iter(sorted(self.s.subjects(None, node), key=str)), None)
            if parent is None:
                break
            node = parent
        return node
