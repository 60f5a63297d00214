"""Baselines: accept today's findings, report only new ones.

A finding is identified by what it is, not where it is: the file path
(relative to the root of the Git repository holding the file, so a baseline
matches wherever it is kept -- beside the files, or fetched into a CI job's
temporary folder; outside a repository, relative to the baseline file's
directory -- and a baseline of the older form, relative to its own directory,
still matches), the rule code,
the flagged text, the section path, and an occurrence index among findings
with those same four values in the file (in document order).  Editing a
paragraph above a finding moves its line but keeps its identity, so old
findings stay accepted; a second identical finding in the same section is new.

The same identity gives stable fingerprints to the SARIF and GitLab reporters.

Baseline file (JSON, written atomically)::

    {"ecocheck-baseline": 1, "version": "0.1.0",
     "findings": [{"path": "docs/a.txt", "code": "H301", "text": "**", "section": "一、基本情况",
                   "occurrence": 0, "line": 12, "message": "占位符“**”未替换"}]}

``line`` and ``message`` are informational and never compared.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

from ..display import printable
from ..errors import E_CONFIG, ConfigError
from ..model import Finding
from ..fileio import write_atomic

FORMAT_VERSION = 1

Key = tuple[str, str, str, str, int]  # (path, code, text, section, occurrence)


def relative_path(path: str, base_dir: str) -> str:
    """``path`` relative to ``base_dir`` with forward slashes (absolute if on another drive)."""
    full = os.path.abspath(path)
    try:
        rel = os.path.relpath(full, os.path.abspath(base_dir))
    except ValueError:  # Windows: another drive
        rel = full
    return rel.replace(os.sep, "/")


def finding_keys(findings: list[Finding], base_dir: str) -> list[Key]:
    """The identity of each finding, in the order given (document order within a file)."""
    seen: dict[tuple[str, str, str, str], int] = {}
    keys: list[Key] = []
    rel_cache: dict[str, str] = {}
    for f in findings:
        rel = rel_cache.get(f.path)
        if rel is None:
            # escaped as printed (display.printable): a GBK or newline name is still one JSON string
            rel = rel_cache[f.path] = printable(relative_path(f.path, base_dir))
        ident = (rel, f.code, f.text, f.section)
        n = seen.get(ident, 0)
        seen[ident] = n + 1
        keys.append((*ident, n))
    return keys


def _root(path: str, memo: dict[str, str | None]) -> str | None:
    """The root of the Git repository holding ``path``, or None."""
    from ..config.discover import repository_root

    return repository_root(os.path.dirname(os.path.abspath(path)), memo)


def fingerprint(key: Key) -> str:
    """A stable hex digest of a finding's identity (no line numbers)."""
    data = json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def write_baseline(result, path: str, files=None) -> int:
    """Record every finding of ``result`` (or of the file results ``files``) in ``path``; return how many.

    An existing file is replaced only when it is an ecocheck baseline: a mistyped path never
    overwrites a document or a directory (ConfigError)."""
    from .. import __version__

    _check_replaceable(path)
    base = os.path.dirname(os.path.abspath(path))
    roots: dict[str, str | None] = {}
    entries = []
    for r in result.files if files is None else files:
        if r.error:
            continue
        for f, key in zip(r.findings, finding_keys(r.findings, _root(r.path, roots) or base)):
            entries.append({"path": key[0], "code": key[1], "text": key[2], "section": key[3],
                            "occurrence": key[4], "line": f.line, "message": f.message})
    entries.sort(key=lambda e: (e["path"], e["line"], e["code"], e["occurrence"]))
    doc = {"ecocheck-baseline": FORMAT_VERSION, "version": __version__, "findings": entries}
    write_atomic(path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return len(entries)


def _check_replaceable(path: str) -> None:
    if not os.path.lexists(path):
        return
    if os.path.isdir(path):
        raise ConfigError(E_CONFIG, "基线文件的路径是一个目录", path)
    try:
        load_baseline(path)
    except ConfigError:
        raise ConfigError(E_CONFIG, "该文件已存在且不是 ecocheck 基线文件，不会覆盖（确需使用此路径请先删除它）",
                          path) from None


def write_configured(result) -> tuple[list[tuple[str, int]], int]:
    """Write each file's findings into the baseline its configuration names (``baseline`` key):
    ``([(baseline path, findings written)], files whose configuration names none)``.  A
    ConfigError when no configuration of the run names a baseline."""
    groups: dict[str, list] = {}
    unnamed = 0
    for r, path in zip(result.files, result.configured_baselines):
        if path is None:
            unnamed += 1
        else:
            groups.setdefault(path, []).append(r)
    if not groups:
        raise ConfigError(E_CONFIG, "配置中没有 baseline：在配置文件中写 baseline: 文件名，或用 --write-baseline FILE")
    return [(path, write_baseline(result, path, files)) for path, files in groups.items()], unnamed


@dataclass
class Baseline:
    path: str
    keys: set[Key]

    @property
    def base_dir(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))

    def filter(self, result, files=None) -> int:
        """Remove accepted findings from ``result`` (or from the file results ``files``) in place;
        return how many were removed."""
        removed = 0
        roots: dict[str, str | None] = {}
        for r in result.files if files is None else files:
            if r.error or not r.findings:
                continue
            keep = []
            own = finding_keys(r.findings, self.base_dir)  # the older form, and files outside a repository
            root = _root(r.path, roots)
            in_repo = finding_keys(r.findings, root) if root and root != self.base_dir else own
            for f, key, repo_key in zip(r.findings, own, in_repo):
                if key in self.keys or repo_key in self.keys:
                    removed += 1
                else:
                    keep.append(f)
            r.findings = keep
        return removed


#: a baseline larger than this is refused (one finding takes some 200 bytes)
MAX_BASELINE_BYTES = 256 * 1024 * 1024


def _no_constant(name: str):
    raise ValueError(f"不允许的数值 {name}")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 18:
        raise ValueError(f"整数过大（{len(text)} 位）")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"数值超出范围（{text[:20]}）")
    return value


def load_baseline(path: str) -> Baseline:
    """Read a baseline file.  Anything wrong with it (also deep nesting, ``1e400``, a 5000-digit
    integer, ``NaN``) is one E200 error, never a traceback."""
    from ..errors import LoadError
    from ..inputs import read_regular

    try:
        raw = read_regular(path, MAX_BASELINE_BYTES)
    except LoadError as err:
        if err.code == "E001" and not os.path.lexists(path):
            raise ConfigError(E_CONFIG, "基线文件不存在（先用 --write-baseline 生成）", path) from None
        raise ConfigError(E_CONFIG, f"无法读取基线文件：{err.message}", path) from None
    try:
        data = json.loads(raw.decode("utf-8"), parse_int=_bounded_int, parse_float=_finite_float,
                          parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise ConfigError(E_CONFIG, f"无法读取基线文件：{exc}", path) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(E_CONFIG, f"基线文件不是合法的 JSON：{exc.msg}", path, exc.lineno) from None
    except RecursionError:
        raise ConfigError(E_CONFIG, "基线文件嵌套过深，不是 ecocheck 基线文件", path) from None
    except ValueError as exc:
        raise ConfigError(E_CONFIG, f"基线文件不是合法的 JSON：{exc}", path) from None
    if not isinstance(data, dict) or data.get("ecocheck-baseline") != FORMAT_VERSION \
            or not isinstance(data.get("findings"), list):
        raise ConfigError(E_CONFIG, "不是 ecocheck 基线文件（缺少 ecocheck-baseline: 1 或 findings 列表）", path)
    keys: set[Key] = set()
    for i, e in enumerate(data["findings"]):
        try:
            fields = [e["path"], e["code"], e["text"], e["section"]]
            occurrence = e["occurrence"]
            if not all(isinstance(v, str) for v in fields) or not isinstance(occurrence, int) \
                    or isinstance(occurrence, bool) or occurrence < 0:
                raise TypeError
            keys.add((*fields, occurrence))
        except (KeyError, TypeError):
            raise ConfigError(E_CONFIG, f"基线文件第 {i + 1} 条记录缺少 path/code/text/section/occurrence"
                                        "（或类型不对：前四项为字符串，occurrence 为非负整数）", path) from None
    return Baseline(path, keys)


def load_configured(config) -> Baseline:
    """The baseline a configuration names (``baseline`` key).  A missing file is an E200 error at
    the configuration's ``baseline`` line: a gate must not quietly lose its baseline (nor pass
    findings a mistyped name would have hidden); ``ecocheck lint --update-baseline`` creates it."""
    path = config.baseline
    if not os.path.lexists(path):
        where, _, line = config.origins.get("baseline", "").rpartition(":")
        raise ConfigError(E_CONFIG, f"配置的基线文件不存在：{printable(path)}（首次使用请运行 ecocheck lint "
                                    "--update-baseline 生成；不用基线时加 --no-baseline）",
                          where or config.path, int(line) if line.isdigit() else None)
    return load_baseline(path)
