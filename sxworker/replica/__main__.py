"""Serve the replica in the foreground: python -m sxworker.replica [--port N] [--extra-issues N]."""

from __future__ import annotations

import argparse

from .server import ReplicaServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sxworker.replica", description="Serve the local replica of szb.sxworker.com."
    )
    parser.add_argument("--port", type=int, default=0, help="port to bind (default: any free)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--extra-issues", type=int, default=0, help="add N synthetic modern issues (benchmark size: 60)"
    )
    args = parser.parse_args(argv)
    server = ReplicaServer(extra_issues=args.extra_issues, port=args.port, host=args.host)
    server.bind()
    assert server.site is not None
    print(server.base_url, flush=True)
    print(
        f"{len(server.site.expected_issues)} issues, "
        f"{len(server.site.expected_articles)} articles; Ctrl-C to stop",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
