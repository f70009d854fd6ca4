"""Stage 3, registry → RDF: the area registry (CSV) as triples beside the full texts.

In: a registry folder (members.csv + areas.csv, optionally events.csv and stated_totals.csv, or
folders of them). Out: the triples of the areas, memberships and agreements known from the registry
only (`load.load_registry`), their events over time (`events`: joins, amending agreements, ends,
framework changes) and the stated national totals, added to the graph of stage 2. `importer` converts a registry compilation into such a folder
(`kyoyaku import-registry`).
"""
