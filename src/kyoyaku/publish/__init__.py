"""Stage 6, RDF → published files: the tree `kyoyaku build` writes (dist/).

In: the validated graph (and, for the report, a store of it). Out: files — the dumps
(`writers`: Turtle, JSON-LD, N-Triples), one document per resource (`site`), the HTML pages
(`pages`), the report figures (`report`, `figures`), the ontology's documentation (`ontodoc`) and
the DCAT catalog (`catalog`).
"""
