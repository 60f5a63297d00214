"""Built-in YAML rule packs, installed as the ``ecocheck.packs`` package."""
