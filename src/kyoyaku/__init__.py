"""kyoyaku — 連携協約 (inter-municipal partnership agreements) as validated linked open data.

The public Python API, for notebooks and other programs (docs/api.md):

    parse_file(path)                      one agreement text → the model (an Agreement)
    corpus_report(folder)                 every agreement text of a folder → what was found in each
    build(sources, out, registry=…)       texts and registry → the validated, published tree
    open_store(data, store=…)             the published data in an Oxigraph store, to query
    run_query(query, data=…, params=…)    a shipped query (or a .rq file) → rows for pandas

Everything else is private by convention: the modules are laid out by pipeline stage (text, graph,
registry, shacl, sparql, publish, serve; docs/architecture.md) and may change. The five functions
are loaded on first use (PEP 562), so `import kyoyaku` loads nothing else.
"""

__version__ = "0.1.0"
__all__ = ["build", "corpus_report", "open_store", "parse_file", "run_query"]

# name → the module defining it
_API = {
    "parse_file": "kyoyaku.text.parse",
    "corpus_report": "kyoyaku.text.corpus",
    "build": "kyoyaku.pipeline",
    "open_store": "kyoyaku.api",
    "run_query": "kyoyaku.api",
}


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'kyoyaku' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_API[name]), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
