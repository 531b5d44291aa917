"""Helpers of the deployment tests: the README's production block, a clean environment,
a server process group, plain HTTP requests with chosen headers."""
import http.client
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def readme_section(title):
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, f"README has no section '## {title}'"
    return match.group(1)


def production_block():
    """The one ```sh block of the README's "Production" section, as written."""
    blocks = re.findall(r"^```sh\n(.*?)^```", readme_section("Production"), re.S | re.M)
    assert len(blocks) == 1, f"the Production section should have exactly one sh block, found {len(blocks)}"
    return blocks[0]


def substitute(block, replacements):
    """Replace each placeholder (which must be in the block) by its value."""
    for placeholder, value in replacements.items():
        assert placeholder in block, f"placeholder {placeholder!r} is no longer in the README's production block"
        block = block.replace(placeholder, value)
    return block


def clean_env(**extra):
    """What a fresh login shell on the server has: no variable of this test run."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER") if name in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    env.update(extra)
    return env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(cmd, *, env, log_path, cwd=ROOT):
    """A process in its own session (so stop() ends the whole group)."""
    log = open(log_path, "w", encoding="utf-8")
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc, timeout=40):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def log_tail(log_path, chars=6000):
    try:
        return Path(log_path).read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return ""


def get(port, path, headers=None, method="GET", body=None, timeout=60):
    """(status, headers as a case-insensitive message, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def wait_for(proc, port, path, headers, log_path, timeout):
    """Poll until ``path`` answers 200; fail with the log if the process ends first."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"exited with {proc.returncode} before serving:\n{log_tail(log_path)}")
        try:
            status, _h, _b = get(port, path, headers, timeout=30)
            if status == 200:
                return
            last = status
        except OSError as exc:
            last = exc
        time.sleep(1)
    raise AssertionError(f"no 200 from {path} after {timeout} s (last: {last}):\n{log_tail(log_path)}")
