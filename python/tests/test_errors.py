"""Bad input gives one clear line: keys (length, digits, missing file, no configuration) and payloads."""

from __future__ import annotations

import subprocess
import sys

import pytest

from aegis_watermark import WatermarkConfig, WatermarkConfigError, WatermarkKey, parse_payload
from aegis_watermark.engine import SamplerCache, config_from_environment, payload_from_headers

GOOD = "0123456789abcdef" * 4


def one_line(error: pytest.ExceptionInfo) -> str:
    message = str(error.value)
    assert "\n" not in message and message, "the error must be one non-empty line"
    return message


def test_a_key_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(WatermarkConfigError) as error:
        WatermarkKey.from_hex(GOOD[:-2])
    assert "64 hex digits (got 62 characters)" in one_line(error)


def test_a_key_that_is_not_hex_is_refused() -> None:
    with pytest.raises(WatermarkConfigError) as error:
        WatermarkKey.from_hex("z" + GOOD[1:])
    assert "not all hex digits" in one_line(error)


def test_a_missing_key_file_is_refused(tmp_path) -> None:
    with pytest.raises(WatermarkConfigError) as error:
        WatermarkKey.from_file(tmp_path / "absent.key")
    assert "does not exist" in one_line(error) and "aegis keys new" in one_line(error)


def test_a_key_file_with_a_bad_key_names_the_file(tmp_path) -> None:
    path = tmp_path / "short.key"
    path.write_text("abcd\n")
    with pytest.raises(WatermarkConfigError) as error:
        WatermarkKey.from_file(path)
    assert str(path) in one_line(error) and "64 hex digits" in one_line(error)


def test_a_key_file_as_aegis_keys_new_writes_it_loads(tmp_path) -> None:
    path = tmp_path / "good.key"
    path.write_text(GOOD + "\n")
    assert WatermarkKey.from_file(path) == WatermarkKey.from_hex(GOOD)
    assert GOOD not in repr(WatermarkKey.from_file(path))


def test_no_key_configured_says_which_variable() -> None:
    with pytest.raises(WatermarkConfigError) as error:
        config_from_environment({})
    assert "AEGIS_WATERMARK_KEY_FILE" in one_line(error)


def test_environment_configuration(tmp_path) -> None:
    path = tmp_path / "k"
    path.write_text(GOOD)
    config = config_from_environment({"AEGIS_WATERMARK_KEY_FILE": str(path), "AEGIS_WATERMARK_SCHEME": "SynthID"})
    assert (config.scheme, config.payload_bits, config.context_width) == ("synthid", 8, 4)
    with pytest.raises(WatermarkConfigError) as error:
        config_from_environment({"AEGIS_WATERMARK_KEY_FILE": str(path), "AEGIS_WATERMARK_SCHEME": "unigram"})
    assert "unknown watermark scheme" in one_line(error)
    with pytest.raises(WatermarkConfigError) as error:
        config_from_environment({"AEGIS_WATERMARK_KEY_FILE": str(path), "AEGIS_WATERMARK_DELTA": "lots"})
    assert "AEGIS_WATERMARK_DELTA" in one_line(error)


@pytest.mark.parametrize("value, fragment", [
    (-1, "does not fit in 8 bits"), (256, "does not fit in 8 bits"), ("92x", "decimal whole number"),
    ("", "decimal whole number"), (1.5, "whole number"), (True, "whole number"), (None, "whole number"),
    ("٣", "decimal whole number"),
])
def test_invalid_payloads_are_refused(value: object, fragment: str) -> None:
    with pytest.raises(WatermarkConfigError) as error:
        parse_payload(value, 8)
    assert fragment in one_line(error)


def test_valid_payloads() -> None:
    assert parse_payload(" 92 ", 8) == 92
    assert parse_payload(255, 8) == 255
    assert parse_payload(4294967295, 32) == 4294967295
    cache = SamplerCache(WatermarkConfig("kgw", WatermarkKey.from_hex(GOOD), payload_bits=8))
    assert cache.sampler(92).shift == 92
    with pytest.raises(WatermarkConfigError):
        cache.sampler(300)


def test_options_out_of_range_are_refused() -> None:
    key = WatermarkKey.from_hex(GOOD)
    for options, fragment in [({"gamma": 1.0}, "--gamma"), ({"context_width": 33}, "--context"),
                              ({"layers": 0}, "--layers"), ({"payload_bits": 8, "payload": 256}, "does not fit")]:
        with pytest.raises(WatermarkConfigError) as error:
            WatermarkConfig("kgw", key, **options).validate()
        assert fragment in one_line(error)


def test_the_command_reports_a_bad_key_in_one_line(tmp_path) -> None:
    key = tmp_path / "bad.key"
    key.write_text("not a key")
    prompts = tmp_path / "p.jsonl"
    prompts.write_text('{"prompt": "hi"}\n')
    model = tmp_path / "m.gguf"
    model.write_bytes(b"")
    result = subprocess.run([sys.executable, "-m", "aegis_watermark", "generate", "--gguf", str(model), "--key-file", str(key),
                             "--scheme", "kgw", "--prompts", str(prompts), "--out", str(tmp_path / "o.jsonl")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ") and "64 hex digits" in result.stderr
    result = subprocess.run([sys.executable, "-m", "aegis_watermark", "generate", "--gguf", str(model), "--key-file", str(tmp_path / "k"),
                             "--scheme", "kgw", "--payload", "-3", "--prompts", str(prompts), "--out", "-"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_the_payload_header() -> None:
    assert payload_from_headers({"x-aegis-payload": "92", "Content-Type": "application/json"}, 8) == 92
    assert payload_from_headers({}, 8) == 0
    with pytest.raises(WatermarkConfigError) as error:
        payload_from_headers({"X-Aegis-Payload": "0x5c"}, 8)
    assert "decimal whole number" in one_line(error)
