"""ecocheck.cli."""
