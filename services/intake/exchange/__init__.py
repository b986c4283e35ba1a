"""Incoming edXML: register, answer, let the clerk accept or reject; failed packets."""
