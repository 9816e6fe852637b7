"""The device reader's query parameters, in plain Python (the registry's side is
tests/catalog/test_device.py)."""

import pytest

from objects.lwm2m import device


@pytest.mark.parametrize("pct", ["%C2%B2", "%D9%A5", "9" * 5000], ids=["sup2", "arabic5", "long"])
def test_a_pct_that_is_no_ascii_number_is_a_parameter_not_a_crash(pct):
    # "²" and "٥" pass str.isdigit() yet int() refuses them, as it does 5000 digits.
    reading = device.read(f"POST /bs?ep=a&pct={pct}")
    param = next(p for p in reading.parameters if p.name == "pct")
    assert param.meaning == device.PARAMETERS["pct"]


def test_a_pct_names_its_content_format():
    reading = device.read("POST /bs?ep=a&pct=112")
    param = next(p for p in reading.parameters if p.name == "pct")
    assert param.meaning == device.PARAMETERS["pct"] + ": SenML CBOR"


@pytest.mark.parametrize("lt, problem", [("%C2%B2", "a whole number of seconds"), ("60", "")])
def test_a_lifetime_is_ascii_digits(lt, problem):
    reading = device.read(f"POST /rd?ep=a&lt={lt}")
    assert next(p for p in reading.parameters if p.name == "lt").problem == problem
