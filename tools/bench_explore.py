"""The exploration benchmark; see tools/bench_explore.sh for the options and the protocol."""
import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile

MODES = ["plain", "swarm", "pct", "perturb", "guided"]


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd):
    """Runs a sluice command; exit 0 and 1 are results, anything else is an error."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 1):
        sys.exit("bench_explore: %s failed (%d):\n%s" % (" ".join(cmd), proc.returncode, proc.stderr))


def geometric(failures, runs, cap):
    """Runs-to-first-failure figures of a geometric law with rate failures/runs."""
    if failures == 0:
        # No failure in `runs`: the rate is below ~3/runs (95%); report as censored.
        return {"rate": 0.0, "median": None, "p90": None, "hit_rate": 0.0, "censored": True}
    p = failures / runs
    if p >= 1:
        return {"rate": 1.0, "median": 1, "p90": 1, "hit_rate": 1.0, "censored": False}
    q = math.log(1 - p)
    return {"rate": p, "median": math.ceil(math.log(0.5) / q), "p90": math.ceil(math.log(0.1) / q),
            "hit_rate": 1 - (1 - p) ** cap, "censored": False}


def memoryless(args, defect, scenario, mode, workdir):
    path = scenario
    extra = []
    if mode == "plain":
        with open(scenario) as f:
            doc = json.load(f)
        doc.pop("swarm", None)
        doc.get("run", {}).pop("faults_end", None)
        path = os.path.join(workdir, "plain-" + os.path.basename(scenario))
        with open(path, "w") as f:
            json.dump(doc, f)
    elif mode == "pct":
        extra = ["--strategy", "pct"]
    elif mode == "perturb":
        extra = ["--perturb"]
    out = os.path.join(workdir, "%s-%s-%s" % (mode, defect, os.path.splitext(os.path.basename(scenario))[0]))
    before = cpu_seconds()
    run([args.sluice, "sweep", path, "--seeds", "1..%d" % args.long, "--jobs", str(args.jobs), "--defect", defect,
         "--out", out] + extra)
    cpu = cpu_seconds() - before
    with open(os.path.join(out, "sweep.json")) as f:
        sweep = json.load(f)
    result = geometric(sweep["failures"], sweep["seeds_run"], args.cap)
    result.update({"measured": "one sweep of %d seeds, %d failing" % (sweep["seeds_run"], sweep["failures"]),
                   "cpu_s_per_run": cpu / max(1, sweep["seeds_run"])})
    if result["median"] is not None:
        result["cpu_s_to_failure"] = result["cpu_s_per_run"] / result["rate"]
    return result


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))]


def guided(args, defect, scenario, workdir, cap):
    found, cpu_total, runs_total = [], 0.0, 0
    name = os.path.splitext(os.path.basename(scenario))[0]
    for root in range(1, args.roots + 1):
        out = os.path.join(workdir, "guided-%s-%s-root%d" % (defect, name, root))
        before = cpu_seconds()
        # All techniques on: fresh runs draw the swarm with every perturbation site
        # a candidate (--perturb); mutation adds schedules, sites and strategies.
        run([args.sluice, "sweep", scenario, "--explore", "guided", "--perturb", "--runs", str(cap),
             "--explore-seed", str(root), "--jobs", str(args.jobs), "--defect", defect, "--out", out])
        cpu_total += cpu_seconds() - before
        with open(os.path.join(out, "sweep.json")) as f:
            sweep = json.load(f)
        runs_total += sweep["runs_done"]
        found.append(sweep["first_failure"]["run"] if "first_failure" in sweep else None)
    # Censored roots sort after every hit: a median that falls on one is "> cap".
    ranked = sorted(found, key=lambda r: (r is None, r or 0))
    hits = [r for r in found if r is not None]
    median, p90 = percentile(ranked, 0.5), percentile(ranked, 0.9)
    return {"roots": found, "median": median, "p90": p90, "hit_rate": len(hits) / len(found),
            "censored": median is None, "measured": "%d roots, each capped at %d runs" % (len(found), cap),
            "cpu_s_per_run": cpu_total / max(1, runs_total), "cpu_s_to_failure": cpu_total / max(1, len(hits))}


def runs_text(value):
    return "> cap" if value is None else str(value)


def fmt(result):
    return "%s / %s (hit %.0f%%)" % (runs_text(result["median"]), runs_text(result["p90"]), 100 * result["hit_rate"])


def cell(result):
    return "%s / %s (%.0f%%)" % (runs_text(result["median"]), runs_text(result["p90"]), 100 * result["hit_rate"])


def markdown(results, modes):
    """The README table: median / p90 runs to first failure (hit rate within the cap), CPU ms per run."""
    lines = ["| defect | scenario | " + " | ".join(modes) + " | CPU ms/run (swarm, guided) |",
             "|---|---|" + "---|" * len(modes) + "---|"]
    for row in results:
        cpu = "%.0f, %.0f" % (1000 * row["swarm"]["cpu_s_per_run"], 1000 * row["guided"]["cpu_s_per_run"]) \
            if "swarm" in row and "guided" in row else ""
        lines.append("| `%s` | `%s` | %s | %s |" % (row["defect"], row["scenario"].replace("scenarios/", ""),
                                                  " | ".join(cell(row[m]) for m in modes), cpu))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", default="tools/bench_explore_pairs.txt")
    parser.add_argument("--roots", type=int, default=20)
    parser.add_argument("--cap", type=int, default=10000)
    parser.add_argument("--long", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--sluice", default="")
    parser.add_argument("--out", default="runs/bench-explore")
    parser.add_argument("--check", action="store_true", help="fail unless every pair has every mode's figures")
    args = parser.parse_args()
    if not args.sluice:
        args.sluice = next(p for p in ["build/release/sim/sluice", "build/test/sim/sluice"] if os.path.exists(p))
    os.makedirs(args.out, exist_ok=True)
    pairs = []
    with open(args.pairs) as f:
        for line in f:
            line = line.split("#")[0].strip()
            if line:
                fields = line.split()
                # An optional third field caps guided mode lower for that pair (a budget, said in the table).
                pairs.append((fields[0], fields[1], int(fields[2]) if len(fields) > 2 else args.cap))
    results = []
    for defect, scenario, cap in pairs:
        row = {"defect": defect, "scenario": scenario, "guided_cap": min(cap, args.cap)}
        for mode in args.modes.split(","):
            if mode == "guided":
                row[mode] = guided(args, defect, scenario, args.out, min(cap, args.cap))
            else:
                row[mode] = memoryless(args, defect, scenario, mode, args.out)
            print("%-28s %-48s %-8s %s" % (defect, scenario, mode, fmt(row[mode])), flush=True)
        results.append(row)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"roots": args.roots, "cap": args.cap, "long": args.long, "pairs": results}, f, indent=2)
    print("results: %s" % os.path.join(args.out, "results.json"))
    print(markdown(results, args.modes.split(",")))
    if args.check:
        for row in results:
            for mode in args.modes.split(","):
                figures = row.get(mode)
                if not figures or "hit_rate" not in figures or "cpu_s_per_run" not in figures:
                    sys.exit("bench_explore --check: %s %s has no %s figures" % (row["defect"], row["scenario"], mode))
                if mode == "guided" and len(figures["roots"]) != args.roots:
                    sys.exit("bench_explore --check: guided ran %d roots, not %d" % (len(figures["roots"]), args.roots))


if __name__ == "__main__":
    main()
