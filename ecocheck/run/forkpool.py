"""Run work in forked processes with as little overhead as the platform allows.

``concurrent.futures.ProcessPoolExecutor`` costs a parallel lint more than it should
on a 2-core machine: three helper threads in the parent (queue feeder, task manager,
result reader) compete with the workers for the cores, every task and every result
crosses two queues, and importing ``multiprocessing`` adds to the serial start-up.
This module does the same job with the operating system's primitives:

* the work is a list of chunks (lists of task indexes); their numbers are written to
  one pipe before forking, 4 bytes each.  Writes and reads of 4 bytes on a pipe are
  atomic, so the pipe is a work queue that the workers drain in turn -- whoever is
  free takes the next chunk -- and end-of-file says the work is done;
* the calling process is one of the workers (``-j 2`` forks once): it takes chunks from
  the queue like the others and hands its own results on directly;
* each forked worker sends ``(index, result)`` pairs back, pickled and length-prefixed,
  on a pipe of its own; the caller reads them between its own tasks (so no worker waits
  long on a full pipe) and, once the queue is empty, until every pipe is closed;
* a worker that dies (a signal, a crash in C code, an exception) only loses the tasks
  it had not sent back: :func:`fork_map` returns them, so the caller can redo them.

Forking copies the parent's loaded rules and compiled patterns for free, which is why
the workers need no initializer.  Only POSIX has ``fork``; :func:`can_fork` tells the
caller when to use another pool.
"""

from __future__ import annotations

import gc
import os
import pickle
import selectors
import signal
import struct
import sys
from collections.abc import Callable, Iterable, Sequence
from itertools import zip_longest
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX (and then can_fork() is False)
    fcntl = None  # type: ignore[assignment]

_INDEX = struct.Struct("<I")
_LENGTH = struct.Struct("<Q")
#: bytes asked of a result pipe per read.  os.read allocates the whole size up front and then
#: shrinks it: at 1 MiB that is an mmap and a munmap per call; a result is a few KB, and a
#: longer one takes a few reads.
_READ_SIZE = 1 << 16
#: the whole queue is written before any worker reads: 4,096 bytes (PIPE_BUF, the least a
#: pipe holds, even when the system is short of pipe memory) are 1,024 chunk numbers
MAX_CHUNKS = 1024


def can_fork() -> bool:
    """Whether :func:`fork_map` works here: ``fork`` exists and is safe (Linux; not macOS,
    where system libraries may not survive a fork, nor Windows, which has no fork)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def fork_map(chunks: Sequence[Sequence[int]], work: Callable[[int], Any], workers: int,
             on_result: Callable[[int, Any], None]) -> list[int]:
    """Call ``work(i)`` for every index of ``chunks`` in ``workers`` processes: this one and
    ``workers - 1`` forked ones, all taking chunks from one queue.

    ``on_result(i, value)`` runs in this process as each result arrives (this process's own
    at once, the others' between its own tasks and at the end).  Returns the indexes whose
    result never arrived because a forked worker died; an empty list means every task ran.
    An exception in this process's own ``work`` stops the workers and propagates.  Chunks are
    handed out in order, so put the longest work first.
    """
    while len(chunks) > MAX_CHUNKS:  # coarser chunks, same order
        chunks = [[*a, *b] for a, b in zip_longest(chunks[::2], chunks[1::2], fillvalue=())]
    todo = {i for chunk in chunks for i in chunk}
    if not todo:
        return []
    _flush_stdio()  # a buffer flushed by both processes would be printed twice
    task_r, task_w = os.pipe()
    _write_all(task_w, b"".join(_INDEX.pack(n) for n in range(len(chunks))))
    os.close(task_w)  # once the queue is drained, a read gets end-of-file
    pids: dict[int, int] = {}  # read end of the result pipe -> worker pid
    results = _Results(todo, on_result)
    try:
        forks = workers - 1
        if forks:
            gc.freeze()  # the workers' collections then leave the shared pages alone (copy-on-write)
        try:
            for _ in range(forks):
                result_r, result_w = os.pipe()
                try:
                    pid = os.fork()
                except OSError:
                    os.close(result_r)
                    os.close(result_w)
                    raise
                if pid == 0:  # pragma: no cover - runs in the child; its effect is tested
                    os.close(result_r)
                    for fd in pids:
                        os.close(fd)
                    _worker(task_r, result_w, chunks, work)
                os.close(result_w)
                pids[result_r] = pid
                results.watch(result_r)
        finally:
            if forks:
                gc.unfreeze()
        while raw := os.read(task_r, _INDEX.size):  # this process works too: one fork fewer
            for i in chunks[_INDEX.unpack(raw)[0]]:
                value = work(i)
                todo.discard(i)
                on_result(i, value)
                results.read(block=False)  # so that no worker waits on a full pipe for long
        results.read(block=True)
    except BaseException:
        _stop(pids.values())  # an error or Ctrl-C here: no worker may outlive the call
        raise
    finally:
        os.close(task_r)
        open_pipes = set(results.buffers)
        results.close()
    for fd, pid in pids.items():
        if fd in open_pipes:  # every result is in but this worker is still running: it has nothing left
            _stop([pid])      # to send (it is about to exit)
        else:
            os.waitpid(pid, 0)  # its result pipe is at end-of-file: it has exited
    return sorted(todo)


def cpus() -> int:
    """The number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _flush_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass


def _worker(task_r: int, result_w: int, chunks: Sequence[Sequence[int]], work: Callable[[int], Any]) -> None:
    """A worker's whole life: take chunks until the queue is empty, send results, exit."""
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends a worker quietly; the parent reports it
        while True:
            raw = os.read(task_r, _INDEX.size)
            if not raw:
                break
            for i in chunks[_INDEX.unpack(raw)[0]]:
                payload = pickle.dumps((i, work(i)), protocol=pickle.HIGHEST_PROTOCOL)
                _write_all(result_w, _LENGTH.pack(len(payload)) + payload)
    except BaseException:  # noqa: BLE001 - any failure ends this worker; the parent redoes its tasks
        status = 1
    finally:
        os._exit(status)  # never return into the parent's code, never run its atexit handlers


class _Results:
    """The workers' result pipes: length-prefixed pickles, read as they come."""

    def __init__(self, todo: set[int], on_result: Callable[[int, Any], None]):
        self.todo, self.on_result = todo, on_result
        self.buffers: dict[int, bytearray] = {}  # pipes not yet at end-of-file
        self.selector = selectors.DefaultSelector()

    def watch(self, fd: int) -> None:
        try:  # a larger pipe (Linux allows 1 MiB) lets a worker run on while this process is busy
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
        except (AttributeError, OSError):  # no fcntl, no F_SETPIPE_SZ, or over the system's limit
            pass
        self.buffers[fd] = bytearray()
        self.selector.register(fd, selectors.EVENT_READ)

    def read(self, block: bool) -> None:
        """Hand on every complete result that has arrived; with ``block``, wait until every
        pipe is at end-of-file (all workers have finished) or every result is in."""
        while self.buffers and (self.todo or not block):
            ready = self.selector.select(None if block else 0)
            if not ready:
                return
            for key, _ in ready:
                self._read_from(key.fd)

    def _read_from(self, fd: int) -> None:
        data = os.read(fd, _READ_SIZE)
        if not data:  # the worker exited; a half-sent result of a dying one is dropped
            self.selector.unregister(fd)
            os.close(fd)
            del self.buffers[fd]
            return
        buf = self.buffers[fd]
        buf += data
        start = 0
        while len(buf) - start >= _LENGTH.size:
            (length,) = _LENGTH.unpack_from(buf, start)
            end = start + _LENGTH.size + length
            if len(buf) < end:
                break
            i, value = pickle.loads(buf[start + _LENGTH.size:end])
            start = end
            self.todo.discard(i)
            self.on_result(i, value)
        del buf[:start]

    def close(self) -> None:
        for fd in self.buffers:
            os.close(fd)
        self.buffers.clear()
        self.selector.close()


def _stop(pids: Iterable[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
