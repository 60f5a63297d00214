"""ecocheck benchmark: ratios measured side by side in one run.

    python bench/run.py            # prints one summary line per figure
    python bench/run.py --write    # also rewrites bench/RESULTS.md with what it printed

Corpora are built from the project's fixtures (fixtures/*.txt): a report of about
3,000 characters, and documents of 100,000 and 1,000,000 characters made by
repeating the fixtures (each repetition renumbered so the outline stays
plausible), as .txt and .docx; sets of 1, 100 and 1,000 files.

Machines here are noisy, so absolute times mean little: every figure is a
ratio of two things measured in the same run, each the median of several runs.
The -j figure times its two command lines in alternation, so that a slow spell of
the machine falls on both alike, and prints the spread of the per-pair ratios
beside their median.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

FIXTURES = ["report_clean.txt", "report_placeholders.txt", "report_typos.txt", "speech.txt",
            "report_inline.txt", "selfreview.txt", "report_4problems_3measures.txt"]
FAMILIES = ["S", "P", "H", "T", "W", "C"]


def median_time(fn, repeat: int = 5, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


#: -j 1 / -j 2 pairs behind the parallel figure: a single pair's ratio moves by +-0.08 on this shared
#: machine, and the median of 7 still by +-0.03; 11 pairs (about 12 s) hold it closer
PARALLEL_PAIRS = 11


def paired_times(fa, fb, repeat: int, warmup: int = 1) -> tuple[float, float, float, float, float]:
    """``fa`` and ``fb`` timed in alternation (a, b, a, b, ...): the median time of each, then the
    median, lowest and highest of the per-pair ratios a/b."""
    for _ in range(warmup):
        fa()
        fb()
    ta, tb = [], []
    for _ in range(repeat):
        for fn, out in ((fa, ta), (fb, tb)):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    ratios = [a / b for a, b in zip(ta, tb)]
    return statistics.median(ta), statistics.median(tb), statistics.median(ratios), min(ratios), max(ratios)


#: pairs behind the 1,000-file figure: each pair takes ~30 s, and start-up weighs little at that scale
PARALLEL_PAIRS_LARGE = 3


def mixed_docx_set(folder: Path, n: int) -> Path:
    """``n`` .docx files in ``folder``: every fixture report on its own and repeated to about 3k, 10k
    and 30k characters (typed labels), in turn -- a repository of reports of different kinds and sizes."""
    folder.mkdir()
    kinds = []
    for k, name in enumerate(FIXTURES):
        lines = [line for line in (ROOT / "fixtures" / name).read_text(encoding="utf-8").splitlines() if line]
        for size in (0, 3_000, 10_000, 30_000):
            body, total = list(lines), sum(len(line) + 1 for line in lines)
            while total < size:
                body.extend(lines[1:])
                total += sum(len(line) + 1 for line in lines[1:])
            kinds.append(write_docx(folder / f"kind{k}-{size}.docx", body))
    for i in range(n):
        shutil.copy(kinds[i % len(kinds)], folder / f"r{i:04d}.docx")
    for path in kinds:
        path.unlink()
    return folder


def parallel_docx_line(files: int, tmp: Path | None = None, cache: list[str] | None = None) -> str:
    """-j 1 against -j 2 over ``files`` mixed .docx (:func:`mixed_docx_set`), in alternating pairs."""
    own = tmp is None
    tmp = Path(tempfile.mkdtemp(prefix="ecocheck-bench-")) if own else tmp
    cache = ["--no-cache"] if cache is None else cache
    try:
        set_docx = mixed_docx_set(tmp / "set-docx", files)
        t1, t2, ratio, lo, hi = paired_times(lambda: cli(["lint", str(set_docx), "-q", "-j", "1", *cache]),
                                             lambda: cli(["lint", str(set_docx), "-q", "-j", "2", *cache]),
                                             repeat=PARALLEL_PAIRS_LARGE)
    finally:
        if own:
            shutil.rmtree(tmp, ignore_errors=True)
    return (f"parallel {files} mixed .docx: -j 1 {t1:.2f} s vs -j 2 {t2:.2f} s → speed-up ×{ratio:.2f} "
            f"(×{lo:.2f}–{hi:.2f} over {PARALLEL_PAIRS_LARGE} pairs; target ≥ 1.8)")


def corpus_lines(chars: int) -> list[str]:
    """Fixture paragraphs repeated until ``chars`` characters (body paragraphs only after the first copy)."""
    base = []
    for name in FIXTURES:
        base.extend(line for line in (ROOT / "fixtures" / name).read_text(encoding="utf-8").splitlines() if line)
    out: list[str] = []
    total = 0
    while total < chars:
        for line in base:
            out.append(line)
            total += len(line) + 1
            if total >= chars:
                break
    return out


def write_txt(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_docx(path: Path, lines: list[str]) -> Path:
    from make_docx import build_docx

    return build_docx(lines, path)


def python_docx_read(path: Path) -> int:
    import docx

    d = docx.Document(str(path))
    return sum(len(p.text) for p in d.paragraphs)


def slowest_rules(path: Path, top: int = 6, rounds: int = 3) -> list[tuple[str, float]]:
    """Each rule's own time on one document (median over fresh loads), slowest first."""
    from ecocheck import api
    from ecocheck.config import Config
    from ecocheck.engine.runner import run_rules
    from ecocheck.loaders import load

    plan = api.build_plan(Config())
    rules = plan.rules
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        doc = load(str(path))
        outline = api.outline_document(doc, plan)
        for selected in rules:  # in registry order, as a lint runs them
            t = time.perf_counter()
            run_rules(doc, outline, [selected], config=plan.config)
            times.setdefault(selected.rule.code, []).append(time.perf_counter() - t)
    ranked = sorted(((code, statistics.median(ts) * 1000) for code, ts in times.items()), key=lambda x: -x[1])
    return ranked[:top]


#: the rules issue 17 added (W501's longer list is not separable and counts on both sides)
DEEPER_RULES = ["W507", "W508", "W509", "W510", "C605", "H309"]


def deeper_checks_line(cfg, small_docx: Path, mid_docx: Path) -> str:
    from ecocheck import api
    from ecocheck.config import Config

    without = Config(ignore=DEEPER_RULES)
    parts = []
    for label, path, n in (("3k-char .docx", small_docx, 21), ("100k-char .docx", mid_docx, 7)):
        t_with = median_time(lambda p=path: api.lint_file(str(p), cfg), repeat=n)
        t_without = median_time(lambda p=path: api.lint_file(str(p), without), repeat=n)
        parts.append(f"{label} {t_with * 1000:.1f} ms vs {t_without * 1000:.1f} ms without them "
                     f"(×{t_with / t_without:.2f})")
    return ("deeper checks of issue 17 (" + " ".join(DEEPER_RULES) + "), lint with vs without: "
            + "; ".join(parts) + " (target: well under ×2)")


def cli(args: list[str], cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("ecocheck")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, env=env)


def timed_cli(args: list[str], repeat: int = 3) -> float:
    return median_time(lambda: cli(args), repeat=repeat, warmup=1)


def peak_rss_mb(args: list[str]) -> float:
    """Peak resident memory of one CLI run, in MB.

    Linux keeps ru_maxrss across execve (a child started from this big process would
    report our own peak), so read the per-address-space high-water mark VmHWM instead.
    """
    code = ("import sys\nfrom ecocheck.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
            "print(int(hwm[0].split()[1]) if hwm else -1, file=sys.stderr)")
    # run outside the checkout: ``python -c`` puts the current directory first on sys.path, and the
    # checkout's ecocheck/ is not the installed package (its grammars and packs live elsewhere)
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         cwd=tempfile.gettempdir())
    return int(res.stderr.strip().splitlines()[-1]) / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="rewrite bench/RESULTS.md with the printed figures")
    ap.add_argument("--files", type=int, default=1000, help="size of the largest file set (default 1000)")
    ap.add_argument("--only", choices=["fix-annotate", "parallel-docx"],
                    help="run one section; with --write, replace only its lines in RESULTS.md")
    args = ap.parse_args(argv)
    if args.only:
        if args.only == "fix-annotate":
            lines = fix_annotate_growth()  # printed as measured
        else:
            lines = [parallel_docx_line(args.files)]
            print(lines[0])
        if args.write:
            _write_lines(lines)
        return 0

    from ecocheck import api
    from ecocheck.config import Config

    lines_out: list[str] = []

    def report(line: str) -> None:
        print(line, flush=True)
        lines_out.append(line)

    tmp = Path(tempfile.mkdtemp(prefix="ecocheck-bench-"))
    try:
        small = corpus_lines(3_000)
        mid = corpus_lines(100_000)
        big = corpus_lines(1_000_000)
        small_txt, small_docx = write_txt(tmp / "small.txt", small), write_docx(tmp / "small.docx", small)
        mid_txt, big_txt = write_txt(tmp / "mid.txt", mid), write_txt(tmp / "big.txt", big)
        mid_docx, big_docx = write_docx(tmp / "mid.docx", mid), write_docx(tmp / "big.docx", big)

        # 1. start-up
        t_version = timed_cli(["--version"], repeat=7)
        t_import = median_time(lambda: subprocess.run([sys.executable, "-c", "import docx"]), repeat=7)
        report(f"start-up: `ecocheck --version` {t_version * 1000:.0f} ms vs `python -c 'import docx'` "
               f"{t_import * 1000:.0f} ms → ratio {t_version / t_import:.2f} (target ≤ 1.5)")
        # what a writer waits for: one lint of a report, with the user cache (compiled patterns,
        # parsed packs, the outline parser, entry points) as a previous run left it, and empty
        t_warm = timed_cli(["lint", str(small_txt), "-q", "--no-cache"], repeat=7)
        cold = []
        for k in range(5):
            env = {**os.environ, "XDG_CACHE_HOME": str(tmp / f"cold-cache-{k}")}
            t = time.perf_counter()
            cli(["lint", str(small_txt), "-q", "--no-cache"], env=env)
            cold.append(time.perf_counter() - t)
        report(f"start-up, `ecocheck lint` of a 3k-char .txt: {t_warm * 1000:.0f} ms with the user cache warm, "
               f"{statistics.median(cold) * 1000:.0f} ms with it empty (first run after an install)")

        # 2. per document, in process: full lint vs python-docx load + paragraph text
        cfg = Config()
        api.lint_file(str(small_docx), cfg)  # warm caches: grammar, registry, packs
        # each side in a block of its own: alternating them in one process would have each start
        # from the heap the other just freed (measured: lint 10 -> 14 ms on the 3k file)
        for label, path, n in (("3k-char .docx", small_docx, 21), ("100k-char .docx", mid_docx, 7)):
            t_lint = median_time(lambda p=path: api.lint_file(str(p), cfg), repeat=n)
            t_read = median_time(lambda p=path: python_docx_read(p), repeat=n)
            report(f"per document ({label}): lint {t_lint * 1000:.1f} ms vs python-docx load+text "
                   f"{t_read * 1000:.1f} ms → ratio {t_lint / t_read:.2f} (target ≤ 2)")

        # 2b. pairing 30 problems against 30 measures vs loading a .docx
        from ecocheck.loaders.text import load_text
        from ecocheck.outline import build_outline
        from ecocheck.outline.pairing import pair_outline

        topics = ["理论学习", "责任落实", "作风建设", "廉政风险", "队伍建设", "制度执行"]
        problems = [f"（{i}）{topics[i % 6]}方面第{i}项问题还不够到位，存在薄弱环节{i}。" for i in range(1, 31)]
        measures = [f"（{i}）强化{topics[i % 6]}，针对第{i}项问题落实整改{i}。" for i in range(1, 31)]
        pair_text = "\n".join(["某局政治生态分析报告", "一、存在问题", *problems, "二、整改措施", *measures]) + "\n"
        pair_outline_ = build_outline(load_text("pairs.txt", pair_text.encode("utf-8")))
        t_pair = median_time(lambda: pair_outline(pair_outline_), repeat=7)
        t_load = median_time(lambda: python_docx_read(small_docx), repeat=7)
        report(f"pairing 30 problems × 30 measures: {t_pair * 1000:.1f} ms vs python-docx load of a 3k-char .docx "
               f"{t_load * 1000:.1f} ms → ratio {t_pair / t_load:.2f} (target: well under 1)")

        # 3. growth 100k → 1M characters
        for label, a, b in (("txt", mid_txt, big_txt), ("docx", mid_docx, big_docx)):
            ta = median_time(lambda p=a: api.lint_file(str(p), cfg), repeat=9)  # short: more runs
            tb = median_time(lambda p=b: api.lint_file(str(p), cfg), repeat=3)
            report(f"growth .{label} 100k → 1M chars: {ta:.2f} s → {tb:.2f} s → ×{tb / ta:.1f} "
                   f"for ×10 text (target ≤ 11)")

        # 4a. what issue 17's deeper checks add to a lint (context confusions, 提法, dropped characters,
        #     non-words, rates against fractions, 某某 slots): the same lint with and without them
        report(deeper_checks_line(cfg, small_docx, mid_docx))

        # 4. cost per rule family (on the 1M-character .txt), over load + outline only
        base = median_time(lambda: api.lint_file(str(big_txt), Config(select=["E"])), repeat=3)
        parts = []
        for fam in FAMILIES:
            t = median_time(lambda f=fam: api.lint_file(str(big_txt), Config(select=[f])), repeat=3)
            parts.append(f"{fam} {max(0.0, t - base) * 1000:.0f} ms")
        report(f"per family (1M-char .txt, load+outline {base * 1000:.0f} ms): " + ", ".join(parts))
        report("slowest rules (100k-char .docx; the first rule to need shared work -- pairing, the format "
               "view -- pays for it): " + ", ".join(f"{code} {ms:.1f} ms" for code, ms in slowest_rules(mid_docx)))

        # 5. parallel: -j 2 vs -j 1 over 100 files
        set100 = tmp / "set100"
        set100.mkdir()
        for i in range(100):
            shutil.copy(small_docx if i % 2 else small_txt, set100 / f"r{i:03d}{'.docx' if i % 2 else '.txt'}")
        lint_help = cli(["lint", "--help"]).stdout
        cache = ["--no-cache"] if "--no-cache" in lint_help else []
        if "--jobs" in lint_help:
            t1, t2, ratio, lo, hi = paired_times(lambda: cli(["lint", str(set100), "-q", "-j", "1", *cache]),
                                                 lambda: cli(["lint", str(set100), "-q", "-j", "2", *cache]),
                                                 repeat=PARALLEL_PAIRS)
            report(f"parallel 100 files: -j 1 {t1:.2f} s vs -j 2 {t2:.2f} s → speed-up ×{ratio:.2f} "
                   f"(×{lo:.2f}–{hi:.2f} over {PARALLEL_PAIRS} pairs; target ≥ 1.6); of which start-up (one 3k-char file, "
                   f"as above) {t_warm:.2f} s")
            # the same 100 files in process: the parallel part alone, without the start-up
            warm = [str(set100)]
            api.lint_paths(warm, cfg, jobs=1)
            p1 = median_time(lambda: api.lint_paths(warm, cfg, jobs=1), repeat=3)
            p2 = median_time(lambda: api.lint_paths(warm, cfg, jobs=2), repeat=3)
            report(f"parallel 100 files in process (api.lint_paths): jobs=1 {p1:.2f} s vs jobs=2 {p2:.2f} s "
                   f"→ speed-up ×{p1 / p2:.2f}")
        else:
            report("parallel 100 files: -j not available")

        # 5b. parallel at the scale of a repository of reports: 1,000 .docx of mixed sizes and contents
        if "--jobs" in lint_help:
            report(parallel_docx_line(args.files, tmp, cache))

        # 6. many files: 1,000 files through the CLI
        setn = tmp / "setN"
        setn.mkdir()
        for i in range(args.files):
            shutil.copy(small_txt, setn / f"r{i:04d}.txt")
        jobs1 = ["-j", "1"] if "--jobs" in lint_help else []
        tn = timed_cli(["lint", str(setn), "-q", *jobs1, *cache], repeat=1)
        line = f"{args.files} files (3k-char .txt) through the CLI: {tn:.2f} s, {tn / args.files * 1000:.1f} ms/file"
        if jobs1:
            tn2 = timed_cli(["lint", str(setn), "-q", "-j", "2", *cache], repeat=1)
            line += f"; -j 2 {tn2:.2f} s (×{tn / tn2:.2f})"
        report(line)

        # 7. peak memory, 1M-character documents
        for label, path in (("txt", big_txt), ("docx", big_docx)):
            jobs = ["-j", "1"] if "--jobs" in lint_help else []
            rss = peak_rss_mb(["lint", str(path), "-q", *cache, *jobs])
            report(f"peak memory, 1M-char .{label}: {rss:.0f} MB (target < 300)")

        # 8. --fix and --annotate on dense findings
        for line in fix_annotate_growth():
            report(line)

        # 9. punctuation checks vs autocorrect-py (Rust) on the same text
        try:
            import autocorrect_py
        except ImportError:
            report("vs autocorrect-py: not installed (pip install autocorrect-py)")
        else:
            paras = mid_txt.read_text(encoding="utf-8").splitlines()
            # autocorrect's parser has a call limit on one huge input: lint paragraph by paragraph
            t_ac = median_time(lambda: [autocorrect_py.lint_for(p, "mid.txt") for p in paras], repeat=3)
            t_t = median_time(lambda: api.lint_file(str(mid_txt), Config(select=["T"])), repeat=3)
            report(f"punctuation, 100k chars: ecocheck T rules (incl. load+outline) {t_t * 1000:.0f} ms vs "
                   f"autocorrect-py {t_ac * 1000:.0f} ms → ratio {t_t / t_ac:.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    if args.write:
        block = "\n".join([
            "<!-- bench:start (written by `python bench/run.py --write`; edit outside the markers) -->",
            f"Printed on {_dt.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, {platform.platform()}.",
            "",
            "```",
            *lines_out,
            "```",
            "<!-- bench:end -->",
        ])
        path = ROOT / "bench" / "RESULTS.md"
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        start, end = old.find("<!-- bench:start"), old.find("<!-- bench:end -->")
        if start >= 0 and end > start:
            text = old[:start] + block + old[end + len("<!-- bench:end -->"):]
        else:
            text = "# Benchmark results\n\nEach figure is a ratio of two things measured side by side in the same run " \
                   "(medians).\n\n" + block + "\n"
        path.write_text(text, encoding="utf-8")
    return 0


#: one unit of the dense-findings text: a H301 placeholder and a safe T403 fix every 16 characters
DENSE_UNIT = "现有党员XX人，开展工作,取得成效。"
DENSE_PARAGRAPH = 20_000  # characters per paragraph (issue 21.9 measured a 38k-character one)
FIX_ANNOTATE = ("annotate growth", "fix growth")


def dense_text(chars: int) -> str:
    paragraph = DENSE_UNIT * (DENSE_PARAGRAPH // len(DENSE_UNIT))
    return "\n".join(["关于某局政治生态情况的报告", "一、基本情况", *[paragraph] * max(1, chars // len(paragraph))]) + "\n"


def median_cpu(fn, repeat: int) -> float:
    """Median CPU time of ``fn`` in this process: the growth of one single-threaded step, which the
    other processes of a shared machine would blur in wall-clock time."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def fix_annotate_growth() -> list[str]:
    """--annotate (comments on a copy) and --fix (in memory) of .txt files of 100k and 1M characters in
    20k-character paragraphs with a finding every 8 characters (H301 and T403 only, so the lint inside
    --fix stays small next to the fixing)."""
    from ecocheck import api
    from ecocheck.config import Config
    from ecocheck.fix import annotate_file, fix_file

    # no time limit: on a shared machine the 1M-character annotation may take longer than the default
    cfg = Config(select=["H301", "T403"], limits={"rule_seconds": 0})
    tmp = Path(tempfile.mkdtemp(prefix="ecocheck-bench-fix-"))
    out = []
    try:
        annotate_t, fix_t, counts = [], [], []
        for chars, repeat in ((100_000, 3), (1_000_000, 1)):
            path = tmp / f"dense{chars}.txt"
            path.write_text(dense_text(chars), encoding="utf-8")
            findings = api.lint_file(str(path), cfg).findings
            counts.append(len(findings))
            annotate_t.append(median_cpu(lambda: annotate_file(str(path), findings, str(tmp / "out.docx"),
                                                               config=cfg), repeat=repeat))
            fix_t.append(median_cpu(lambda: fix_file(str(path), cfg), repeat=repeat))
        for label, (ta, tb) in zip(FIX_ANNOTATE, (annotate_t, fix_t)):
            out.append(f"{label} (.txt, a finding every 8 chars: {counts[0]} → {counts[1]}) 100k → 1M chars: "
                       f"{ta:.2f} s → {tb:.2f} s CPU → ×{tb / ta:.1f} for ×10 text (target ≤ 11)")
            print(out[-1], flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _line_key(line: str) -> str:
    """What names a results line: its text before the first ``:`` or `` (``."""
    return min(line.split(":", 1)[0], line.split(" (", 1)[0], key=len)


def _write_lines(lines: list[str]) -> None:
    """Replace (or add) these lines of the results block in RESULTS.md, leaving the others."""
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text(encoding="utf-8")
    end = text.find("```\n<!-- bench:end -->")
    if end < 0:
        raise SystemExit("RESULTS.md has no results block; run bench/run.py --write")
    head, tail = text[:end], text[end:]
    for line in lines:
        prefix = _line_key(line)
        kept = [old for old in head.split("\n") if _line_key(old) != prefix]
        head = "\n".join(kept)
        head = head.rstrip("\n") + "\n" + line + "\n"
    path.write_text(head + tail, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
