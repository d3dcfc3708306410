"""Triples to bytes: N-Triples/N-Quads, Turtle, JSON-LD (the full graph and the embeddable schema.org object), HTML
pages, the VoID description, and ``formats``, the one registry of names, extensions and media types.

Each format is its own module, imported on use: writing N-Triples needs neither rdflib's serialisers nor pyld.
"""
