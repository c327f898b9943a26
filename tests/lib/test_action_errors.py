import pytest
from django.core.exceptions import ValidationError

from jiandu.lib.action_errors import refuse, required_text, required_texts


def test_required_text_strips_or_refuses_on_the_field():
    assert required_text("  理由 ", "reason", "请填写理由。") == "理由"
    with pytest.raises(ValidationError) as exc:
        required_text(" \n", "reason", "请填写理由。")
    assert exc.value.message_dict == {"reason": ["请填写理由。"]}


def test_required_texts_collects_every_blank_field_and_refuse_raises_them():
    errors = {"unit": "请选择单位。"}
    texts = required_texts(
        errors, ("title", " 标题 ", "请填写标题。"), ("facts", None, "请写明事实。")
    )
    assert texts == {"title": "标题", "facts": ""}
    assert errors == {"unit": "请选择单位。", "facts": "请写明事实。"}
    with pytest.raises(ValidationError) as exc:
        refuse(errors)
    assert exc.value.message_dict == {"unit": ["请选择单位。"], "facts": ["请写明事实。"]}
    refuse({})
