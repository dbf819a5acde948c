"""Image matching beyond hashes: learned descriptors, logos, design drawings, image text."""
