"""The e-office exchange: what travels between vanthu and the provincial e-office system.

Packets are edXML (``shared.edxml``) on RabbitMQ (``shared.bus.topology``:
``vanthu.eoffice.out`` for ours, ``vanthu.eoffice.in`` for theirs, both routed
by the recipient's OrganId). ``status`` keeps each recipient's line of statuses.
"""
