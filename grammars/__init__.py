"""Lark grammars, installed as the ``ecocheck.grammars`` package."""
