#!/usr/bin/env python3
"""Forecasting peers for `bench forecast --peers`: statsforecast and DLinear/NLinear.

Usage: forecast_peers.py TASK.json OUT.json [--methods AutoETS,DLinear,...]
       forecast_peers.py --check    (exits 0 when the packages import)

TASK.json is written by `bench forecast --peers` (Benchmarks/bench/ForecastBenchmark+Peers.swift)
and fixes everything both sides share, so the peers forecast exactly the windows NextToken does:

    {"protocol": "ett" | "competition",
     "values": [[...], ...],          # one list per series: train-scaled (ett) or original (competition)
     "season_length": 24,             # the project's seasonal period of the data's frequency
     "seed": 0,
     "cases": [{"horizon": 720,       # points forecast from each origin
                "horizons": [96, ...],# horizons scored (prefixes of `horizon`)
                "origins": [11520, ...],  # forecasts start at these rows (history = rows before)
                "fit_window": 672,    # statsforecast fits the last fit_window points (absent: all)
                "lookback": 672,      # DLinear/NLinear input length
                "train": [0, 8640], "validation": [8640, 11520]}]}  # target rows for DLinear/NLinear

OUT.json: {"versions": {...}, "methods": {name: {"seconds": s, "fallbacks": n, "cases": [
    {"H": {"point": [origin][series][H], "lower": ..., "upper": ...}}]}}, "errors": {name: text}}
statsforecast methods give one entry per case (the case's `horizon`, with the 80% interval as
lower/upper = the 10%/90% quantiles); DLinear/NLinear give one entry per scored horizon, one
model trained per horizon as in the LTSF-Linear paper. The bench scores all of them with the
same Swift code as NextToken. A statsforecast fit that raises on one series is replaced by the
seasonal-naive forecast for that series and counted in `fallbacks`. Every statsforecast model
runs with its defaults and the season length, except that AutoARIMA approximates the likelihood
in its model search when the series is longer than 150 points or the season longer than 12, the
default rule of R's forecast::auto.arima (statsforecast defaults to exact search, which took 196 s
for one 336-point hourly window here).

DLinear/NLinear follow cure-lab/LTSF-Linear (Zeng et al. 2023, "Are Transformers Effective for
Time Series Forecasting?"): moving-average decomposition with kernel 25 and replicate padding,
one linear layer over time shared by all series (individual=False), MSE loss, Adam with learning
rate 0.005 halved every epoch (lradj type1), batch 32, at most 10 epochs, early stopping on the
validation loss with patience 3; inputs scaled by a StandardScaler fit on the train rows.
"""
import json
import sys
import time
import warnings


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


try:
    import numpy as np
    import statsforecast
    import torch
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive
except ImportError as error:
    fail(f"forecast_peers.py needs numpy, statsforecast and torch ({error}); "
         "pip install -r Benchmarks/peers/forecast-requirements.txt")

STATS = {"AutoETS": AutoETS, "AutoTheta": AutoTheta, "AutoARIMA": AutoARIMA, "SeasonalNaive": SeasonalNaive}
LINEAR = ("DLinear", "NLinear")


class MovingAverage(torch.nn.Module):
    """The trend of DLinear's decomposition: a moving average with replicate padding."""

    def __init__(self, kernel):
        super().__init__()
        self.kernel = kernel
        self.pool = torch.nn.AvgPool1d(kernel_size=kernel, stride=1, padding=0)

    def forward(self, x):  # [batch, time, series]
        half = (self.kernel - 1) // 2
        x = torch.cat([x[:, :1, :].repeat(1, half, 1), x, x[:, -1:, :].repeat(1, half, 1)], dim=1)
        return self.pool(x.permute(0, 2, 1)).permute(0, 2, 1)


class DLinear(torch.nn.Module):
    def __init__(self, lookback, horizon, kernel=25):
        super().__init__()
        self.trend = MovingAverage(kernel)
        self.seasonal_layer = torch.nn.Linear(lookback, horizon)
        self.trend_layer = torch.nn.Linear(lookback, horizon)

    def forward(self, x):
        trend = self.trend(x)
        seasonal = x - trend
        out = self.seasonal_layer(seasonal.permute(0, 2, 1)) + self.trend_layer(trend.permute(0, 2, 1))
        return out.permute(0, 2, 1)


class NLinear(torch.nn.Module):
    def __init__(self, lookback, horizon):
        super().__init__()
        self.layer = torch.nn.Linear(lookback, horizon)

    def forward(self, x):
        last = x[:, -1:, :].detach()
        return self.layer((x - last).permute(0, 2, 1)).permute(0, 2, 1) + last


def windows(values, targets, lookback, horizon):
    """Inputs [n, lookback, series] and targets [n, horizon, series] of the stride-1 windows
    whose targets lie in `targets` (inputs may reach back before it)."""
    first = max(targets[0], lookback)
    starts = list(range(first, targets[1] - horizon + 1))
    if not starts:
        return None, None
    x = np.stack([values[:, s - lookback:s].T for s in starts])
    y = np.stack([values[:, s:s + horizon].T for s in starts])
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)


def train_linear(kind, values, case, horizon, seed):
    """One DLinear/NLinear model for `horizon`, trained on the case's train rows; returns
    forecasts [origin][series][horizon] in the units of `values`."""
    torch.manual_seed(seed)
    lookback = case["lookback"]
    train, validation = case["train"], case["validation"]
    mean = values[:, train[0]:train[1]].mean(axis=1, keepdims=True)
    std = values[:, train[0]:train[1]].std(axis=1, keepdims=True)
    std[std < 1e-12] = 1
    scaled = (values - mean) / std
    x, y = windows(scaled, train, lookback, horizon)
    if x is None:
        raise ValueError(f"no training window of {lookback} + {horizon} rows in {train}")
    vx, vy = windows(scaled, validation, lookback, horizon)
    model = DLinear(lookback, horizon) if kind == "DLinear" else NLinear(lookback, horizon)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.005)
    loss_fn = torch.nn.MSELoss()
    generator = torch.Generator().manual_seed(seed)
    best, best_state, waited = float("inf"), None, 0
    for epoch in range(10):
        model.train()
        for batch in torch.randperm(len(x), generator=generator).split(32):
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            score = loss_fn(model(vx), vy).item() if vx is not None else loss_fn(model(x), y).item()
        if score < best:
            best, best_state, waited = score, {k: v.clone() for k, v in model.state_dict().items()}, 0
        else:
            waited += 1
            if waited >= 3:
                break
        for group in optimizer.param_groups:
            group["lr"] = 0.005 * 0.5 ** (epoch + 1)
    model.load_state_dict(best_state)
    origins = case["origins"]
    inputs = torch.tensor(np.stack([scaled[:, o - lookback:o].T for o in origins]), dtype=torch.float32)
    with torch.no_grad():
        out = model(inputs).numpy()  # [origin, horizon, series]
    return (out.transpose(0, 2, 1) * std[None] + mean[None]).astype(np.float32)


def run_stats(name, values, case, season):
    """Forecasts and 80% intervals of one statsforecast model at every origin and series."""
    horizon, window = case["horizon"], case.get("fit_window")
    point, lower, upper, fallbacks = [], [], [], 0
    for origin in case["origins"]:
        rows = ([], [], [])
        for series in values:
            history = series[:origin] if window is None else series[max(0, origin - window):origin]
            history = history.astype(np.float64)
            try:
                options = {"approximation": len(history) > 150 or season > 12} if name == "AutoARIMA" else {}
                result = STATS[name](season_length=season, **options).forecast(y=history, h=horizon, level=[80])
                parts = (result["mean"], result["lo-80"], result["hi-80"])
                if not all(np.all(np.isfinite(p)) for p in parts):
                    raise ValueError("non-finite forecast")
            except Exception:
                fallbacks += 1
                result = SeasonalNaive(season_length=season).forecast(y=history, h=horizon, level=[80])
                parts = (result["mean"], result["lo-80"], result["hi-80"])
            for store, part in zip(rows, parts):
                store.append(np.asarray(part, dtype=np.float32))
        point.append(rows[0]); lower.append(rows[1]); upper.append(rows[2])
    return {str(horizon): {"point": point, "lower": lower, "upper": upper}}, fallbacks


def rounded(value):
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, np.ndarray):
        return [float(f"{v:.6g}") for v in value.tolist()]
    return value


def main():
    if sys.argv[1:] == ["--check"]:  # the packages imported: nothing else to do
        return
    if len(sys.argv) < 3:
        fail("usage: forecast_peers.py TASK.json OUT.json [--methods AutoETS,DLinear,...]")
    with open(sys.argv[1]) as f:
        task = json.load(f)
    methods = list(STATS) + list(LINEAR)
    if "--methods" in sys.argv:
        methods = sys.argv[sys.argv.index("--methods") + 1].split(",")
        unknown = [m for m in methods if m not in STATS and m not in LINEAR]
        if unknown:
            fail(f"--methods: unknown {', '.join(unknown)} (known: {', '.join(list(STATS) + list(LINEAR))})")
    torch.set_num_threads(1)  # the models are tiny; a second thread only waits on a shared machine
    warnings.filterwarnings("ignore")
    values = np.asarray(task["values"], dtype=np.float32)
    season = int(task["season_length"])
    output = {"versions": {"statsforecast": statsforecast.__version__, "torch": torch.__version__,
                           "numpy": np.__version__}, "methods": {}, "errors": {}}
    for name in methods:
        begin = time.time()
        cases, fallbacks = [], 0
        try:
            for case in task["cases"]:
                if name in STATS:
                    entry, failed = run_stats(name, values, case, season)
                    fallbacks += failed
                else:
                    entry = {}
                    for horizon in case["horizons"]:
                        out = train_linear(name, values, case, horizon, int(task.get("seed", 0)))
                        entry[str(horizon)] = {"point": [list(o) for o in out]}
                cases.append(entry)
        except Exception as error:  # one failing peer must not hide the others
            output["errors"][name] = f"{type(error).__name__}: {error}"
            print(f"{name}: {output['errors'][name]}", file=sys.stderr)
            continue
        seconds = time.time() - begin
        output["methods"][name] = {"seconds": seconds, "fallbacks": fallbacks, "cases": rounded(cases)}
        print(f"{name}: {seconds:.1f} s" + (f", {fallbacks} fits fell back to seasonal naive" if fallbacks else ""),
              file=sys.stderr)
    with open(sys.argv[2], "w") as f:
        json.dump(output, f)


if __name__ == "__main__":
    main()
