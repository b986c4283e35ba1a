"""The library every vanthu service imports: configuration, database, bus, storage, web."""
