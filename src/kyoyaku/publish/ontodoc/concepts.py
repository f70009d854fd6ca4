"""The ontology page's concept schemes (publish.ontodoc): each scheme with its hierarchy of concepts
as a tree, and an entry per concept (notations, labels, broader and narrower, mappings)."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from .base import PageBase, _e, anchor


class ConceptSections(PageBase):
    """The concept schemes section."""

    def concept_section(self) -> str:
        parts = [self.scheme_block(scheme) for scheme in self.schemes]
        if self.scheme_concepts.get(None):
            parts.append(self.scheme_block(None))
        body = "\n".join(parts) or "<p>なし / <span lang=\"en\">none</span></p>"
        return (f'<section id="{self._claim("concept-schemes")}">\n<h2>概念体系 <span lang="en">Concept schemes</span></h2>\n'
                f"{body}\n</section>")

    def scheme_block(self, scheme: URIRef | None) -> str:
        g = self.g
        concepts = self.scheme_concepts.get(scheme, [])
        members = set(concepts)

        def children(c: URIRef) -> list[URIRef]:
            found = {n for n in g.objects(c, SKOS.narrower)} | {n for n in g.subjects(SKOS.broader, c)}
            return sorted((n for n in found if n in members), key=anchor)

        tops = set()
        if scheme is not None:
            tops |= {c for c in g.objects(scheme, SKOS.hasTopConcept)} | {c for c in g.subjects(SKOS.topConceptOf, scheme)}
        has_parent = {n for c in concepts for n in children(c)}
        roots = sorted((c for c in concepts if c in tops or c not in has_parent), key=anchor)

        order: list[URIRef] = []

        def tree(nodes: list[URIRef]) -> str:
            items = []
            for c in nodes:
                if c in order:
                    continue
                order.append(c)
                notation = "".join(f" <code>{_e(str(n))}</code>" for n in sorted(g.objects(c, SKOS.notation), key=str))
                sub = tree(children(c))
                items.append(f"<li>{self.ref(c)}{notation}{sub}</li>")
            return f"<ul>{''.join(items)}</ul>" if items else ""

        hierarchy = tree(roots)
        rest = [c for c in concepts if c not in order]  # only in cycles without a root
        hierarchy += tree(rest)
        hierarchy = hierarchy.replace("<ul>", '<ul class="tree">', 1)
        entries = "\n".join(self.concept_entry(c) for c in order)
        if scheme is None:
            head = f'<section id="{self._claim("other-concepts")}">\n<h3>その他の概念 <span lang="en">Other concepts</span></h3>\n'
            rows = ""
        else:
            head = f'<section class="term" id="{_e(self.ids[scheme])}">\n{self.heading(scheme, 3)}\n'
            rows = self.rows([
                *self.common_rows(scheme),
                ("最上位の概念", "Top concepts", self.refs(tops)),
                ("概念の数", "Number of concepts", str(len(concepts))),
                *self.note_rows(scheme),
            ]) + "\n"
        return (f"{head}{rows}<h4>階層 <span lang=\"en\">Hierarchy</span></h4>\n{hierarchy}\n{entries}\n</section>")

    def concept_entry(self, c: URIRef) -> str:
        g = self.g
        rows = [
            *self.common_rows(c),
            ("種類", "Type", self.refs(t for t in g.objects(c, RDF.type) if t != SKOS.Concept)),
            ("記法", "Notation", ", ".join(f"<code>{_e(str(n))}</code>" for n in sorted(g.objects(c, SKOS.notation), key=str))),
            ("別名", "Alternative labels", self.paragraphs(self.texts(g, c, SKOS.altLabel))),
            ("上位概念", "Broader", self.refs({*g.objects(c, SKOS.broader), *g.subjects(SKOS.narrower, c)})),
            ("下位概念", "Narrower", self.refs({*g.objects(c, SKOS.narrower), *g.subjects(SKOS.broader, c)})),
            ("関連する概念", "Related", self.refs(g.objects(c, SKOS.related))),
            ("完全一致", "Exact match", self.refs(g.objects(c, SKOS.exactMatch))),
            ("近い一致", "Close match", self.refs({*g.objects(c, SKOS.closeMatch), *g.subjects(SKOS.closeMatch, c)})),
            ("より広い一致", "Broad match", self.refs(g.objects(c, SKOS.broadMatch))),
            ("より狭い一致", "Narrow match", self.refs(g.objects(c, SKOS.narrowMatch))),
            *self.note_rows(c),
        ]
        return (f'<section class="term" id="{_e(self.ids[c])}">\n{self.heading(c, 4)}\n'
                f"{self.rows(rows)}\n</section>")
