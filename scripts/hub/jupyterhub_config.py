# JupyterHub configuration of the local hub that scripts/hub-local.sh starts (tests, trying
# things on a laptop). Everything comes from the environment hub-local.sh sets, so this one
# file serves every state folder and port. Facts and decisions: docs/jupyterhub.md.
import os
import sys

state = os.environ['HUB_LOCAL_STATE']
port = int(os.environ['HUB_LOCAL_PORT'])
repo = os.environ['HUB_LOCAL_REPO']
c = get_config()  # noqa: F821 (provided by traitlets when JupyterHub loads this file)

# loopback only: the public port, the proxy's API and the hub's own API
c.JupyterHub.bind_url = f'http://127.0.0.1:{port}'
c.JupyterHub.hub_ip = '127.0.0.1'
c.JupyterHub.hub_port = port + 2
c.ConfigurableHTTPProxy.api_url = f'http://127.0.0.1:{port + 1}'
c.ConfigurableHTTPProxy.auth_token = os.environ['HUB_LOCAL_PROXY_TOKEN']
# the npm-pinned proxy of this repository, not whatever is on PATH
c.ConfigurableHTTPProxy.command = [os.path.join(repo, 'node_modules', '.bin', 'configurable-http-proxy')]
c.ConfigurableHTTPProxy.pid_file = os.path.join(state, 'proxy.pid')

c.JupyterHub.db_url = 'sqlite:///' + os.path.join(state, 'jupyterhub.sqlite')
c.JupyterHub.cookie_secret_file = os.path.join(state, 'cookie_secret')
c.JupyterHub.pid_file = os.path.join(state, 'hub.pid')
c.JupyterHub.cleanup_servers = True   # "down" stops the single-user servers too
c.JupyterHub.cleanup_proxy = True

# No system users: any user name with the shared password (written to the state folder).
c.JupyterHub.authenticator_class = 'jupyterhub.auth.DummyAuthenticator'
c.DummyAuthenticator.password = os.environ['HUB_LOCAL_PASSWORD']
c.Authenticator.admin_users = {'admin'}

# A service token for scripts and tests (start/stop servers, read users) through the REST API.
c.JupyterHub.services = [{'name': 'scs-hub-local', 'api_token': os.environ['HUB_LOCAL_API_TOKEN']}]
c.JupyterHub.load_roles = [{
    'name': 'scs-hub-local',
    'scopes': ['admin:users', 'admin:servers', 'access:servers', 'tokens', 'list:users', 'read:users'],
    'services': ['scs-hub-local'],
}]

# Single-user servers: the classic Notebook UI (notebook 6.4), as the hub's own process user,
# each with a home of its own under the state folder.
c.JupyterHub.spawner_class = 'jupyterhub.spawner.SimpleLocalProcessSpawner'
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(state, 'home', '{username}')
c.Spawner.ip = '127.0.0.1'
c.Spawner.default_url = '/tree'
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60
c.Spawner.cmd = [os.path.join(os.path.dirname(sys.executable), 'jupyterhub-singleuser')]
# A kernel that dies while starting is reported in the page with its exit code and stderr
# (scripts/hub/scs_hub_kernels.py) instead of a minute of "starting" and "Connection failed".
# A kernel killed in its first 10 s is restarted by jupyter_client 7 on new ports, which the
# page's open connection (notebook 6.4) never follows: it would wait forever. Same ports: it
# reconnects and shows the restarted kernel. Cells get their ids before the notebook is signed,
# or saved notebooks reopen untrusted (scripts/hub/scs_hub_contents.py).
c.Spawner.args = ['--NotebookApp.kernel_manager_class=scs_hub_kernels.StartCheckingKernelManager',
                  '--KernelRestarter.random_ports_until_alive=False',
                  '--FileContentsManager.pre_save_hook=scs_hub_contents.add_cell_ids']
if os.getuid() == 0:
    c.Spawner.args.append('--allow-root')
c.Spawner.environment = {
    'JUPYTERHUB_SINGLEUSER_APP': 'notebook.notebookapp.NotebookApp',
    # scs_hub_kernels and scs_hub_contents (the server options above)
    'PYTHONPATH': os.pathsep.join(p for p in [os.path.join(repo, 'scripts', 'hub'), os.environ.get('PYTHONPATH', '')] if p),
    # system-wide kernels of this hub (scs kernel install --prefix <state>/sys-prefix)
    'JUPYTER_PATH': os.pathsep.join(p for p in [os.path.join(state, 'sys-prefix', 'share', 'jupyter'),
                                                 os.environ.get('HUB_LOCAL_JUPYTER_PATH', '')] if p),
}
c.Spawner.env_keep = ['PATH', 'LANG', 'LC_ALL', 'EXFEL_DATA_ROOT', 'NODE_OPTIONS']
