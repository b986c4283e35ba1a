"""docgen: everything produced and sent out — templates, rendering, numbering, issuing."""
