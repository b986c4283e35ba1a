"""Outgoing edXML: one packet per recipient body, statuses tracked per recipient."""
