"""Single-user server hook of the local hub (scripts/hub/jupyterhub_config.py).

Notebook 6.4 signs a notebook it saves (so that its SVG/HTML/JS outputs are shown again when
it is reopened) before nbformat 5.5 writes it, and that write gives the cells the ids the
classic frontend does not send (nbformat 4.5 needs them). The file then no longer matches its
signature: every notebook saved in the classic UI came back "not trusted", its plots reduced
to text. Giving the cells their ids before the signature is made keeps the two in step.
"""
import uuid


def add_cell_ids(model, **kwargs):
    """ContentsManager.pre_save_hook: an id for every cell of an nbformat >= 4.5 notebook that has none."""
    if model.get('type') != 'notebook':
        return
    nb = model.get('content') or {}
    if (nb.get('nbformat', 0), nb.get('nbformat_minor', 0)) < (4, 5):
        return
    for cell in nb.get('cells', []):
        if not cell.get('id'):
            cell['id'] = uuid.uuid4().hex[:8]
