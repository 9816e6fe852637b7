"""Every value is checked against its column before the store: a value exactly at the column's
length limit is accepted, one more character refused, for each field the sync stores."""

import pytest

from objects.lwm2m.definitions import Definition
from objects.models import CommonResource, ObjectVersion, Resource
from objects.sync.field_checks import (
    BadValue,
    check_common_resource,
    check_definition_values,
    check_entry,
)
from objects.sync.metadata import Entry

# (field, column length), read from the models here: the check must agree with each column.
ENTRY_COLUMNS = ["urn", "name", "description", "owner", "object_link", "spec_link", "vorto_link"]
RESOURCE_COLUMNS = {
    "Name": "name", "Operations": "operations", "MultipleInstances": "multiple_instances",
    "Mandatory": "mandatory", "Type": "type", "RangeEnumeration": "range_enumeration",
    "Units": "units", "Description": "description",
}  # fmt: skip
COMMON_COLUMNS = {"Name": "name", "Operations": "operations", "Type": "type", "Units": "units",
                  "Description": "description", "TS": "spec_link"}  # fmt: skip
# A text column has no length of its own: the sync bounds it at 20,000 characters.
TEXT_LIMIT = 20_000


def length(model, name):
    return model._meta.get_field(name).max_length or TEXT_LIMIT


def test_the_columns_have_the_limits_these_tests_expect():
    """The edges below are real: a change of a column's length changes what they test."""
    assert length(ObjectVersion, "name") == 255
    assert length(ObjectVersion, "object_link") == 2000
    assert length(Resource, "operations") == 10
    assert length(Resource, "type") == 40


@pytest.mark.parametrize("name", ENTRY_COLUMNS)
def test_a_registry_item_value_at_its_column_limit_fits_and_one_more_does_not(name):
    limit = length(ObjectVersion, name)
    check_entry(Entry(object_id=3, ver="1.0", **{name: "a" * limit}))
    with pytest.raises(BadValue, match=f"{limit + 1:,} characters long, over {limit:,}"):
        check_entry(Entry(object_id=3, ver="1.0", **{name: "a" * (limit + 1)}))


def resource(**values):
    base = {"ID": 1, "Name": "Value", "Operations": "R", "MultipleInstances": "Single",
            "Mandatory": "Optional", "Type": "Float", "RangeEnumeration": "", "Units": "",
            "Description": ""}  # fmt: skip
    return {**base, **values}


@pytest.mark.parametrize("key, column", RESOURCE_COLUMNS.items())
def test_a_resource_value_at_its_column_limit_fits_and_one_more_does_not(key, column):
    limit = length(Resource, column)
    at_limit = Definition(name="Gauge", resources=[resource(**{key: "a" * limit})])
    check_definition_values(at_limit)
    over = Definition(name="Gauge", resources=[resource(**{key: "a" * (limit + 1)})])
    with pytest.raises(BadValue, match=f"resource 1: {key} is {limit + 1:,} characters"):
        check_definition_values(over)


def test_a_definition_name_at_its_column_limit_fits_and_one_more_does_not():
    limit = length(ObjectVersion, "name")
    check_definition_values(Definition(name="n" * limit))
    with pytest.raises(BadValue, match="Name is"):
        check_definition_values(Definition(name="n" * (limit + 1)))


@pytest.mark.parametrize("key, column", COMMON_COLUMNS.items())
def test_a_common_resource_value_at_its_column_limit_fits_and_one_more_does_not(key, column):
    limit = length(CommonResource, column)
    common = {"ID": 5700, "Name": "Sensor Value", "Operations": "R", "Type": "Float",
              "RangeEnumeration": "", "Units": "", "Submitter": "", "Description": "",
              "TS": ""}  # fmt: skip
    check_common_resource({**common, key: "a" * limit})
    with pytest.raises(BadValue, match=f"{key} is {limit + 1:,} characters"):
        check_common_resource({**common, key: "a" * (limit + 1)})
