import pytest

from articles.importing import DecodeError, decode_page
from articles.importing.decode import decode


def test_utf8_and_bom():
    assert decode_page("交城".encode()) == "交城"
    assert decode_page("\ufeff交城".encode()) == "交城"


def test_gb18030():
    assert decode_page("交城县西营镇".encode("gb18030")) == "交城县西营镇"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    ],
)
def test_refused(data, code):
    with pytest.raises(DecodeError) as info:
        decode_page(data)
    assert info.value.code == code


def test_control_characters_are_removed_and_counted():
    """The same clean-up for both databases (PostgreSQL text cannot hold a
    NUL): control characters go, line breaks and tabs stay."""
    data = "交\x01城\x1b县\r\n西营镇\t举办\x07活动\r采摘节\x7f".encode()
    decoded = decode(data)
    assert decoded.text == "交城县\n西营镇\t举办活动\n采摘节"
    assert decoded.removed_controls == 4
    assert decode_page(data) == decoded.text


def test_a_nul_after_the_first_4_kb_is_cleaned_not_fatal():
    data = ("本报讯 交城县举办活动。" * 400).encode() + b"\x00\x00" + "结束。".encode()
    assert len(data) > 4096
    decoded = decode(data)
    assert "\x00" not in decoded.text and decoded.removed_controls == 2
