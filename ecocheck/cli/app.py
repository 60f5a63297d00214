"""The typer app: parses options, calls :mod:`ecocheck.api`, hands results to a reporter.

No ``from __future__ import annotations`` here: typer reads every command's annotations at
each start, and string annotations would have it ``eval`` every one of them on every run.
"""

import os
import sys
from typing import Annotated, Optional

import typer

from .. import __version__
from . import zh
from .zh import USAGE_ERROR

app = typer.Typer(cls=zh.Group, add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="ecocheck — 中文报告（政治生态报告、对照检查材料、讲话稿）的检查工具。",
                  context_settings={"help_option_names": ["-h", "--help"]})

# options shared by several commands
GenreOpt = Annotated[Optional[str], typer.Option("--genre", metavar="GENRE", help="文种（默认自动识别；ecocheck outline 显示识别依据）：report、self-review、speech、work-report、duty-report、briefing、research-report、rectification-report、general，或配置 genres 中定义的文种")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", metavar="text|json", help="输出格式")]
ConfigOpt = Annotated[Optional[str], typer.Option("--config", metavar="FILE", help="配置文件（默认从文件所在目录向上查找）")]


def _version(value: bool):
    if value:
        typer.echo(f"ecocheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                                help="显示版本")] = False):
    """ecocheck — 中文报告检查工具。"""


def fail(code: str, message: str) -> None:
    """A usage error: one line on stderr, exit 2."""
    typer.echo(f"ecocheck: {code} {message}", err=True)
    raise typer.Exit(2)


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.replace("，", ",").split(",") if x.strip())
    return out


def _use_colour(colour: Optional[bool], stream) -> bool:
    if colour is not None:
        return colour
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


# options shared by ``lint`` and ``config``
SelectOpt = Annotated[Optional[list[str]], typer.Option(
    "--select", metavar="CODES", help="只启用这些规则（代码、前缀如 H 或 H3、名称，ALL 为全部规则含默认关闭的；可逗号分隔）；"
                     "替换配置中的 select/extend-select/ignore")]
IgnoreOpt = Annotated[Optional[list[str]], typer.Option("--ignore", metavar="CODES", help="停用这些规则（追加到配置的 ignore）")]
ExtendSelectOpt = Annotated[Optional[list[str]], typer.Option("--extend-select", metavar="CODES", help="在默认或配置之外再启用这些规则")]
FailOnOpt = Annotated[Optional[str], typer.Option("--fail-on", metavar="error|warning|info", help="达到此级别即退出码 1")]
IsolatedOpt = Annotated[bool, typer.Option("--isolated", help="忽略所有配置文件")]
LINT_FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")
PROGRESS_MIN_FILES = 20


def _overrides(select, ignore, extend_select, fail_on, genre):
    from ..config.resolve import Overrides
    from ..model import Severity

    parsed_fail_on = None
    if fail_on:
        try:
            parsed_fail_on = Severity.parse(fail_on)
        except ValueError:
            fail(USAGE_ERROR, f"--fail-on 取值 {fail_on!r} 无效（error / warning / info）")
    return Overrides(select=_split(select) if select else None, ignore=_split(ignore),
                     extend_select=_split(extend_select), fail_on=parsed_fail_on, genre=genre)


def _resolver(config_path, isolated, overrides, policy: bool = False):
    from .. import api
    from ..config.resolve import Resolver
    from ..errors import ConfigError

    try:
        return Resolver(config_file=config_path, overrides=overrides, registry_factory=api.registry,
                        isolated=isolated, policy=policy)
    except ConfigError as err:
        fail_config(err)


def _config_for(path: str, config_path, isolated: bool, overrides=None):
    """The effective Config for ``path`` (nearest config file, or --config), or exit 2."""
    from ..errors import ConfigError

    resolver = _resolver(config_path, isolated, overrides or _overrides(None, None, None, None, None))
    try:
        return resolver.for_path(path)
    except ConfigError as err:
        fail_config(err)


def fail_config(err) -> None:
    """A broken configuration: ``ecocheck: PATH:LINE: E200 message`` on stderr, exit 2."""
    typer.echo(f"ecocheck: {err}", err=True)
    raise typer.Exit(2)


class _ProgressBar:
    """A transient progress bar on stderr, only for a terminal and many files (never in CI)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._progress = None
        self._task = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < PROGRESS_MIN_FILES:
            return
        if self._progress is None:
            try:
                from rich.console import Console
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            except ImportError:  # typer-slim without rich: no bar
                self.enabled = False
                return

            # auto_refresh=False: no refresh thread, so worker processes can be forked safely
            self._progress = Progress(TextColumn("检查中"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                      console=Console(stderr=True), transient=True, auto_refresh=False,
                                      redirect_stdout=False, redirect_stderr=False)
            self._progress.start()
            self._task = self._progress.add_task("lint", total=total)
        self._progress.update(self._task, completed=done)
        self._progress.refresh()

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _show_progress(fmt: str, quiet: bool) -> bool:
    if quiet or fmt not in ("text", "concise"):
        return False
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(sys.stderr, "isatty") and sys.stderr.isatty()


@app.command(cls=zh.Command)
def lint(
    paths: Annotated[Optional[list[str]], typer.Argument(
        help="要检查的文件或目录（.docx/.txt/.md；默认当前目录）；- 表示从标准输入读取")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="|".join(LINT_FORMATS), help="输出格式")] = "text",
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE", help="把报告写入文件而不是标准输出")] = None,
    genre: GenreOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    extend_select: ExtendSelectOpt = None,
    fail_on: FailOnOpt = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="有问题也以 0 退出（无法读取的文件仍为 2）")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出问题，不输出汇总和提示")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="只输出按规则统计的数量")] = False,
    show_fixes: Annotated[bool, typer.Option("--show-fixes", help="--fix 之后列出每个文件修复了哪些问题")] = False,
    colour: Annotated[Optional[bool], typer.Option("--color/--no-color", help="彩色输出（默认：终端时启用）")] = None,
    config_path: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    policy: Annotated[Optional[str], typer.Option(
        "--policy", metavar="FILE",
        help="策略模式（CI 用）：只用 FILE 中的配置；树中的配置文件、.ecocheckignore 和抑制注释都不生效，"
             "并逐一列出（C698）；一个文件也没检查时退出码 2")] = None,
    allow_empty: Annotated[bool, typer.Option("--allow-empty",
                                              help="没有找到可检查的文件时以 0 退出（默认为错误，退出码 2）")] = False,
    baseline: Annotated[Optional[str], typer.Option("--baseline", metavar="FILE", help="只报告基线文件中没有的新问题")] = None,
    write_baseline: Annotated[Optional[str], typer.Option("--write-baseline", metavar="FILE",
                                                          help="把当前全部问题写入基线文件后退出")] = None,
    no_baseline: Annotated[bool, typer.Option("--no-baseline", help="不使用配置中 baseline 指定的基线文件")] = False,
    update_baseline: Annotated[bool, typer.Option(
        "--update-baseline", help="把当前全部问题写入配置中 baseline 指定的基线文件后退出（首次使用即生成）")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N", help="并行进程数（默认 CPU 数；1 = 不并行）")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="不读写检查结果缓存（仓库根目录的 .ecocheck_cache/ 或用户缓存目录）")] = False,
    force_exclude: Annotated[bool, typer.Option("--force-exclude",
                                                help="命令行直接给出的文件也遵守 exclude 和 .ecocheckignore")] = False,
    follow_symlinks: Annotated[bool, typer.Option("--follow-symlinks",
                                                  help="读取指向被检查目录之外的符号链接（默认不读取，报 E012）")] = False,
    fix: Annotated[bool, typer.Option("--fix", help="自动修复安全的问题（半角标点、编号格式、确定的错别字、多余空格）"
                                                     "并改写原文件；需人工确认的只报告。退出码按修复后剩余的问题计")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="只显示 --fix 会做的修改（统一 diff），不写文件；"
                                                       "有可修复项时退出码 1")] = False,
    annotate: Annotated[bool, typer.Option("--annotate", help="另存一份带批注的 Word 副本：每个问题一条批注，"
                                                             "标在问题文字上（默认 原文件名.ecocheck.docx，"
                                                             ".txt/.md 也生成 .docx）；原文件不变")] = False,
    annotate_output: Annotated[Optional[str], typer.Option(
        "--annotate-output", metavar="PATH",
        help="批注副本的路径（隐含 --annotate）；检查多个文件时须是已存在的目录")] = None,
    stdin_filename: Annotated[Optional[str], typer.Option(
        "--stdin-filename", metavar="NAME",
        help="从标准输入（-）读取时文稿的文件名：决定格式（.docx/.txt/.md，未给时按纯文本）、适用的配置"
             "（NAME 所在目录的配置文件、per-file-ignores、按文件的文种；exclude 只在 --force-exclude 时）"
             "和输出中的路径（未给时为 -）；--fix 时修复后的全文写到标准输出，问题写到标准错误")] = None,
):
    """检查文件，输出发现的问题。

    --fix 修复后再检查并报告剩余问题；--diff 只预览修复；--annotate 生成带批注的 Word 副本。

    --fix 与 --annotate 可同时使用：先修复，批注标注修复后剩余的问题。
    """
    from .. import api
    from ..engine.regexcheck import backtracking_risk
    from ..display import printable
    from ..errors import ConfigError
    from ..outline.genres import check_genre
    from ..reporters import FORMATS, render
    from ..run.baseline import load_baseline, load_configured

    if fmt not in FORMATS:
        fail(USAGE_ERROR, f"未知的输出格式 {fmt!r}（可用：{'、'.join(FORMATS)}）")
    if jobs is not None and jobs < 1:
        fail(USAGE_ERROR, f"--jobs 必须是正整数，而不是 {jobs}")
    if sum(map(bool, (baseline, write_baseline, no_baseline, update_baseline))) > 1:
        fail(USAGE_ERROR, "--baseline、--write-baseline、--no-baseline、--update-baseline 只能用其中一个")
    if policy and (config_path or isolated):
        fail(USAGE_ERROR, "--policy 不能与 --config 或 --isolated 同时使用（策略文件就是唯一的配置）")
    source = _stdin_source(paths, stdin_filename, annotate, annotate_output)
    paths = paths or ["."]
    if source is None and annotate_output and not os.path.isdir(annotate_output) \
            and (len(paths) > 1 or os.path.isdir(paths[0])):
        fail(USAGE_ERROR, f"检查多个文件时，--annotate-output 必须是已存在的目录，而不是 {annotate_output}")
    # with --fix, standard input's fixed text goes to stdout and the report to stderr (as ruff)
    report_stream = sys.stderr if source is not None and (fix or diff) else sys.stdout
    use_colour = False if output is not None else _use_colour(colour, report_stream)
    overrides = _overrides(select, ignore, extend_select, fail_on, genre)
    resolver = _resolver(policy or config_path, isolated, overrides, policy=bool(policy))
    bar = _ProgressBar(_show_progress(fmt, quiet))
    outcomes = []
    try:
        first = resolver.for_path(source.path if source else paths[0])  # a broken config or an unknown --select
        # fails before any work
        check_genre(first, first.genre, backtracking_risk)  # an unknown --genre too (exit 2)
        accepted = load_baseline(baseline) if baseline else None
        configured_baseline = not (no_baseline or write_baseline or update_baseline)
        if (fix or diff) and configured_baseline and first.baseline:
            load_configured(first)  # a missing configured baseline fails before --fix changes a file
        if fix or diff:
            from . import fixing

            if source is not None:
                outcomes, source = fixing.fix_source(source, resolver, diff=diff, quiet=quiet,
                                                     force_exclude=force_exclude)
            else:
                outcomes = fixing.run_fixes(paths, resolver, diff=diff, quiet=quiet, force_exclude=force_exclude,
                                            follow_symlinks=follow_symlinks)
            if diff:
                raise typer.Exit(fixing.diff_summary(outcomes, quiet))
        if source is not None:  # never cached
            result = api.lint_source(source, resolver=resolver, force_exclude=force_exclude, baseline=accepted,
                                     configured_baseline=configured_baseline)
        else:
            result = api.lint_paths(paths, resolver=resolver, jobs=jobs or api.default_jobs(),
                                    use_cache=not no_cache, force_exclude=force_exclude,
                                    follow_symlinks=follow_symlinks, baseline=accepted,
                                    configured_baseline=configured_baseline, progress=bar)
    except ConfigError as err:
        bar.close()
        fail_config(err)
    finally:
        bar.close()
    if policy and result.not_honoured:
        # what the tree brought to lower the gate, listed (the documents' suppression comments are C698 findings)
        for skipped in result.not_honoured:
            typer.echo(f"ecocheck: 策略模式：未采用树中的 {printable(skipped)}", err=True)
    if not result.files and not allow_empty and source is None:  # an excluded stdin name: nothing to say (ruff)
        fail(USAGE_ERROR, "没有找到可检查的文件（.docx/.txt/.md），请检查路径、exclude 和 .ecocheckignore；"
                     "确实可以为空时加 --allow-empty")
    if write_baseline:
        _write_baseline(result, write_baseline, quiet)
        raise typer.Exit(result.exit_status(exit_zero=True))
    if update_baseline:
        _update_baseline(result, quiet)
    if result.baseline_removed and not quiet:
        typer.echo(f"ecocheck: 基线 {'、'.join(map(printable, result.baselines))} 中已有的 {result.baseline_removed} "
                   "个问题未显示", err=True)
    out = render(fmt, result, colour=use_colour, quiet=quiet, statistics=statistics, rules=result.rules)
    if fmt != "text":
        from ..reporters.text import plugin_problem

        for plugin, message in result.problems:
            typer.echo(plugin_problem(plugin, message), err=True)
    _emit(out, output, result, fmt, report_stream)
    annotated = True
    if fix or annotate or annotate_output:
        from . import fixing

        if fix:
            fixing.fix_summary(outcomes, result, quiet, show_fixes=show_fixes)
        if annotate or annotate_output:
            annotated = fixing.annotate(result, resolver, annotate_output, quiet, source=source)
    raise typer.Exit(result.exit_status(exit_zero=exit_zero, failed=not annotated))


def _write_baseline(result, path: str, quiet: bool) -> None:
    from ..errors import ConfigError
    from ..run.baseline import write_baseline

    try:
        count = write_baseline(result, path)
    except ConfigError as err:
        fail_config(err)
    except OSError as exc:
        fail("E200", f"无法写入基线文件 {path}：{exc.strerror or exc}")
    if not quiet:
        typer.echo(f"ecocheck: 已将 {count} 个问题写入基线 {path}", err=True)


def _update_baseline(result, quiet: bool) -> None:
    """``--update-baseline``: every file's findings into the baseline its configuration names, then exit."""
    from ..display import printable
    from ..errors import ConfigError
    from ..run.baseline import write_configured

    try:
        written, unnamed = write_configured(result)
    except ConfigError as err:
        fail_config(err)
    except OSError as exc:
        fail("E200", f"无法写入基线文件 {printable(exc.filename or '')}：{exc.strerror or exc}")
    if not quiet:
        for path, count in written:
            typer.echo(f"ecocheck: 已将 {count} 个问题写入基线 {printable(path)}", err=True)
        if unnamed:
            typer.echo(f"ecocheck: {unnamed} 个文件的配置没有 baseline，其问题未写入基线", err=True)
    raise typer.Exit(result.exit_status(exit_zero=True))


def _stdin_source(paths, stdin_filename, annotate: bool, annotate_output):
    """The :class:`ecocheck.inputs.Source` of ``lint -`` (or of ``--stdin-filename`` with no path, as
    ruff), or None; ``-`` beside other paths and an annotated copy with no path to write are usage errors."""
    paths = paths or []
    if "-" in paths and len(paths) > 1:
        fail(USAGE_ERROR, "-（从标准输入读取）不能与其他路径同时使用")
    if stdin_filename is not None and paths and paths != ["-"]:
        fail(USAGE_ERROR, "--stdin-filename 只用于从标准输入读取（-），不能与其他路径同时使用")
    if paths != ["-"] and stdin_filename is None:
        return None
    if stdin_filename is not None and not stdin_filename.strip():
        fail(USAGE_ERROR, "--stdin-filename 不能为空")
    if annotate and not annotate_output:
        fail(USAGE_ERROR, "从标准输入读取时，--annotate 须用 --annotate-output 指定批注副本的路径")
    from ..inputs import Source

    return Source(stream=sys.stdin.buffer, name=stdin_filename)


def _emit(out: str, output, result, fmt: str, stream=None) -> None:
    """The report on ``stream`` (default stdout), or atomically into ``output`` (never over a linted
    file); with ``-f github`` in a GitHub job, the job summary too."""
    if output is None:
        stream = stream or sys.stdout
        stream.write(out)
        stream.flush()
    else:
        from ..fileio import write_atomic

        if os.path.realpath(output) in {os.path.realpath(r.path) for r in result.files}:  # a linked directory too
            fail(USAGE_ERROR, f"--output 不能覆盖被检查的文件 {output}")
        try:
            write_atomic(output, out)
        except OSError as exc:
            fail("E200", f"无法写入 {output}：{exc.strerror or exc}")
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        from ..reporters.github import step_summary

        try:
            with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
                fh.write(step_summary(result))
        except OSError as exc:
            typer.echo(f"ecocheck: 无法写入 GITHUB_STEP_SUMMARY：{exc.strerror or exc}", err=True)


@app.command("config", cls=zh.Command)
def show_config(
    path: Annotated[str, typer.Argument(help="文件或目录（默认当前目录）")] = ".",
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", metavar="toml|yaml|json",
        help="输出格式（默认与配置文件相同：pyproject.toml 为 TOML，其余为 YAML）")] = None,
    config_path: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    genre: GenreOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    extend_select: ExtendSelectOpt = None,
    fail_on: FailOnOpt = None,
):
    """显示某个路径的有效配置：可直接用作配置文件的 TOML 或 YAML，注释写明每个值来自哪里（默认值、配置文件的哪一行、命令行）。"""
    from ..config.show import FORMATS, render
    from ..errors import ConfigError

    if fmt == "text":  # the name of the source's format before there was a choice
        fmt = None
    if fmt is not None and fmt not in FORMATS:
        fail(USAGE_ERROR, f"config 只支持 {'、'.join(FORMATS)} 格式，而不是 {fmt!r}")
    resolver = _resolver(config_path, isolated, _overrides(select, ignore, extend_select, fail_on, genre))
    try:
        cfg = resolver.for_path(path)
    except ConfigError as err:
        fail_config(err)
    try:
        out = render(cfg, fmt)
    except ValueError as err:
        fail(USAGE_ERROR, str(err))
    typer.echo(out, nl=False)


@app.command(cls=zh.Command)
def clean(
    path: Annotated[str, typer.Argument(help="项目中的文件或目录（默认当前目录）")] = ".",
    everything: Annotated[bool, typer.Option("--all", help="同时删除用户缓存目录中所有项目的检查结果缓存")] = False,
):
    """删除检查结果缓存：项目仓库根目录的 .ecocheck_cache/（不在 Git 仓库中时为用户缓存目录中本项目的缓存），以及该目录下各处的 .ecocheck_cache/。

    只删除 ecocheck 自己创建的缓存（带有其 CACHEDIR.TAG 标记），不跟随符号链接，其他文件一律保留。
    """
    from ..display import printable
    from ..run.cache import clean as clean_caches

    done = clean_caches(path, everything)
    for c in done:
        where = printable(c.directory)
        if not c.ours:
            typer.echo(f"未删除 {where}：不是 ecocheck 创建的缓存（没有它的 CACHEDIR.TAG 标记）")
            continue
        typer.echo(f"已删除 {where}（{c.entries} 个缓存条目）" if c.removed
                   else f"已清理 {where}（{c.entries} 个缓存条目）")
        for kept in c.kept:
            typer.echo(f"  保留 {printable(kept)}：不是 ecocheck 写的文件或无法删除")
    if not done:
        typer.echo("没有找到 ecocheck 的检查结果缓存")


@app.command(cls=zh.Command)
def outline(
    path: Annotated[str, typer.Argument(help="要分析的文件")],
    fmt: FormatOpt = "text",
    genre: GenreOpt = None,
    config_path: ConfigOpt = None,
    isolated: IsolatedOpt = False,
):
    """显示 ecocheck 对文档结构的理解：标题、文种、各级标题、一是/二是条目、问题与措施的对应。"""
    from .. import api
    from ..engine.regexcheck import backtracking_risk
    from ..outline.genres import check_genre
    from ..errors import ConfigError, LoadError
    from .outline_view import outline_json, outline_text

    if fmt not in ("text", "json"):
        fail(USAGE_ERROR, f"outline 只支持 text 和 json 格式，而不是 {fmt!r}")
    config = _config_for(path, config_path, isolated, _overrides(None, None, None, None, genre))
    try:
        check_genre(config, config.genre, backtracking_risk)
    except ConfigError as err:
        fail_config(err)
    try:
        ol = api.outline_file(path, config)
    except LoadError as err:
        typer.echo(f"{path}:1:1: {err.code} {err.message}", err=True)
        raise typer.Exit(2)
    if fmt == "json":
        import json

        typer.echo(json.dumps(outline_json(ol), ensure_ascii=False, indent=2))
    else:
        typer.echo(outline_text(ol))


@app.command(cls=zh.Command)
def rules(
    fmt: FormatOpt = "text",
    config_path: ConfigOpt = None,
    isolated: IsolatedOpt = False,
):
    """列出全部已注册的规则：代码、名称、默认级别、来源、说明（含配置中的 extra-rule-packs）。"""
    from .. import api

    if fmt not in ("text", "json"):
        fail(USAGE_ERROR, f"rules 只支持 text 和 json 格式，而不是 {fmt!r}")

    reg = api.registry(_config_for(".", config_path, isolated))
    if fmt == "json":
        import json

        typer.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.label, "source": r.source,
                                "summary": r.summary} for r in reg.sorted()], ensure_ascii=False, indent=2))
    else:
        for r in reg.sorted():
            typer.echo(f"{r.code}  {r.name:<28} {r.severity.label:<8} {r.source:<24} {r.summary}")
    from ..reporters.text import plugin_problem

    for source, message in reg.problems:
        typer.echo(plugin_problem(source, message), err=True)


@app.command(cls=zh.Command)
def explain(
    code: Annotated[str, typer.Argument(help="规则代码或名称，例如 H301 或 placeholder")],
    config_path: ConfigOpt = None,
    isolated: IsolatedOpt = False,
):
    """打印一条规则的说明：检查什么、为什么、反例、正例、选项。"""
    from .. import api
    from .explain_view import explain_text

    rule = api.registry(_config_for(".", config_path, isolated)).get(code)
    if rule is None:
        fail(USAGE_ERROR, f"没有规则 {code!r}（用 ecocheck rules 查看全部规则）")
    typer.echo(explain_text(rule))


@app.command(cls=zh.Command)
def serve(
    host: Annotated[str, typer.Option("--host", metavar="HOST", help="监听地址（默认 127.0.0.1，只有本机可以访问；"
                                                     "0.0.0.0 供局域网使用，须设访问令牌）")] = "127.0.0.1",
    port: Annotated[Optional[int], typer.Option("--port", metavar="PORT", help="端口（默认 8765，被占用时顺延）")] = None,
    token: Annotated[Optional[str], typer.Option("--token", envvar="ECOCHECK_TOKEN", metavar="TOKEN",
                                                 help="访问令牌（也可用环境变量 ECOCHECK_TOKEN）")] = None,
    config_path: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N", help="检查文件的进程数（默认 CPU 数，最多 4）")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器")] = False,
):
    """启动本机网页工作台：在浏览器中拖入文稿，查看问题、下载批注副本和修复副本。"""
    try:
        from ..web.app import Settings
        from ..web.server import ServeError, serve as run_server
    except ImportError:
        fail("E200", '网页工作台需要额外的组件：请安装 ecocheck 的 [web] 扩展（例如在源码文件夹中运行 '
                     'pip install ".[web]"，见 docs/zh/安装.md）')
    from .. import api

    if jobs is not None and jobs < 1:
        fail(USAGE_ERROR, f"--jobs 必须是正整数，而不是 {jobs}")
    _config_for(os.path.join(os.getcwd(), "draft.txt"), config_path, isolated)  # a broken config fails here
    settings = Settings(host=host, port=port, token=token or None, config_file=config_path, base_dir=os.getcwd(),
                        isolated=isolated, jobs=jobs or min(4, api.default_jobs()))
    try:
        run_server(settings, browser=not no_browser, port_given=port is not None, echo=typer.echo)
    except ServeError as err:
        fail(err.code, err.message)
