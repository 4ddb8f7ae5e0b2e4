import pytest

from articles.importing import DecodeError, decode_page


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
