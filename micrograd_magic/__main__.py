"""Command line: turn a file in the ``%%micrograd`` language into a page or a picture.

    python -m micrograd_magic render lesson.mg --html lesson.html
    python -m micrograd_magic render lesson.mg -o n --svg n.svg --png n.png

The words are the magic's: ``-o/--output NAME`` names the output variable (default: the last
assignment), ``--html PATH`` writes the standalone page. Without ``--html``, ``--svg`` or
``--png`` the page goes to the current folder, named after the source (``lesson.html``). Every
output is written to a temporary file and renamed into place, so a failure leaves the old file;
no output may be the source itself. The command prints the full path of each file it wrote.

Exit status: 0 done, 1 a mistake in the program (reported as ``file:line:column: message``),
2 a usage error or a file that cannot be read or written, 3 Graphviz's ``dot`` missing, failing
or too slow for --svg/--png, 130 interrupted (Ctrl-C; nothing half-written is left).

This module never imports the widget framework (ipywidgets, anywidget): the page is made from
the kernel-free :class:`~micrograd_magic.state.WidgetState`.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import MicrogradError

if TYPE_CHECKING:
    from .language import Computation
    from .state import WidgetState

EXIT_FILE_ERROR = 1
EXIT_USAGE = 2
EXIT_NO_DOT = 3
EXIT_INTERRUPTED = 130

#: Seconds ``--svg``/``--png`` wait for Graphviz by default (``--dot-timeout``).
DOT_TIMEOUT = 300.0

#: Seconds between two "still laying out" lines while ``dot`` works.
PROGRESS_EVERY = 2.0


class UsageError(Exception):
    """A mistake in how the command was called, or a file it cannot read or write (exit 2)."""


@dataclass(frozen=True)
class _Output:
    kind: str  # "html", "svg" or "png"
    path: Path


class _OutputName(argparse.Action):
    """``-o/--output``, remembering which spelling was used (``-o FILE`` once meant --html)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[str] | None,
        option_string: str | None = None,
    ) -> None:
        namespace.output = values
        namespace.output_option = option_string


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
        "(sliders, clicks, step-through), and/or static Graphviz pictures. Without --html, "
        "--svg or --png the page goes to the current folder, named after the source.",
    )
    render.add_argument("source", type=Path, help="the program, e.g. lesson.mg")
    render.add_argument(
        "-o",
        "--output",
        metavar="NAME",
        action=_OutputName,
        help="the output variable, as in %%%%micrograd -o NAME (default: the last assignment)",
    )
    render.add_argument("--html", type=Path, metavar="PATH", help="write the page here")
    render.add_argument("--svg", type=Path, metavar="PATH", help="write an SVG picture (needs dot)")
    render.add_argument("--png", type=Path, metavar="PATH", help="write a PNG picture (needs dot)")
    render.add_argument("--title", help="the page title (default: the file name)")
    render.add_argument(
        "--dot-timeout",
        type=float,
        metavar="SECONDS",
        default=DOT_TIMEOUT,
        help=f"how long --svg/--png wait for Graphviz (default: {DOT_TIMEOUT:g})",
    )
    render.set_defaults(output_option=None)
    return parser


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _read_source(source: Path) -> str:
    try:
        raw = source.read_bytes()
    except OSError as err:
        raise UsageError(f"{source}: cannot read: {err.strerror}") from None
    try:
        # utf-8-sig: a byte-order mark some editors write is not part of the program
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise UsageError(
            f"{source}:{line}: not UTF-8 text (byte 0x{raw[err.start]:02x}); save the file as UTF-8"
        ) from None


def _outputs(args: argparse.Namespace) -> list[_Output]:
    """Every file to write, checked before anything is computed or written."""
    if args.output is not None and not args.output.isidentifier():
        if args.output_option != "-o":
            raise UsageError(
                f"--output names the output variable, and {args.output!r} is not a name; "
                "write the page with --html PATH"
            )
        _say(
            f"warning: -o {args.output} is read as --html {args.output}; this is deprecated: "
            "as in %%micrograd, -o names the output variable; write the page with --html PATH"
        )
        if args.html is None:
            args.html = Path(args.output)
        args.output = None
    outputs = [
        _Output(kind, path)
        for kind, path in (("html", args.html), ("svg", args.svg), ("png", args.png))
        if path is not None
    ]
    if not outputs:
        outputs = [_Output("html", Path.cwd() / f"{args.source.stem}.html")]
    seen: dict[tuple[int, int] | str, _Output] = {}
    for out in outputs:
        _check_writable(out, args.source)
        key = _identity(out.path)
        if key in seen:
            raise UsageError(
                f"--{seen[key].kind} and --{out.kind} name the same file {out.path}; "
                "give each output its own file"
            )
        seen[key] = out
    return outputs


def _identity(path: Path) -> tuple[int, int] | str:
    """What makes two paths the same file: device and inode if it exists, else its real path."""
    try:
        info = path.stat()
    except OSError:
        return os.path.realpath(path)
    return (info.st_dev, info.st_ino)


def _check_writable(out: _Output, source: Path) -> None:
    path = out.path
    if _identity(path) == _identity(source):
        raise UsageError(
            f"--{out.kind} {path} is the source file {source} itself; "
            "choose another file for the output"
        )
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder")
    folder = Path(os.path.abspath(path)).parent
    for parent in (folder, *folder.parents):
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"cannot write {path}: {parent} is a file, not a folder")
            break
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: the folder {folder} does not exist")


def _compile(args: argparse.Namespace, text: str) -> Computation:
    from .language import parse

    program = parse(text)
    if args.output is not None and args.output not in program.names:
        names = ", ".join(program.names[:20])
        more = f" and {len(program.names) - 20} more" if len(program.names) > 20 else ""
        raise UsageError(
            f"-o/--output: {args.source} has no variable {args.output!r} (its variables are "
            f"{names}{more}); to write the page to a file, use --html PATH"
        )
    if args.output is not None:
        program = program.with_output(args.output)
    return program.run()


def _located(err: MicrogradError, source: Path) -> str:
    lines = err.report_lines()
    if err.lineno is not None:
        # file:line:column: so that editors and CI logs link straight to the place
        column = "" if err.col_offset is None else f"{err.col_offset + 1}:"
        lines[0] = f"{source}:{err.lineno}:{column} {err.msg}"
    else:
        lines[0] = f"{source}: {lines[0]}"
    return "\n".join(lines)


def _write(out: _Output, state: WidgetState, title: str, dot_timeout: float) -> None:
    from .export import write_page
    from .files import write_bytes, write_text
    from .picture import graph_to_digraph, run_dot, static_svg

    def progress(seconds: float) -> None:
        _say(
            f"Graphviz's dot is still laying out {len(state.model_graph.nodes)} nodes "
            f"for {out.path} ({seconds:.0f} s of at most {dot_timeout:g} s; Ctrl-C stops it)"
        )

    try:
        if out.kind == "html":
            write_page(state, out.path, title=title)
        elif out.kind == "svg":
            write_text(out.path, static_svg(state.model_graph, dot_timeout, progress))
        else:
            source = graph_to_digraph(state.model_graph).source
            write_bytes(out.path, run_dot(source, "png", dot_timeout, progress, PROGRESS_EVERY))
    except OSError as err:
        raise UsageError(f"cannot write {out.path}: {err.strerror or err}") from None
    print(f"wrote {os.path.abspath(out.path)}", flush=True)


def _render(args: argparse.Namespace) -> int:
    from .picture import GraphvizError, GraphvizMissingError
    from .state import WidgetState

    if not 0 < args.dot_timeout < math.inf:
        raise UsageError(f"--dot-timeout takes a number of seconds, got {args.dot_timeout}")
    outputs = _outputs(args)
    text = _read_source(args.source)
    try:
        computation = _compile(args, text)
    except MicrogradError as err:
        _say(_located(err, args.source))
        return EXIT_FILE_ERROR
    state = WidgetState(computation.root, computation.inputs, computation.extra)
    title = args.title if args.title is not None else args.source.stem
    for out in outputs:
        try:
            _write(out, state, title, args.dot_timeout)
        except (GraphvizMissingError, GraphvizError) as err:
            _say(f"{err}" if isinstance(err, GraphvizMissingError) else f"{out.path}: {err}")
            return EXIT_NO_DOT
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _render(args)
    except UsageError as err:
        _say(str(err))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("interrupted: no file was left half-written")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
