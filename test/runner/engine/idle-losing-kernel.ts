/**
 * A minimal real kernel (Python, jupyter_client's Session over pyzmq) that leaves out the idle
 * status after any cell containing `lose-idle`, as tslab sometimes does: the engines must then
 * take the execute_reply as final after their grace period.
 */
export const IDLE_LOSING_KERNEL = String.raw`
import json, sys, zmq
from jupyter_client.session import Session

cfg = json.load(open(sys.argv[1]))
session = Session(key=cfg['key'].encode(), signature_scheme=cfg['signature_scheme'])
ctx = zmq.Context()

def bind(kind, port):
    sock = ctx.socket(kind)
    sock.bind('tcp://%s:%d' % (cfg['ip'], port))
    return sock

shell, control = bind(zmq.ROUTER, cfg['shell_port']), bind(zmq.ROUTER, cfg['control_port'])
stdin, iopub, hb = bind(zmq.ROUTER, cfg['stdin_port']), bind(zmq.PUB, cfg['iopub_port']), bind(zmq.REP, cfg['hb_port'])
poller = zmq.Poller()
for sock in (shell, control, hb):
    poller.register(sock, zmq.POLLIN)
count = 0
info = {'status': 'ok', 'protocol_version': '5.3', 'implementation': 'idle-losing', 'implementation_version': '1',
        'language_info': {'name': 'text', 'version': '1', 'mimetype': 'text/plain', 'file_extension': '.txt'}, 'banner': ''}
while True:
    for sock, _ in poller.poll():
        if sock is hb:
            hb.send(hb.recv())
            continue
        idents, msg = session.recv(sock)
        if msg is None:
            continue
        kind = msg['header']['msg_type']
        status = lambda state: session.send(iopub, 'status', {'execution_state': state}, parent=msg)
        status('busy')
        if kind == 'kernel_info_request':
            session.send(sock, 'kernel_info_reply', info, parent=msg, ident=idents)
        elif kind == 'execute_request':
            count += 1
            code = msg['content']['code']
            session.send(iopub, 'stream', {'name': 'stdout', 'text': code}, parent=msg)
            session.send(sock, 'execute_reply', {'status': 'ok', 'execution_count': count, 'user_expressions': {}, 'payload': []}, parent=msg, ident=idents)
            if 'lose-idle' in code:
                continue
        elif kind == 'shutdown_request':
            session.send(sock, 'shutdown_reply', msg['content'], parent=msg, ident=idents)
            status('idle')
            sys.exit(0)
        status('idle')
`;
