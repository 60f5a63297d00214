"""E family: files that cannot be read, rules and plugins that fail.

These rules check nothing themselves: loaders and the engine emit the
findings.  They are registered so that ``ecocheck rules`` lists the codes and
``ecocheck explain`` documents them.
"""

from __future__ import annotations

from ..engine.rule import Rule, RuleDoc
from ..model import Severity


class _ErrorRule(Rule):
    severity = Severity.ERROR

    def check(self, ctx):
        return ()


def _make(code: str, name: str, summary: str, what: str, why: str, bad: str, good: str) -> type[Rule]:
    return type(f"Rule{code}", (_ErrorRule,), {
        "code": code, "name": name, "summary": summary,
        "doc": RuleDoc(what=what, why=why, bad=bad, good=good)})


RULES = [
    _make("E001", "file-not-found", "文件不存在或无法读取",
          "指定的路径不存在，或没有读取权限。", "无法读取的文件无法检查，整次运行以退出码 2 结束，其余文件照常检查。",
          "ecocheck lint 不存在的报告.docx", "确认路径拼写正确、文件有读取权限。"),
    _make("E002", "unsupported-file-type", "不支持的文件类型",
          "文件扩展名不是 .docx、.txt 或 .md（.markdown）。",
          "ecocheck 只能读取这几种格式；.doc、.wps 等旧格式需要先转换。",
          "ecocheck lint 报告.doc", "在 Word/WPS 中“另存为” .docx 后再检查：ecocheck lint 报告.docx"),
    _make("E003", "corrupt-docx", ".docx 文件损坏或不是 Word 文档",
          "文件不是合法的 zip 容器、zip 被截断，或缺少 word/document.xml。",
          "损坏的文件无法可靠解析，强行读取会得到错误的结果。",
          "把 .txt 或图片改名为 .docx；下载中断导致文件不完整。", "用 Word/WPS 打开并重新保存为 .docx。"),
    _make("E004", "encrypted-docx", "文档已加密",
          "文档设置了打开密码（OLE 加密容器）。", "加密内容无法读取。",
          "设置了“用密码进行加密”的 .docx", "在 Word 中取消密码保护后另存一份再检查。"),
    _make("E005", "legacy-word-format", "旧版 .doc/.wps 文件被改名为 .docx",
          "文件实际是 Word 97-2003（.doc）或 WPS 的二进制格式，只是扩展名为 .docx。",
          "二进制格式无法按 .docx 解析。", "把 报告.doc 直接改名为 报告.docx",
          "在 Word/WPS 中打开，选择“另存为”→ Word 文档（*.docx）。"),
    _make("E006", "empty-file", "文件为空", "文件没有任何内容（0 字节或只有空白）。",
          "空文件多半是保存失败或复制出错，提交前应确认。", "0 字节的 报告.txt", "确认保存了正确的文件。"),
    _make("E007", "undecodable-text", "文本文件无法解码或不是文本",
          "文本文件不是 UTF-8、UTF-16（带 BOM）或 GB18030/GBK 编码，或含有二进制内容。",
          "强行解码会得到乱码，检查结果不可信；ecocheck 从不“替换”无法解码的字符。",
          "把 PDF 或图片改名为 .txt；用罕见编码保存的文本。", "用编辑器另存为 UTF-8 编码的 .txt。"),
    _make("E008", "malformed-xml", ".docx 内部 XML 不合法",
          "document.xml 等部件不是合法的 XML。", "内容可能已被第三方工具破坏，解析结果不可信。",
          "被脚本错误修改的 .docx", "用 Word 打开（Word 会尝试修复）后重新保存。"),
    _make("E009", "file-too-large", "文件或其中的部件过大（可能是 zip 炸弹）",
          "文件本身、或 .docx 中某个部件解压后的大小超过上限（默认 document.xml 64 MiB）。",
          "异常巨大的部件通常是恶意构造的 zip 炸弹，解压会耗尽内存；上限可在配置中调整。",
          "声明解压后 1 GiB 的 document.xml", "确认文件来源；正常的报告远小于上限，必要时在配置 limits 中调高。"),
    _make("E010", "unsafe-xml", ".docx 含有 DTD/实体声明",
          "XML 部件中出现 <!DOCTYPE> 或实体声明。Word 生成的文档从不包含这些内容。",
          "实体扩展（“十亿笑”攻击）和外部实体可以耗尽内存或读取本机文件，ecocheck 拒绝解析。",
          "document.xml 以 <!DOCTYPE …[<!ENTITY …>]> 开头", "用 Word 重新保存文档。"),
    _make("E011", "not-a-regular-file", "不是普通文件（管道、设备等），未读取",
          "路径指向命名管道（FIFO）、设备（如 /dev/zero）或套接字，而不是普通文件。",
          "读取这类“文件”可能永远读不完或永远等待，检查会卡死；ecocheck 只读取普通文件。",
          "reports/x.txt 是指向 /dev/zero 的符号链接", "换成真正的文件，或把它从检查范围中排除。"),
    _make("E012", "link-outside-tree", "符号链接指向被检查目录之外，未读取",
          "文件是符号链接，其目标不在被检查的目录（直接给出的文件：当前目录）之内。",
          "跟随指向目录外的链接会读出、打印甚至复制（--annotate）无关的文件，例如 /etc/passwd 或密钥文件；"
          "默认不跟随。",
          "reports/x.txt -> /home/user/.ssh/id_rsa", "把文件复制进仓库；确需检查链接目标时加 --follow-symlinks。"),
    _make("E100", "rule-crashed", "某条规则运行出错",
          "一条规则（内置、规则包或插件提供）在检查本文件时抛出异常，或运行超过时间上限"
          "（配置 limits.rule-seconds，默认 60 秒；例如回溯过多的正则）。",
          "出错的规则被跳过，其余规则照常检查；消息里写明规则和来源，便于报告给维护者。",
          "插件规则访问了不存在的属性而崩溃", "升级或禁用出错的插件（配置 disable-plugins）。"),
    _make("E101", "plugin-failed", "插件加载失败",
          "通过 ecocheck 入口点注册的插件无法导入，或其钩子抛出异常。",
          "失败的插件被逐个点名报告，而不是悄悄消失。", "插件依赖未安装导致 ImportError",
          "安装插件依赖，或用 disable-plugins 禁用它。"),
    _make("E102", "fix-time-limit", "自动修复或生成批注副本超时",
          "--fix 写入修复或 --annotate 写入批注时，单个文件的处理超过时间上限"
          "（与规则相同：配置 limits.rule-seconds，默认 60 秒）。",
          "异常构造的文档（例如一段里有上万处问题）不能让整次运行停住；该文件不被修改、不生成副本，其余文件照常处理。",
          "一段数十万字、含数万处问题的文档，生成批注副本超过 60 秒", "拆分文档，或在配置 limits 中调高 rule-seconds。"),
    _make("E200", "config-error", "配置文件有误",
          "配置文件语法错误、含未知键或取值非法。", "配置错误时 ecocheck 以退出码 2 结束，而不是忽略配置。",
          "ecocheck.yaml 中写了 selct: [H]", "把键名改为 select。"),
    _make("E202", "usage-error", "命令行用法有误",
          "命令行中有未知的选项或命令、缺少参数、取值无效，或选项互相冲突（例如 --baseline 与 --write-baseline 同用），"
          "以及 ecocheck explain 查不到的规则。",
          "用法错误在检查开始之前就报告（一行、带代码，退出码 2），不会先检查完所有文件再失败。",
          "ecocheck lint -f xml draft.docx", "ecocheck lint -f json draft.docx（可用格式见 ecocheck lint -h）"),
    _make("E201", "rule-pack-error", "规则包有误",
          "YAML 规则包语法错误、缺少必填键、含未知键或正则无效。", "规则包在加载时就报错，并指明文件、行和键。",
          "extends: exist", "extends: existence"),
]
