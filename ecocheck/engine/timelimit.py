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

DEFAULT_RULE_SECONDS = 60


class RuleTimeout(Exception):
    """A rule ran past its time limit."""


@contextmanager
def time_limit(seconds: float):
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expired(signum, frame):
        raise RuleTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
