"""What a payload is read against: an object version and its resources as the registry defines
them, in plain Python. objects/catalog/decode.py loads them from the database."""

from dataclasses import dataclass


@dataclass
class ResourceModel:
    resource_id: int
    name: str
    type: str
    units: str
    operations: str
    multiple: bool
    mandatory: bool
    range_enumeration: str


@dataclass
class ObjectModel:
    object_id: int
    ver: str
    name: str
    is_latest: bool
    resources: dict[int, ResourceModel]  # by resource ID
    url: str = ""  # the object's page, set by whoever loads it (objects/catalog/decode.py)


# The object versions a payload is read against, by ObjectID.
Models = dict[int, ObjectModel]
