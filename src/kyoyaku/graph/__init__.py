"""Stage 2, model → RDF: the parsed agreements as an rdflib graph (docs/rdf-mapping.md).

In: `text.model.Agreement`s. Out: an rdflib `Graph` in kyoyaku's IRIs (`iris`), mapped by
`mapping.to_graphs`; also what every later stage shares about RDF: the IRIs and namespaces, the
graph written as deterministic Turtle and N-Triples (`serialize`), the conversion of terms to
pyoxigraph (`oxterms`), and back from the graph to an agreement's text (`render`).
"""
