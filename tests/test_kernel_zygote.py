"""Kernels forked from the run's zygote: they run code as ordinary kernels do (with a Jupyter kernel's pandas
display defaults), die with their launcher and with the zygote, give the same executed notebook as an
ordinary kernel, and a launcher that cannot reach the zygote starts an ordinary kernel."""
from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest

from qualitylib.kernel_zygote import Zygote
from qualitylib.notebook_execution import NotebookRun, execute, local_kernel_manager

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets and fork")


def _gone(pid: int, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _kernel_facts(manager_class) -> tuple[list[str], int]:
    """Start one kernel, ask it for its pid, its parent's and pandas' column limit, kill it. Output:
    (its answer, the pid of the process jupyter_client started)."""
    async def go():
        km = manager_class(kernel_name="python3")
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            out = []
            await kc.execute_interactive(
                "import os, pandas; print(os.getpid(), os.getppid(), pandas.get_option('display.max_columns'))",
                output_hook=lambda m: out.append(m["content"].get("text", "")), timeout=60)
            started = km.provisioner.process.pid
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
        return "".join(out).split(), started

    return asyncio.run(go())


def test_a_forked_kernel_runs_code_and_goes_with_its_launcher_and_the_zygote(tmp_path):
    zygote = Zygote(tmp_path, tmp_path)
    try:
        (pid, parent, max_columns), launcher = _kernel_facts(local_kernel_manager(str(tmp_path), tmp_path, zygote))
        assert int(parent) == zygote._process.pid != launcher  # forked by the zygote, watched through the launcher
        assert max_columns == "20"  # what pandas sets when imported inside a Jupyter kernel
        assert _gone(int(pid)), "the kernel outlived its launcher"
    finally:
        zygote.close()
    assert zygote.socket_path() is None and not (tmp_path / "zygote.sock").exists()


class _Unreachable:
    def socket_path(self) -> str:
        return "/nonexistent/zygote.sock"


def test_a_launcher_that_cannot_reach_the_zygote_starts_an_ordinary_kernel(tmp_path):
    (pid, parent, max_columns), launcher = _kernel_facts(local_kernel_manager(str(tmp_path), tmp_path, _Unreachable()))
    # the launcher became the kernel (exec): the process jupyter_client started is the kernel itself
    assert int(pid) == launcher and int(parent) == os.getpid()
    assert max_columns == "20"


def test_a_notebook_gives_the_same_executed_copy_from_a_forked_kernel(tmp_path):
    source = tmp_path / "nb.py"
    source.write_text("# %%\nimport pandas as pd\nimport numpy as np\n"
                      "pd.DataFrame(np.arange(60).reshape(2, 30))\n"
                      "# %%\nimport matplotlib\nprint(matplotlib.get_backend())\n", encoding="utf-8")
    outputs = {}
    for name, zygote in (("ordinary", None), ("forked", Zygote(tmp_path, tmp_path))):
        run = NotebookRun("nb", "zh", tmp_path / name / "nb.ipynb", {})
        try:
            execute(run, source, kernel_name="python3", export=False,
                    kernel_manager=local_kernel_manager(str(tmp_path), tmp_path, zygote))
        finally:
            if zygote is not None:
                zygote.close()
        assert run.error is None, run.error
        outputs[name] = Path(run.output).read_bytes()
    assert outputs["forked"] == outputs["ordinary"]
    assert b"..." in outputs["forked"] and b"inline" in outputs["forked"]
