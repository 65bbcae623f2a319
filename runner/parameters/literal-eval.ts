/**
 * Evaluates a parameter default (`179`, `[1, 2]`, `` `r${run}` ``) to plain
 * data. It runs in a fresh V8 context whose global has no prototype and
 * holds nothing from this process (earlier parameters are re-declared there
 * as literals) and which cannot compile strings (no eval, no Function), so a
 * default cannot reach `process` or `require`; the evaluation and the conversion to JSON both happen inside
 * the context under a short time limit (getters included). Anything that is
 * not plain data (a Date, a function call) leaves the default unknown.
 */
import { createContext, runInContext } from 'node:vm';
import { jsLiteral } from './js-literal.js';

export type Evaluated = { ok: true; value: unknown } | { ok: false };

// inside the context: plain data → JSON, non-finite numbers tagged; anything else throws
const TO_JSON = `(function toJson(v) {
  function enc(x, depth) {
    if (depth > 20) throw new Error('too deep');
    if (x === null || typeof x === 'string' || typeof x === 'boolean') return x;
    if (typeof x === 'number') return Number.isFinite(x) ? x : { $nonFinite: String(x) };
    if (Array.isArray(x)) return x.map(function (e) { return enc(e, depth + 1); });
    if (typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
      var o = {};
      Object.keys(x).forEach(function (k) { o[k] = enc(x[k], depth + 1); });
      return o;
    }
    throw new Error('not plain data');
  }
  return JSON.stringify(enc(v, 0));
})`;

const TIME_LIMIT_MS = 50;

export function evaluateLiteral(expr: string, scope: Record<string, unknown>): Evaluated {
  try {
    const prelude = Object.entries(scope).map(([k, v]) => `var ${k} = ${jsLiteral(v)};`).join('\n');
    // no eval/new Function inside either, and promises cannot outlive the time limit
    const context = createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false }, microtaskMode: 'afterEvaluate' });
    const json = runInContext(`${prelude}\n${TO_JSON}((${expr}\n))`, context, { timeout: TIME_LIMIT_MS });
    if (typeof json !== 'string') return { ok: false };
    const value: unknown = JSON.parse(json, (_k, v) => (v && typeof v === 'object' && typeof v.$nonFinite === 'string' ? Number(v.$nonFinite) : v));
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}
