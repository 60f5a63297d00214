"""ecocheck.reporters."""
