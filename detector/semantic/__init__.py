"""Semantic matching: sentence embeddings for patent claims and design articles.

Models load lazily, once per process, behind one ``Embedder`` interface (``embedder.py``);
``patents.py`` turns claim-element coverage into explained signals.
"""
