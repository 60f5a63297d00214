"""ecocheck.rules."""
