"""Item pipelines, one concern each: normalize, media, detect, evidence, index."""
