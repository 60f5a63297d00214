"""ecocheck: a linter for Chinese public-body reports."""

__version__ = "0.1.0"

#: The repository URL convention used in the docs and the SARIF output: ecocheck is installed from an
#: organisation's own Git copy of this repository, so this names "your copy"; replace it in one place when
#: you publish yours (docs/ci.md).
REPOSITORY = "https://git.example.org/your-org/ecocheck"
