from kyoyaku.text import municipalities


def test_seed_codes_come_from_the_national_list():
    assert municipalities.resolve("水戸市").municipality.code == "082015"
    assert municipalities.resolve("小美玉市").municipality.code == "082368"
    assert municipalities.by_code("082368").name == "小美玉市"


def test_national_list_has_every_municipality():
    assert len(municipalities._records()) == 1741


def test_check_digit():
    assert municipalities.is_valid_code("082015")
    assert municipalities.is_valid_code("082368")
    assert not municipalities.is_valid_code("082016")
    assert not municipalities.is_valid_code("82015")
    assert all(municipalities.is_valid_code(m.code) for m in municipalities._records())


def test_prefecture_qualified_name_is_exact():
    assert municipalities.resolve("山口県岩国市").municipality.code == "352080"


def test_shared_name_is_ambiguous_unless_hinted():
    found = municipalities.resolve("川西町")
    assert found.municipality is None
    assert {m.prefecture for m in found.candidates} == {"山形県", "奈良県"}
    assert municipalities.resolve("川西町", ("奈良県",)).municipality.code == "293610"


def test_unknown_name_has_no_candidates():
    assert municipalities.resolve("架空市").candidates == ()
