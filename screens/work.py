"""The one way screens call services: off the UI thread, the result posted back as a typed message.

A screen declares one :class:`Done` subclass per kind of result and handles it
with ``@on``::

    class RoomsLoaded(Done[list[RoomRow]]):
        '''The rooms list, for the table.'''
        exclusive = True           # a newer load cancels an older one

    def action_refresh(self) -> None:
        request(self, RoomsLoaded, list_rooms)

    @on(RoomsLoaded)
    def show(self, event: RoomsLoaded) -> None:
        ...event.result...

``request`` runs the service in a thread worker and posts the message to the
owner (``post_message`` is thread-safe), so a screen that has gone away simply
drops it. A failure posts :class:`Failed`, which bubbles up to the app; the
app shows it as a Chinese notification (a ``PingyiError``'s message, anything
else as an unexpected fault, never a traceback) unless a screen handles it
first (``@on(Failed)``, check ``event.call``, then ``event.stop()``).
Screens get their data from these messages and from their constructor, never
by reaching into the app or into another screen.

A result type that must not be imported before the first paint (it would load the
database layer) goes in as a string, ``Done["Overview"]``, with the import under
``if TYPE_CHECKING:`` marked ``# noqa: F401`` (ruff does not see a string in a base class).
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, ParamSpec, TypeVar

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState, get_current_worker

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.pilot import Pilot

WORKER_NAME = "pingyi-service-call"

# How long the test helpers below wait for a condition before failing. Generous, because a loaded CI
# machine (the suite must pass under `stress --cpu 2`) can starve the app for many seconds; a test that
# really hangs is still stopped by pytest-timeout. PINGYI_TEST_WAIT overrides it (seconds).
TEST_WAIT = float(os.environ.get("PINGYI_TEST_WAIT", "90"))

T = TypeVar("T")
P = ParamSpec("P")


class Done(Message, Generic[T]):
    """A service call's result. Subclass once per kind of result (the subclass names the call).

    ``exclusive = True`` on a subclass makes a newer call cancel the older ones of the
    same subclass (searches, polls): a cancelled call's result is dropped.
    """

    exclusive: ClassVar[bool] = False

    def __init__(self, result: T) -> None:
        super().__init__()
        self.result = result


class Failed(Message):
    """A service call raised. ``call`` is the ``Done`` subclass it would have posted (or None)."""

    def __init__(self, error: BaseException, call: type[Done[Any]] | None) -> None:
        super().__init__()
        self.error = error
        self.call = call


def error_text(exc: BaseException) -> str:
    """One message for users, with the first few detail lines of a PingyiError."""
    from pingyi.common.errors import PingyiError, as_refusal

    exc = as_refusal(exc) or exc
    if isinstance(exc, PingyiError):
        lines = [exc.message, *exc.errors[:5]]
        if len(exc.errors) > 5:
            lines.append(f"……另有 {len(exc.errors) - 5} 处")
        return "\n".join(lines)
    return f"意外故障（{exc.__class__.__name__}: {exc}）"


def notify_error(owner: MessagePump, exc: BaseException) -> None:
    """Show a failure as a Chinese notification (never a traceback)."""
    owner.app.notify(error_text(exc), title="未完成", severity="error", timeout=8)


def request(owner: DOMNode, done: type[Done[T]] | None, fn: Callable[P, T],
            *args: P.args, **kwargs: P.kwargs) -> Worker[None]:
    """Run ``fn(*args, **kwargs)`` in a thread; post ``done(result)`` or :class:`Failed` to ``owner``."""
    def run() -> None:
        worker = get_current_worker()
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure is shown, none escapes
            if not worker.is_cancelled:
                owner.post_message(Failed(exc, done))
            return
        if not worker.is_cancelled and done is not None:
            owner.post_message(done(result))

    group = done.__qualname__ if done is not None else "service"
    exclusive = done.exclusive if done is not None else False
    return owner.run_worker(run, name=WORKER_NAME, thread=True, group=group, exclusive=exclusive,
                            exit_on_error=False)


def show_failure(app: App[Any], event: Failed) -> None:
    """The apps' default for a failure no screen handled."""
    notify_error(app, event.error)


async def settle(pilot: Pilot[Any], timeout: float = TEST_WAIT) -> None:
    """Tests: wait until service calls (and the calls their results start) are done."""
    app = pilot.app

    def busy() -> bool:
        if any(w.name == WORKER_NAME and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
               for w in app.workers):
            return True
        # a result posted but not yet handled, or a screen still being pushed
        nodes = [app, *app.screen_stack, *app.screen.walk_children()]
        return any(not node._message_queue.empty() for node in nodes)

    end = time.monotonic() + timeout
    quiet = 0
    while quiet < 3:
        await pilot.pause(0.02)
        quiet = 0 if busy() else quiet + 1
        if time.monotonic() > end:
            raise TimeoutError("service calls still running")


async def until(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = TEST_WAIT) -> None:
    """Tests: wait until ``condition()`` holds (checked between UI steps), however slow the machine."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("condition not reached")
        await pilot.pause(0.01)
