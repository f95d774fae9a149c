"""Run one benchmark script in two checkouts in turn, and compare every figure it prints, pair by pair.

    python bench/side_by_side.py --old DIR --new DIR [--pairs 8] [--out DIR] -- bench/audit.py --events 1000 --no-write

Issue 12's rule for a restructuring: no figure more than 10 % worse than before, measured side by side
with the previous commit in the same run, by the ratio. Single runs on a shared machine swing by a
factor of two, so OLD and NEW run in turn (OLD first in odd pairs, NEW first in even ones), each with
its own checkout's interpreter (``DIR/.venv/bin/python``) and code (working directory and
``PYTHONPATH``), and each figure is judged by the median of its pair-by-pair ratios NEW/OLD.

A figure is a number in a Markdown table the script prints on standard output: the row's first cell
and the column's header name it (a row whose first cell is a number, as a version, is named by its
position). Columns of rates (``/s`` in the header, or ``rate``) are better higher; counts and
labels (``SKIPPED``) are left out; a ratio of rates (``a / b`` in the header) is better higher; every
other number is better lower. Raw outputs go to ``--out``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

NUMBER = re.compile(r"-?[\d,]*\.?\d+")
SKIPPED = ("reads", "events", "right version", "version", "body", "samples", "commands", "launches", "errors", "wrong")


def figures(text: str) -> dict[str, float]:
    """Every number of every Markdown table in ``text``, by "row · column"."""
    found: dict[str, float] = {}
    header: list[str] | None = None
    position = 0
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header, position = cells, 0
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        position += 1
        label = cells[0] if not NUMBER.fullmatch(cells[0].replace("*", "")) else f"{header[0]} #{position}"
        for name, cell in zip(header[1:], cells[1:], strict=False):
            number = NUMBER.search(cell.replace("**", ""))
            if name.lower() in SKIPPED or number is None or "/" in cell.split("(")[0].replace("/s", ""):
                continue
            found[f"{label} · {name}"] = float(number.group().replace(",", ""))
    return found


def higher_is_better(figure: str) -> bool:
    column = figure.rsplit(" · ", 1)[-1]
    return "/s" in column or "rate" in column.lower() or " / " in column  # (a ratio of rates, as rebuild / read)


def run(checkout: Path, command: list[str]) -> tuple[str, float]:
    python = checkout / ".venv" / "bin" / "python"
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    load = os.getloadavg()[0]
    done = subprocess.run([str(python), *command], cwd=checkout, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{checkout}: {' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return done.stdout + done.stderr, load


def compare(old: list[dict[str, float]], new: list[dict[str, float]]) -> list[str]:
    lines = [
        "| figure | better | OLD median | NEW median | median ratio NEW/OLD | range of ratios | worse by |",
        "|---|---|---|---|---|---|---|",
    ]
    for figure in old[0]:
        pairs = [(o[figure], n[figure]) for o, n in zip(old, new, strict=True) if figure in o and figure in n]
        if not pairs or any(o == 0 for o, _ in pairs):
            continue
        ratios = [n / o for o, n in pairs]
        ratio = statistics.median(ratios)
        higher = higher_is_better(figure)
        worse = (1 / ratio - 1) if higher else (ratio - 1)
        flag = "**" if worse > 0.10 else ""
        lines.append(
            f"| {figure} | {'higher' if higher else 'lower'} | {statistics.median(o for o, _ in pairs):,.4g} | "
            f"{statistics.median(n for _, n in pairs):,.4g} | {ratio:.2f} | {min(ratios):.2f}–{max(ratios):.2f} | "
            f"{flag}{worse * 100:+.0f} %{flag} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", type=Path, required=True, help="the checkout before (with its .venv)")
    parser.add_argument("--new", type=Path, required=True, help="the checkout after (with its .venv)")
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--out", type=Path, default=Path("/tmp/side_by_side"), help="raw outputs, one file a run")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- script and its options")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    loads: list[float] = []
    began = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    for pair in range(1, args.pairs + 1):
        order = ("old", "new") if pair % 2 else ("new", "old")
        for side in order:
            text, load = run(getattr(args, side).resolve(), command)
            loads.append(load)
            (args.out / f"{side}{pair}.txt").write_text(text)
            results[side].append(figures(text))
        print(f"pair {pair} done (1-minute load {min(loads[-2:]):.1f}–{max(loads[-2:]):.1f})", file=sys.stderr)
    ended = time.strftime("%H:%M", time.gmtime())
    span = f"1-minute load {min(loads):.1f}–{max(loads):.1f}"
    print(f"`{' '.join(command)}`, {args.pairs} pairs, {began}–{ended} UTC, {span}")
    print()
    print("\n".join(compare(results["old"], results["new"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
