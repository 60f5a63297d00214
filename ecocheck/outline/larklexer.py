"""The custom Lark lexer of the ``document`` start symbol, in a module of its own.

The outline builder turns paragraphs into tokens itself, so the "lexer" hands them
through.  It lives at module level (not inside a function) because a saved parser
(see ``grammar.cached_parser``) refers to it by name, and in its own module so that
importing the grammar helpers does not import Lark.
"""

from __future__ import annotations

from lark.lexer import Lexer


class ParagraphTokens(Lexer):
    """Custom lexer (interface 0): the input is already a list of paragraph tokens."""

    __future_interface__ = 0

    def __init__(self, lexer_conf):
        pass

    def lex(self, data):  # type: ignore[override]
        return iter(data)
