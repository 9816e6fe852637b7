"""The protocol's and the registry's facts in plain Python: ID ranges and Labels, field names,
paths, versions, the definition parser. Imports nothing of Django or of the other layers."""
