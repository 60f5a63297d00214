"""Outline stage: Document → Outline tree (Lark grammar + Transformer)."""

from .builder import build_outline, match_label
from .roles import ROLE_NAMES, SectionConfig, default_section_config

__all__ = ["build_outline", "match_label", "SectionConfig", "default_section_config", "ROLE_NAMES"]
