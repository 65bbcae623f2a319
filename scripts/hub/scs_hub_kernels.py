"""Kernel managers for the classic Notebook (6.4) single-user servers of the local hub.

A kernel that dies while it starts (a broken install: node moved, the toolbox checkout removed)
is, with the stock managers, never reported to the page: the page's websocket waits up to
kernel_info_timeout (60 s) for a reply that never comes, the restarter gives up unseen, and the
page then says "Connection failed ... check your network" and reconnects forever. Here the start
request waits for the kernel's first kernel_info reply; when the process exits first, the kernel
is removed and the request fails with the kernel's exit code and the last lines it wrote to
stderr, which the page shows as "Kernel error" with that text. The kernel's stderr still reaches
the server's log (the hub log) line by line.

Loaded by scripts/hub/jupyterhub_config.py (NotebookApp.kernel_manager_class); docs/jupyterhub.md.
"""
import asyncio
import collections
import queue
import subprocess
import sys
import threading

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.ioloop import IOLoopKernelManager
from jupyter_client.utils import run_sync
from notebook.services.kernels.kernelmanager import MappingKernelManager
from notebook.utils import maybe_future
from tornado import web

STDERR_LINES = 8


def _forward(stream, tail):
    """Copies the kernel's stderr to ours (the hub log), keeping the last lines."""
    for raw in iter(stream.readline, b''):
        line = raw.decode('utf-8', 'replace')
        tail.append(line.rstrip('\n'))
        sys.stderr.write(line)
        sys.stderr.flush()
    stream.close()


class StderrKeepingKernelManager(IOLoopKernelManager):
    """Keeps the last lines each kernel process wrote to stderr (also after restarts)."""

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        kw['stderr'] = subprocess.PIPE
        await super()._async_launch_kernel(kernel_cmd, **kw)
        self.stderr_tail = collections.deque(maxlen=STDERR_LINES)
        process = getattr(self.provisioner, 'process', None)
        if process is not None and process.stderr is not None:
            threading.Thread(target=_forward, args=(process.stderr, self.stderr_tail), daemon=True).start()

    # the sync manager's start_kernel calls _launch_kernel, bound to the base class's coroutine
    _launch_kernel = run_sync(_async_launch_kernel)


class StartCheckingKernelManager(MappingKernelManager):
    """Fails the start of a kernel that exits before its first reply, with its reason."""

    kernel_manager_class = 'scs_hub_kernels.StderrKeepingKernelManager'

    async def start_kernel(self, kernel_id=None, path=None, **kwargs):
        new = kernel_id is None or kernel_id not in self
        kernel_id = await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        if new:
            await self._first_reply_or_exit(kernel_id)
        return kernel_id

    async def _first_reply_or_exit(self, kernel_id):
        km = self.get_kernel(kernel_id)
        kc = AsyncKernelClient(session=km.session)
        kc.load_connection_info(km.get_connection_info())
        kc.start_channels(iopub=False, stdin=False, hb=False, control=False)
        msg_id = kc.kernel_info()
        deadline = asyncio.get_running_loop().time() + self.kernel_info_timeout
        try:
            while asyncio.get_running_loop().time() < deadline:
                process = getattr(km.provisioner, 'process', None)
                code = process.poll() if process is not None else None
                if code is not None:
                    await asyncio.sleep(0.1)  # the stderr thread's last lines
                    await self._report_dead(kernel_id, km, code)
                try:
                    reply = await kc.get_shell_msg(timeout=0.1)
                except queue.Empty:
                    continue
                if reply.get('parent_header', {}).get('msg_id') == msg_id:
                    return
        finally:
            kc.stop_channels()

    async def _report_dead(self, kernel_id, km, code):
        tail = [line for line in getattr(km, 'stderr_tail', []) if line.strip()]
        name = km.kernel_spec.display_name if km.kernel_spec else km.kernel_name
        self.log.error('Kernel %s (%s) exited at start with code %s: %s', kernel_id, km.kernel_name, code,
                       ' | '.join(tail) or 'no output on stderr')
        try:
            await maybe_future(self.shutdown_kernel(kernel_id, now=True))
        except Exception:  # already gone: nothing left to stop
            self.remove_kernel(kernel_id)
        message = f"The kernel '{name}' exited while starting (exit code {code})."
        if tail:
            message += ' It said:\n' + '\n'.join(tail)
        else:
            message += ' It wrote nothing to stderr; see the server log.'
        raise web.HTTPError(500, message.replace('%', '%%'), reason='Kernel died at start')
