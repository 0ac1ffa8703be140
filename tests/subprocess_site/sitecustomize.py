"""Faults for tests that run the package in a child process (put this folder on PYTHONPATH).

Python imports ``sitecustomize`` at start-up, before the program runs. Driven by environment
variables, so one folder serves every test:

* ``MGM_TEST_BLOCK=ipywidgets,anywidget``: importing these packages (or their submodules) fails
  with ImportError, as where they are not installed.
* ``MGM_TEST_FAIL_WRITE=<error>:<bytes>:<folder>``: writes to regular files under ``<folder>``
  fail once ``<bytes>`` bytes have been written there; ``<error>`` is ``KeyboardInterrupt`` or an
  errno name such as ``ENOSPC``.
"""

from __future__ import annotations

import os
import sys

_blocked = [name for name in os.environ.get("MGM_TEST_BLOCK", "").split(",") if name]
if _blocked:

    class _Blocker:
        @staticmethod
        def find_spec(name, path=None, target=None):
            if name.split(".")[0] in _blocked:
                raise ImportError(f"{name} is blocked for this test")
            return None

    sys.meta_path.insert(0, _Blocker())

_fault = os.environ.get("MGM_TEST_FAIL_WRITE")
if _fault:
    sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
    from faults.inject import install_write_fault

    _error, _after, _folder = _fault.split(":", 2)
    install_write_fault(_folder, int(_after), _error)
