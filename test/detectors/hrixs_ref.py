"""Direct numpy implementation of the hRIXS algorithms of docs/hrixs.md
(centroidOne, centroidTwo, the spectrum histogram and the pixel-splitting
integration), written from the documentation, independent of the
TypeScript code. Used by test/detectors/hrixs-numpy.test.ts.

argv: run file, camera source, dark file or '-', JSON settings
(x0, nx, y0, ny, threshold, std_threshold, dbl_threshold, curve_a,
curve_b, adu_per_ev, energy, bins). Prints one JSON line.
"""
import json
import sys

import h5py
import numpy as np

SPOT_LOW = 0.1
SPOT_MIN = 0.5


def frames_of(path, source):
    with h5py.File(path, 'r') as f:
        return f[f'INSTRUMENT/{source}/data/image/pixels'][()]


def parabola(x, a, b):
    return (b * x + a) * x


def local_max(a, i0, i1, j0, j1):
    """a[i, j] for i in [i0, i1], j in [j0, j1] is >= its neighbours before it in raster order and > those after."""
    c = a[i0:i1 + 1, j0:j1 + 1]

    def nb(di, dj):
        return a[i0 + di:i1 + 1 + di, j0 + dj:j1 + 1 + dj]
    return ((c >= nb(-1, -1)) & (c >= nb(-1, 0)) & (c >= nb(-1, 1)) & (c >= nb(0, -1))
            & (c > nb(0, 1)) & (c > nb(1, -1)) & (c > nb(1, 0)) & (c > nb(1, 1)))


def centroid_one(img, s):
    base = img.mean()
    thr = s['threshold'] if s['threshold'] is not None else s['std_threshold'] * img.std()
    s2 = img[:-1, :-1] + img[1:, :-1] + img[:-1, 1:] + img[1:, 1:] - 4 * base
    nx, ny = img.shape
    cand = (s2[1:nx - 2, 1:ny - 2] > thr) & local_max(s2, 1, nx - 3, 1, ny - 3)
    hits = []
    for i, j in zip(*np.nonzero(cand)):
        i, j = int(i) + 1, int(j) + 1
        w = img[i - 1:i + 3, j - 1:j + 3] - base
        tot = w.sum()
        x = (w.sum(axis=1) * np.arange(i - 1, i + 3)).sum() / tot
        y = (w.sum(axis=0) * np.arange(j - 1, j + 3)).sum() / tot
        hits.append([float(x), float(y - parabola(x, s['curve_a'], s['curve_b'])), 1])
    return hits


def centroid_two(img, s):
    base = img.mean()
    cp = s['energy'] * s['adu_per_ev']
    nx, ny = img.shape
    cand = (img[1:nx - 1, 1:ny - 1] > base + SPOT_LOW * cp) & local_max(img, 1, nx - 2, 1, ny - 2)
    hits = []
    for i, j in zip(*np.nonzero(cand)):
        i, j = int(i) + 1, int(j) + 1
        w = img[i - 1:i + 2, j - 1:j + 2] - base
        tot = w.sum()
        if tot < SPOT_MIN * cp:
            continue
        x = (w.sum(axis=1) * np.arange(i - 1, i + 2)).sum() / tot
        y = (w.sum(axis=0) * np.arange(j - 1, j + 2)).sum() / tot
        hits.append([float(x), float(y - parabola(x, s['curve_a'], s['curve_b'])), 2 if tot > s['dbl_threshold'] * cp else 1])
    return hits


def histogram(hits, ny, bins):
    out = np.zeros(bins)
    for _, y, n in hits:
        k = int(np.floor((y + 0.5) * bins / ny))
        if 0 <= k < bins:
            out[k] += n
    return out


def integrate(img, s):
    nx, ny = img.shape
    acc = np.zeros(ny)
    weight = np.zeros(ny)
    j = np.arange(ny)
    for i in range(nx):
        shift = -parabola(i, s['curve_a'], s['curve_b'])
        fl = np.floor(shift)
        f = shift - fl
        k = j + int(fl)
        for kk, w in ((k, 1 - f), (k + 1, f)):
            ok = (kk >= 0) & (kk < ny)
            acc[kk[ok]] += w * img[i, ok]
            weight[kk[ok]] += w
    return np.where(weight > 0, acc / np.where(weight > 0, weight, 1), np.nan)


def main():
    run, source, dark_path, settings = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    s = settings
    frames = frames_of(run, source)
    dark = None if dark_path == '-' else frames_of(dark_path, source).astype(np.float64).mean(axis=0)
    out = {'one': [], 'two': [], 'spec_one': [], 'spec_two': [], 'integrated': []}
    for frame in frames:
        img = frame[s['x0']:s['x0'] + s['nx'], s['y0']:s['y0'] + s['ny']].astype(np.float64)
        if dark is not None:
            img = img - dark[s['x0']:s['x0'] + s['nx'], s['y0']:s['y0'] + s['ny']]
        one, two = centroid_one(img, s), centroid_two(img, s)
        out['one'].append(one)
        out['two'].append(two)
        out['spec_one'].append(histogram(one, s['ny'], s['bins']).tolist())
        out['spec_two'].append(histogram(two, s['ny'], s['bins']).tolist())
        out['integrated'].append([v if np.isfinite(v) else 'nan' for v in integrate(img, s).tolist()])
    print(json.dumps(out))


main()
