"""Storage: the content-addressed blob store and durable (synced) file writes."""
