"""pyFAI 0.21 reference for bench/azint.ts (Debian's /usr/bin/python3, pyFAI's cython CSR engine).

  azint_ref.py GEOMETRY_JSON IMAGE_F32 NFRAMES REPEATS OUT_JSON
      Integrates the DSSC-shaped float32 image (integrate1d_ng, 1000 bins, q_nm^-1,
      solid angle and polarisation 0.99, bbox split, CSR) and prints as JSON:
      build (s, best first call of fresh AzimuthalIntegrators: arrays + CSR matrix),
      frame (s, best of REPEATS calls with the matrix cached), stack (s, NFRAMES
      distinct frames integrated in a Python loop), threads (OpenMP threads in use).
      The first frame's intensity goes to OUT_JSON for the comparison with ours.
      Threads: OMP_NUM_THREADS from the environment (the benchmark sets 2).
"""
import json
import logging
import os
import sys
import time

import numpy as np

logging.disable(logging.WARNING)
from pyFAI.azimuthalIntegrator import AzimuthalIntegrator  # noqa: E402

g = json.load(open(sys.argv[1]))
shape = tuple(g['shape'])
img = np.fromfile(sys.argv[2], dtype=np.float32).reshape(shape)
nframes, repeats = int(sys.argv[3]), int(sys.argv[4])
KW = dict(unit='q_nm^-1', method=('bbox', 'csr', 'cython'), correctSolidAngle=True, polarization_factor=0.99)


def make():
    return AzimuthalIntegrator(dist=g['dist'], poni1=g['poni1'], poni2=g['poni2'], rot1=g['rot1'], rot2=g['rot2'],
                               rot3=g['rot3'], pixel1=g['pixel1'], pixel2=g['pixel2'], wavelength=g['wavelength'])


build = float('inf')
for _ in range(3):
    ai = make()
    t = time.perf_counter()
    r = ai.integrate1d_ng(img, 1000, **KW)
    build = min(build, time.perf_counter() - t)

frame = float('inf')
for _ in range(repeats):
    t = time.perf_counter()
    ai.integrate1d_ng(img, 1000, **KW)
    frame = min(frame, time.perf_counter() - t)

# the same distinct frames as bench/azint.ts builds (values differ only by float32 rounding)
k = np.arange(img.size, dtype=np.int64).reshape(shape)
frames = np.empty((nframes,) + shape, dtype=np.float32)
for f in range(nframes):
    frames[f] = img * np.float32(1 + 0.01 * np.sin(f)) + ((k * (f + 1)) % 7)
t = time.perf_counter()
out = np.empty((nframes, 1000))
for f in range(nframes):
    out[f] = ai.integrate1d_ng(frames[f], 1000, **KW).intensity
stack = time.perf_counter() - t

threads = os.environ.get('OMP_NUM_THREADS', 'all cores')
json.dump({'radial': r.radial.tolist(), 'intensity': r.intensity.tolist(), 'last': out[-1].tolist()}, open(sys.argv[5], 'w'))
print(json.dumps({'build': build, 'frame': frame, 'stack': stack, 'threads': threads}))
