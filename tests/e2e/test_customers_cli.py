"""`tributary import customers` and `tributary customers merge/undo` on the built binary,
against the same SQLite file a running hub serves."""
import os
import sqlite3
import subprocess

import requests

from conftest import AGENT, BINARY, ROOT, SAMPLE_MANIFEST, Hub, post_chat

CSV = (
    "Name,Email,Mobile,CRM ID,Notes\n"
    '"Wang, Fang",Wang.Fang@Example.com,+86 138-0013-8000,c1,"two\nlines"\n'
    "Li Lei,li@example.com,,c2,\n"
    "Bad Phone,x@example.com,12ab,c3,\n"
    "Short,row\n"
    "Li Lei again,LI@example.com,13900139000,c4,\n"
)


def cli(database, *args):
    env = dict(os.environ, TRIBUTARY_DATABASE=str(database))
    return subprocess.run(
        [str(BINARY), *args, "--manifest", str(SAMPLE_MANIFEST)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def customers(database):
    if not database.exists():
        return 0
    with sqlite3.connect(database) as db:
        return db.execute("SELECT COUNT(*) FROM customer").fetchone()[0]


def test_a_bad_row_names_line_and_column_and_imports_nothing_unless_skip_bad(tmp_path):
    database = tmp_path / "hub.sqlite"
    source = tmp_path / "crm.csv"
    source.write_text(CSV)

    refused = cli(database, "import", "customers", str(source))
    assert refused.returncode == 1
    assert "line 5, column phone: '12ab' is not a phone number in region CN" in refused.stderr
    assert "line 6, column -: 2 fields, the header has 5" in refused.stderr
    assert "nothing imported" in refused.stderr
    assert not database.exists(), "a refused import does not even create the database"

    imported = cli(database, "import", "customers", str(source), "--skip-bad")
    assert imported.returncode == 0, imported.stderr
    assert "3 rows" in imported.stdout
    summary = dict(line.split() for line in imported.stdout.splitlines()[1:] if len(line.split()) == 2)
    assert summary == {"created": "2", "matched": "1", "merged": "0", "proposals": "0"}
    assert "rejected   2 (lines 5, 6)" in imported.stdout
    assert "100% 3/3 rows" in imported.stderr
    with sqlite3.connect(database) as db:
        identities = set(db.execute("SELECT kind, value FROM identity").fetchall())
    assert ("phone", "+8613800138000") in identities
    assert ("email", "wang.fang@example.com") in identities
    assert ("external_id", "crm:c4") in identities

    again = cli(database, "import", "customers", str(source), "--skip-bad")
    assert "created    0" in again.stdout and "matched    3" in again.stdout
    assert customers(database) == 2

    malformed = tmp_path / "broken.csv"
    malformed.write_text('name,email\n"Ann,ann@example.com\n')
    result = cli(database, "import", "customers", str(malformed), "--skip-bad")
    assert result.returncode == 1
    assert "line 2: a quoted field is never closed; nothing imported" in result.stderr


def test_merge_and_undo_from_the_command_line_while_the_hub_serves(tmp_path):
    hub = Hub(tmp_path).start()
    try:
        first = post_chat(hub, {"id": "a1", "text": "first visitor", "name": "Ann"}).json()["customer"]
        second = post_chat(hub, {"id": "b1", "text": "second visitor", "name": "Ann L."}).json()["customer"]
        assert first != second

        merged = cli(hub.database, "customers", "merge", str(first), str(second), "--reason", "same person")
        assert merged.returncode == 0, merged.stderr
        merge_id = int(merged.stdout.split("(merge ")[1].split(")")[0])
        profile = requests.get(hub.url(f"/api/v1/customers/{second}"), headers=AGENT, timeout=10).json()
        assert profile["id"] == first and profile["redirected_from"] == second
        events = requests.get(hub.url(f"/api/v1/customers/{first}/timeline"), headers=AGENT, timeout=10).json()["events"]
        assert [e["summary"] for e in events] == ["second visitor", "first visitor"]
        trail = requests.get(hub.url(f"/api/v1/customers/{first}/merges"), headers=AGENT, timeout=10).json()["merges"]
        assert trail[0]["actor"] == "cli" and trail[0]["reason"] == "same person"

        assert "already one customer" in cli(hub.database, "customers", "merge", str(second), str(first)).stdout
        itself = cli(hub.database, "customers", "merge", str(first), str(first))
        assert itself.returncode == 1 and "cannot be merged with itself" in itself.stderr

        undone = cli(hub.database, "customers", "undo", str(merge_id))
        assert undone.returncode == 0, undone.stderr
        again = cli(hub.database, "customers", "undo", str(merge_id))
        assert again.returncode == 1 and "already undone" in again.stderr
        alone = requests.get(hub.url(f"/api/v1/customers/{second}/timeline"), headers=AGENT, timeout=10).json()
        assert alone["customer"] == second and [e["summary"] for e in alone["events"]] == ["second visitor"]
        # The hub still takes traffic after the command line wrote to its database.
        assert post_chat(hub, {"id": "c1", "text": "third"}).status_code == 201
    finally:
        hub.stop()
