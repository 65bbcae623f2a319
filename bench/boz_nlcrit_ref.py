"""numpy reference for bench/boz-nlcrit.ts: nl_crit evaluated directly from its
definition (docs/boz.md) on the pixels, as the Python toolbox does per call.

  boz_nlcrit_ref.py DIR REPEATS
      DIR holds meta.json (pulses, band rows/cols, ROIs relative to the band,
      alpha, satLevel), arr.bin and dark.bin (uint16 frames cropped to the ROI
      band: frames × rows × cols), mask.bin (uint8), ff.bin (float64) over the
      band, domain.bin (int32, 512) and p.bin (float64). Prints as JSON: crit
      (the value) and seconds (best of REPEATS evaluations: LUT on every
      pixel, dark mean, flat field, mask, ROI sums, saturation, weighted snr).
"""
import json
import sys
import time

import numpy as np

d, repeats = sys.argv[1], int(sys.argv[2])
meta = json.load(open(d + '/meta.json'))
P, R, C = meta['pulses'], meta['rows'], meta['cols']
rois = meta['rois']
arr = np.fromfile(d + '/arr.bin', dtype='<u2').reshape(-1, P, R, C)
dark = np.fromfile(d + '/dark.bin', dtype='<u2').reshape(-1, P, R, C)
mask = np.fromfile(d + '/mask.bin', dtype='u1').reshape(R, C) != 0
ff = np.fromfile(d + '/ff.bin', dtype='<f8').reshape(R, C)
domain = np.fromfile(d + '/domain.bin', dtype='<i4')
p = np.fromfile(d + '/p.bin', dtype='<f8')
alpha, sat_level = meta['alpha'], meta['satLevel']


def ws(sig, ref):
    mu = np.sum(sig) / np.sum(ref)
    return np.sum(ref * (sig / ref - mu) ** 2) / np.sum(ref)


def crit():
    F = np.arange(512) + np.insert(p, 0, 0)[domain]
    darkm = F[dark].mean(axis=0)
    c = (F[arr] - darkm[None]) / ff
    c[:, :, mask] = 0
    I = {}
    for b in ['n', '0', 'p']:
        r = rois[b]
        I[b] = c[:, :, r['yl']:r['yh'], r['xl']:r['xh']].sum(axis=(2, 3)).ravel()
    rs = rois['sat']
    sat = (arr[:, :, rs['yl']:rs['yh'], rs['xl']:rs['xh']] >= sat_level).any(axis=(2, 3)).ravel()
    k = ~sat
    err1 = 1e8 * (ws(I['n'][k], I['0'][k]) + ws(I['p'][k], I['0'][k]))
    err2 = np.sum((F - np.arange(512)) ** 2)
    return (1 - alpha) * err1 + alpha * err2


value = crit()
best = float('inf')
for _ in range(repeats):
    t = time.perf_counter()
    crit()
    best = min(best, time.perf_counter() - t)
print(json.dumps({'crit': value, 'seconds': best}))
