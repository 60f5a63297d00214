"""pluggy hook specifications.  Every hook is prefixed ``ecocheck_``.

Plugins register through the ``ecocheck`` entry-point group (the built-in rules
do too).  A hookimpl may accept fewer arguments than its spec (pluggy passes
only the ones it names), so arguments can be added later without breaking
plugins.  A plugin that implements a hook not specified here (``ecocheck_rule``
for ``ecocheck_rules``), or names an argument its spec does not have, is not
loaded: the run reports it as E101, naming the plugin, and goes on without it.

The rule hooks take no arguments on purpose: they are called once per process
and their answer serves every configuration of the run (per-file rule options
reach a rule through ``ctx.options``).  The outline hooks receive what a plugin
extends: the shipped profiles and headings, so it can add to them rather than
copy them.
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
def ecocheck_genre_profiles(profiles):
    """Return extra genre profiles as a mapping ``{genre: profile}``.

    Called when genre profiles are loaded.  ``profiles`` is a copy of the
    shipped profiles (``ecocheck/data/genres.yaml``), ``{genre: {key: value}}``:
    read it to extend a genre (``{"report": {"expected": [*profiles["report"]
    ["expected"], "causes"]}}``) or to base a new one on it.  A profile is a
    mapping with ``required`` (list of section roles), ``expected``,
    ``optional``, ``order`` (roles in the order they must appear) and
    ``pairing`` (bool); the keys a plugin returns replace the shipped ones.
    """


@hookspec
def ecocheck_section_synonyms(synonyms):
    """Return extra heading synonyms as ``{role: [heading, ...]}``.

    Called when the outline's section roles are set up.  ``synonyms`` is a copy
    of the shipped headings per role (``{role: [heading, ...]}``; roles:
    overview, problems, causes, measures).  What a plugin returns is added to
    them.
    """
