"""W901: 亲自 used too often (新华社 usage list: use 亲自 sparingly)."""

from __future__ import annotations

from ecocheck.engine.rule import Rule, RuleDoc
from ecocheck.engine.scopes import scope_spans
from ecocheck.model import Severity


class OverusedQinzi(Rule):
    code = "W901"
    name = "overused-qinzi"
    severity = Severity.INFO
    summary = "“亲自”用得过多"
    enabled_by_default = False  # an example: it runs only when selected (--extend-select W901)
    options = {"max_per_document": 2}
    doc = RuleDoc(
        what="统计全文“亲自”出现的次数，超过上限时，从第一次超出处开始逐处提示。",
        why="新华社新闻报道禁用词和慎用词要求“亲自”慎用；材料里处处“亲自”显得刻意，也削弱了真正需要强调之处。",
        bad="书记亲自部署、亲自推动、亲自督办、亲自过问。",
        good="书记亲自部署，推动、督办各项工作落实。",
        options={"max_per_document": "全文允许出现的次数"},
        references=["新华社《新华社新闻信息报道中的禁用词和慎用词》（“亲自”慎用）"],
    )

    def check(self, ctx):
        limit = int(ctx.options["max_per_document"])
        seen = 0
        for span in scope_spans(ctx.outline, "text"):
            text = ctx.document.paragraphs[span.paragraph].text
            start = text.find("亲自", span.start, span.end)
            while start != -1:
                seen += 1
                if seen > limit:
                    yield ctx.finding(span.paragraph, start, start + 2,
                                      f"“亲自”已出现 {seen} 次（建议不超过 {limit} 次）",
                                      suggestion="删去不必要的“亲自”")
                start = text.find("亲自", start + 2, span.end)
