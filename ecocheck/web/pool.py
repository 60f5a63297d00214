"""The worker processes that check uploads: one upload per worker at a time, under a time limit.

Workers are spawned (not forked: the server has threads) and load the rules once
(:func:`.work.worker_main`); a worker is handed uploads only after it said it is ready, so
starting one never counts against a request.  A request's time limit runs from the moment
its worker takes the upload -- waiting for a free worker does not count.  Past the limit the
worker is killed and replaced: that request is answered with E102, the others carry on on
their own workers.  A worker that dies (a crash in a C library, the memory budget) is
replaced the same way and its request gets E003.  A worker is also replaced after
:data:`TASKS_PER_WORKER` uploads (bounds what any leak could grow to).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

from . import work

log = logging.getLogger("ecocheck.web")

#: a worker process is replaced after this many uploads
TASKS_PER_WORKER = 200
#: seconds a stopping worker is given to exit by itself before it is killed
STOP_GRACE = 5


class TimedOut(Exception):
    """The upload took its worker longer than the request time limit (the worker was replaced)."""


class WorkerDied(Exception):
    """The worker died on the upload (it was replaced)."""


class WorkerCrashed(Exception):
    """An unexpected exception in the worker (the worker goes on)."""


class _Worker:
    def __init__(self, ctx, initargs: tuple):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=work.worker_main, args=(child, *initargs), daemon=True,
                                name="ecocheck-serve-worker")
        self.proc.start()
        child.close()
        self.tasks = 0
        self.idle = False  # ready and waiting for a task
        self.busy = False  # checking an upload

    def call(self, message):
        """Send one task and wait for its answer (in a thread; EOFError / OSError: the worker died)."""
        self.conn.send(message)
        return self.conn.recv()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(STOP_GRACE)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


class Pool:
    """``size`` worker processes; :meth:`run` checks one upload on a free one within ``seconds``."""

    def __init__(self, size: int, initargs: tuple, seconds: float):
        self.size = max(1, size)
        self.initargs = initargs
        self.seconds = seconds
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue | None = None
        self._threads: ThreadPoolExecutor | None = None
        self._workers: set[_Worker] = set()
        self._pending: set[asyncio.Future] = set()
        self._stopping = False

    def start(self) -> None:
        if self._idle is not None:
            return
        self._stopping = False
        self._idle = asyncio.Queue()
        # one thread per worker waiting for its answer, one per worker starting
        self._threads = ThreadPoolExecutor(max_workers=2 * self.size + 2, thread_name_prefix="ecocheck-serve")
        for _ in range(self.size):
            self._spawn()

    def pids(self) -> set[int]:
        """The worker processes' ids (for tests)."""
        return {w.proc.pid for w in self._workers}

    def busy(self) -> set[int]:
        """The ids of the workers checking an upload now (for tests)."""
        return {w.proc.pid for w in self._workers if w.busy}

    def _background(self, fn, *args) -> asyncio.Future:
        fut = asyncio.get_running_loop().run_in_executor(self._threads, fn, *args)
        self._pending.add(fut)
        fut.add_done_callback(self._done)
        return fut

    def _done(self, fut: asyncio.Future) -> None:
        self._pending.discard(fut)
        if not fut.cancelled():
            fut.exception()  # seen: a killed worker's unanswered call ends in EOFError, on purpose

    def _spawn(self) -> None:
        if self._stopping:
            return
        worker = _Worker(self._ctx, self.initargs)
        self._workers.add(worker)
        ready = self._background(worker.conn.recv)

        def when_ready(fut: asyncio.Future) -> None:
            if self._stopping:
                return
            if fut.cancelled() or fut.exception() is not None:
                log.warning("a worker process failed to start; starting another")
                self._retire(worker, kill=True)
                asyncio.get_running_loop().call_later(1.0, self._spawn)
                return
            self._idle_put(worker)

        ready.add_done_callback(when_ready)

    def _idle_put(self, worker: _Worker) -> None:
        worker.idle = True
        self._idle.put_nowait(worker)

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        self._workers.discard(worker)
        self._background(worker.kill if kill else worker.stop)

    def _replace(self, worker: _Worker, *, kill: bool) -> None:
        self._retire(worker, kill=kill)
        self._spawn()

    def _release(self, worker: _Worker, call: asyncio.Future) -> None:
        """A worker's task is over: back to the idle ones, or replaced if it died or is worn."""
        worker.busy = False
        if self._stopping:
            return
        if call.cancelled() or call.exception() is not None:
            self._replace(worker, kill=True)
            return
        worker.tasks += 1
        if worker.tasks >= TASKS_PER_WORKER:
            self._replace(worker, kill=False)
        else:
            self._idle_put(worker)

    async def run(self, fn, *args, seconds: float | None = None):
        """``fn(*args)`` in a worker process, within ``seconds`` (default: the pool's limit; 0: none).

        Raises :class:`TimedOut`, :class:`WorkerDied`, :class:`WorkerCrashed` or what ``fn``
        raised on purpose (:class:`.work.WorkError`)."""
        self.start()
        seconds = self.seconds if seconds is None else seconds
        while True:
            worker = await self._idle.get()
            worker.idle = False
            if worker.proc.is_alive():
                break
            self._replace(worker, kill=True)  # died while idle (killed from outside): never handed an upload
        worker.busy = True
        call = self._background(worker.call, (fn, args))
        try:
            status, value = await asyncio.wait_for(asyncio.shield(call), seconds or None)
        except asyncio.TimeoutError:
            self._replace(worker, kill=True)  # the answer, if any, dies with it
            raise TimedOut(seconds) from None
        except (EOFError, OSError):
            self._replace(worker, kill=True)
            raise WorkerDied() from None
        except asyncio.CancelledError:  # the request went away: the worker is free when it is done
            call.add_done_callback(lambda f: self._release(worker, f))
            raise
        self._release(worker, call)
        if status == "ok":
            return value
        if status == "error":
            raise value
        raise WorkerCrashed(value)

    def stop(self) -> None:
        """Stop every worker and wait for them: an idle one is asked to exit, one still starting or
        busy with an upload nobody will receive is killed."""
        if self._idle is None:
            return
        self._stopping = True
        for worker in list(self._workers):
            worker.stop() if worker.idle else worker.kill()
        self._workers.clear()
        self._threads.shutdown(wait=True, cancel_futures=True)
        self._idle = self._threads = None
