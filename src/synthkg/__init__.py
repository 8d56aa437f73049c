"""SynthKG: the knowledge graph of the synthetic data generation literature."""

__version__ = "0.1.0"
