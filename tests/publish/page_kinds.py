"""One page of every kind the site has, for the browser tests that look at each at a phone's and a
desktop's width (test_layout_browser.py) and for docs/screenshots.py: kind → (build, path in dist/).

"shipped" is the build of the shipped data (the seed and data/registry: the `national` fixture),
"amended" the seed with the fictional amending agreements of tests/fixtures/amendments (the `amended`
fixture), the only build with an amending agreement's full text and a consolidated version.
"""

from __future__ import annotations

PAGE_KINDS = {
    "front": ("shipped", "index.html"),
    "agreement": ("shipped", "agreement/082015-082368/2022-02-21.html"),  # the seed: full text and 別表
    "record": ("shipped", "agreement/011002-012033/2019-03-29.html"),  # a long source address in its notes
    "amending": ("amended", "agreement/082015-082368/2023-03-20.html"),
    "amending-record": ("shipped", "agreement/012025-013714/2023-12-18.html"),
    "version": ("amended", "agreement/082015-082368/2022-02-21/version/2023-04-01.html"),  # with its 別表
    "municipality": ("shipped", "municipality/082015.html"),
    "area": ("shipped", "area/renkei-chusu/151009.html"),  # a note on every member's row
    "statistic": ("shipped", "statistic/renkei-chusu/2024-04-01.html"),
    "report": ("shipped", "report/index.html"),
    "ontology": ("shipped", "ontology/index.html"),
}
