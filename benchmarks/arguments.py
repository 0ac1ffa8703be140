"""Argument types the benchmark scripts share: a bad count or size is one argparse error line
(exit code 2) before anything is built or started, not a traceback half way through a run."""

from __future__ import annotations

import argparse


def count(text: str) -> int:
    """A whole number of at least 1: runs, rounds, sweeps, repeats, nodes, functions to print."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def seconds(text: str) -> float:
    """A length of time above zero, in seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not above zero")
    return value


def layer_sizes(text: str) -> list[int]:
    """An MLP's layer sizes written as "64,64,1", each at least 1."""
    return [count(part.strip()) for part in text.split(",")]
