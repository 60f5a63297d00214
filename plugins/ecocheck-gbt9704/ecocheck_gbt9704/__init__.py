"""ecocheck-gbt9704: GB/T 9704-2012 《党政机关公文格式》 format checks for .docx (rules F701–F799).

Installed, the package registers itself under the ``ecocheck`` entry-point
group and its rules are on by default.  The rules read the raw OOXML parts
the loader keeps (``Document.meta["parts"]``) and resolve effective
formatting with :mod:`ecocheck_gbt9704.styles`.
"""

from __future__ import annotations

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("ecocheck")


@hookimpl
def ecocheck_rules():
    # imported here so that merely loading the plugin stays cheap
    from .rules import RULES

    return list(RULES)
