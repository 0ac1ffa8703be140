"""The ``%%micrograd`` cell magic: a cell of formulas becomes Values in the notebook, drawn live.

``%load_ext micrograd_magic`` registers it. A cell is parsed by :mod:`micrograd_magic.language`
(never executed as Python), built into :class:`~micrograd_magic.engine.Value` objects with
``backward()`` run from the output, shown as a :class:`~micrograd_magic.widget.GraphWidget` (or a
table of numbers) and only then are its variables bound in the notebook, all at once: a cell
that fails leaves the namespace as it was. Mistakes in the cell raise
:class:`~micrograd_magic.errors.MicrogradError`, which IPython shows as a short message pointing
into the cell; mistakes in the options raise IPython's ``UsageError``. The option line is read
like a shell's (quotes group words) and, unlike other magics' lines, is never expanded: ``{expr}``
and ``$name`` stay as written, so no notebook code runs and no notebook name is read.
"""

from __future__ import annotations

import argparse
import copy
import html
import keyword
import logging
import math
import os
import shlex
from typing import Any

from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.core.magic import Magics, cell_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import MagicHelpFormatter, argument, kwds, magic_arguments
from IPython.display import display
from traitlets import Bool, Float, TraitError, Unicode, observe, validate

from .engine import short_number as _fmt
from .errors import clip, closest_name, name_list, visible
from .inputs import check_span
from .language import Computation, parse
from .state import TEXT_SIZES

__all__ = [
    "MicrogradMagics",
    "SummaryTable",
    "load_ipython_extension",
    "make_view",
    "unload_ipython_extension",
]


class SummaryTable:
    """Every variable of a computed cell with its op, data and grad, as text and as HTML.

    Shown instead of the graph widget with ``--no-widget`` or when the widget cannot be
    imported. It reads the Values whenever it is displayed, so it shows their current numbers.
    """

    def __init__(self, computation: Computation, note: str | None = None) -> None:
        self.computation = computation
        self.note = note

    def rows(self) -> list[tuple[str, str, float, float]]:
        """(name, op, data, grad) per variable; an input's op reads "input [min, max]"."""
        comp = self.computation
        ranges = {
            id(comp.leaves[s.name]): f"input [{_fmt(s.min)}, {_fmt(s.max)}]" for s in comp.inputs
        }
        return [
            (name, ranges.get(id(v), v.op or "input"), v.data, v.grad)
            for name, v in comp.values.items()
        ]

    def __repr__(self) -> str:
        header = ("name", "op", "data", "grad")
        cells = [header] + [(n, op, _fmt(d), _fmt(g)) for n, op, d, g in self.rows()]
        widths = [max(len(row[i]) for row in cells) for i in range(4)]
        lines = []
        for row in cells:
            text = "  ".join(
                c.ljust(w) if i < 2 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
            if row[0] == self.computation.output and row is not header:
                text += "  <- output"
            lines.append(text.rstrip())
        if self.note:
            lines.insert(0, f"({self.note})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in ("name", "op", "data", "grad"))
        body = []
        for name, op, data, grad in self.rows():
            mark = " (output)" if name == self.computation.output else ""
            body.append(
                f"<tr><td><code>{html.escape(name)}</code>{mark}</td>"
                f"<td>{html.escape(op)}</td><td>{_fmt(data)}</td><td>{_fmt(grad)}</td></tr>"
            )
        note = f"<p><em>{html.escape(self.note)}</em></p>" if self.note else ""
        return (
            f'{note}<table class="micrograd-summary"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )


def make_view(
    computation: Computation, widget: bool = True, lr: float = 0.1, text: str = "normal"
) -> Any:
    """The object that shows a computed cell: the live GraphWidget (learning rate ``lr``,
    text size ``text``) or a :class:`SummaryTable`.

    Falls back to the table, with a note saying why, when the widget cannot be imported or its
    JavaScript bundle has not been built. The cell's ``trainable`` inputs get the widget's
    training controls, starting at learning rate ``lr``.
    """
    if not widget:
        return SummaryTable(computation)
    try:
        from .widget import BundleMissingError, GraphWidget
    except ImportError as exc:
        reason = exc
    else:
        try:
            return _new_widget(GraphWidget, computation, lr, text)
        except BundleMissingError as exc:
            reason = exc
    return SummaryTable(
        computation, note=f"the graph widget is not available ({reason}); showing a table"
    )


def _write_page(shown: Any, computation: Computation, path: str, lr: float = 0.1) -> None:
    """``--html``: the shown widget's standalone page (a widget is made for it if a table is
    shown); every way this can fail is a one-line UsageError."""
    try:
        from .widget import BundleMissingError, GraphWidget
    except ImportError as exc:
        raise UsageError(
            f"--html: export is not available: the graph widget cannot be imported ({exc})"
        ) from None
    try:
        widget = (
            shown if isinstance(shown, GraphWidget) else _new_widget(GraphWidget, computation, lr)
        )
    except BundleMissingError as exc:
        raise UsageError(f"--html: export is not available: {exc}") from None
    target = os.path.expanduser(path)
    try:
        widget.save_html(target)
    except (OSError, ValueError) as exc:  # ValueError: a name the file system cannot encode
        raise UsageError(visible(clip(f"--html: could not save {target!r}: {exc}", 300))) from None


def _new_widget(
    graph_widget: type, computation: Computation, lr: float = 0.1, text: str = "normal"
) -> Any:
    return graph_widget(
        computation.root,
        inputs=computation.inputs,
        extra=computation.extra,
        train=computation.program.trainable,
        lr=lr,
        text=text,
    )


_HELP_EPILOG = """\
The cell: one input or formula per line, parsed (never run as Python):

    x: (-3, 3) = 2.0     an input (a slider) and its range; x: (-3, 3, 0.1) adds a step
    y = 3.0              an input with a default range (see default_span below)
    w: trainable = 0.5   an input that the widget's Step and Play move by -lr*grad (--lr)
    z = x*y + x**2       numbers, earlier names, + - * / ** (constant exponent), -x, ( )
    out = tanh(z)        relu tanh exp log sigmoid sin cos abs, also as z.tanh()

The last assignment is the output, the root of backward(); a last line without "=" is the
output too (a bare name names it; another expression becomes `out`). `a = a * 2` and `a += 1`
rebind a name. After the cell, every variable is a Value in the notebook, with .data and .grad
(the derivative of the output), and the graph's nodes are labelled with the names.

Examples:

    %%micrograd
    x = 2.0
    y = 3.0
    z = x*y + x**2                  # afterwards x.grad == 7.0, y.grad == 2.0

    %%micrograd --output z --no-widget
    %%micrograd --bind w --html graph.html

Options are read like a shell line: quote a path with spaces (--html "lesson one.html").
Nothing in the line is expanded: {expr} and $name are taken literally.

Defaults, set the IPython way:

    %config MicrogradMagics.default_span = 10    # inputs without a range get [-10, 10]
    %config MicrogradMagics.widget = False       # show tables instead of the widget
    %config MicrogradMagics.text = "large"       # every widget 1.5 times, for a projector
    %config MicrogradMagics.embed = True         # outputs also carry a live HTML version

default_span is the half-width of the slider range given to inputs written without one
(y = 3.0): [-default_span, default_span] when that holds the value. Unset (None), each such
input gets a range picked from its value: [-5, 5] for 2.0, [-50, 50] for 12.0.
"""


class _HelpFormatter(MagicHelpFormatter):
    """IPython's help layout without the reST "::" it puts before the usage line: a notebook's
    help pager shows plain text, where a stray "::" only confuses."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        argparse.RawDescriptionHelpFormatter.add_usage(self, usage, actions, groups, "%")


@magics_class
class MicrogradMagics(Magics):
    """The ``%%micrograd`` cell magic; configurable with ``%config MicrogradMagics.<trait>``."""

    default_span = Float(
        None,
        allow_none=True,
        help="Half-width of the default slider range [-span, span] for inputs given without a "
        "range (used when it holds the value); None picks one from the value.",
    ).tag(config=True)
    widget = Bool(
        True, help="Show the interactive graph widget; False shows a table of numbers."
    ).tag(config=True)
    text = Unicode(
        "normal",
        help='The widgets\' text size: "normal", or "large" (1.5 times) for a projector.',
    ).tag(config=True)

    @validate("text")
    def _check_text(self, proposal: dict[str, Any]) -> str:
        if proposal["value"] not in TEXT_SIZES:
            raise TraitError(f"text must be 'normal' or 'large', got {proposal['value']!r}")
        return str(proposal["value"])

    embed = Bool(
        False,
        help="Also put a live, self-contained version of every widget displayed from now on "
        "into its output (text/html), for nbconvert HTML and books; see micrograd_magic.embed.",
    ).tag(config=True)

    @observe("embed")
    def _embed_changed(self, change: dict[str, Any]) -> None:
        # one setting for the whole notebook, shared with micrograd_magic.embed() and show()
        from .embedding import embed

        embed(change["new"])

    @validate("default_span")
    def _check_default_span(self, proposal: dict[str, Any]) -> float | None:
        # checked here, when it is set, so that no later cell is blamed for it
        try:
            return check_span(proposal["value"])
        except ValueError as exc:
            raise TraitError(str(exc)) from None

    @magic_arguments()
    @kwds(
        # argparse applies %-formatting to usage (so %% is one %) and IPython prefixes one %
        usage="%%micrograd [-o NAME] [--no-widget | --widget] [-b NAME] [--html PATH] [--lr RATE]",
        epilog=_HELP_EPILOG,
        formatter_class=_HelpFormatter,
    )
    @argument(
        "-o", "--output", metavar="NAME", help="the variable to differentiate (default: the last)"
    )
    @argument(
        "--no-widget",
        dest="widget",
        action="store_const",
        const=False,
        default=None,
        help="print a table of every variable's data and grad instead of the widget",
    )
    @argument(
        "--widget",
        dest="widget",
        action="store_const",
        const=True,
        help="show the widget even if %%config MicrogradMagics.widget = False",
    )
    @argument("-b", "--bind", metavar="NAME", help="also bind the shown widget (or table) to NAME")
    @argument("--html", metavar="PATH", help="also write the graph as a standalone HTML page")
    @argument(
        "--lr",
        type=float,
        default=0.1,
        metavar="RATE",
        help="the learning rate of the widget's training steps (default 0.1), for inputs "
        "written w: trainable = value",
    )
    @no_var_expand  # the README promises that no name from the notebook is read
    @cell_magic
    def micrograd(self, line: str, cell: str) -> None:
        """Compute a cell of scalar formulas as micrograd Values and show their graph live.

        Every variable of the cell becomes a Value in the notebook, holding its data and the
        gradient of the output with respect to it; the widget's sliders move the inputs.
        """
        args = _parse_options(self.micrograd.parser, line)
        show_widget = self.widget if args.widget is None else args.widget
        if args.bind is not None:
            _check_bind_name(args.bind)
        if args.html is not None:
            _check_path(args.html)
        program = parse(cell, default_span=self.default_span, line_offset=1)
        if args.output is not None:
            if args.output not in program.names:
                close = closest_name(args.output, program.names)
                guess = f"did you mean {close!r}? " if close is not None else ""
                raise UsageError(
                    f"--output {_quoted(args.output)}: the cell has no variable "
                    f"{clip(args.output, 40)!r}; {guess}"
                    f"its variables are {name_list(program.names)}"
                )
            program = program.with_output(args.output)
        if args.bind in program.names:
            raise UsageError(
                f"--bind {args.bind}: {args.bind!r} is a variable of the cell; choose another name"
            )
        if not (math.isfinite(args.lr) and args.lr > 0):
            raise UsageError(f"--lr {args.lr}: the learning rate must be a finite number above 0")
        computation = program.run()
        shown = make_view(computation, show_widget, args.lr, self.text)
        if args.html:
            _write_page(shown, computation, args.html, args.lr)
        names: dict[str, Any] = dict(computation.values)
        if args.bind is not None:
            names[args.bind] = shown
        self.shell.push(names)
        display(shown)


#: More words than any sensible option line has (every option given twice makes 16).
_MOST_WORDS = 20


def _parse_options(parser: argparse.ArgumentParser, line: str) -> argparse.Namespace:
    """The option line read like a shell's (quotes group, and are removed); UsageError if not.

    IPython's own splitting keeps the quotes (``-o 'y'`` would look for a variable ``'y'``)
    and lets shlex's ValueError escape for an unclosed quote.
    """
    try:
        argv = shlex.split(line, posix=True)
    except ValueError as exc:  # "No closing quotation", "No escaped character"
        raise UsageError(
            f"the options cannot be read: {str(exc).lower()}: {visible(clip(line, 80))}"
        ) from None
    if len(argv) > _MOST_WORDS:  # argparse's time grows with the square of the word count
        raise UsageError(
            f"the options are {len(argv):,} words; %%micrograd takes at most {_MOST_WORDS}"
        )
    try:
        return parser.parse_args(argv)
    except UsageError as exc:  # IPython's parser says what is wrong, quoting the line raw
        raise UsageError(visible(clip(str(exc), 200))) from None


def _quoted(text: str) -> str:
    """An option value as a shell would need it written (so a message can be copied back)."""
    return shlex.quote(visible(clip(text, 40)))


def _check_bind_name(name: str) -> None:
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("__"):
        raise UsageError(f"--bind {_quoted(name)}: not a valid variable name")


def _check_path(path: str) -> None:
    """A mistake no file system accepts in an ``--html`` path, found before anything runs."""
    if not path.strip():
        raise UsageError("--html: the path is empty")
    if "\0" in path:
        raise UsageError(f"--html {_quoted(path)}: a path cannot contain a null byte")
    try:
        os.fsencode(path)
    except UnicodeError as exc:
        raise UsageError(
            f"--html {clip(ascii(path), 60)}: not a valid file name here ({exc.reason})"
        ) from None


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """Register ``%%micrograd`` (``%load_ext micrograd_magic``)."""
    unload_ipython_extension(ipython)  # a second load replaces the first instead of doubling
    ipython.register_magics(_new_magics(ipython))


def _new_magics(ipython: InteractiveShell) -> MicrogradMagics:
    """The magics, configured from the shell's config (e.g. ``ipython_config.py``).

    A bad setting there is refused the way ``%config`` refuses one (the error is logged on the
    same channel) instead of failing the load: the magics then start from their defaults.
    """
    before = list(ipython.configurables)
    try:
        return MicrogradMagics(shell=ipython)
    except TraitError as exc:
        ipython.configurables[:] = before  # Magics registers itself before reading its config
        logging.error("MicrogradMagics: the configuration is not used: %s", exc)
        config = copy.deepcopy(ipython.config)
        config.pop(MicrogradMagics.__name__, None)
        return MicrogradMagics(shell=ipython, config=config)


def unload_ipython_extension(ipython: InteractiveShell) -> None:
    """Remove ``%%micrograd`` and its configurable (``%unload_ext micrograd_magic``)."""
    manager = ipython.magics_manager
    magics = manager.registry.pop(MicrogradMagics.__name__, None)
    if manager.magics["cell"].get("micrograd") is not None:
        del manager.magics["cell"]["micrograd"]
    if magics is not None and magics in ipython.configurables:
        ipython.configurables.remove(magics)
