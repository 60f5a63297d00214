"""Acting on findings: safe automatic fixes (``--fix``/``--diff``) and Word comments (``--annotate``).

Sits between the CLI and :mod:`ecocheck.api`: it lints through the api and
never imports the CLI.

* :func:`fix_file` / :func:`write_fixed` / :func:`unified_diff`
  (:mod:`.engine`): lint, apply ``Fix(safe=True)`` fixes that do not overlap,
  lint again, up to ``MAX_PASSES``; text files keep encoding, BOM and line
  endings, .docx files keep every run's formatting and every other part.
* :func:`annotate_file` (:mod:`.annotate`): a copy of the document with one
  comment (批注) per finding, anchored on the flagged text.
"""

from __future__ import annotations

from .annotate import AnnotateError, AnnotateResult, annotate_file, default_output
from .engine import MAX_PASSES, FixError, FixOutcome, fix_file, unified_diff, write_fixed

__all__ = [
    "AnnotateError", "AnnotateResult", "annotate_file", "default_output",
    "MAX_PASSES", "FixError", "FixOutcome", "fix_file", "unified_diff", "write_fixed",
]
