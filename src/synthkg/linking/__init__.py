"""Links from our papers to the same works in other scholarly graphs (Wikidata, DBLP,
OpenAlex), found over their SPARQL endpoints and written to ``data/links.ttl``.

See ``synthkg.linking.run.link_papers`` for the procedure and ``docs/data-model.md``
("Links to other graphs") for what is written.
"""
