"""The SynthKG benchmark: a graph generator, a query mix, servers side by side."""
