"""Releases: versioned dumps with VoID/DCAT, checksums, changeset and changelog."""
