"""The errors a ``%%micrograd`` cell can cause, each pointing at the place in the cell.

Every error carries the line (``lineno``, 1-based, counted as the notebook shows it), the column
(``col_offset``, 0-based, in characters), the offending ``line`` and a ``hint``. ``str(error)``
shows all of it with a caret under the culprit, the way Python reports a SyntaxError, and
``_render_traceback_`` hands IPython exactly those lines, so that a notebook shows a short message
pointing into the cell instead of a traceback through this package.
"""

from __future__ import annotations

__all__ = ["MicrogradDomainError", "MicrogradError", "MicrogradSyntaxError"]


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
        lines = [where + self.msg]
        if self.line is not None and self.line.strip():
            code = self.line.rstrip()
            lines.append("    " + code)
            if self.col_offset is not None:
                start = min(self.col_offset, len(code))
                end = self.end_col_offset if self.end_col_offset is not None else start + 1
                end = max(start + 1, min(end, len(code)))
                lines.append("    " + " " * start + "^" * (end - start))
        if self.hint:
            lines.append("hint: " + self.hint)
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
