"""The registry's field names, one home for each map: the keys of the Registry API and the
elements of a definition and of Common.xml, and the column each is stored in (objects/models.py
names its columns after these)."""

# (column, API key) of a registry entry's text values (the rest are numbers and flags).
ENTRY_TEXT_FIELDS = (
    ("urn", "URN"), ("name", "Name"), ("description", "Description"), ("owner", "Owner"),
    ("object_link", "ObjectLink"), ("spec_link", "SpecLink"), ("vorto_link", "VortoLink"),
)  # fmt: skip
# (column, element) of a definition's object-level values stored in its version's row.
DEFINITION_FIELDS = (
    ("name", "Name"), ("multiple_instances", "MultipleInstances"), ("mandatory", "Mandatory"),
    ("description2", "Description2"),
)  # fmt: skip
# (element, column) of a resource <Item> of a definition, and in the per-version API.
RESOURCE_FIELDS = (
    ("Name", "name"), ("Operations", "operations"), ("MultipleInstances", "multiple_instances"),
    ("Mandatory", "mandatory"), ("Type", "type"), ("RangeEnumeration", "range_enumeration"),
    ("Units", "units"), ("Description", "description"),
)  # fmt: skip
# (element, column) of a Common.xml <Item>: a resource's, without instances and Mandatory (each
# object says those), with who registered it and its specification.
COMMON_FIELDS = (
    ("Name", "name"), ("Operations", "operations"), ("Type", "type"),
    ("RangeEnumeration", "range_enumeration"), ("Units", "units"), ("Submitter", "submitter"),
    ("Description", "description"), ("TS", "spec_link"),
)  # fmt: skip
# (element, column) in which an object's copy of a reusable resource must agree with
# Common.xml (the registry's own validation: "Description is different").
COMMON_CHECKED = (
    ("Name", "name"),
    ("Type", "type"),
    ("Units", "units"),
    ("Description", "description"),
)
