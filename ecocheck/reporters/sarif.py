"""SARIF 2.1.0 reporter (GitHub code scanning, Azure DevOps, IDE viewers).

Columns count Unicode code points (``columnKind: unicodeCodePoints``), as
ecocheck's own locations do.  Each result carries a line-independent
``partialFingerprints["ecocheck/v1"]`` so code scanning tracks a finding
across edits.  Artifact URIs are relative to the current directory (the
repository root in CI; ``%SRCROOT%``), or absolute ``file:`` URIs for files outside it,
percent-encoded.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote

from .. import REPOSITORY, __version__
from ..model import Severity
from ..display import name_bytes
from ._common import STDIN_PATH, file_path, fingerprints, rule_meta

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFO_URI = REPOSITORY


def _rule_descriptor(code: str, name: str, severity: Severity, rule) -> dict:
    d: dict = {"id": code, "name": name}
    if rule is not None:
        d["shortDescription"] = {"text": rule.summary}
        doc = getattr(rule, "doc", None)
        if doc is not None:
            d["fullDescription"] = {"text": doc.what}
            help_text = f"{doc.what}\n\n{doc.why}\n\n反例：{doc.bad}\n正例：{doc.good}"
            d["help"] = {"text": help_text, "markdown": f"{doc.what}\n\n{doc.why}\n\n**反例**：{doc.bad}\n\n"
                                                       f"**正例**：{doc.good}"}
        d["defaultConfiguration"] = {"level": LEVELS[rule.severity]}
        d["properties"] = {"tags": [code[0]], "source": rule.source}
    else:
        d["defaultConfiguration"] = {"level": LEVELS[severity]}
    return d


def artifact_location(path: str) -> dict:
    """The ``artifactLocation`` of a file (SARIF 2.1.0, 3.4): a URI reference relative to ``%SRCROOT%``
    (the current directory) for a file inside it, else an absolute ``file:`` URI with no
    ``uriBaseId`` (3.4.4: a base id is only for relative references); forward slashes, the
    name's own bytes percent-encoded (a GBK name is still the URI of the very file)."""
    shown = file_path(path)
    encoded = quote(name_bytes(shown), safe="/:@!$&'()*+,;=-._~")
    if shown == STDIN_PATH or not os.path.isabs(shown):
        return {"uri": encoded, "uriBaseId": "%SRCROOT%"}
    return {"uri": "file://" + ("" if encoded.startswith("/") else "/") + encoded}


def as_sarif(result, rules=None) -> dict:
    descriptors: dict[str, dict] = {}
    order: list[str] = []
    first: dict[str, tuple[str, Severity]] = {}
    for f in result.findings:
        first.setdefault(f.code, (f.name, f.severity))
    for code in sorted(first):
        order.append(code)
        descriptors[code] = _rule_descriptor(code, first[code][0], first[code][1], rule_meta(rules, code))
    index = {code: i for i, code in enumerate(order)}
    results = []
    for r in result.files:
        artifact = artifact_location(r.path)
        for f, fp in zip(r.findings, fingerprints(r.findings)):
            region = {"startLine": max(1, f.line), "startColumn": max(1, f.column),
                      "endLine": max(1, f.end_line, f.line),
                      "endColumn": max(1, f.end_column if (f.end_line, f.end_column) >= (f.line, f.column)
                                       else f.column)}
            if f.text:
                region["snippet"] = {"text": f.text}
            res = {"ruleId": f.code, "ruleIndex": index[f.code], "level": LEVELS[f.severity],
                   "message": {"text": f.message},
                   "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
                   "partialFingerprints": {"ecocheck/v1": fp}}
            props = {}
            if f.section:
                props["section"] = f.section
            if f.cell is not None:
                props["cell"] = f.cell_label()
            if f.suggestion:
                props["suggestion"] = f.suggestion
            if props:
                res["properties"] = props
            if f.fix is not None:
                res["fixes"] = [{"description": {"text": f.fix.title or f"改为“{f.fix.replacement}”"},
                                 "artifactChanges": [{"artifactLocation": artifact,
                                                      "replacements": [{"deletedRegion": {
                                                          k: v for k, v in region.items() if k != "snippet"},
                                                          "insertedContent": {"text": f.fix.replacement}}]}]}]
            results.append(res)
    run = {"tool": {"driver": {"name": "ecocheck", "version": __version__, "semanticVersion": __version__,
                               "informationUri": INFO_URI, "rules": [descriptors[c] for c in order]}},
           "columnKind": "unicodeCodePoints",
           "invocations": [{"executionSuccessful": not result.unreadable}],
           "results": results}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result, rules=None, **_options) -> str:
    return json.dumps(as_sarif(result, rules), ensure_ascii=False, indent=2) + "\n"
