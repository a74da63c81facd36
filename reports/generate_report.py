#!/usr/bin/python3
"""Turns a sessionsim run folder into report.md with plots.

Usage: python3 reports/generate_report.py RUN_DIR

Reads manifest.json, summary.json and, when present, series.csv (per-minute series) and
samples.csv (latency samples); writes RUN_DIR/report.md and RUN_DIR/plots/*.png:
  - one plot per time series (e.g. deliveries per minute, messages stored per minute);
  - one cumulative distribution per sample set (e.g. end-to-end latency);
  - the headline figures of summary.json as a table, and the run's manifest.
Needs python3 and python3-matplotlib (Debian packages). Exit 0 on success, 3 when the folder or
its files cannot be read or written.
"""
import csv
import json
import os
import sys

try:
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("generate_report: python3-matplotlib is not installed (apt-get install python3-matplotlib)\n")
    sys.exit(3)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def flatten(prefix, value, rows):
    if isinstance(value, dict):
        for key in sorted(value):
            flatten(f"{prefix}.{key}" if prefix else key, value[key], rows)
    else:
        rows.append((prefix, value))


def read_series(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        columns = {name: [] for name in header}
        for row in reader:
            for name, cell in zip(header, row):
                columns[name].append(float(cell))
    return header, columns


def read_samples(path):
    samples = {}
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for row in reader:
            samples.setdefault(row["name"], []).append(float(row["value"]))
    return samples


def plot_series(header, columns, plots_dir):
    out = []
    x = [t / 60.0 for t in columns[header[0]]]
    for name in header[1:]:
        fig, ax = plt.subplots(figsize=(7, 3))
        ax.plot(x, columns[name], drawstyle="steps-post")
        ax.set_xlabel("simulated time (min)")
        ax.set_ylabel(f"{name} per bucket")
        ax.set_title(name)
        ax.grid(True, alpha=0.3)
        file = os.path.join(plots_dir, f"series_{name}.png")
        fig.tight_layout()
        fig.savefig(file, dpi=100)
        plt.close(fig)
        out.append((name, file))
    return out


def plot_cdfs(samples, plots_dir):
    out = []
    for name in sorted(samples):
        values = sorted(samples[name])
        if not values:
            continue
        n = len(values)
        fig, ax = plt.subplots(figsize=(7, 3))
        ax.plot(values, [(i + 1) / n for i in range(n)])
        ax.set_xlabel(name)
        ax.set_ylabel("fraction at or below")
        ax.set_title(f"{name}: CDF of {n} samples")
        ax.grid(True, alpha=0.3)
        file = os.path.join(plots_dir, f"cdf_{name}.png")
        fig.tight_layout()
        fig.savefig(file, dpi=100)
        plt.close(fig)
        out.append((name, file))
    return out


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 64
    run_dir = argv[1]
    try:
        manifest = load_json(os.path.join(run_dir, "manifest.json"))
        summary = load_json(os.path.join(run_dir, "summary.json"))
        plots_dir = os.path.join(run_dir, "plots")
        os.makedirs(plots_dir, exist_ok=True)
        series_plots, cdf_plots = [], []
        series_file = os.path.join(run_dir, "series.csv")
        if os.path.exists(series_file):
            header, columns = read_series(series_file)
            series_plots = plot_series(header, columns, plots_dir)
        samples_file = os.path.join(run_dir, "samples.csv")
        if os.path.exists(samples_file):
            cdf_plots = plot_cdfs(read_samples(samples_file), plots_dir)
        lines = [f"# Run report: {manifest.get('scenario', '?')}", ""]
        lines.append(
            f"Seed {manifest.get('seed')}, {manifest.get('duration_s')} s simulated, "
            f"{manifest.get('service_nodes')} service nodes, {manifest.get('clients')} clients, "
            f"crypto **{manifest.get('crypto_mode')}** (fraction {manifest.get('crypto_fraction')}), "
            f"sessionsim {manifest.get('version')} ({manifest.get('build_type')})."
        )
        crypto = summary.get("crypto", {})
        if manifest.get("crypto_mode") == "sampled" and crypto:
            real = crypto.get("onion_requests_real", 0)
            total = real + crypto.get("onion_requests_modelled", 0)
            lines += ["", f"**Sampled crypto**: real cryptography on {real} of {total} onion requests and "
                          f"{crypto.get('messages_real', 0)} of "
                          f"{crypto.get('messages_real', 0) + crypto.get('messages_modelled', 0)} messages; "
                          "the others carried modelled stand-ins of the same sizes (scenarios/README.md, `crypto`)."]
        lines += ["", "## Headline figures", "", "| figure | value |", "|---|---|"]
        rows = []
        flatten("", summary, rows)
        for key, value in rows:
            if isinstance(value, float):
                value = f"{value:.6g}"
            lines.append(f"| `{key}` | {value} |")
        if series_plots:
            lines += ["", "## Over time", ""]
            for name, file in series_plots:
                lines.append(f"![{name}](plots/{os.path.basename(file)})")
        if cdf_plots:
            lines += ["", "## Distributions", ""]
            for name, file in cdf_plots:
                lines.append(f"![{name}](plots/{os.path.basename(file)})")
        lines += ["", "## Manifest", "", "```json", json.dumps(manifest, indent=2, sort_keys=True), "```", ""]
        report = os.path.join(run_dir, "report.md")
        with open(report, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print(f"report: {report}")
        return 0
    except (OSError, ValueError, KeyError, StopIteration) as e:
        sys.stderr.write(f"generate_report: {run_dir}: {e}\n")
        return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv))
