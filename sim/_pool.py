"""Worker processes that go when the process that started them goes, however it goes (even SIGKILL).

A ``ProcessPoolExecutor`` on a fork server leaves its workers, the fork server and the resource tracker behind when
its parent is killed outright: nothing runs in the parent to tell them. Here each worker gets the read end of a pipe
whose only write end the parent holds. The kernel closes that end when the parent dies, for any reason; a thread in
the worker sees the end of the pipe and exits the worker at once. The fork server then sees the parent gone (its own
pipe closes) and leaves, and the resource tracker follows when nobody holds its pipe any more.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection


def _exit_with_parent(lifeline: Connection) -> None:
    """Block until the parent's end of ``lifeline`` closes, then end this worker without cleanup (the parent is gone:
    nobody wants its results)."""
    try:
        lifeline.recv_bytes()
    except (EOFError, OSError):
        pass
    os._exit(1)


def _start_worker(lifeline: Connection) -> None:
    # Ctrl-C in a terminal reaches every process of the group. A worker that took it as KeyboardInterrupt would fail
    # its task and go on to the next (the parent then waited for all of them); the parent decides, and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(lifeline,), daemon=True, name="rembug-lifeline").start()


class LifelinePool(ProcessPoolExecutor):
    """A process pool on a fork server whose workers leave as soon as this process dies (see the module's note).

    ``preload``: modules the fork server imports once, so each worker starts without importing them again.
    """

    def __init__(self, workers: int, preload: list[str] | None = None) -> None:
        context = multiprocessing.get_context("forkserver")
        if preload:
            context.set_forkserver_preload(preload)
        self._lifeline, self._held = context.Pipe(duplex=False)  # workers read; only this process can write
        super().__init__(max_workers=workers, mp_context=context, initializer=_start_worker,
                         initargs=(self._lifeline,))

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        for end in (self._held, self._lifeline):
            end.close()

    def stop_now(self) -> None:
        """Stop at once (Ctrl-C, an error): cancel what has not started, kill what runs, and wait until every worker
        has gone. What finished was already handed over; nothing else is worth waiting for."""
        workers = list((self._processes or {}).values())
        super().shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            if worker.is_alive():
                worker.kill()
        for worker in workers:
            worker.join()
        for end in (self._held, self._lifeline):
            end.close()
