"""`civitas exchange keys` and `civitas exchange verify-log`, run through their typer app."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from civitas.config import DEMO_PACK
from civitas.core.clock import FixedClock
from civitas.exchange import (
    FileMessageLog,
    KeysInvalid,
    load_exchange,
    load_signer,
    load_trust_list,
    log_path,
    open_provider,
)
from civitas.exchange.cli import exchange_app
from civitas.exchange.keys import key_path, trust_list_path

MEMBERS = load_exchange(DEMO_PACK).member_codes


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        exchange_app, list(args), env={"CIVITAS_COUNTRY_PACK": str(DEMO_PACK)}
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_keys_makes_a_private_key_per_member_and_the_trust_list(tmp_path: Path) -> None:
    code, output = invoke("keys", "--data-dir", str(tmp_path))
    assert code == 0
    assert "made a key for tax-authority" in output
    for member in MEMBERS:
        assert key_path(tmp_path, member).stat().st_mode & 0o777 == 0o600
    listed = json.loads(trust_list_path(tmp_path).read_text())["keys"]
    assert [k["kid"] for k in listed] == list(MEMBERS)
    assert all("d" not in k and k["crv"] == "Ed25519" for k in listed)
    assert load_trust_list(trust_list_path(tmp_path)).members == MEMBERS


def test_running_keys_again_keeps_every_key(tmp_path: Path) -> None:
    invoke("keys", "--data-dir", str(tmp_path))
    before = key_path(tmp_path, "tax-authority").read_bytes()
    code, output = invoke("keys", "--data-dir", str(tmp_path))
    assert code == 0
    assert f"kept the keys of {len(MEMBERS)} member(s)" in output
    assert key_path(tmp_path, "tax-authority").read_bytes() == before


def test_key_problems_say_which_file_and_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(KeysInvalid) as missing:
        load_signer(tmp_path, "tax-authority")
    assert missing.value.render()[1] == "Make the keys with: civitas exchange keys"
    invoke("keys", "--data-dir", str(tmp_path))
    path = key_path(tmp_path, "tax-authority")
    os.chmod(path, 0o644)
    with pytest.raises(KeysInvalid, match="can be read by other users"):
        load_signer(tmp_path, "tax-authority")
    os.chmod(path, 0o600)
    path.write_text('{"kty": "OKP", "crv": "Ed25519", "kid": "someone-else", "x": "", "d": ""}')
    with pytest.raises(KeysInvalid, match="its kid is 'someone-else'"):
        load_signer(tmp_path, "tax-authority")


def test_a_broken_trust_list_lists_each_bad_key(tmp_path: Path) -> None:
    invoke("keys", "--data-dir", str(tmp_path))
    path = trust_list_path(tmp_path)
    keys = json.loads(path.read_text())["keys"]
    keys[1]["crv"] = "X25519"
    keys.append(keys[0])
    path.write_text(json.dumps({"keys": keys}))
    with pytest.raises(KeysInvalid) as broken:
        load_trust_list(path)
    assert [e.dotted_path for e in broken.value.errors] == ["keys[1]", f"keys[{len(keys) - 1}].kid"]
    assert broken.value.errors[0].file == "trust-list.json"


def test_a_party_whose_key_is_not_in_the_trust_list_does_not_start(tmp_path: Path) -> None:
    invoke("keys", "--data-dir", str(tmp_path))
    path = trust_list_path(tmp_path)
    keys = [k for k in json.loads(path.read_text())["keys"] if k["kid"] != "tax-authority"]
    path.write_text(json.dumps({"keys": keys}))
    with pytest.raises(Exception, match="does not hold the current key of tax-authority"):
        open_provider(DEMO_PACK, tmp_path, "tax-authority", "tax")


def written_log(data_dir: Path, clock: FixedClock) -> Path:
    invoke("keys", "--data-dir", str(data_dir))
    path = log_path(data_dir, "tax-authority", "tax")
    signer = load_signer(data_dir, "tax-authority")
    log = FileMessageLog(path, "tax-authority/tax", signer, clock, seal_every=3, background=False)
    for n in range(4):
        log.append("message", {"n": n})
    log.close()
    return path


def test_verify_log_says_an_intact_log_is_intact(tmp_path: Path, clock: FixedClock) -> None:
    path = written_log(tmp_path, clock)
    code, output = invoke("verify-log", str(path))  # the trust list is found above the log
    assert code == 0
    assert (
        "the log of tax-authority/tax, 7 entries, 2 valid seal(s), sealed up to entry 7." in output
    )
    assert "The log is intact." in output


def test_verify_log_names_each_tampered_entry_and_exits_1(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = written_log(tmp_path, clock)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[1] = lines[1].replace(b'"n":0', b'"n":5')
    del lines[4]
    path.write_bytes(b"".join(lines))
    code, output = invoke("verify-log", str(path), "--trust-list", str(trust_list_path(tmp_path)))
    assert code == 1
    assert (
        "Tampered: Entry 2 (line 2) was altered: its content no longer matches its hash." in output
    )
    assert "Tampered: Entry 5 was removed: the log goes from entry 4 to entry 6 (line 5)." in output
    assert "The log was tampered with (2 problem(s) above)." in output


def test_verify_log_of_a_missing_file_says_so(tmp_path: Path) -> None:
    code, output = invoke("verify-log", str(tmp_path / "nothing.jsonl"))
    assert code == 1
    assert "There is no message log at" in output
