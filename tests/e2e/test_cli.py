"""`tributary check` and `serve` on good and bad manifests."""
import re
import subprocess

from conftest import BINARY, ROOT, SAMPLE_MANIFEST

BAD = """server:
  listen: localhost
  public_url: "not a url"
agents:
  - { name: demo, token: "${TRIBUTARY_TEST_UNSET_TOKEN}" }
channels:
  - id: web
    kind: webchat
    settings:
      max_text_length: lots
  - id: web
    kind: carrier-pigeon
"""


def run(*args):
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_check_accepts_the_sample_manifest():
    result = run("check", "--manifest", str(SAMPLE_MANIFEST))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_check_reports_every_problem_with_file_line_and_key(tmp_path):
    manifest = tmp_path / "bad.yaml"
    manifest.write_text(BAD)
    result = run("check", "--manifest", str(manifest))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(manifest))]
    located = {}
    for line in lines[:-1]:
        match = re.match(rf"{re.escape(str(manifest))}:(\d+):\d+: (\S+): (.*)", line)
        assert match, line
        located[match.group(2)] = (int(match.group(1)), match.group(3))
    assert located["server.listen"][0] == 2
    assert located["server.public_url"][0] == 3
    assert located["agents[0].token"][0] == 5 and "TRIBUTARY_TEST_UNSET_TOKEN is not set" in located["agents[0].token"][1]
    assert located["channels[0].settings.max_text_length"][0] == 10
    assert located["channels[1].id"][0] == 11 and "duplicate" in located["channels[1].id"][1]
    assert located["channels[1].kind"][0] == 12 and "carrier-pigeon" in located["channels[1].kind"][1]
    assert lines[-1].endswith("6 problems found")


def test_serve_refuses_an_invalid_manifest_with_the_same_report(tmp_path):
    manifest = tmp_path / "bad.yaml"
    manifest.write_text(BAD)
    result = run("serve", "--manifest", str(manifest), "--port", "0", "--database", str(tmp_path / "db.sqlite"))
    assert result.returncode == 1
    assert "listening" not in result.stdout
    assert run("check", "--manifest", str(manifest)).stderr == result.stderr
    assert not (tmp_path / "db.sqlite").exists()


def test_check_reports_a_broken_plugin_file_by_its_own_file_and_line(tmp_path):
    plugin = tmp_path / "chatbot.yaml"
    plugin.write_text("""name: chatbot
settings:
  token: secret
inbound:
  auth: { scheme: hmac_sha512, header: X-Sig, secret: "{{settings.token}}" }
  dedupe_key: /id
  map: { conversation: chat, text: /text }
""")
    manifest = tmp_path / "hub.yaml"
    manifest.write_text("""channels:
  - id: bot
    kind: webhook
    plugin: chatbot.yaml
    settings: { token: "${BOT_TOKEN:-x}" }
  - id: sms
    kind: sms
    settings: { account_sid: AC1, auth_token: written-in-the-file, from: "+15005550006", api_base: "ftp://x" }
""")
    result = run("check", "--manifest", str(manifest))
    assert result.returncode != 0
    lines = result.stderr.splitlines() + result.stdout.splitlines()
    assert any(re.search(r"chatbot\.yaml:5:\d+: inbound\.auth\.scheme: unknown scheme 'hmac_sha512'", line) for line in lines), lines
    assert any(re.search(r"chatbot\.yaml:7:\d+: inbound\.map\.conversation: expected a JSON pointer", line) for line in lines), lines
    assert any("channels[1].settings.auth_token: secrets must come from the environment" in line for line in lines), lines
    assert any("channels[1].settings.api_base: URL scheme must be one of http, https" in line for line in lines), lines


WEBHOOKS_AND_MAIL = """agents:
  - { name: demo, token: "${TRIBUTARY_DEMO_TOKEN:-demo-token}" }
webhooks:
  - id: crm
    url: ftp://crm.example.com/hooks
    events: [message.received, message.recieved]
    secret: ${CRM_SECRET:-whsec_tooshort}
  - id: crm
    url: https://crm.example.com/hooks
    secret: plain
channels:
  - id: mail
    kind: email
    settings:
      imap_url: imap://mail.example.com:143/INBOX
      mailbox: Archive
      smtp_url: smtp://mail.example.com:587
      username: support
      password: ${MAIL_PASSWORD:-x}
      from: support@example.com
"""


def test_check_validates_webhooks_and_a_mailbox_named_twice(tmp_path):
    manifest = tmp_path / "hooks.yaml"
    manifest.write_text(WEBHOOKS_AND_MAIL)
    result = run("check", "--manifest", str(manifest))
    assert result.returncode == 1
    problems = {}
    for line in result.stderr.splitlines():
        match = re.match(rf"{re.escape(str(manifest))}:(\d+):\d+: (\S+): (.*)", line)
        if match:
            problems[match.group(2)] = (int(match.group(1)), match.group(3))
    assert problems["webhooks[0].url"][0] == 5 and "scheme" in problems["webhooks[0].url"][1]
    assert problems["webhooks[0].events[1]"][0] == 6 and "message.recieved" in problems["webhooks[0].events[1]"][1]
    assert problems["webhooks[0].secret"][0] == 7 and "whsec_" in problems["webhooks[0].secret"][1]
    assert problems["webhooks[1].id"][0] == 8 and "duplicate" in problems["webhooks[1].id"][1]
    assert problems["webhooks[1].secret"][0] == 10 and "environment" in problems["webhooks[1].secret"][1]
    assert problems["channels[0].settings.imap_url"][0] == 15 and "mailbox" in problems["channels[0].settings.imap_url"][1]


def test_every_command_that_opens_the_database_takes_database(tmp_path):
    database = tmp_path / "elsewhere.sqlite"
    csv = tmp_path / "people.csv"
    csv.write_text("name,phone\nLi Lei,+8613800138000\n")
    imported = run("import", "customers", str(csv), "--manifest", str(SAMPLE_MANIFEST), "--database", str(database))
    assert imported.returncode == 0, imported.stderr
    assert database.exists()
    merged = run("customers", "merge", "1", "1", "--manifest", str(SAMPLE_MANIFEST), "--database", str(database))
    assert "--database" not in merged.stderr, merged.stderr
    # `sync` takes it too: tests/e2e/test_marketplace.py runs every sync with --database.
