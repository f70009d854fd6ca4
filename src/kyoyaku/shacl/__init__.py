"""Stage 4, RDF → validation report: the data checked against the SHACL shapes.

In: the rdflib graph of stages 2 and 3. Out: a `report.Report` (conforms or not, one `Result`
per finding, named by its requirement). `validate.validate` is the one entry; it runs the shapes
compiled to SPARQL on Oxigraph (`sparql_engine`, the default) or pySHACL (`pyshacl_engine`, the
reference engine).
"""
