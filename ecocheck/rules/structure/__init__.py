"""S family: the structure of a report — sections, titles, numbering, labels, announced counts.

Which sections a document needs, and in which order, comes from its genre
profile (``ecocheck/data/genres.yaml``, plugins, user config: see
:mod:`ecocheck.outline.genres`).  Label conventions follow GB/T 9704-2012 §7.3.3
(层次序数 一、→（一）→1.→（1）) and GB/T 15834-2011 §4.5.3.3; the sources users are
pointed to are listed in docs/references.md.
"""

from __future__ import annotations

from . import counts, labels, numbering, sections

#: the S rules in the order the registry lists them
RULES = [*sections.RULES, *numbering.RULES, *labels.RULES, *counts.RULES]
