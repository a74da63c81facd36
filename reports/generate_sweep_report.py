#!/usr/bin/python3
"""Turns a sessionsim sweep folder into sweep_report.md with plots.

Usage: python3 reports/generate_sweep_report.py SWEEP_DIR

Reads SWEEP_DIR/sweep.json (written by `sessionsim sweep`) and writes:
  - SWEEP_DIR/plots/<figure>.png for the headline figures (delivery_ratio, e2e_latency_ms.p50,
    onion_latency_ms.p50, replication_coverage, messages_lost and a few more): the mean of each
    grid point against the first grid key, with its 95% interval as error bars; one line per
    value of the second grid key (per combination of the other keys when there are more);
  - SWEEP_DIR/sweep_report.md: what was swept, the failed runs, the plots, and a table per figure
    (every figure of sweep.json) with n, mean, sd, the interval and its method.
Needs python3 and python3-matplotlib (Debian packages). Exit 0 on success, 3 when the folder or
its files cannot be read or written, 64 on a usage error.
"""
import json
import os
import sys

try:
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("generate_sweep_report: python3-matplotlib is not installed (apt-get install python3-matplotlib)\n")
    sys.exit(3)

# Plotted when present, in this order.
HEADLINE = [
    "delivery_ratio",
    "delivery_ratio.pooled",
    "e2e_latency_ms.p50",
    "e2e_latency_ms.p90",
    "onion_latency_ms.p50",
    "onion_failure_rate",
    "replication_coverage",
    "messages_lost",
    "path_rebuilds",
    "storage_bytes_per_node.mean",
    "storage_dead_share",
    # Service nodes with a processor model (service_nodes.cpu): the capacity figures.
    "onion_latency_ms.p90",
    "cpu.utilisation.mean",
    "cpu.onion_round_trips_per_s",
    "cpu.wait_ms_mean",
    "cpu.inputs_dropped",
    # Adversaries, when the scenario has them.
    "compromised.correlation.top1_accuracy",
    "compromised.correlation.top5_accuracy",
    "compromised.correlation.mean_entropy_bits",
    "compromised.correlation.targets_with_truth_scored",
    "compromised.correlation.roc.auc",
    "compromised.correlation.roc.at_fpr.1e-2.tpr",
    "compromised.poll_correlation.top1_accuracy",
    "compromised.poll_correlation.mean_entropy_bits",
    "compromised.poll_correlation.deanonymised_right_share",
    "compromised.poll_correlation.deanonymised_wrong_share",
    "compromised.poll_correlation.roc.auc",
    "compromised.poll_correlation.roc.at_fpr.1e-2.tpr",
    "compromised.time_to_first_compromise.share_compromised",
    "compromised.time_to_first_compromise.p50_s",
    "compromised.swarms_with_adversary",
    "compromised.clients_with_compromised_guard",
    "compromised.messages_sender_and_recipient_seen",
    "link_observer.share_of_datagrams_observed",
    "link_observer.stores_observed",
    "link_observer.timing.top1_accuracy",
    "link_observer.timing_and_size.top1_accuracy",
    "link_observer.timing.mean_entropy_bits",
    "link_observer.timing_and_size.mean_entropy_bits",
    "link_observer.timing_and_size.deanonymised_share",
    "churn.decommissions",
    "spam.accepted",
    "spam.rate_limited",
    "spam.victim_delivery_ratio",
    "spam.others_delivery_ratio",
    "spam.victim_e2e_latency_ms.p50",
    "spam.others_e2e_latency_ms.p50",
    "spam.spam_shown",
    "spam.spam_held_as_requests",
    "storage_bytes_per_node.max",
]

METHODS = {
    "t": "Student t over the runs: mean ± t(0.975, n−1)·sd/√n",
    "t_clamped": "Student t over the runs, clamped to [0, 1] (a proportion)",
    "t_non_negative": "Student t over the runs, cut at 0 (every run's value is >= 0: a count, bytes, a latency)",
    "wilson_pooled": "Wilson score interval on the counts of all runs of the point pooled "
    "(treats every message or onion request as independent: narrower than t)",
    "none": "a single run: its value, no interval",
}


def short_label(text, all_labels):
    """The tokens of `text` that differ between the grid's values ("fraction: 0.05"), else its index."""
    tokens = [t.split(",") for t in all_labels]
    mine = text.split(",")
    differing = [tok.strip(" []{}") for i, tok in enumerate(mine)
                 if any(i >= len(o) or o[i] != tok for o in tokens)]
    label = ", ".join(differing)
    return label if label and len(label) <= 24 else f"v{all_labels.index(text)}"


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def fmt(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def plural(count, word):
    return f"{count} {word}" + ("" if count == 1 else "s")


def safe_name(figure):
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in figure)


def plot_figure(figure, sweep, plots_dir):
    """mean vs the first grid key, a line per combination of the other keys; None if no point has it."""
    keys = [axis["key"] for axis in sweep["grid"]]
    points = [p for p in sweep["points"] if figure in p["figures"]]
    if not points:
        return None
    first = keys[0] if keys else None
    x_values = sweep["grid"][0]["values"] if keys else ["(no grid)"]
    numeric = first is not None and all(number(v) is not None for v in x_values)
    position = {v: (number(v) if numeric else i) for i, v in enumerate(x_values)}
    lines = {}  # the other keys' value indices (grid order) -> (label, [(x, mean, lo, hi)])
    for p in points:
        params = p["parameters"]
        others = tuple(sweep["grid"][i]["values"].index(params[k]) for i, k in enumerate(keys) if i > 0)
        label = ", ".join(f"{k}={params[k]}" for k in keys[1:])
        x = position[params[first]] if first is not None else 0
        f = p["figures"][figure]
        lines.setdefault(others, (label, []))[1].append((x, f["mean"], f.get("lo"), f.get("hi")))
    fig, ax = plt.subplots(figsize=(7, 3.5))
    order = [lines[k] for k in sorted(lines)]
    count = len(order)
    for n, (label, rows) in enumerate(order):
        rows = sorted(rows)
        # Lines side by side, a little apart, so that their error bars do not hide each other.
        span = (max(position.values()) - min(position.values())) or 1.0
        shift = (n - (count - 1) / 2) * (0.01 * span if numeric else 0.08)
        xs = [r[0] + shift for r in rows]
        ys = [r[1] for r in rows]
        below = [r[1] - r[2] if r[2] is not None else 0.0 for r in rows]
        above = [r[3] - r[1] if r[3] is not None else 0.0 for r in rows]
        ax.errorbar(xs, ys, yerr=[below, above], marker="o", capsize=4, label=label or None)
    if not numeric:
        ax.set_xticks(range(len(x_values)))
        # Long values (a YAML mapping or list) would overlap: their differing parts, or v0, v1, ...
        # (the grid table of the report says what each is).
        labels = [str(v) for v in x_values]
        if max(len(t) for t in labels) > 16:
            labels = [short_label(t, labels) for t in labels]
        ax.set_xticklabels(labels)
    ax.set_xlabel(first if first is not None else "")
    methods = sorted({p["figures"][figure]["method"] for p in points})
    ax.set_ylabel(figure)
    seeds = len(sweep["seeds"])
    if methods == ["none"]:
        title = f"{figure}: one run per point (no interval)"
    else:
        title = f"{figure}: mean and 95% interval ({', '.join(methods)}) over {plural(seeds, 'seed')}"
    ax.set_title(title, fontsize=9)
    ax.grid(True, alpha=0.3)
    if len(keys) > 1:
        ax.legend(fontsize=8)
    file = os.path.join(plots_dir, f"{safe_name(figure)}.png")
    fig.tight_layout()
    fig.savefig(file, dpi=100)
    plt.close(fig)
    return file


def figure_table(figure, sweep):
    keys = [axis["key"] for axis in sweep["grid"]]
    lines = [f"### `{figure}`", "",
             "| point | " + "".join(f"`{k}` | " for k in keys) + "n | mean | sd | 95% interval | method |",
             "|---|" + "---|" * len(keys) + "---|---|---|---|---|"]
    for p in sweep["points"]:
        f = p["figures"].get(figure)
        if f is None:
            continue
        interval = f"[{fmt(f['lo'])}, {fmt(f['hi'])}]" if f.get("lo") is not None else ""
        counts = f" ({f['successes']} / {f['trials']})" if "trials" in f else ""
        cells = [str(p["point"])] + [p["parameters"].get(k, "") for k in keys]
        cells += [str(f["n"]), fmt(f["mean"]) + counts, fmt(f.get("sd")), interval, f["method"]]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return lines + [""]


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 64
    sweep_dir = argv[1]
    try:
        with open(os.path.join(sweep_dir, "sweep.json"), encoding="utf-8") as f:
            sweep = json.load(f)
        plots_dir = os.path.join(sweep_dir, "plots")
        os.makedirs(plots_dir, exist_ok=True)
        figures = sorted({name for p in sweep["points"] for name in p["figures"]})
        plots = []
        for figure in HEADLINE:
            if figure in figures:
                file = plot_figure(figure, sweep, plots_dir)
                if file:
                    plots.append((figure, file))
        runs = sum(len(p["runs"]) for p in sweep["points"])
        seeds = sweep["seeds"]
        lines = [f"# Sweep report: {sweep['scenario']}", ""]
        lines.append(f"Scenario file `{sweep['file']}` ({sweep['hash']})"
                     + (", overrides " + ", ".join(f"`{o}`" for o in sweep["overrides"]) if sweep["overrides"] else "")
                     + f"; {plural(len(sweep['points']), 'point')} × {plural(len(seeds), 'seed')} "
                     f"({', '.join(str(s) for s in seeds)}) = {runs} runs, "
                     f"{len(sweep['failed_runs'])} failed.")
        lines += ["", "| grid key | values |", "|---|---|"]
        for axis in sweep["grid"]:
            lines.append(f"| `{axis['key']}` | " + ", ".join(f"`{v}`" for v in axis["values"]) + " |")
        if not sweep["grid"]:
            lines.append("| (none) | the scenario as it is |")
        lines += ["", f"Every interval is {round(100 * sweep['confidence'])}% and says how it was made:", ""]
        for method, text in METHODS.items():
            lines.append(f"- `{method}`: {text}")
        if sweep["failed_runs"]:
            lines += ["", "## Failed runs (left out of the figures)", "", "| point | seed | status | log |",
                      "|---|---|---|---|"]
            for r in sweep["failed_runs"]:
                lines.append(f"| {r['point']} | {r['seed']} | {r['status']} | `{r['log']}` |")
        if plots:
            lines += ["", "## Plots", ""]
            for figure, file in plots:
                lines.append(f"![{figure}](plots/{os.path.basename(file)})")
        lines += ["", "## Figures", ""]
        for figure in figures:
            lines += figure_table(figure, sweep)
        report = os.path.join(sweep_dir, "sweep_report.md")
        with open(report, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print(f"report: {report}")
        return 0
    except (OSError, ValueError, KeyError, TypeError, IndexError) as e:
        sys.stderr.write(f"generate_sweep_report: {sweep_dir}: {e}\n")
        return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv))
