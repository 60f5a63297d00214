"""ecocheck.plugin."""
