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
