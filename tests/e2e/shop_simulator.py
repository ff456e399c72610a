"""samples/marketplace_simulator.py as a test's shop: started empty on a free port with the test's webhook
secret and API token, stopped after the test module."""
import contextlib
import re
import subprocess
import sys

from conftest import ROOT


@contextlib.contextmanager
def running_simulator(secret, token):
    """Yields the simulator's base URL (`http://127.0.0.1:PORT`)."""
    process = subprocess.Popen([sys.executable, str(ROOT / "samples" / "marketplace_simulator.py"), "--port", "0", "--orders", "0",
                                "--secret", secret, "--token", token], stdout=subprocess.PIPE, text=True)
    try:
        yield re.search(r"(http://127\.0\.0\.1:\d+)", process.stdout.readline()).group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)
