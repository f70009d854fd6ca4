"""Stage 5, RDF → stores and queries: the published data in Oxigraph, the query library, remote
endpoints.

In: RDF files (the published dumps) or an on-disk store. Out: Oxigraph stores (`store`), the rows
of the shipped queries (`query`: a `Table`), and the data pushed to or queried on a remote SPARQL
server (`endpoint`).
"""
