"""The F7xx rules: GB/T 9704-2012 document format checks for .docx."""

from .page import PageMargins, PageSize
from .page_number import PageNumberFormat, PageNumberMissing
from .spacing import LineSpacing
from .text import BodyFont, BodyIndent, HeadingBold, HeadingFont, TitleAlignment, TitleFont

RULES = [PageSize, PageMargins, TitleFont, TitleAlignment, BodyFont, BodyIndent, LineSpacing, HeadingFont,
         HeadingBold, PageNumberMissing, PageNumberFormat]

__all__ = ["RULES"] + [r.__name__ for r in RULES]
