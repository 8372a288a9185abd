"""Executing one notebook: papermill on the notebook's source, kernels on Unix sockets, and executed
copies stripped of what changes between identical runs, so reports are byte-stable. The runner plans the
runs (:mod:`qualitylib.runner`); this module carries each one out."""
from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import write_text_atomic
from .notebook_sources import notebook_from_source


_VOLATILE_NB_META = ("start_time", "end_time", "duration", "environment_variables")
_VOLATILE_CELL_META = ("start_time", "end_time", "duration")
_OWN_CELL_ID = re.compile(r"^nb\d\d-\d\d$")  # ids given by notebook_sources.notebook_from_source


def clean_notebook(nb: Any, output_name: str | None = None, input_name: str | None = None) -> Any:
    """Strip what changes between identical runs: papermill timestamps and durations, per-cell
    execution timestamps (``metadata.execution``), the random ids of cells papermill inserts
    (injected parameters, error markers: renumbered by position), and paths (input: file name;
    output: ``output_name``). Input: a NotebookNode. Output: a cleaned deep copy."""
    nb = copy.deepcopy(nb)
    pm = nb.metadata.get("papermill", {})
    for key in _VOLATILE_NB_META:
        pm.pop(key, None)
    if input_name is not None:
        pm["input_path"] = input_name
    elif pm.get("input_path"):
        pm["input_path"] = Path(str(pm["input_path"])).name
    if "output_path" in pm:
        pm["output_path"] = output_name or (Path(pm["output_path"]).name if pm["output_path"] else pm["output_path"])
    for i, cell in enumerate(nb.cells):
        if "id" in cell and not _OWN_CELL_ID.match(str(cell["id"])):
            cell["id"] = f"papermill-{i:02d}"

        cell.metadata.pop("execution", None)
        cpm = cell.metadata.get("papermill")
        if cpm is not None:
            for key in _VOLATILE_CELL_META:
                cpm.pop(key, None)
    return nb


def _without_iri_checker() -> None:
    """Keep ``rfc3987_syntax`` from being imported in this process. jsonschema (under nbformat's
    validator) imports it, when installed (JupyterLab brings it), only to check the "iri" string
    format, which no notebook schema uses; importing it builds a grammar and took 3 of the 4.5 s that
    importing papermill costs the runner before its first notebook."""
    import sys

    sys.modules.setdefault("rfc3987_syntax", None)  # None: `import rfc3987_syntax` raises ImportError


def export_html(nb: Any, title: str) -> str:
    """HTML export of a (cleaned) notebook with nbconvert's ``HTMLExporter``; deterministic for a
    given notebook (the title is passed in rather than taken from a path)."""
    _without_iri_checker()
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


@dataclass
class NotebookRun:
    notebook: str
    lang: str
    output: Path
    params: dict[str, Any]
    city: str | None = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def label(self) -> str:
        extra = f", city={self.city}" if self.city else ""
        return f"{self.notebook}.ipynb (lang={self.lang}{extra})"


def failure_message(exc: BaseException, run: NotebookRun) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        first = next((ln for ln in str(exc.source).splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")
        return (f"notebook {run.label} failed in cell {exc.cell_index} (In [{exc.exec_count}]: {first.strip()[:80]!r}): "
                f"{exc.ename}: {exc.evalue}")
    return f"notebook {run.label} failed: {type(exc).__name__}: {exc}"


def local_kernel_manager(socket_dir: str, cwd: str | os.PathLike[str], zygote=None):
    """A kernel manager whose kernels talk over Unix sockets in ``socket_dir`` instead of TCP on
    localhost: nothing listens on a network port, and every kernel no longer prints the warning "Kernel
    is running over TCP without encryption" (16 of them drowned the progress lines). Their own log lines
    go nowhere (see below). ``zygote``: a :class:`qualitylib.kernel_zygote.Zygote` the kernels are forked
    from (Python kernels of this interpreter only; others start the ordinary way)."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class LocalKernelManager(AsyncKernelManager):
        #: variables added to the kernel's environment (one run's: see :func:`execute`)
        extra_env: dict[str, str] = {}

        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("ip")
        def _default_ip(self):
            # one socket prefix per kernel: kernels started side by side never pick the same socket
            return os.path.join(socket_dir, f"kernel-{uuid.uuid4().hex[:12]}")

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # The kernel process's own stderr carries only its logging ("KeyboardInterrupt caught in
            # kernel" at every shutdown); errors in a notebook reach the runner through the kernel
            # protocol and are reported with their cell.
            kw.setdefault("stderr", subprocess.DEVNULL)
            # the kernel's working folder is set for its process alone: papermill's ``cwd`` would chdir
            # the whole runner, which is not safe with runs side by side
            kw.setdefault("cwd", str(cwd))
            if self.extra_env:
                kw["env"] = {**(kw.get("env") or os.environ), **self.extra_env}
            return await super()._async_launch_kernel(_forked(kernel_cmd, zygote), **kw)

    return LocalKernelManager


def _forked(kernel_cmd: list[str], zygote) -> list[str]:
    """``python -m ipykernel_launcher ARGS`` of this interpreter -> the zygote's launcher with ``ARGS``;
    any other kernel command as it is."""
    at = next((i for i in range(1, len(kernel_cmd) - 1) if kernel_cmd[i:i + 2] == ["-m", "ipykernel_launcher"]), None)
    if zygote is None or at is None:
        return kernel_cmd
    try:
        same = os.path.samefile(kernel_cmd[0], sys.executable)
    except OSError:
        same = False
    path = zygote.socket_path() if same else None
    if path is None:
        return kernel_cmd
    from .kernel_zygote import LAUNCHER

    return [sys.executable, str(LAUNCHER), path, *kernel_cmd[at + 2:]]


def execute(run: NotebookRun, source: Path, *, kernel_name: str, export: bool = True, kernel_manager=None,
            env: dict[str, str] | None = None) -> None:
    """Input: a planned run and its notebook's percent-script source; ``env``: variables for the kernel
    of this run alone (needs a ``kernel_manager`` from :func:`local_kernel_manager`). Output: none; runs
    the notebook with papermill into a temporary file, then writes the cleaned executed copy (kept also
    when a cell fails, with the error in it) and its HTML export atomically, and records ``seconds`` and
    ``error`` on ``run``."""
    _without_iri_checker()
    import nbformat
    import papermill as pm

    if env:
        if kernel_manager is None:
            raise ValueError("a kernel environment needs a kernel manager from local_kernel_manager()")
        kernel_manager = type("RunKernelManager", (kernel_manager,), {"extra_env": {**kernel_manager.extra_env, **env}})

    tmp = run.output.with_name(f".{run.output.stem}.{os.getpid()}.running.ipynb")
    run.output.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    try:
        source_nb = notebook_from_source(source)
        pm.execute_notebook(
            source_nb, str(tmp), parameters=run.params, kernel_name=kernel_name,
            progress_bar=False, log_output=False,
            request_save_on_cell_execute=False,
            **({"kernel_manager_class": kernel_manager} if kernel_manager is not None else {}),
        )
    except Exception as exc:  # noqa: BLE001 - report any failure, keep going with the others
        run.error = failure_message(exc, run)
    finally:
        run.seconds = time.monotonic() - start
        try:
            if tmp.is_file():
                nb = clean_notebook(nbformat.read(str(tmp), as_version=4), run.output.name, f"{run.notebook}.py")
                write_text_atomic(run.output, nbformat.writes(nb) + "\n")
                if export:
                    write_text_atomic(run.output.with_suffix(".html"), export_html(nb, run.output.stem))
        finally:
            tmp.unlink(missing_ok=True)
