"""Packaged data files (section synonyms, genre profiles)."""
