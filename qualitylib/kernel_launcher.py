"""Start one notebook kernel by asking the run's kernel zygote to fork it (:mod:`qualitylib.kernel_zygote`).

``python kernel_launcher.py SOCKET -f CONNECTION_FILE``: jupyter_client runs this in place of
``python -m ipykernel_launcher -f CONNECTION_FILE`` and watches this process as if it were the kernel.
It passes on the signals it gets and exits with the kernel's exit status. When the zygote cannot be
reached it becomes an ordinary kernel. Kept to the standard library: it must start in milliseconds.
"""
import json
import os
import signal
import socket
import sys


def _ordinary_kernel(argv):
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])


def main(argv):
    path, kernel_argv = argv[0], argv[1:]
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        conn.sendall((json.dumps({"argv": kernel_argv, "cwd": os.getcwd(), "env": dict(os.environ)}) + "\n")
                     .encode("utf-8"))
        reader = conn.makefile("r", encoding="utf-8")
        first = reader.readline()
        pid = int(json.loads(first)["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        conn.close()
        _ordinary_kernel(kernel_argv)
        return 1

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, forward)
    while True:
        try:
            line = reader.readline()
        except InterruptedError:
            continue
        if not line:  # the zygote went away, and with it the kernel
            return 1
        code = int(json.loads(line).get("exit", 1))
        return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
