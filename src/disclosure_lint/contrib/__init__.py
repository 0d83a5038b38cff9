"""Recipes for running dlint beyond one machine (optional extras)."""
