"""The list's parameters (objects/catalog/list_params.py): a selection (id=...) is kept in ID
order, whatever the URL's, and narrows the list as a filter does."""

from django.http import QueryDict

from objects.catalog.list_params import ListParams


def params(query):
    return ListParams.from_query(QueryDict(query))


def test_a_selection_is_in_id_order_whatever_the_url_says():
    """One canonical URL per selection (links, exports and the stored answers share it)."""
    selection = params("id=10241,3303,9&id=3,16,1,3303")
    assert selection.ids == (1, 3, 9, 16, 3303, 10241)
    assert selection.query_string() == "?id=1%2C3%2C9%2C16%2C3303%2C10241"
    assert params("id=16,1").query_string() == params("id=1&id=16").query_string()


def test_a_selection_counts_as_a_filter():
    assert params("id=3303").filters
    assert params("id=3303").filtered
    assert not params("").filters
    assert not params("id=not-an-id").filters
