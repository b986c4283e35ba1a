"""Working-day calendars as data: one JSON file per year (``2025.json``).

Each file lists the weekend (ISO weekdays), the days off of public bodies (public
holidays, Tết as decided for that year, compensating days off) and the Saturdays
worked in exchange for a bridged day. A day whose ``confirmed`` is false was not
checked against the year's official notice (UNCONFIRMED): check before relying on it.
"""
