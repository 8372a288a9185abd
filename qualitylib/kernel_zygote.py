"""Notebook kernels forked from one process that has already imported what every notebook imports.

A fresh kernel spends about 2 s of CPU before a notebook's first line does any work: starting IPython's
kernel and importing pandas, Matplotlib and qualitylib. A run executes 8 notebooks (each in two
languages), so that fixed cost was a quarter of a run after one changed document. Here one process (the
*zygote*) imports all of it once; each kernel is a fork of it, started in a few milliseconds.

How it fits jupyter_client, which starts a kernel as a command and then watches that process:

* :func:`start` runs ``python -m qualitylib.kernel_zygote SOCKET`` (the zygote): it listens on a Unix
  socket at once, imports :data:`PRELOAD`, then serves requests;
* the kernel manager (:func:`qualitylib.notebook_execution.local_kernel_manager`) replaces the kernel
  command ``python -m ipykernel_launcher -f FILE`` with ``python kernel_launcher.py SOCKET -f FILE``: a
  launcher of a few lines that sends its arguments, folder and environment to the zygote, gets the
  forked kernel's pid, passes on the signals it receives (interrupt, terminate) and exits with the
  kernel's exit status. If the launcher is killed the zygote kills its kernel; if the zygote cannot be
  reached the launcher starts an ordinary kernel instead (``exec``), so a run never depends on it.

Each kernel starts from the same state, so outputs stay byte-identical across runs and ``-j``.
"""
from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

__all__ = ["PRELOAD", "LAUNCHER", "Zygote", "start", "serve"]

#: What every notebook imports; each import here is one fewer in every kernel.
PRELOAD = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "IPython.display", "ipykernel.kernelapp",
           "qualitylib.notebook", "qualitylib.viz", "qualitylib.analysis.themes", "qualitylib.analysis.indicator_table")
#: The launcher jupyter_client starts in place of ``ipykernel_launcher`` (a script: importing the
#: package would cost what the zygote saves).
LAUNCHER = Path(__file__).resolve().parent / "kernel_launcher.py"


class Zygote:
    """The zygote of one run, started when the first kernel is wanted (a run with every notebook up to
    date starts none). ``socket_path()``: where the launcher reaches it, or None when it could not be
    started or has been closed (kernels are then started the ordinary way). ``close()`` stops it and
    its kernels."""

    def __init__(self, folder: str | os.PathLike[str], cwd: str | os.PathLike[str]) -> None:
        self.path = Path(folder) / "zygote.sock"
        self.cwd = Path(cwd)
        self._process: subprocess.Popen | None = None
        self._failed = False
        self._lock = threading.Lock()

    def socket_path(self) -> str | None:
        with self._lock:
            if self._process is None and not self._failed:  # failed, or closed: ordinary kernels from now on
                try:
                    self._process = start(self.path, self.cwd)
                except (OSError, RuntimeError):
                    self._failed = True
            return str(self.path) if self._process is not None and self._process.poll() is None else None

    def close(self) -> None:
        with self._lock:
            if self._process is not None:
                self._process.stdin.close()  # the zygote's signal to stop
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
                self._process = None
            self._failed = True


def start(path: str | os.PathLike[str], cwd: str | os.PathLike[str]) -> subprocess.Popen:
    """Start a zygote listening on ``path``; returns once the socket exists (its imports go on in the
    background: the first request waits for them). It stops when its standard input is closed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in [str(Path(__file__).resolve().parents[1]),
                                                                    os.environ.get("PYTHONPATH", "")] if p)}
    process = subprocess.Popen([sys.executable, "-m", "qualitylib.kernel_zygote", str(path)], cwd=str(cwd),
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    line = process.stdout.readline()
    if line.strip() != b"listening":
        process.kill()
        process.wait()
        raise RuntimeError(f"the kernel zygote did not start: {line!r}")
    return process


class _KernelShell:
    """What pandas sees of a Jupyter kernel at import (``get_ipython().kernel``): it sets its display
    defaults then (at most 20 columns shown in a kernel, the terminal's width in a terminal)."""

    kernel = True


def _preload() -> None:
    import builtins
    import importlib

    builtins.get_ipython = _KernelShell  # type: ignore[attr-defined]
    try:
        for module in PRELOAD:
            importlib.import_module(module)
    finally:
        del builtins.get_ipython  # type: ignore[attr-defined]


def _fork_kernel(request: dict, listener: socket.socket, clients: dict) -> int:
    """Fork one kernel for ``request`` (``argv``, ``cwd``, ``env``). Output: the kernel's pid (parent)."""
    pid = os.fork()
    if pid:
        return pid
    # the kernel: none of the zygote's sockets, its own session, the launcher's folder and environment
    code = 1
    try:
        listener.close()
        for conn in list(clients):
            conn.close()
        os.setsid()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=list(request["argv"]))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001,S110 - reported as the exit status
        pass
    finally:
        os._exit(code)  # a child must never return into the zygote's loop


def _send(conn: socket.socket, message: dict) -> None:
    try:
        conn.sendall((json.dumps(message) + "\n").encode("utf-8"))
    except OSError:
        pass


def serve(path: str) -> None:
    """The zygote's loop: accept launchers, fork a kernel for each, report its exit, kill the kernel of
    a launcher that went away, and stop (killing every kernel) when standard input closes."""
    Path(path).unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    sys.stdout.write("listening\n")
    sys.stdout.flush()
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # nobody reads the pipe from now on: it must never fill
    # as a kernel would have them before its imports: the inline backend, and a parent to watch
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    _preload()
    if threading.active_count() != 1:
        # a fork copies only the forking thread: a lock another thread held would stay locked forever in
        # every kernel. Stop; the launchers then start ordinary kernels
        listener.close()
        Path(path).unlink(missing_ok=True)
        return
    clients: dict[socket.socket, int | None] = {}
    buffers: dict[socket.socket, bytes] = {}
    stdin = sys.stdin.fileno()
    try:
        while True:
            readable, _, _ = select.select([listener, stdin, *clients], [], [], 0.2)
            if stdin in readable and not os.read(stdin, 1024):
                return
            if listener in readable:
                conn, _ = listener.accept()
                clients[conn], buffers[conn] = None, b""
            for conn in [c for c in readable if c in clients]:
                data = conn.recv(65536)
                if not data:  # the launcher is gone: so must its kernel be
                    pid = clients.pop(conn)
                    buffers.pop(conn, None)
                    if pid is not None:
                        _kill(pid)
                    conn.close()
                    continue
                buffers[conn] += data
                if clients[conn] is None and b"\n" in buffers[conn]:
                    request = json.loads(buffers[conn].split(b"\n", 1)[0])
                    clients[conn] = _fork_kernel(request, listener, clients)
                    _send(conn, {"pid": clients[conn]})
            _reap(clients, buffers)
    finally:
        for conn, pid in clients.items():
            if pid is not None:
                _kill(pid)
            conn.close()
        listener.close()
        Path(path).unlink(missing_ok=True)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _reap(clients: dict, buffers: dict) -> None:
    """Tell each launcher whose kernel exited its exit status."""
    for conn, pid in list(clients.items()):
        if pid is None:
            continue
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done, status = pid, 0
        if done:
            _send(conn, {"exit": os.waitstatus_to_exitcode(status) if status else 0})
            clients.pop(conn)
            conn.close()
            buffers.pop(conn, None)


if __name__ == "__main__":
    serve(sys.argv[1])
