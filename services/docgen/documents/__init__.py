"""Official documents: the data models every template of the catalogue renders."""
