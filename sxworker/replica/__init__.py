"""Local replica of szb.sxworker.com for offline crawler tests.

Use ``with ReplicaServer() as server:`` (``server.base_url``, ``server.site``,
``server.requests``, ``server.faults``) or ``build_site(base_url)`` for the data alone.
``server.site.expected_articles`` is the ground truth a correct crawl must store.

``builder.py`` is the one site builder every replica is made with: this one (``site.py``:
its URL schemes and files; ``templates.py``, ``mobile.py``: its markup; ``content.py``: its
issues) and the test sites in ``tests/sites/``, each of which says only what it does
differently (a ``Paper``).

Page (版面) URL shapes, invented and different per era (the crawler must find them from
links): ``/html/YYYY-MM/DD/node_N.htm`` (1985, 1990), ``/Page/YYYY-MM/DD/NN/default.htm``
(1992, 2005, 2008), ``/index.aspx?date=YYYY-MM-DD&page=N`` (2016; 上一期/下一期 use
``/index.aspx?date=YYYY-MM-DD``), ``/epaper/YYYY/MMDD/ANN.html`` (2023 and synthetic).
The root ``/`` is a meta refresh (plus a plain link) to the latest issue's first page.
"""

from .builder import Resource, Site
from .server import ReplicaServer, answer, fail_times
from .site import build_site

__all__ = ["ReplicaServer", "Resource", "Site", "answer", "build_site", "fail_times"]
