"""Command line: ``python -m dialpad_sim serve|describe``."""

from __future__ import annotations

import argparse
import resource
import signal
import sys
import threading
import time

from .generate import ORGS, generate
from .server import DEFAULT_PORT, SimulatorServer


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dialpad_sim",
                                     description="A Dialpad API v2 simulator.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the API until SIGINT/SIGTERM")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_non_negative_int, default=DEFAULT_PORT,
                       help=f"port to listen on (0: a free one; default {DEFAULT_PORT})")
    serve.add_argument("--org", choices=ORGS, default="demo")
    serve.add_argument("--seed", type=int, default=1)
    serve.add_argument("--api-key", default="sim-key")
    serve.add_argument("--page-size", type=_positive_int, default=100)
    serve.add_argument("--rate-limit-per-minute", type=_non_negative_int, default=None,
                       help="answer 429 over this many requests per rolling minute")
    serve.add_argument("--error-rate", type=_fraction, default=0.0,
                       help="share of requests answered 503")
    serve.add_argument("--error-status", type=int, default=503)
    serve.add_argument("--slow-ms", type=_non_negative_int, default=0,
                       help="delay every answer by this many milliseconds")
    serve.add_argument("--drop-rate", type=_fraction, default=0.0,
                       help="share of requests whose connection is closed without an answer")
    serve.add_argument("--no-events", dest="deliver_events", action="store_false",
                       help="do not send events to the registered webhooks")
    serve.add_argument("--spec", default=None,
                       help="Dialpad OpenAPI spec for extra body validation "
                            "(default: DIALPAD_OPENAPI_SPEC or ../shared/, if present)")

    describe = sub.add_parser("describe", help="print the entity counts of an org")
    describe.add_argument("--org", choices=ORGS, default="demo")
    describe.add_argument("--seed", type=int, default=1)
    return parser


def serve(args) -> int:
    started = time.perf_counter()
    sim = SimulatorServer(org=args.org, seed=args.seed, api_key=args.api_key,
                          page_size=args.page_size,
                          rate_limit_per_minute=args.rate_limit_per_minute or None,
                          host=args.host, port=args.port, spec_path=args.spec,
                          # Nobody can read them from another process; keep memory flat.
                          record_requests=False, deliver_events=args.deliver_events)
    generated = time.perf_counter() - started
    sim.faults.error_status = args.error_status
    sim.faults.error_rate = args.error_rate
    sim.faults.slow_seconds = args.slow_ms / 1000.0
    sim.faults.drop_rate = args.drop_rate
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        sim.start()
    except OSError as exc:
        print(f"dialpad_sim: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(f"Dialpad simulator listening on {sim.base_url} (org={args.org}, seed={args.seed})",
          flush=True)
    print(f"Org generated in {generated:.1f} s, peak RSS {_peak_rss_mb():.0f} MB", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        sim.stop()
    return 0


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def describe(args) -> int:
    started = time.perf_counter()
    state = generate(args.org, args.seed)
    elapsed = time.perf_counter() - started
    print(f"org={args.org} seed={args.seed} company={state.company['name']!r} "
          f"(generated in {elapsed:.2f} s, peak RSS {_peak_rss_mb():.0f} MB)")
    for name, count in state.counts().items():
        print(f"  {name:24} {count:>7}")
    return 0


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return serve(args) if args.command == "serve" else describe(args)


if __name__ == "__main__":
    sys.exit(main())
