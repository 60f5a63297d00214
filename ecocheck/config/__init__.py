"""Configuration: ``settings`` (Config, the values of one file's configuration), ``read`` (YAML and
TOML config files), ``schema`` (the keys and their checks), ``discover`` (finding config files and
ignore patterns), ``resolve`` (per file: the nearest config file with the command line over it)."""

from .settings import Config

__all__ = ["Config"]
