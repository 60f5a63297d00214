"""Configuration: reading config files, their schema, discovery, and per-file resolution."""

from .settings import Config

__all__ = ["Config"]
