"""What every service's HTTP side shares: errors, validation, auth, OpenAPI, probes."""
