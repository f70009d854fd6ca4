"""The ontology page's SHACL shapes (publish.ontodoc): each shape with its targets, severity, messages
in Japanese and English, its constraints and their SPARQL."""

from __future__ import annotations

import re
import textwrap

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SH

from .base import PageBase, _e

SEVERITY = {SH.Violation: ("違反", "violation"), SH.Warning: ("警告", "warning"), SH.Info: ("情報", "info")}

# shape predicates shown in their own rows, not in the list of constraint parameters
_SHAPE_META = {SH.message, SH.severity, SH.property, SH.sparql, SH.targetClass, SH.targetNode,
               SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.name, SH.description,
               SH.prefixes, SH.select, SH.path, SH.deactivated, SH.order, SH.group}


class ShapeSections(PageBase):
    """The SHACL shapes section."""

    def shape_section(self) -> str:
        body = "\n".join(self.shape_entry(s) for s in self.shapes) or "<p>なし / <span lang=\"en\">none</span></p>"
        intro = ("<p>データの検証（<code>kyoyaku validate</code>）に用いる SHACL 形状。各形状と制約は日本語と英語のメッセージを持つ。</p>\n"
                 '<p lang="en">The SHACL shapes the data is validated with (<code>kyoyaku validate</code>); '
                 "every shape and constraint carries a message in Japanese and English.</p>")
        return (f'<section id="{self._claim("shapes")}">\n<h2>SHACL 形状 <span lang="en">SHACL shapes</span></h2>\n'
                f"{intro}\n{body}\n</section>")

    def severity(self, node) -> str:
        value = self.s.value(node, SH.severity)
        if value is None:
            return ""
        ja, en = SEVERITY.get(value, (self.curie(value), self.curie(value)))
        return f'{_e(ja)} / <span lang="en">{_e(en)}</span> {self.ref(value, self.s)}'

    def parameters(self, node) -> str:
        params = []
        for p in sorted(set(self.s.predicates(node)), key=self.curie):
            if p in _SHAPE_META or p in (RDF.type, RDFS.label, RDFS.comment):
                continue
            values = sorted(self.s.objects(node, p), key=lambda o: self._sort_key(self.s, o))
            params.append(f"{self.ref(p, self.s)} " + ", ".join(self.ref(v, self.s) for v in values))
        return "<br>".join(params)

    def sparql(self, node) -> str:
        query = self.s.value(node, SH.select)
        if query is None:
            return ""
        text = textwrap.dedent(str(query).strip("\n")).strip()
        return f"<details><summary>SPARQL</summary><pre><code>{_e(text)}</code></pre></details>"

    def shape_entry(self, shape: URIRef) -> str:
        s = self.s
        targets = []
        for prop, ja, en in ((SH.targetClass, "クラス", "class"), (SH.targetNode, "ノード", "node"),
                             (SH.targetSubjectsOf, "主語", "subjects of"), (SH.targetObjectsOf, "目的語", "objects of")):
            for value in sorted(s.objects(shape, prop), key=lambda o: self._sort_key(s, o)):
                targets.append(f'{_e(ja)} / <span lang="en">{_e(en)}</span> {self.ref(value, s)}')
        for target in sorted(s.objects(shape, SH.target), key=lambda o: str(s.value(o, SH.select))):
            targets.append(f'SPARQL による対象 / <span lang="en">SPARQL target</span>{self.sparql(target)}')
        rows = [
            ("IRI", "IRI", self.iri(shape)),
            ("種類", "Type", self.refs(s.objects(shape, RDF.type), s)),
            ("メッセージ", "Message", self.paragraphs(self.texts(s, shape, SH.message))),
            ("説明", "Description", self.paragraphs(self.texts(s, shape, RDFS.comment, SH.description))),
            ("重大度", "Severity", self.severity(shape) or '違反 / <span lang="en">violation</span>（既定 / <span lang="en">default</span>）'),
            ("対象", "Targets", "<br>".join(targets)),
            ("パス", "Path", self.ref(s.value(shape, SH.path), s) if s.value(shape, SH.path) is not None else ""),
            ("制約", "Parameters", self.parameters(shape)),
        ]
        constraints = []
        for ps in s.objects(shape, SH.property):
            path = s.value(ps, SH.path)
            messages = self.texts(s, ps, SH.message)
            head = (f'<p>パス / <span lang="en">path</span> {self.ref(path, s)}</p>' if path is not None else "")
            parameters = self.parameters(ps)
            inner = [self.constraint_html(sparql) for sparql in s.objects(ps, SH.sparql)]
            body = (head + self.paragraphs(messages)
                    + (f"<p>{self.severity(ps)}</p>" if s.value(ps, SH.severity) is not None else "")
                    + (f"<p>{parameters}</p>" if parameters else "") + "".join(sorted(inner)))
            constraints.append(body)
        for sparql in s.objects(shape, SH.sparql):
            constraints.append(self.constraint_html(sparql))
        constraints.sort(key=lambda h: re.sub(r"<[^>]+>", "", h))
        listing = ""
        if constraints:
            listing = ('<h4>制約 <span lang="en">Constraints</span></h4>\n<ol class="constraints">'
                       + "".join(f"<li>{c}</li>" for c in constraints) + "</ol>")
        return (f'<section class="term" id="{_e(self.ids[shape])}">\n{self.heading(shape, 3, s)}\n'
                f"{self.rows(rows)}\n{listing}\n</section>")

    def constraint_html(self, node) -> str:
        kind = 'SPARQL 制約 / <span lang="en">SPARQL constraint</span>'
        return f"<p>{kind}</p>" + self.paragraphs(self.texts(self.s, node, SH.message)) + self.sparql(node)
