"""pluggy hook specifications.  Every hook is prefixed ``ecocheck_``.

Plugins register through the ``ecocheck`` entry-point group (the built-in rules
do too).  A hookimpl may accept fewer arguments than its spec, so arguments
can be added later without breaking plugins.
"""

from __future__ import annotations

import pluggy

PROJECT = "ecocheck"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def ecocheck_rules():
    """Return the Python rules this plugin provides.

    Called once per run, when the rule registry is built.  Return a list of
    :class:`ecocheck.engine.rule.Rule` instances (or Rule subclasses, which are
    instantiated without arguments).  Codes must be unique across all plugins.
    """


@hookspec
def ecocheck_rule_packs():
    """Return YAML rule packs this plugin provides.

    Called once per run, when the rule registry is built.  Return a list of
    paths (``str``, ``pathlib.Path`` or ``importlib.resources`` Traversables)
    to YAML pack files; see :mod:`ecocheck.engine.packs` for the format.
    """


@hookspec
def ecocheck_genre_profiles():
    """Return extra genre profiles as a mapping ``{genre: profile}``.

    Called when genre profiles are loaded.  A profile is a mapping with
    ``required`` (list of section roles), ``order`` (roles in the order they
    must appear), ``optional`` and ``pairing`` (bool); see
    ``ecocheck/data/genres.yaml``.
    """


@hookspec
def ecocheck_section_synonyms():
    """Return extra heading synonyms as ``{role: [heading, ...]}``.

    Called when the outline's section roles are set up.  Roles: overview,
    problems, causes, measures.
    """
