from collections import Counter

from objects.catalog.owners import group_owners, owner_key


def groups(counts):
    found = {}
    for group in group_owners(Counter(counts)).values():
        found[group.name] = group.spellings
    return found


def test_case_spacing_punctuation_and_company_suffixes_fold():
    assert owner_key("Huawei Technologies Co., Ltd.") == owner_key("huawei") == "huawei"
    assert owner_key("  IPSO   Alliance ") == owner_key("ipso-alliance") == "ipso alliance"
    assert owner_key("South East Water Corporation") == "south east water"
    assert owner_key("Ltd") == "ltd"  # a name is never folded to nothing


def test_the_registrys_own_spellings_group_as_an_engineer_would():
    found = groups({
        "Huawei": 1, "Huawei Technologies": 1, "Huawei Technologies Co., Ltd.": 1,
        "Vodafone": 2, "Vodafone Group Services Ltd": 5,
        "South East Water": 1, "South East Water Corporation": 27,
        "CloudMinds": 48, "CoudMinds": 2, "CloudMind": 1,
        "IPSO Alliance": 100, "OMA": 63, "TAU": 1, "TBD": 9,
    })  # fmt: skip
    assert found == {
        "Huawei": ["Huawei", "Huawei Technologies", "Huawei Technologies Co., Ltd."],
        "Vodafone Group Services Ltd": ["Vodafone Group Services Ltd", "Vodafone"],
        "South East Water Corporation": ["South East Water Corporation", "South East Water"],
        "CloudMinds": ["CloudMinds", "CoudMinds", "CloudMind"],
        "IPSO Alliance": ["IPSO Alliance"],
        "OMA": ["OMA"],
        "TAU": ["TAU"],
        "TBD": ["TBD"],
    }


def test_names_a_digit_or_more_than_a_letter_apart_stay_apart():
    found = groups({"Acme Sensors 7": 3, "Acme Sensors 8": 1, "Acme Sensors 17": 1})
    assert len(found) == 3
    assert len(groups({"Cisco": 1, "Cisca": 1})) == 2  # too short to guess
    assert len(groups({"Ericsson": 1, "Ericssen Labs": 1})) == 2
    # No chains: each name joins at most the more used one next to it, never a member.
    found = groups({"Mediatekko": 5, "Mediatekk": 3, "Mediatek": 1})
    assert found["Mediatekko"] == ["Mediatekko", "Mediatekk"]
    assert found["Mediatek"] == ["Mediatek"]


def test_eight_letters_is_where_one_letter_apart_starts():
    # Two eight-letter names a replaced letter apart: one owner, named by the more used.
    assert groups({"Ericsson": 3, "Ericssen": 1}) == {"Ericsson": ["Ericsson", "Ericssen"]}
    assert groups({"Sierrawi": 1, "Sierrawx": 2}) == {"Sierrawx": ["Sierrawx", "Sierrawi"]}
    # Eight and seven letters, a letter left out: one owner too.
    assert groups({"Ericsson": 3, "Ericson": 1}) == {"Ericsson": ["Ericsson", "Ericson"]}
    # Seven letters a letter apart are too short to guess: two owners.
    assert len(groups({"Telenor": 2, "Telenar": 1})) == 2
    assert len(groups({"Telenor": 2, "Telenr": 1})) == 2
    # Eight letters two apart: two owners.
    assert len(groups({"Ericsson": 3, "Ericssxx": 1})) == 2
