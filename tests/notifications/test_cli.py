"""``civitas notifications ...`` run as a person runs it: a real process, real exit codes."""

from __future__ import annotations

import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

from pypdf import PdfReader

from civitas.db import create_engine_for
from civitas.notifications import SqlNotificationStore
from civitas.notifications.mail_sink import read_maildir
from tests.notifications.conftest import NOW
from tests.notifications.support import offer, require_pango
from tests.support.live_server import free_port, server_environment, stop
from tests.test_cli import civitas


def test_status_counts_the_deliveries_by_channel_and_state(tmp_path: Path) -> None:
    empty = civitas("notifications", "status", cwd=tmp_path, data_dir=str(tmp_path / "data"))
    assert empty.returncode == 0, empty.stderr
    assert "No notices have been kept yet." in empty.stdout
    engine = create_engine_for(f"sqlite:///{tmp_path / 'data' / 'civitas.db'}")
    SqlNotificationStore(engine).keep([offer(), offer("decision:2", address=None)], NOW)
    engine.dispose()
    result = civitas("notifications", "status", cwd=tmp_path, data_dir=str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    cells = [
        [cell.strip() for cell in line.strip("│ ").split("│")]
        for line in result.stdout.splitlines()
        if "│" in line
    ]
    rows = {row[0]: row[1:] for row in cells}
    header = "┃ Channel ┃ Delivered ┃ Pending ┃ Sent ┃ Printed ┃ Waiting ┃ Failed ┃"
    assert header in result.stdout
    assert rows["portal"] == ["2", "0", "0", "0", "0", "0"]
    assert rows["letter"] == ["0", "1", "0", "0", "0", "1"]


def test_preview_shows_a_template_filled_in_and_writes_its_letter(tmp_path: Path) -> None:
    require_pango()
    letter = tmp_path / "offer.pdf"
    result = civitas(
        "notifications", "preview", "offer-made", "--lang", "pt", "--letter", str(letter),
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Subject: Pode receber: Abono de família" in result.stdout
    assert "O valor é 120,50" in result.stdout
    assert "Link: Aceitar a proposta" in result.stdout
    assert "Pode receber: Abono de família" in PdfReader(letter).pages[0].extract_text()


def test_preview_of_an_unknown_template_is_an_error_with_a_hint(tmp_path: Path) -> None:
    result = civitas("notifications", "preview", "offer-mdae", cwd=tmp_path)
    assert result.returncode == 1
    assert "Error: There is no message template 'offer-mdae'." in result.stderr
    assert "Hint: Use a template of the country pack's notifications.yaml." in result.stderr
    unknown = civitas("notifications", "preview", "offer-made", "--lang", "fr", cwd=tmp_path)
    assert "Error: The country pack has no language 'fr'." in unknown.stderr


def test_the_mail_sink_keeps_what_it_receives_in_a_maildir(tmp_path: Path) -> None:
    port, folder = free_port(), tmp_path / "mail"
    command = [*("notifications", "mail-sink", "--port", str(port), "--folder", str(folder))]
    with (tmp_path / "sink.err").open("wb") as stderr:
        sink = subprocess.Popen(
            [sys.executable, "-m", "civitas", *command],
            cwd=tmp_path,
            env=server_environment(tmp_path / "data"),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = "a@example.org", "b@example.org", "Olá"
        email.set_content("Uma mensagem.")
        deadline = time.monotonic() + 30
        while True:
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
                    smtp.send_message(email)
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "sink.err").read_text()
                time.sleep(0.1)
    finally:
        stop(sink)
    (kept,) = read_maildir(folder)
    assert kept["Subject"] == "Olá"
    assert kept.get_content().strip() == "Uma mensagem."
