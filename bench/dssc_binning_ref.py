"""numpy + h5py reference for bench/dssc-binning.ts (Debian's /usr/bin/python3).

  dssc_binning_ref.py bin RUN_DIR CHUNK STEP OUT PATTERN
      Bin DSSC module 0 of a raw run as the toolbox does: scan bins = delay-line
      position rounded to multiples of STEP (get_array(run, m, stepsize)),
      pulse bins = PATTERN (comma-separated) repeated over the frames, float64
      sums per bin divided by the frame counts. Reads image.data in chunks of
      CHUNK trains with h5py, one process, one core. Saves the means
      (scan, label, x, y) to OUT.npy (+ OUT.json: scan values, labels) and
      prints {"seconds", "frames", "bytes", "maxRssMB"} as JSON.
  dssc_binning_ref.py compare OUT OURS KIND
      Max |ours - numpy| with OURS either our raw dump (KIND 'kernel': OURS.f64
      + OURS.json) or a module file written by DSSCBinner.processData
      (KIND 'file'), read with xarray as Python users read it.
"""
import glob
import json
import os
import resource
import sys
import time

import h5py
import numpy as np

DET = 'SCS_DET_DSSC1M-1/DET/0CH0:xtdf'
DELAY_LINE = 'SCS_ILH_LAS/MOTOR/LT3'


def scan_values(run_dir, step):
    scan = {}
    for fn in sorted(glob.glob(os.path.join(run_dir, 'RAW-*-DA01-S*.h5'))):
        with h5py.File(fn, 'r') as f:
            tids = f['INDEX/trainId'][:]
            cnt = f['INDEX/%s/count' % DELAY_LINE][:]
            first = f['INDEX/%s/first' % DELAY_LINE][:]
            val = f['CONTROL/%s/AActualPosition/value' % DELAY_LINE][:]
            for t, c, a in zip(tids, cnt, first):
                v = step * np.round(val[a] / step)
                if c and not np.isnan(v):
                    scan[int(t)] = v
    return scan


def bin_module(run_dir, chunk, step, out, pattern):
    t0 = time.perf_counter()
    scan = scan_values(run_dir, step)
    values = np.unique(np.fromiter(scan.values(), float))
    labels = list(dict.fromkeys(pattern))
    slot_label = [labels.index(p) for p in pattern]
    npat = len(pattern)
    sums = None
    counts = np.zeros((len(values), len(labels)), np.int64)
    frames = nbytes = 0
    for fn in sorted(glob.glob(os.path.join(run_dir, 'RAW-*-DSSC00-S*.h5'))):
        with h5py.File(fn, 'r') as f:
            tids = f['INDEX/trainId'][:]
            cnt = f['INDEX/%s/image/count' % DET][:]
            first = f['INDEX/%s/image/first' % DET][:]
            data = f['INSTRUMENT/%s/image/data' % DET]
            xy = data.shape[-2:]
            if sums is None:
                sums = np.zeros((len(values), len(labels)) + xy, np.float64)
            rows = np.flatnonzero(cnt > 0)
            fpt = int(cnt[rows[0]])
            for a in range(0, len(rows), chunk):
                r = rows[a:a + chunk]
                lo, hi = int(first[r[0]]), int(first[r[-1]] + cnt[r[-1]])
                assert hi - lo == len(r) * fpt and np.all(cnt[r] == fpt), 'frames of a chunk must be contiguous'
                block = data[lo:hi]
                nbytes += block.nbytes
                # (train, pattern repeat, pattern slot, x, y): one float64 sum per slot over trains and repeats
                block = block.reshape((len(r), fpt // npat, npat) + xy)
                bins = np.array([np.searchsorted(values, scan[int(t)]) if int(t) in scan else -1 for t in tids[r]])
                for b in np.unique(bins[bins >= 0]):
                    idx = np.flatnonzero(bins == b)
                    contiguous = idx[-1] - idx[0] + 1 == len(idx)
                    sel = block[idx[0]:idx[-1] + 1] if contiguous else block[idx]
                    per_slot = sel.sum(axis=(0, 1), dtype=np.float64)
                    for s, j in enumerate(slot_label):
                        sums[b, j] += per_slot[s]
                        counts[b, j] += len(idx) * (fpt // npat)
                    frames += len(idx) * fpt
    mean = sums / counts[:, :, None, None]
    seconds = time.perf_counter() - t0
    np.save(out + '.npy', mean)
    with open(out + '.json', 'w') as f:
        json.dump({'values': values.tolist(), 'labels': labels}, f)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({'seconds': seconds, 'frames': frames, 'bytes': nbytes, 'maxRssMB': rss}))


def compare(ref_path, ours, kind):
    ref = np.load(ref_path + '.npy')
    with open(ref_path + '.json') as f:
        meta = json.load(f)
    if kind == 'kernel':
        with open(ours + '.json') as f:
            m = json.load(f)
        # the toolbox rounds to the decimal grid (9.45), numpy's step * round(v / step) may not (9.450000000000001)
        assert np.allclose(m['values'], meta['values'], rtol=0, atol=1e-9) and m['labels'] == meta['labels'], (m, meta)
        got = np.fromfile(ours + '.f64', np.float64).reshape(m['shape'])
    else:
        import xarray as xr
        with xr.open_dataset(ours, group='data', engine='h5netcdf') as ds:
            da = ds['data'].isel(module=0).transpose('trainId', 'pulse', 'x', 'y')
            assert np.allclose(da['trainId'].values, meta['values'], rtol=0, atol=1e-9), (da['trainId'].values, meta['values'])
            got = da.sel(pulse=meta['labels']).values
    print(json.dumps({'maxAbsDiff': float(np.max(np.abs(got - ref))), 'maxAbs': float(np.max(np.abs(ref)))}))


if __name__ == '__main__':
    if sys.argv[1] == 'bin':
        bin_module(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6].split(','))
    elif sys.argv[1] == 'compare':
        compare(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit('usage: dssc_binning_ref.py bin RUN_DIR CHUNK STEP OUT PATTERN | compare OUT OURS KIND')
