"""Stage 5, RDF → stores and queries: the published data in Oxigraph, the query library, remote
servers.

In: RDF files (the published dumps) or an on-disk store. Out: Oxigraph stores (`store`), the rows
of the shipped queries (`query`: a `Table`; `local` runs them on files or a store), and the data
queried on or pushed to a remote SPARQL server (`remote`, `push`, `push_lock`, over `http`).
"""
