"""Export: self-contained bundles, WACZ packages with CDXJ, and the HTML/PDF evidence report."""
