"""Command line: turn a file in the ``%%micrograd`` language into a page or a picture.

    python -m micrograd_magic render lesson.mg -o lesson.html
    python -m micrograd_magic render lesson.mg --svg lesson.svg --png lesson.png

Exit status: 0 done, 1 a mistake in the file (reported as ``file:line:column: message``),
2 a usage error, 3 Graphviz's ``dot`` missing for --svg/--png.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import MicrogradError

EXIT_FILE_ERROR = 1
EXIT_USAGE = 2
EXIT_NO_DOT = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m micrograd_magic",
        description="Render a file in the %%micrograd language as an interactive page or picture.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    render = commands.add_parser(
        "render",
        help="write a standalone HTML page (and/or SVG/PNG pictures) of a .mg file",
        description="Write a standalone, offline HTML page with the live graph widget "
        "(sliders, clicks, step-through), and/or static Graphviz pictures.",
    )
    render.add_argument("source", type=Path, help="the program, e.g. lesson.mg")
    render.add_argument("-o", "--html", type=Path, help="write the standalone HTML page here")
    render.add_argument("--svg", type=Path, help="write a static SVG picture here (needs dot)")
    render.add_argument("--png", type=Path, help="write a static PNG picture here (needs dot)")
    render.add_argument("--output", metavar="NAME", help="the output variable (default: the last)")
    render.add_argument("--title", help="the page title (default: the file name)")
    return parser


def _render(args: argparse.Namespace) -> int:
    from .export import write_page
    from .language import compile
    from .picture import GraphvizMissingError, static_svg
    from .widget import GraphWidget

    if not (args.html or args.svg or args.png):
        args.html = args.source.with_suffix(".html")
    try:
        text = args.source.read_text(encoding="utf-8")
    except OSError as err:
        print(f"{args.source}: cannot read: {err.strerror}", file=sys.stderr)
        return EXIT_USAGE
    try:
        computation = compile(text, args.output)
    except MicrogradError as err:
        lines = err.report_lines()
        if err.lineno is not None:
            # file:line:column: so that editors and CI logs link straight to the place
            column = "" if err.col_offset is None else f"{err.col_offset + 1}:"
            lines[0] = f"{args.source}:{err.lineno}:{column} {err.msg}"
        else:
            lines[0] = f"{args.source}: {lines[0]}"
        print("\n".join(lines), file=sys.stderr)
        return EXIT_FILE_ERROR
    if args.html:
        widget = GraphWidget(computation.root, computation.inputs, computation.extra)
        title = args.title if args.title is not None else args.source.stem
        print(f"wrote {write_page(widget, args.html, title=title)}")
    if args.svg or args.png:
        graph = computation.graph()
        try:
            if args.svg:
                args.svg.write_text(static_svg(graph), encoding="utf-8")
                print(f"wrote {args.svg}")
            if args.png:
                from .picture import graph_to_digraph

                args.png.write_bytes(graph_to_digraph(graph).pipe(format="png"))
                print(f"wrote {args.png}")
        except GraphvizMissingError as err:
            print(str(err), file=sys.stderr)
            return EXIT_NO_DOT
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    return _render(args)


if __name__ == "__main__":
    sys.exit(main())
