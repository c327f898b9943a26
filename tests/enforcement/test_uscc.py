from jiandu.enforcement.uscc import error, is_valid, make


def test_known_valid_code_passes():
    assert is_valid("91350100M000100Y43")
    assert is_valid(" 91350100m000100y43 ")


def test_wrong_check_character_fails_with_chinese_reason():
    assert not is_valid("91350100M000100Y44")
    assert "校验位" in error("91350100M000100Y44")


def test_wrong_length_and_characters_fail():
    assert "18位" in error("9135")
    assert "不允许" in error("91350100M000100IO3")


def test_make_completes_a_valid_code():
    assert is_valid(make("91330000MA2000001"))
