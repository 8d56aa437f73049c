"""Curation by hand: adding, correcting and removing papers, each with a provenance record."""
