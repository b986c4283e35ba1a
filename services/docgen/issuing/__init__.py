"""Issuing: a draft gets the next number of its register and becomes a văn bản đi."""
