"""JUnit XML reporter (GitLab test reports, Jenkins, Azure DevOps).

One ``<testsuite>`` per file; one ``<testcase>`` per finding holding a
``<failure>`` (an ``<error>`` for an unreadable file); a clean file gets one
passing ``<testcase>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ._common import display_path

# characters XML 1.0 cannot carry at all
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(s: str) -> str:
    return _INVALID_XML.sub("\ufffd", s)


def _detail(f, path: str) -> str:
    lines = [f"{path}:{f.line}:{f.column}: {f.code} {f.message} [{f.severity.label}]"]
    if f.excerpt:
        lines.append(f"    | {f.excerpt}")
    if f.suggestion:
        lines.append(f"    = 建议：{f.suggestion}")
    where = " › ".join(s for s in (f.section, f.cell_label()) if s)
    if where:
        lines.append(f"    @ {where}")
    return _clean("\n".join(lines))


def as_xml(result) -> ET.Element:
    root = ET.Element("testsuites", name="ecocheck")
    total = failures = errors = 0
    for r in result.files:
        path = display_path(r.path)
        suite = ET.SubElement(root, "testsuite", name=_clean(path))
        n_fail = n_err = 0
        if not r.findings:
            ET.SubElement(suite, "testcase", name="ecocheck", classname=_clean(path), file=_clean(path))
        for f in r.findings:
            case = ET.SubElement(suite, "testcase", name=_clean(f"{f.code} {f.name} ({f.line}:{f.column})"),
                                 classname=_clean(path), file=_clean(path), line=str(f.line))
            tag = "error" if r.error else "failure"
            elem = ET.SubElement(case, tag, message=_clean(f.message), type=f.code)
            elem.text = _detail(f, path)
            if r.error:
                n_err += 1
            else:
                n_fail += 1
        n_tests = max(1, len(r.findings))
        suite.set("tests", str(n_tests))
        suite.set("failures", str(n_fail))
        suite.set("errors", str(n_err))
        suite.set("skipped", "0")
        total += n_tests
        failures += n_fail
        errors += n_err
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    return root


def render(result, **_options) -> str:
    root = as_xml(result)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
