"""Stage 3, registry → RDF: the area registry (CSV) as triples beside the full texts.

In: a registry folder (members.csv + areas.csv, or folders of them). Out: the triples of the
areas, memberships and agreements known from the registry only (`load.load_registry`), added to
the graph of stage 2. `importer` converts a registry compilation into such a folder
(`kyoyaku import-registry`).
"""
