"""Effective configuration of a run.

Reading, discovery and resolution of config files live beside it (:mod:`ecocheck.config`);
this module only holds the resolved values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Severity


@dataclass
class Config:
    """The effective configuration of one file: config files merged with command-line overrides."""

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)  # code/name -> severity override
    fail_on: Severity = Severity.WARNING
    genre: str | None = None  # every file's genre (command line, or config `genre: speech`)
    genre_paths: dict[str, str] = field(default_factory=dict)  # config `genre: {glob: genre}` (first match)
    genres: dict[str, dict] = field(default_factory=dict)  # extra / overriding genre profiles
    sections: dict[str, list[str]] = field(default_factory=dict)  # extra heading synonyms per role
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # code/name -> options
    pack_dirs: list[str] = field(default_factory=list)
    extra_placeholders: list[str] = field(default_factory=list)
    disable_plugins: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    limits: dict[str, int] = field(default_factory=dict)
    report_unused_suppressions: bool = False
    #: the baseline file (config key ``baseline``, absolute): ``ecocheck lint`` reports only findings not in
    #: it unless ``--baseline FILE`` or ``--no-baseline`` is given
    baseline: str | None = None
    #: policy mode (``--policy FILE``): the configuration comes from the CI definition alone, and
    #: suppression comments in the documents do not apply (each is listed as C698 instead)
    policy: bool = False
    origins: dict[str, str] = field(default_factory=dict)  # key -> where the value came from
    path: str | None = None  # the config file, if any

    def options_for(self, rule) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in (rule.name, rule.code):
            out.update(self.rule_options.get(key, {}))
        return out

    def severity_for(self, rule) -> Severity:
        for key in (rule.code, rule.name):
            if key in self.severity:
                return self.severity[key]
        return rule.severity
