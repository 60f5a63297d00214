"""A run over files: suppression, the results cache, the baseline, the GC pause, the parallel map."""
