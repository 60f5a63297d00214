"""ecocheck: a linter for Chinese public-body reports."""

__version__ = "0.1.0"
