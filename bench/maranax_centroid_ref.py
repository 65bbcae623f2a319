"""numpy + h5py reference of MaranaX centroiding for bench/maranax-centroid.ts:
the documented centroidTwo (docs/hrixs.md, Algorithms) vectorised per frame,
the frames streamed from the run file in chunks of trains, one core.

argv: run file, camera source, dark file, incident energy (eV), ADU per eV,
DBL_THRESHOLD, chunk (trains). Prints one JSON line: seconds, frames,
photons, singles, doubles, maxRssMB, and the summed spectrum (one bin per pixel).
"""
import json
import resource
import sys
import time

import h5py
import numpy as np

SPOT_LOW, SPOT_MIN = 0.1, 0.5
NB = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 0), (0, 1), (1, -1), (1, 0), (1, 1)]


def centroid_two(img, cp, dbl, spectrum):
    base = img.mean()
    nx, ny = img.shape
    ii, jj = np.nonzero(img[1:nx - 1, 1:ny - 1] > base + SPOT_LOW * cp)
    ii += 1
    jj += 1
    v = img[ii, jj]
    # local maximum of the 3 x 3 square: >= the neighbours before in raster order, > those after
    peak = np.ones(len(v), bool)
    for k, (di, dj) in enumerate(NB):
        if (di, dj) == (0, 0):
            continue
        u = img[ii + di, jj + dj]
        peak &= (v >= u) if k < 4 else (v > u)
    ii, jj = ii[peak], jj[peak]
    w = np.stack([img[ii + di, jj + dj] for di, dj in NB]) - base
    s = w.sum(axis=0)
    keep = s >= SPOT_MIN * cp
    w, s, ii, jj = w[:, keep], s[keep], ii[keep], jj[keep]
    dx = np.array([d[0] for d in NB], float)[:, None]
    dy = np.array([d[1] for d in NB], float)[:, None]
    y = jj + (w * dy).sum(axis=0) / s
    n = np.where(s > dbl * cp, 2, 1)
    k = np.floor(y + 0.5).astype(np.int64)
    ok = (k >= 0) & (k < ny)
    np.add.at(spectrum, k[ok], n[ok])
    return int((n == 1).sum()), int((n == 2).sum())


def main():
    run, source, dark_path, energy, adu, dbl, chunk = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
    path = f'INSTRUMENT/{source}/data/image/pixels'
    with h5py.File(dark_path, 'r') as f:
        dark = f[path][()].astype(np.float64).mean(axis=0)
    cp = energy * adu
    t0 = time.perf_counter()
    singles = doubles = frames = 0
    with h5py.File(run, 'r') as f:
        ds = f[path]
        spectrum = np.zeros(ds.shape[2])
        for a in range(0, ds.shape[0], chunk):
            block = ds[a:a + chunk]
            for frame in block:
                s1, s2 = centroid_two(frame.astype(np.float64) - dark, cp, dbl, spectrum)
                singles += s1
                doubles += s2
                frames += 1
    seconds = time.perf_counter() - t0
    print(json.dumps({'seconds': seconds, 'frames': frames, 'singles': singles, 'doubles': doubles, 'photons': singles + 2 * doubles,
                      'maxRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'spectrum': spectrum.tolist()}))


main()
