"""storywire's workers (cleaner, dedup, summarizer), their shared runtime and CLI."""
