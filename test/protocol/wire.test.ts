/**
 * The protocol's wire format against jupyter_client's Session (Debian's python3): messages signed
 * here deserialize there with the same key, messages signed there decode here, and a wrong key
 * or tampered content is refused.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { decode, encode, newMessage, PROTOCOL_VERSION, WireError } from '../../protocol/index.js';
import { PYTHON, requirePythonJupyter } from '../runner/engine/peers.js';

function python(code: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, ['-c', code], (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
    child.stdin!.end(input);
  });
}

const SESSION = String.raw`
import json, sys
from jupyter_client.session import Session
a = json.loads(sys.stdin.read())
s = Session(key=a['key'].encode(), signature_scheme='hmac-sha256')
`;

describe('protocol wire format', function () {
  const key = randomUUID();

  before(async function () {
    await requirePythonJupyter(this);
  });

  it('signs messages that jupyter_client accepts', async function () {
    const msg = newMessage('execute_request', 'runner-session', { code: 'print("ü")', silent: false, allow_stdin: false });
    const frames = encode(key, [Buffer.from('ident')], msg);
    const out = await python(`${SESSION}
frames = [bytes.fromhex(f) for f in a['frames']]
idents, rest = s.feed_identities(frames)
m = s.deserialize(rest)
print(json.dumps({'idents': [i.decode() for i in idents], 'type': m['header']['msg_type'], 'version': m['header']['version'], 'code': m['content']['code']}))
`, JSON.stringify({ key, frames: frames.map((f) => Buffer.from(f).toString('hex')) }));
    assert.deepEqual(JSON.parse(out), { idents: ['ident'], type: 'execute_request', version: PROTOCOL_VERSION, code: 'print("ü")' });
  });

  it('decodes messages jupyter_client signed, and refuses a wrong key or changed content', async function () {
    const out = await python(`${SESSION}
m = s.msg('stream', content={'name': 'stdout', 'text': 'hello'}, parent={'msg_id': 'abc'})
print(json.dumps([f.hex() for f in s.serialize(m, ident=[b'topic'])]))
`, JSON.stringify({ key }));
    const frames = (JSON.parse(out) as string[]).map((h) => Buffer.from(h, 'hex'));
    const { identities, message } = decode(key, frames);
    assert.deepEqual(identities.map((i) => Buffer.from(i).toString()), ['topic']);
    assert.equal(message.header.msg_type, 'stream');
    assert.equal((message.parent_header as { msg_id?: string }).msg_id, 'abc');
    assert.deepEqual(message.content, { name: 'stdout', text: 'hello' });
    assert.throws(() => decode(randomUUID(), frames), (err: Error) => err instanceof WireError && err.msgType === 'stream' && /bad signature/.test(err.message));
    const tampered = frames.slice();
    tampered[tampered.length - 1] = Buffer.from(JSON.stringify({ name: 'stdout', text: 'HELLO' }));
    assert.throws(() => decode(key, tampered), /bad signature/);
  });
});
