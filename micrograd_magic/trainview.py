"""The training view: micrograd's demo live in the page, with Play, Step, Reset and a history.

``train_view(model, X, y, ...)`` takes :func:`~micrograd_magic.training.train`'s arguments and
shows, side by side, the data over the model's decision boundary, the loss and accuracy curves
and the network with its weights coloured by sign and size. The page trains by itself, from
the model's graph (``js/core/training.js``, pinned to ``train()`` by a shared vector), and tells
the kernel where it is whenever it rests: then ``tv.model`` holds the page's weights and
``tv.history`` its numbers (:class:`~micrograd_magic.trainstate.TrainViewState` checks them).
"""

from __future__ import annotations

import pathlib
from typing import Any

import anywidget
import traitlets

from .bundle import BUNDLE
from .engine import collector_paused
from .export import write_page
from .training import History
from .trainstate import TRAIN_KEYS, TRAIN_PAGE_KEYS, TrainViewState
from .widget import _MISSING_BUNDLE, BundleMissingError

__all__ = ["TrainView", "train_view"]


class TrainView(anywidget.AnyWidget):
    """A live training view of ``model`` on ``(X, y)``; see :func:`train_view`."""

    if BUNDLE.is_file():
        _esm = BUNDLE

    kind = traitlets.Unicode("trainview", help="Which view the bundle draws.").tag(sync=True)
    trainer = traitlets.Dict(help="The page trainer's spec (Python -> JS).").tag(sync=True)
    sizes = traitlets.List(traitlets.Int(), help="An MLP's layer widths, or [].").tag(sync=True)
    progress = traitlets.Dict(
        None, allow_none=True, help="Where the page's training is (JS -> Python)."
    ).tag(sync=True)

    def __init__(self, state: TrainViewState) -> None:
        if "_esm" not in TrainView.__dict__:
            raise BundleMissingError(_MISSING_BUNDLE)
        #: The kernel-free state behind the traits.
        self.state = state
        with collector_paused():
            super().__init__(**state.to_json())

    @property
    def model(self) -> Any:
        """The model being trained; it holds the page's weights since the page last rested."""
        return self.state.model

    @property
    def history(self) -> History:
        """The page's training so far (loss, accuracy and lr per update), as of its last rest."""
        return self.state.history

    def save_html(self, path: str | pathlib.Path, title: str | None = None) -> pathlib.Path:
        """Write this view as a standalone offline page (it trains in the browser); returns the
        path. :func:`~micrograd_magic.export.write_page` puts it beside other widgets."""
        return write_page(self, path, title)

    @traitlets.validate(*TRAIN_KEYS)
    def _validate_assignment(self, proposal: Any) -> Any:
        try:
            return self.state.check(proposal["trait"].name, proposal["value"])
        except ValueError as e:
            raise traitlets.TraitError(str(e)) from None

    @traitlets.observe(*TRAIN_PAGE_KEYS)
    def _page_key_changed(self, change: Any) -> None:
        self.state.set(change["name"], change["new"])

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Apply an update from the page: ``progress`` if it is well formed, other keys only as
        unchanged echoes. A refused key is logged and the kernel's value is sent back."""
        accepted: dict[str, Any] = {}
        refused: list[str] = []
        for key, value in sync_data.items():
            try:
                if key in TRAIN_KEYS:
                    accepted[key] = self.state.check(key, value)
                elif key in self.keys and self.get_state(key)[key] == value:
                    accepted[key] = value
                else:
                    raise ValueError(f"only {', '.join(TRAIN_PAGE_KEYS)} may change from the page")
            except Exception as err:  # a page's bad value must never escape as an exception
                self.log.warning("TrainView refused %r from the front end: %s", key, err)
                refused.append(key)
        if accepted:
            super().set_state(accepted)
        snap_back = [key for key in refused if key in self.keys]
        if snap_back:
            self.send_state(snap_back)

    def __repr__(self) -> str:
        spec = self.state.get("trainer")
        done = len(self.history)
        return (
            f"<TrainView {type(self.model).__name__} on {len(spec['X'])} rows, "
            f"{spec['loss']} loss, {done} of {spec['steps']} steps done>"
        )


def train_view(
    model: Any,
    X: Any,  # noqa: N803 - the usual name for a data matrix
    y: Any,
    loss: str = "svm",
    alpha: float = 1e-4,
    lr: float | tuple[float, float] = (1.0, 0.1),
    steps: int = 100,
    batch_size: int | None = None,
    seed: int | None = None,
) -> TrainView:
    """A live view of ``model`` learning ``(X, y)``, trained in the page; display it.

    The arguments are :func:`~micrograd_magic.training.train`'s, checked the same way, and the
    page's steps give ``train()``'s numbers. For example, micrograd's demo::

        X, y = datasets.moons(100, noise=0.1, seed=3)
        random.seed(1337)
        tv = train_view(nn.MLP(2, [16, 16, 1]), X, y, loss="svm", alpha=1e-4, lr=(1.0, 0.1))

    Press Play in the page; when it pauses ``tv.model`` holds the page's weights and
    ``tv.history`` its loss and accuracy per update.
    """
    return TrainView(TrainViewState(model, X, y, loss, alpha, lr, steps, batch_size, seed))
