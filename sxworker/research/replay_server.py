"""The pywb process of ``sxworker replay`` (run as ``python -m``, never imported by sxworker).

pywb needs the standard library monkeypatched by gevent before anything else is imported,
which is why it has a process to itself. Arguments: the collection folder
:func:`sxworker.research.replay.lay_out` made, the file descriptor of the socket the parent
bound, and ``--verbose`` or ``--quiet`` (whether each request is logged). It builds the
CDXJ indexes ``to-index.json`` lists, prints ``ready``, and serves until SIGTERM.
"""

if __name__ == "__main__":
    # Only when run as the pywb process: a module that imports every module of sxworker
    # (tests/crawl/test_scrapy_internals.py does) must not patch its own process.
    from gevent.monkey import patch_all

    patch_all()

import functools
import json
import logging
import os
import signal
import socket
import sys

ARCHIVE = "collections/sxworker/archive"


def main(root: str, fd: str, mode: str) -> None:
    # pywb reads config.yaml and the collections from the working folder.
    import gevent
    from gevent.pywsgi import WSGIServer

    os.chdir(root)
    logging.basicConfig(level=logging.INFO if mode == "--verbose" else logging.WARNING)
    from pywb.utils import geventserver

    if mode != "--verbose":
        # pywb's app talks to its own index server in this process; that server would log
        # each of those inner requests to stderr (gevent's default), twice per page.
        geventserver.WSGIServer = functools.partial(WSGIServer, log=None)
    from pywb.apps.frontendapp import FrontEndApp

    build_indexes()
    app = FrontEndApp(config_file="config.yaml")
    listener = socket.socket(fileno=int(fd))
    server = WSGIServer(
        listener,
        app,
        handler_class=geventserver.RequestURIWSGIHandler,
        log="default" if mode == "--verbose" else None,
    )
    gevent.signal_handler(signal.SIGTERM, server.stop)
    server.start()
    print("ready", flush=True)
    server.serve_forever()


def build_indexes() -> None:
    """The CDXJ index of each file ``to-index.json`` names (as ``wb-manager reindex`` makes
    them: sorted, POST bodies in the key), each written beside its place and renamed in."""
    from pywb.indexer.cdxindexer import write_cdx_index

    with open("to-index.json", encoding="utf-8") as listed:
        jobs = json.load(listed)
    for name, index in jobs:
        partial = f"{index}.{os.getpid()}.tmp"
        with open(os.path.join(ARCHIVE, name), "rb") as warc, open(partial, "wb") as out:
            write_cdx_index(out, warc, name, cdxj=True, sort=True, append_post=True)
        os.replace(partial, index)


if __name__ == "__main__":
    main(*sys.argv[1:4])
