"""ecocheck.engine."""
