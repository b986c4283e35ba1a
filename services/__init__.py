"""The three vanthu services: intake, docgen and archive."""
