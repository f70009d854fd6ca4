"""Stage 7, published files and store → HTTP: `kyoyaku serve`.

In: the published tree and its data (files or an on-disk store). Out: one HTTP address serving
the tree by content negotiation and a read-only SPARQL endpoint (`front`), in front of an Oxigraph
server kept running (`server`); at the endpoint, a query page for people (`query_page`) and the
service description naming its public URL (`service`).
"""
