"""The frame of the ontology page (publish.ontodoc): the HTML document and its style, the table of
contents, the overview (the ontology's metadata, counts and files) and the namespaces; the sections
of terms, concept schemes and shapes come from their own modules."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, VANN

from .base import PageBase, _bilingual, _e

_STYLE = """
body{font-family:"Hiragino Sans","Noto Sans CJK JP","Yu Gothic",sans-serif;line-height:1.6;
max-width:60rem;margin:0 auto;padding:1rem;color:#222}
h2{border-bottom:2px solid #446;margin-top:3rem}
h3,h4{margin-bottom:.3rem}
section.term{border-top:1px solid #ccd;padding-top:.5rem;margin-top:1.5rem}
dl{display:grid;grid-template-columns:minmax(8rem,14rem) minmax(0,1fr);gap:.2rem 1rem;margin:.5rem 0}
@media (max-width:40rem){dl{grid-template-columns:minmax(0,1fr)}}
main{overflow-wrap:break-word}a,code{overflow-wrap:anywhere}
dt{font-weight:bold;color:#446}
dd{margin:0}
dd p{margin:0 0 .3rem}
[lang=en]{color:#444}
h2 [lang=en],h3 [lang=en],h4 [lang=en]{font-weight:normal}
code{font-size:.9em;background:#f3f3f7;padding:0 .2em}
pre{background:#f3f3f7;padding:.5rem;overflow-x:auto}
ul.tree,ul.tree ul{list-style:none;padding-left:1.2rem}
ol.constraints>li{margin-bottom:.8rem}
nav li li{break-inside:avoid}
nav ul ul{columns:18rem;padding-left:1.2rem;margin-bottom:.5rem}
"""


class PageFrame(PageBase):
    """The page around the sections (render)."""

    def render(self) -> str:
        ontology = sorted((o for o in self.g.subjects(RDF.type, OWL.Ontology) if isinstance(o, URIRef)), key=str)
        title_ja = next((self.label(o, "ja") for o in ontology if self.label(o, "ja")), "連携協約オントロジー")
        title_en = next((self.label(o, "en") for o in ontology if self.label(o, "en")), "kyoyaku ontology")
        sections = [
            self.metadata(ontology),
            self.term_section("classes", "クラス", "Classes", self.classes, self.class_entry),
            self.term_section("object-properties", "オブジェクトプロパティ", "Object properties",
                              self.object_properties, self.property_entry),
            self.term_section("datatype-properties", "データ型プロパティ", "Datatype properties",
                              self.datatype_properties, self.property_entry),
        ]
        if self.other_properties:
            sections.append(self.term_section("other-properties", "その他のプロパティ", "Other properties",
                                              self.other_properties, self.property_entry))
        sections.append(self.concept_section())
        sections.append(self.shape_section())
        sections.append(self.namespace_section())
        body = "\n".join([self.toc(), *sections])
        return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title_ja)} — {_e(title_en)}</title>
<style>{_STYLE}</style>
</head>
<body>
<header>
<h1>{_e(title_ja)} <span lang="en">{_e(title_en)}</span></h1>
</header>
<main>
{body}
</main>
</body>
</html>
"""

    def toc(self) -> str:
        def entries(terms) -> str:
            out = []
            for t in terms:
                ja = self.label(t, "ja")
                name = self.curie(t)
                shown = _e(ja) + (f" <code>{_e(name)}</code>" if name != str(t) else "") if ja else f"<code>{_e(name)}</code>"
                out.append(f'<li><a href="#{_e(self.ids[t])}">{shown}</a></li>')
            return "".join(out)

        parts = [
            ("metadata", "概要", "Overview", ""),
            ("classes", "クラス", "Classes", entries(self.classes)),
            ("object-properties", "オブジェクトプロパティ", "Object properties", entries(self.object_properties)),
            ("datatype-properties", "データ型プロパティ", "Datatype properties", entries(self.datatype_properties)),
        ]
        if self.other_properties:
            parts.append(("other-properties", "その他のプロパティ", "Other properties", entries(self.other_properties)))
        parts += [
            ("concept-schemes", "概念体系", "Concept schemes", entries(self.schemes)),
            ("shapes", "SHACL 形状", "SHACL shapes", entries(self.shapes)),
            ("namespaces", "名前空間", "Namespaces", ""),
        ]
        items = []
        for id_, ja, en, sub in parts:
            inner = f"<ul>{sub}</ul>" if sub else ""
            items.append(f'<li><a href="#{id_}">{_e(ja)} / <span lang="en">{_e(en)}</span></a>{inner}</li>')
        return (f'<nav id="{self._claim("contents")}" aria-label="目次">\n<h2>目次 <span lang="en">Contents</span></h2>\n'
                f"<ul>\n" + "\n".join(items) + "\n</ul>\n</nav>")

    def metadata(self, ontology: list[URIRef]) -> str:
        g = self.g
        blocks = []
        for o in ontology:
            rows = [
                ("IRI", "IRI", self.iri(o)),
                ("説明", "Description", self.paragraphs(self.texts(g, o, DCTERMS.description, RDFS.comment))),
                ("版", "Version", ", ".join(_e(str(v)) for v in sorted(g.objects(o, OWL.versionInfo), key=str))),
                ("版の IRI", "Version IRI", ", ".join(self.iri(v) for v in sorted(g.objects(o, OWL.versionIRI), key=str))),
                ("作成者", "Creator", ", ".join(self.agent(v) for v in sorted(g.objects(o, DCTERMS.creator), key=str))),
                ("作成日", "Created", ", ".join(_e(str(v)) for v in sorted(g.objects(o, DCTERMS.created), key=str))),
                ("更新日", "Modified", ", ".join(_e(str(v)) for v in sorted(g.objects(o, DCTERMS.modified), key=str))),
                ("ライセンス", "Licence", ", ".join(self.iri(v) for v in sorted(g.objects(o, DCTERMS.license), key=str))),
                ("推奨する接頭辞", "Preferred prefix",
                 ", ".join(f"<code>{_e(str(v))}</code>" for v in sorted(g.objects(o, VANN.preferredNamespacePrefix), key=str))),
                ("名前空間", "Namespace",
                 ", ".join(f"<code>{_e(str(v))}</code>" for v in sorted(g.objects(o, VANN.preferredNamespaceUri), key=str))),
            ]
            blocks.append(self.rows(rows))
        files = "".join(f'<li><a href="{_e(name)}"><code>{_e(name)}</code></a></li>' for name in self.downloads)
        counts = (f"<p>クラス {len(self.classes)}、オブジェクトプロパティ {len(self.object_properties)}、"
                  f"データ型プロパティ {len(self.datatype_properties)}、概念体系 {len(self.schemes)}"
                  f"（概念 {len(self.concepts)}）、SHACL 形状 {len(self.shapes)}。</p>\n"
                  f'<p lang="en">{len(self.classes)} classes, {len(self.object_properties)} object properties, '
                  f"{len(self.datatype_properties)} datatype properties, {len(self.schemes)} concept schemes "
                  f"({len(self.concepts)} concepts), {len(self.shapes)} SHACL shapes.</p>")
        return (f'<section id="{self._claim("metadata")}">\n<h2>概要 <span lang="en">Overview</span></h2>\n'
                + "\n".join(blocks) + f"\n{counts}\n"
                + '<h3>ファイル <span lang="en">Files</span></h3>\n'
                + "<p>オントロジー、概念体系、SHACL 形状（Turtle）と JSON-LD のコンテキスト。</p>\n"
                + '<p lang="en">The ontology, the concept schemes and the SHACL shapes in Turtle, and the JSON-LD context.</p>\n'
                + f"<ul>{files}</ul>\n</section>")

    def agent(self, node) -> str:
        """An agent by its names (foaf:name, ja and en) and its IRI."""
        ja, en = self.label(node, "ja"), self.label(node, "en")
        shown = _bilingual(ja, en) if ja and en else _e(ja or en or "")
        return f"{shown} {self.iri(node)}" if shown else self.iri(node)

    def namespace_section(self) -> str:
        rows = "".join(f"<tr><td><code>{_e(prefix)}</code></td><td><code>{_e(ns)}</code></td></tr>"
                       for ns, prefix in sorted(self.prefixes, key=lambda item: (item[1], item[0])))
        return (f'<section id="{self._claim("namespaces")}">\n<h2>名前空間 <span lang="en">Namespaces</span></h2>\n'
                '<table>\n<thead><tr><th scope="col">接頭辞 / <span lang="en">prefix</span></th>'
                '<th scope="col">名前空間 / <span lang="en">namespace</span></th></tr></thead>\n'
                f"<tbody>{rows}</tbody>\n</table>\n</section>")
