"""Work run beside the caller, in another process or a thread, whose result (or exception) the
caller collects later: how ``trappa verify`` checks a large register in parts at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection as Pipe

T = TypeVar("T")


class InProcess(Generic[T]):
    """``work(*args)`` in another process; ``result()`` returns what it returned or raises
    what it raised. ``work`` and its result must be picklable where processes are spawned."""

    def __init__(self, work: Callable[..., T], *args: Any) -> None:
        import multiprocessing

        context = (
            multiprocessing.get_context("fork")
            if "fork" in multiprocessing.get_all_start_methods()
            else multiprocessing.get_context("spawn")
        )
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(send, work, args), daemon=True)
        self._process.start()
        send.close()

    def result(self) -> T:
        try:
            outcome = self._receive.recv()
        except EOFError:  # it died without a word
            outcome = sqlite3.OperationalError(
                f"a verification process ended with exit code {self._process.exitcode}"
            )
        finally:
            self._receive.close()
            self._process.join()
        if isinstance(outcome, BaseException):
            raise outcome
        result: T = outcome
        return result


def _run(send: Pipe, work: Callable[..., Any], args: tuple[Any, ...]) -> None:
    import signal

    # Ctrl-C is the parent's to answer: here it would print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        outcome = work(*args)
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = exc
    send.send(outcome)
    send.close()


class InThread(Generic[T]):
    """``work(*args)`` in a thread (SQLite releases the GIL while it works)."""

    def __init__(self, work: Callable[..., T], *args: Any) -> None:
        import threading

        self._returned: list[T] = []  # what work returned, once it has
        self._raised: Exception | None = None
        self._thread = threading.Thread(target=self._run, args=(work, args), daemon=True)
        self._thread.start()

    def _run(self, work: Callable[..., T], args: tuple[Any, ...]) -> None:
        try:
            self._returned.append(work(*args))
        except Exception as exc:  # noqa: BLE001 - raised by result()
            self._raised = exc

    def result(self) -> T:
        self._thread.join()
        if self._raised is not None:
            raise self._raised
        return self._returned[0]
