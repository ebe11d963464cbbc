"""Course benchmark: how long the notebooks take, and the speed sentences of notebook 06.

Run with ``.venv/bin/python benchmarks/bench_course.py [--skip-notebooks]``. Not a test (pytest
does not collect it): timings depend on the machine and its load, so nothing is asserted; each
figure is printed next to the target it answers.

- **The notebooks.** Each course notebook is executed top to bottom in a fresh kernel, one after
  another, as ``make notebooks`` does (which runs two at a time); the target is all seven in 120 s
  on a 2-core machine. The stored notebooks are not touched (they are executed in memory).
- **Notebook 06's sentences.** Its small shop of section 1 "is made in about a second", its sweep
  "finishes in seconds", and an explorer redraw "takes about a second". The configurations are
  read from the notebook's own cells, so the benchmark times what the notebook runs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BUDGET_SECONDS = 120


def timed(fn, *args, **kwargs) -> tuple[object, float, float]:
    """Result, wall seconds and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def run_notebooks() -> None:
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    total = 0.0
    print(f"{'notebook':<32} {'wall s':>7}")
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        runner = ExecutePreprocessor(timeout=600, kernel_name="python3")
        _, wall, _ = timed(runner.preprocess, nb, {"metadata": {"path": str(NOTEBOOKS)}})
        total += wall
        print(f"{path.stem:<32} {wall:7.1f}")
    print(f"{'all, one after another':<32} {total:7.1f}   (target: {BUDGET_SECONDS} s for all; "
          f"make notebooks runs two at a time)")


def notebook06_cells() -> list[str]:
    nb = nbformat.read(NOTEBOOKS / "06_research_playground.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code"]


def cell_with(cells: list[str], marker: str) -> str:
    found = [s for s in cells if marker in s]
    if not found:
        raise SystemExit(f"no code cell of notebook 06 contains {marker!r}: update bench_course.py")
    return found[0]


def run_notebook06_claims() -> None:
    import custkit as ck
    from custkit import experiments, explorer

    cells = notebook06_cells()
    params: dict = {}
    exec(cell_with(cells, "sweep_customers ="), params)
    sweep_lines = [ln for ln in cell_with(cells, "experiments.sweep(").splitlines()
                   if ln.startswith(("base =", "metrics ="))]
    setup: dict = {"ck": ck}
    exec("\n".join(sweep_lines), setup)
    small = ck.ShopConfig.preset("production_centric").replace(
        n_customers=300, anonymous_visitors=0, horizon_weeks=1)  # section 1's small shop (claims test: small_config)
    ck.generate(small.replace(seed=8))  # warm up imports and caches
    _, wall, cpu = timed(ck.generate, small.replace(seed=7))
    print(f"notebook 06, small shop (300 accounts): {wall:.2f} s wall, {cpu:.2f} s CPU   ('about a second')")
    _, wall, cpu = timed(experiments.sweep, setup["base"], params["sweep_knob"], params["sweep_values"],
                         params["sweep_seeds"], metrics=setup["metrics"], n_customers=params["sweep_customers"])
    n = len(params["sweep_values"]) * len(params["sweep_seeds"])
    print(f"notebook 06, sweep ({n} shops of {params['sweep_customers']} accounts): {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU   ('finishes in seconds')")
    cfg = explorer.explorer_config(ck.ShopConfig(), n_customers=400)
    explorer.simulate_summary(cfg.replace(seed=41))  # warm up
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, wall, cpu = timed(lambda: explorer.draw(explorer.simulate_summary(cfg)))
    plt.close(fig)
    print(f"notebook 06, explorer redraw (400 accounts): {wall:.2f} s wall, {cpu:.2f} s CPU   ('about a second')")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-notebooks", action="store_true", help="only notebook 06's speed sentences")
    args = parser.parse_args()
    if not args.skip_notebooks:
        run_notebooks()
    run_notebook06_claims()


if __name__ == "__main__":
    main()
