"""The errors a ``%%micrograd`` cell can cause, each pointing at the place in the cell.

Every error carries the line (``lineno``, 1-based, counted as the notebook shows it), the column
(``col_offset``, 0-based, in characters), the offending ``line`` and a ``hint``. ``str(error)``
shows all of it with a caret under the culprit, the way Python reports a SyntaxError, and
``_render_traceback_`` hands IPython exactly those lines, so that a notebook shows a short message
pointing into the cell instead of a traceback through this package.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence

__all__ = [
    "MicrogradDomainError",
    "MicrogradError",
    "MicrogradSyntaxError",
    "clip",
    "closest_name",
    "name_list",
    "visible",
]

#: How many names a hint lists before it says how many more there are.
LISTED_NAMES = 12
#: How much of a line a report shows around the culprit, in characters.
SHOWN_LINE = 100
#: How long the message or hint of a report may be before its middle is left out.
SHOWN_TEXT = 400
#: Names longer than this are only matched against names one edit away (see closest_name).
_FUZZY_NAME = 40


class MicrogradError(ValueError):
    """A mistake in a ``%%micrograd`` program, located in its cell when the place is known.

    ``msg`` is the one-line message; ``lineno``, ``col_offset`` and ``end_col_offset`` locate it
    (None when it concerns no single place, e.g. an unknown input name given to ``build``);
    ``line`` is the text of that line and ``hint`` says how to fix it.
    """

    def __init__(
        self,
        msg: str,
        *,
        lineno: int | None = None,
        col_offset: int | None = None,
        end_col_offset: int | None = None,
        line: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(msg)
        self.msg = msg
        self.lineno = lineno
        self.col_offset = col_offset
        self.end_col_offset = end_col_offset
        self.line = line
        self.hint = hint

    def report_lines(self) -> list[str]:
        """The message, the offending line with a caret under the culprit, and the hint."""
        where = ""
        if self.lineno is not None:
            where = f"line {self.lineno}"
            if self.col_offset is not None:
                where += f", column {self.col_offset + 1}"
            where += ": "
        lines = [where + visible(clip(self.msg, SHOWN_TEXT))]
        if self.line is not None and self.line.strip():
            code = self.line.rstrip()
            start = end = None
            if self.col_offset is not None:
                start = min(self.col_offset, len(code))
                end = self.end_col_offset if self.end_col_offset is not None else start + 1
                end = max(start + 1, min(end, len(code)))
            shown, start, end = _window(code, start, end)
            lines.append("    " + visible(shown))
            if start is not None and end is not None:
                # a tab before the caret takes as much room as the tab above it
                pad = "".join("\t" if c == "\t" else " " for c in shown[:start])
                lines.append("    " + pad + "^" * (end - start))
        if self.hint:
            lines.append("hint: " + visible(clip(self.hint, SHOWN_TEXT)))
        return lines

    def __str__(self) -> str:
        return "\n".join(self.report_lines())

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of formatting a traceback: the user sees the error's own
        # report, which points into their cell, and no frames of this package.
        lines = self.report_lines()
        lines[0] = f"{type(self).__name__}: {lines[0]}"
        return lines


class MicrogradSyntaxError(MicrogradError):
    """The cell is not a valid ``%%micrograd`` program: bad syntax, a construct outside the
    language, an unknown name, a bad range. Found before anything is computed."""


class MicrogradDomainError(MicrogradError):
    """An operation has no finite real result at the cell's numbers: log of a non-positive
    number, division by zero, a negative base to a fractional power, overflow to infinity."""


def _window(code: str, start: int | None, end: int | None) -> tuple[str, int | None, int | None]:
    """At most about SHOWN_LINE characters of ``code`` around the caret, "…" where cut."""
    if len(code) <= SHOWN_LINE:
        return code, start, end
    first = 0 if start is None else max(0, start - SHOWN_LINE // 3)
    last = min(len(code), first + SHOWN_LINE)
    shown = code[first:last]
    if first > 0:
        shown, first = "…" + shown, first - 1
    if last < len(code):
        shown += "…"
    if start is None or end is None:
        return shown, None, None
    return shown, start - first, max(start - first + 1, min(end - first, len(shown)))


def visible(text: str) -> str:
    """``text`` safe to print as one line: every character that would not show as itself
    becomes one visible symbol of one column, so that a caret below still lines up.

    C0 controls become their Control Pictures (NUL as ␀), DEL ␡; other controls, format
    characters (bidi overrides, zero-width marks), line and paragraph separators and lone
    surrogates (which no terminal can even encode) become U+FFFD. Tabs stay.
    """
    return "".join(_SHOWN.get(c) or _symbol(c) for c in text)


def _symbol(c: str) -> str:
    if c == "\t":
        return c
    if c < " ":
        return chr(0x2400 + ord(c))
    if c == "\x7f":
        return "\u2421"
    if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return "\ufffd"
    return c


_SHOWN = {c: c for c in map(chr, range(0x20, 0x7F))}  # plain ASCII, the common case, at once


def clip(text: str, limit: int = SHOWN_TEXT) -> str:
    """``text``, or its beginning and end with " … " between when it is longer than ``limit``."""
    if len(text) <= limit:
        return text
    tail = limit // 4
    return text[: limit - tail - 3] + " … " + text[-tail:]


def name_list(names: Sequence[str], limit: int = LISTED_NAMES) -> str:
    """The first ``limit`` names joined with ", ", then how many more there are (for hints)."""
    shown = ", ".join(clip(n, 40) for n in names[:limit])
    more = len(names) - limit
    return f"{shown} and {more:,} more" if more > 0 else shown


def closest_name(name: str, choices: Sequence[str]) -> str | None:
    """The choice ``name`` was most likely meant to be, or None: for "did you mean" hints.

    A choice one typing slip away (a letter changed, added, dropped, or two neighbours swapped:
    ``ww`` for ``wt``) comes first, since difflib's similarity ratio misses those between short
    names; then difflib's best match. Long names are only compared for single slips, which keeps
    the search linear in the text whatever the names are.
    """
    if name in choices:
        return name
    for choice in choices:
        if _one_slip(name, choice):
            return choice
    if len(name) > _FUZZY_NAME:
        return None
    short = [c for c in choices if len(c) <= _FUZZY_NAME]
    close = difflib.get_close_matches(name, short, n=1)
    return close[0] if close else None


def _one_slip(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one substitution, insertion, deletion or transposition.

    A substitution needs names of two letters or more: one letter for another is no slip.
    """
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) < len(b):
        a, b = b, a
    i = 0  # the first difference
    while i < len(b) and a[i] == b[i]:
        i += 1
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]
    if len(a) < 2:
        return False
    if a[i + 1 :] == b[i + 1 :]:
        return True
    return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
