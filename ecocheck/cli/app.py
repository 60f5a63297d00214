"""The typer app: parses options, calls :mod:`ecocheck.api`, hands results to a reporter."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer

from .. import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="ecocheck — 中文报告（政治生态报告、对照检查材料、讲话稿）的检查工具。",
                  context_settings={"help_option_names": ["-h", "--help"]})

# options shared by several commands
GenreOpt = Annotated[Optional[str], typer.Option("--genre", help="文种：report / self-review / speech（默认自动识别）")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="输出格式")]
ConfigOpt = Annotated[Optional[str], typer.Option("--config", help="配置文件（默认从文件所在目录向上查找）")]


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


@app.command()
def lint(
    paths: Annotated[list[str], typer.Argument(help="要检查的文件或目录（.docx/.txt/.md）")],
    fmt: FormatOpt = "text",
    genre: GenreOpt = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="只启用这些规则（代码、前缀、名称）")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="停用这些规则")] = None,
    extend_select: Annotated[Optional[list[str]], typer.Option("--extend-select", help="在默认之外再启用")] = None,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", help="error / warning / info：达到此级别即退出码 1")] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="有问题也以 0 退出")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出汇总")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="按规则统计数量")] = False,
    colour: Annotated[Optional[bool], typer.Option("--color/--no-color", help="彩色输出（默认：终端时启用）")] = None,
    config_path: ConfigOpt = None,
):
    """检查文件，输出发现的问题。"""
    from .. import api
    from ..engine.config import Config
    from ..model import Severity
    from ..reporters import FORMATS, render

    if fmt not in FORMATS:
        fail("E200", f"未知的输出格式 {fmt!r}（可用：{'、'.join(FORMATS)}）")
    config = Config()
    if genre:
        config.genre = genre
    if select:
        config.select = _split(select)
    config.ignore += _split(ignore)
    config.extend_select += _split(extend_select)
    if fail_on:
        try:
            config.fail_on = Severity.parse(fail_on)
        except ValueError:
            fail("E200", f"--fail-on 取值 {fail_on!r} 无效（error / warning / info）")
    reg = api.registry(config)
    unknown = reg.unknown_selectors((config.select or []) + config.ignore + config.extend_select)
    if unknown:
        fail("E200", f"未知的规则选择：{'、'.join(unknown)}（用 ecocheck rules 查看全部规则）")
    result = api.lint_paths(paths, config)
    out = render(fmt, result, colour=_use_colour(colour, sys.stdout), quiet=quiet, statistics=statistics)
    sys.stdout.write(out)
    sys.stdout.flush()
    if result.unreadable:
        raise typer.Exit(2)
    if exit_zero:
        raise typer.Exit(0)
    if any(f.severity >= config.fail_on for f in result.findings):
        raise typer.Exit(1)
    raise typer.Exit(0)


@app.command()
def outline(
    path: Annotated[str, typer.Argument(help="要分析的文件")],
    fmt: FormatOpt = "text",
    genre: GenreOpt = None,
):
    """显示 ecocheck 对文档结构的理解：标题、文种、各级标题、一是/二是条目。"""
    from .. import api
    from ..engine.config import Config
    from ..errors import LoadError
    from .outline_view import outline_json, outline_text

    config = Config(genre=genre)
    try:
        ol = api.outline_file(path, config)
    except LoadError as err:
        typer.echo(f"{path}:1:1: {err.code} {err.message}", err=True)
        raise typer.Exit(2)
    if fmt == "json":
        import json

        typer.echo(json.dumps(outline_json(ol), ensure_ascii=False, indent=2))
    elif fmt == "text":
        typer.echo(outline_text(ol))
    else:
        fail("E200", f"outline 只支持 text 和 json 格式，而不是 {fmt!r}")


@app.command()
def rules(
    fmt: FormatOpt = "text",
):
    """列出全部已注册的规则：代码、名称、默认级别、来源、说明。"""
    from .. import api

    reg = api.registry()
    if fmt == "json":
        import json

        typer.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.label, "source": r.source,
                                "summary": r.summary} for r in reg.sorted()], ensure_ascii=False, indent=2))
    else:
        for r in reg.sorted():
            typer.echo(f"{r.code}  {r.name:<28} {r.severity.label:<8} {r.source:<24} {r.summary}")
    for source, message in reg.problems:
        typer.echo(f"ecocheck: E101 插件 {source}：{message}", err=True)


@app.command()
def explain(code: Annotated[str, typer.Argument(help="规则代码或名称，例如 H301 或 placeholder")]):
    """打印一条规则的说明：检查什么、为什么、反例、正例、选项。"""
    from .. import api
    from .explain_view import explain_text

    rule = api.registry().get(code)
    if rule is None:
        fail("E200", f"没有规则 {code!r}（用 ecocheck rules 查看全部规则）")
    typer.echo(explain_text(rule))
