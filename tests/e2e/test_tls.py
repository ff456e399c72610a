"""HTTPS served by the binary itself (server.tls, swift-nio-ssl): curl with the test CA talks to it, a client
that does not trust the CA is refused, plain HTTP on the TLS port gets no answer, and the session cookie is
Secure; `tributary check` names a certificate file that cannot be read."""
import subprocess

import requests

from conftest import AGENT, BINARY, ROOT, Hub


def make_certificates(directory):
    """A test CA and a server certificate for 127.0.0.1 signed by it."""
    run = lambda *args: subprocess.run(args, cwd=directory, check=True, capture_output=True)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Tributary test CA")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (directory / "san.ext").write_text("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
        "-days", "2", "-extfile", "san.ext")


def manifest(directory, certificate):
    path = directory / "hub.yaml"
    path.write_text(f"""
server: {{ listen: 127.0.0.1:0, tls: {{ certificate: {certificate}, key: {directory / 'server.key'} }} }}
agents: [{{ name: demo, token: "${{TLS_TEST_TOKEN:-demo-token}}" }}]
channels:
  - {{ id: web, kind: webchat }}
""")
    return path


def test_the_hub_serves_https_with_its_certificate(tmp_path):
    make_certificates(tmp_path)
    hub = Hub(tmp_path, manifest=manifest(tmp_path, tmp_path / "server.pem")).start()
    try:
        base = f"https://127.0.0.1:{hub.port}"
        curl = subprocess.run(["curl", "-sS", "--cacert", str(tmp_path / "ca.pem"), f"{base}/healthz"], capture_output=True, text=True,
                              timeout=30)
        assert curl.returncode == 0 and '"ok"' in curl.stdout, curl.stderr
        untrusted = subprocess.run(["curl", "-sS", f"{base}/healthz"], capture_output=True, text=True, timeout=30)
        assert untrusted.returncode != 0 and "certificate" in untrusted.stderr.lower()
        assert requests.get(f"{base}/api/v1/channels", headers=AGENT, verify=str(tmp_path / "ca.pem"), timeout=10).status_code == 200
        plain = subprocess.run(["curl", "-sS", "-m", "5", f"http://127.0.0.1:{hub.port}/healthz"], capture_output=True, text=True,
                               timeout=30)
        assert plain.returncode != 0
        created = requests.post(f"{base}/api/v1/agents", headers=AGENT, verify=str(tmp_path / "ca.pem"), timeout=10, json={
            "name": "Tls", "email": "tls@example.org", "password": "secure-cookie-26", "role": "agent"})
        assert created.status_code == 201
        login = requests.post(f"{base}/api/v1/auth/login", json={"email": "tls@example.org", "password": "secure-cookie-26"},
                              verify=str(tmp_path / "ca.pem"), timeout=10)
        assert "Secure" in login.headers["Set-Cookie"]
    finally:
        hub.stop()


def test_check_names_an_unreadable_certificate(tmp_path):
    make_certificates(tmp_path)
    checked = subprocess.run([str(BINARY), "check", "--manifest", str(manifest(tmp_path, tmp_path / "missing.pem"))],
                             capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert checked.returncode == 1
    assert "hub.yaml:2:" in checked.stderr and "server.tls.certificate" in checked.stderr and "missing.pem" in checked.stderr
