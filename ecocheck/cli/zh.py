"""The command line in one language: Chinese help frames and one-line, coded usage errors.

typer (through click) writes its own English around our Chinese help — ``Usage:``, ``Options``,
``Show this message and exit.``, ``[default: text]`` — and prints a usage error as three lines
(``Usage: …``, ``Try '… -h' for help.``, ``Error: No such option: --x``).  A writer should see one
language, and a usage error should read like every other ecocheck error: one line on stderr with a
code (``ecocheck: E202 …``), exit status 2.

:class:`Command` and :class:`Group` are the classes the app's commands and the app use (``cls=``).
They change only what typer lets a command class change: the usage prefix, the help option's text,
the section titles, and how ``main`` reports a usage error.  The ``[default: …]``/``[required]``
suffixes come from typer's gettext calls, translated by :func:`_gettext`.
"""

import re
import sys

import typer
import typer.core

USAGE_ERROR = "E202"

#: typer's gettext strings (typer.core ``_``) in Chinese
_STRINGS = {
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Aborted!": "已中止。",
    "Missing command.": "缺少命令。",
}


def _gettext(message: str) -> str:
    return _STRINGS.get(message, message)


if hasattr(typer.core, "_"):
    typer.core._ = _gettext


class _Chinese:
    """What :class:`Command` and :class:`Group` share."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options_metavar = "[选项]"

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出"
        return option


class Command(_Chinese, typer.core.TyperCommand):
    pass


class Group(_Chinese, typer.core.TyperGroup):
    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except Exception as exc:  # typer vendors click (0.28) or uses it: match usage errors by class
            if not _is_usage_error(exc):
                raise
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else (prog_name or "ecocheck")
            print(f"ecocheck: {USAGE_ERROR} {usage_message(exc)}（用 {where} -h 查看用法）", file=sys.stderr)
            sys.exit(2)
        sys.exit(rv if isinstance(rv, int) else 0)


def _is_usage_error(exc: BaseException) -> bool:
    return any(k.__name__ == "UsageError" for k in type(exc).__mro__)


def _hint(exc) -> str:
    param = getattr(exc, "param", None)
    if param is not None:
        opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
        return " / ".join(opts) if opts else (param.human_readable_name or param.name or "").lower()
    return getattr(exc, "param_hint", None) or ""


_EXTRA = re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$")
_NOT_NUMBER = re.compile(r"^'?(.*?)'? is not a valid (integer|int|float)")
_NEEDS_VALUE = re.compile(r"^Option '?(.*?)'? requires (?:an argument|\d+ arguments)\.?$")
_NO_COMMAND = re.compile(r"^No such command:? '?(.*?)'?\.?$")


def usage_message(exc) -> str:
    """A usage error in Chinese: the kinds typer raises by name, their English messages by pattern."""
    kind = type(exc).__name__
    message = str(getattr(exc, "message", "") or exc)
    if kind == "NoSuchOption":
        possible = getattr(exc, "possibilities", None) or []
        tail = f"（是否想用 {'、'.join(sorted(possible))}？）" if possible else ""
        return f"没有选项 {exc.option_name}{tail}"
    if kind == "MissingParameter":
        what = "参数" if getattr(getattr(exc, "param", None), "param_type_name", "") == "argument" else "选项"
        return f"缺少{what} {_hint(exc)}"
    m = _NEEDS_VALUE.match(message)
    if m:
        return f"选项 {m.group(1)} 需要一个值"
    m = _EXTRA.match(message)
    if m:
        return f"多余的参数：{m.group(1)}"
    m = _NO_COMMAND.match(message)
    if m:
        return f"没有命令 {m.group(1)}（可用：lint、outline、rules、explain、config、serve）"
    if message.startswith("Missing command"):
        return "缺少命令（lint、outline、rules、explain、config、serve）"
    if kind == "BadParameter":
        m = _NOT_NUMBER.match(message)
        if m:
            message = f"“{m.group(1)}”不是{'数字' if m.group(2) == 'float' else '整数'}"
        hint = _hint(exc)
        return f"{hint} 的值无效：{message}" if hint else f"值无效：{message}"
    return message
