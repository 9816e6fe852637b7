"""The protocol's and the registry's facts in plain Python: ID ranges and Labels, field names,
paths, versions, the definition parser, the payload codecs and the reading of a payload against
definitions the caller gives (typed_payload, encoding). Imports nothing of Django or of the
other layers."""
