"""A wall-clock limit for one rule on one document.

User rule packs and third-party plugins can hold a pathological regex (``.*X`` over
a 5 MB paragraph is quadratic) or a loop that never ends.  The runner gives every
rule a time limit (``limits.rule-seconds`` in the configuration); past it the rule
is interrupted and reported as one E100 finding, and the run goes on.

SIGALRM interrupts Python code and the ``re`` engine alike.  Where there is no
SIGALRM (Windows) or outside the main thread the limit is not enforced.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

class RuleTimeout(Exception):
    """A rule ran past its time limit."""


class RuleClock:
    """Time limits for the rules of one run: the SIGALRM handler is installed once for the
    run (``with RuleClock(seconds) as clock``), and each rule arms the timer with
    ``with clock.limit():`` -- two ``setitimer`` calls, cheap enough for ~70 rules per file."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.enabled = (seconds > 0 and hasattr(signal, "setitimer")
                        and threading.current_thread() is threading.main_thread())
        self._previous = None

    def _expired(self, signum, frame):
        raise RuleTimeout(self.seconds)

    def __enter__(self) -> "RuleClock":
        if self.enabled:
            self._previous = signal.signal(signal.SIGALRM, self._expired)
        return self

    def __exit__(self, *exc) -> None:
        if self.enabled:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)

    @contextmanager
    def limit(self):
        if not self.enabled:
            yield
            return
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)



@contextmanager
def time_limit(seconds: float):
    """The rules' limit on one other step of a run (writing the fixes or the comments of one
    file): raises :class:`RuleTimeout` when the step takes longer than ``seconds``.  Not to be
    nested in a :class:`RuleClock` (the fixer lints between its steps, outside the limit)."""
    with RuleClock(seconds) as clock, clock.limit():
        yield

