"""A throwaway dovecot (IMAP) with two mailboxes and an aiosmtpd (SMTP) that delivers into the
customer's, for process-level email tests."""
import mailbox
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"port {port} never opened")


class MailServers:
    USERS = {"support": "support-pass", "customer": "customer-pass"}

    def __init__(self):
        self.root = pathlib.Path(tempfile.mkdtemp(prefix="tributary-mail-"))
        os.chmod(self.root, 0o755)
        # smtp_port delivers into the customer's mailbox (where the hub's replies land);
        # inbound_smtp_port into the support mailbox the hub polls.
        self.imap_port, self.smtp_port, self.inbound_smtp_port = free_port(), free_port(), free_port()
        self.imaps_port = free_port()
        # A private certificate authority's certificate for 127.0.0.1, for the imaps listener.
        self.certificate = self.root / "server.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(self.root / "server.key"),
                        "-out", str(self.certificate)], check=True, capture_output=True)
        os.chmod(self.root / "server.key", 0o644)
        for user in self.USERS:
            for folder in ("", "cur", "new", "tmp"):
                path = self.root / "mail" / user / folder
                path.mkdir(parents=True, exist_ok=True)
                os.chmod(path, 0o777)
        os.chmod(self.root / "mail", 0o777)
        (self.root / "passwd").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in self.USERS.items()))
        (self.root / "dovecot.conf").write_text(f"""
base_dir = {self.root}/run
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{self.root}/server.pem
ssl_key = <{self.root}/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{self.root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={self.root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    port = {self.imaps_port}
    ssl = yes
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
""")
        self.processes = [
            subprocess.Popen(["/usr/sbin/dovecot", "-F", "-c", str(self.root / "dovecot.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.smtp_port}",
                              "-c", "aiosmtpd.handlers.Mailbox", str(self.root / "mail" / "customer")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.inbound_smtp_port}",
                              "-c", "aiosmtpd.handlers.Mailbox", str(self.root / "mail" / "support")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        ]
        wait_for_port(self.imap_port)
        wait_for_port(self.imaps_port)
        wait_for_port(self.smtp_port)
        wait_for_port(self.inbound_smtp_port)

    def deliver(self, user, message: bytes):
        """As a delivery agent does: straight into the user's maildir."""
        box = mailbox.Maildir(self.root / "mail" / user, create=False)
        key = box.add(message)
        os.chmod(self.root / "mail" / user / "new" / key, 0o666)

    def reset_uidvalidity(self, user):
        """What a restored or migrated mailbox looks like to a client: new UIDVALIDITY, UIDs from 1."""
        for name in os.listdir(self.root / "mail" / user):
            if name.startswith("dovecot"):
                path = self.root / "mail" / user / name
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def stop(self):
        for process in self.processes:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)
