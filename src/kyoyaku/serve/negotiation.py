"""Content negotiation for the published tree (serve.front): the media type of each kind of
document, and the document suffix that best answers an Accept header."""

from __future__ import annotations

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".gz": "application/gzip",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}
# Accept media type → the document suffix that answers it
NEGOTIATED = {"text/html": ".html", "application/xhtml+xml": ".html", "text/turtle": ".ttl",
              "application/ld+json": ".jsonld", "application/json": ".jsonld", "application/n-triples": ".nt"}


def preferred_suffix(accept: str | None, default: str = ".html") -> str | None:
    """The suffix of the best format for an Accept header (q-values honoured; */*, text/* and none →
    `default`: HTML for a document, Turtle at the SPARQL endpoint, where a page is only for a browser
    that asks for HTML); None when nothing acceptable is available."""
    if not accept:
        return default
    choices = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        suffix = NEGOTIATED.get(media.lower()) or (default if media in {"*/*", "text/*"} else None)
        if suffix and q > 0:
            choices.append((-q, position, suffix))
    return min(choices)[2] if choices else None
