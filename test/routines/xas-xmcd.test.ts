import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dataset, type XasResult, mimeBundleOf, xas, xasxmcd } from '../../toolbox/index.js';
import { Random } from '../../toolbox/synthetic/random.js';
import { requirePython, runPython } from '../helpers/python.js';

/** xasxmcd() against numpy on two spectra, and the plots of xas() and xasxmcd(). */
function spectrumOf(seed: number, dichroism: number, plot = false): XasResult {
  const rng = new Random(seed);
  const n = 600;
  const nrj = Array.from({ length: n }, () => 704 + 8 * rng.uniform());
  const io = nrj.map(() => 300 * (1 + 0.2 * rng.normal()));
  const it = io.map((v, i) => v * Math.exp(-(1 + dichroism / (1 + (nrj[i] - 708) ** 2))) * (1 + 0.03 * rng.normal()));
  return xas(new Dataset({ SCS_SA3: ['pulse', io], It: ['pulse', it], nrj: ['pulse', nrj] }), { itkey: 'It', bins: Array.from({ length: 17 }, (_, i) => 704 + 0.5 * i), plot });
}

const values = (ds: Dataset, f: string) => Array.from(ds.get(f).values as ArrayLike<number>);

describe('xasxmcd()', function () {
  this.timeout(120_000);
  const P = spectrumOf(1, 0.6), N = spectrumOf(2, -0.6);

  it('XAS = (A⁺ + A⁻)/2 and XMCD = A⁺ − A⁻ with errors in quadrature, as numpy computes them', async function () {
    await requirePython(this);
    const dir = mkdtempSync(join(tmpdir(), 'scs-xmcd-'));
    try {
      const fields = ['muA', 'sigmaA', 'sterrA', 'muIo', 'counts'];
      const file = join(dir, 'in.json');
      writeFileSync(file, JSON.stringify({ P: Object.fromEntries(fields.map((f) => [f, values(P, f)])), N: Object.fromEntries(fields.map((f) => [f, values(N, f)])) }));
      const ref = await runPython<Record<string, Record<string, number[]>>>(String.raw`
d = json.load(open(sys.argv[1]))
P = {k: np.array(v, dtype=float) for k, v in d['P'].items()}
N = {k: np.array(v, dtype=float) for k, v in d['N'].items()}
xas = dict(muA=(P['muA'] + N['muA'])/2, sigmaA=np.sqrt(P['sigmaA']**2 + N['sigmaA']**2)/2, sterrA=np.sqrt(P['sterrA']**2 + N['sterrA']**2)/2,
           muIo=(P['muIo'] + N['muIo'])/2, counts=P['counts'] + N['counts'])
xmcd = dict(muA=P['muA'] - N['muA'], sigmaA=np.sqrt(P['sigmaA']**2 + N['sigmaA']**2), sterrA=np.sqrt(P['sterrA']**2 + N['sterrA']**2),
           muIo=(P['muIo'] + N['muIo'])/2, counts=P['counts'] + N['counts'])
emit({'xas': {k: v.tolist() for k, v in xas.items()}, 'xmcd': {k: v.tolist() for k, v in xmcd.items()}})
`, [file]);
      const got = xasxmcd(P, N);
      for (const part of ['xas', 'xmcd'] as const) {
        assert.deepEqual(values(got[part], 'nrj'), values(P, 'nrj'));
        for (const f of fields) {
          values(got[part], f).forEach((v, i) => {
            const r = ref[part][f][i];
            assert.ok(Math.abs(v - r) <= 1e-9 * Math.abs(r) + 1e-15, `${part}.${f}[${i}]: ${v} vs numpy ${r}`);
          });
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('recovers the dichroism drawn: XMCD peaks at 708 with the difference of the white lines', () => {
    const { xmcd } = xasxmcd(P, N);
    const mu = values(xmcd, 'muA'), nrj = values(xmcd, 'nrj');
    const k = mu.indexOf(Math.max(...mu));
    assert.ok(Math.abs(nrj[k] - 708) <= 0.5, `peak at ${nrj[k]}`);
    // a bin of 0.5 eV averages the Lorentzian (1.2 at its centre) down a little
    assert.ok(mu[k] > 1.0 && mu[k] < 1.25, `peak ${mu[k]}`);
  });

  it('plot: true gives vega-lite layers with a 95% band and a static SVG fallback', async () => {
    assert.equal(P.plot, undefined);
    const withPlot = spectrumOf(1, 0.6, true);
    assert.ok(withPlot instanceof Dataset && withPlot.plot);
    const bundle = await mimeBundleOf(withPlot);
    const spec = bundle.data['application/vnd.vegalite.v5+json'] as { vconcat: { layer: { mark: { type: string } }[]; data: { values: { lo: number; hi: number; y: number }[] } }[] };
    assert.equal(spec.vconcat.length, 2);
    assert.deepEqual(spec.vconcat[0].layer.map((l) => l.mark.type), ['area', 'line']);
    const row = spec.vconcat[0].data.values.find((v) => v.y !== null)!;
    const sterr = (withPlot.get('sterrA').values as Float64Array)[(withPlot.get('muA').values as Float64Array).indexOf(row.y)];
    assert.ok(Math.abs(row.hi - row.y - 1.96 * sterr) < 1e-9, '±1.96 standard errors');
    assert.match(Buffer.from(String(bundle.data['image/png']), 'base64').subarray(1, 4).toString(), /^PNG$/);
    assert.match(String(bundle.data['text/plain']), /^<Dataset>/);
    const both = xasxmcd(P, N, { plot: true });
    assert.ok(both.plot);
    const b2 = await mimeBundleOf(both);
    assert.equal((b2.data['application/vnd.vegalite.v5+json'] as { vconcat: unknown[] }).vconcat.length, 2);
    assert.match(Buffer.from(String(b2.data['image/png']), 'base64').subarray(1, 4).toString(), /^PNG$/);
    assert.equal(Object.keys(both).join(), 'xas,xmcd,plot');
  });
});
