"""The one way screens call services: off the UI thread, result posted back.

``call(owner, fn, *args, done=...)`` runs ``fn`` in a thread worker. The
result is handed to ``done`` on the UI thread through a Callback message
posted to ``owner`` (post_message is thread-safe), so a screen that has gone
away simply drops it. A ``PingyiError`` becomes a Chinese notification with
its message (or goes to ``failed`` when given); anything else is shown as an
unexpected fault, never a traceback.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual import events
from textual.message_pump import MessagePump

WORKER_NAME = "pingyi-service-call"


def error_text(exc: BaseException) -> str:
    """One message for users, with the first few detail lines of a PingyiError."""
    from pingyi.common.errors import PingyiError

    if isinstance(exc, PingyiError):
        lines = [exc.message, *exc.errors[:5]]
        if len(exc.errors) > 5:
            lines.append(f"……另有 {len(exc.errors) - 5} 处")
        return "\n".join(lines)
    return f"意外故障（{exc.__class__.__name__}: {exc}）"


def notify_error(owner: MessagePump, exc: BaseException) -> None:
    owner.app.notify(error_text(exc), title="未完成", severity="error", timeout=8)


def call(owner: MessagePump, fn: Callable[..., Any], *args: Any,
         done: Callable[[Any], Any] | None = None,
         failed: Callable[[BaseException], Any] | None = None,
         group: str = "service", exclusive: bool = False, **kwargs: Any):
    """Run ``fn(*args, **kwargs)`` in a thread; deliver the result to ``done``.

    ``exclusive=True`` cancels earlier calls of the same group (searches, polls):
    a cancelled call's result is dropped.
    """
    def run():
        from textual.worker import get_current_worker

        worker = get_current_worker()
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure is shown, none escapes
            if not worker.is_cancelled:
                handler = failed or (lambda e: notify_error(owner, e))
                owner.post_message(events.Callback(callback=partial(handler, exc)))
            return
        if not worker.is_cancelled and done is not None:
            owner.post_message(events.Callback(callback=partial(done, result)))

    return owner.run_worker(run, name=WORKER_NAME, thread=True, group=group, exclusive=exclusive,
                            exit_on_error=False)


async def settle(pilot, timeout: float = 15.0) -> None:
    """Tests: wait until service calls (and the calls their results start) are done."""
    import time

    from textual.worker import WorkerState

    app = pilot.app

    def busy() -> bool:
        return any(w.name == WORKER_NAME and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
                   for w in app.workers)

    end = time.monotonic() + timeout
    quiet = 0
    while quiet < 2:
        await pilot.pause(0.02)
        quiet = 0 if busy() else quiet + 1
        if time.monotonic() > end:
            raise TimeoutError("service calls still running")
