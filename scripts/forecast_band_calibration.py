# Calibration of `forecast predict --samples N` bands: cut ETTh1 at every 500th row from row
# 12,000 (the test split), forecast H points, compare with the true continuation.
# Usage: python3 scripts/forecast_band_calibration.py .build/release/forecast MODEL_DIR H SAMPLES [more predict options]
# Writes a temporary CSV to /tmp/forecast-band-cut.csv.
import json, subprocess, sys, numpy as np
binary, model, H, samples = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
extra = sys.argv[5:]
import os
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
lines = open(os.path.join(root, 'Examples', 'data', 'ETTh1.csv')).read().strip().split('\n')
header, rows = lines[0], lines[1:]
data = np.array([[float(x) for x in r.split(',')[1:]] for r in rows])
cuts = list(range(12000, 17420 - H, 500))
cover, width, err, ratio, lowest = [], [], [], [], []
for cut in cuts:
    path = '/tmp/forecast-band-cut.csv'
    open(path, 'w').write('\n'.join([header] + rows[:cut]) + '\n')
    out = subprocess.run([binary, 'predict', '--input', path, '--model', model, '--horizon', str(H),
                          '--samples', samples, '--json'] + extra, capture_output=True, text=True)
    if out.returncode != 0: print(out.stderr); sys.exit(1)
    j = json.loads(out.stdout)
    point, lo, up = (np.array(j[k]).T for k in ('forecast', 'lower', 'upper'))   # [H, C]
    truth = data[cut:cut + H]
    scale = data[:cut][-672:].std(axis=0)
    cover.append(((truth >= lo) & (truth <= up)).mean(axis=0))
    width.append(((up - lo) / scale).mean())
    err.append((np.abs(truth - point) / scale).mean())
    ratio.append(((up - lo) / scale).mean(axis=0))
    lowest.append((lo - point).min(axis=0) / scale)
print(f'H={H} samples={samples} {extra} cuts={len(cuts)}')
print(f'  coverage of the 10-90% band: {np.mean(cover):.3f} (ideal 0.80); per column', np.round(np.mean(cover, axis=0), 2))
print(f'  mean band width / series std (last 672 rows): {np.mean(width):.3f}')
print(f'  mean |error| / std of the point forecast: {np.mean(err):.3f}  (a calibrated Gaussian 80% band is ~3.2x the MAE: {3.2*np.mean(err):.3f})')
print(f'  per-column width/std:', np.round(np.mean(ratio, axis=0), 2))
print(f'  lowest (lower - point)/std per column:', np.round(np.min(lowest, axis=0), 2))
