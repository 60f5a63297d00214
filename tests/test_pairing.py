"""The problem ⇄ measure pairing: assignment, similarity, and the pairs found in real-shaped fixtures."""

from __future__ import annotations

import ast
import itertools
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from ecocheck import api
from ecocheck.outline import pairing as pm

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = yaml.safe_load((ROOT / "fixtures" / "MANIFEST.yaml").read_text(encoding="utf-8"))["files"]


# -- assignment ------------------------------------------------------------------------
def _total(scores, match):
    return sum(scores[i][j] for i, j in enumerate(match) if j >= 0)


def _brute_force(scores):
    n, m = len(scores), len(scores[0])
    best = 0.0
    if n <= m:
        for cols in itertools.permutations(range(m), n):
            best = max(best, sum(scores[i][c] for i, c in enumerate(cols)))
    else:
        for rows in itertools.permutations(range(n), m):
            best = max(best, sum(scores[r][j] for j, r in enumerate(rows)))
    return best


def test_assign_picks_the_best_total_not_the_greedy_one():
    # greedy would take (0,0)=0.9 and leave row 1 with 0.1; the optimum crosses over
    scores = [[0.9, 0.8],
              [0.7, 0.1]]
    assert pm.assign(scores) == [1, 0]


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (3, 2), (4, 4), (5, 3), (3, 6), (6, 6)])
@pytest.mark.parametrize("seed", range(5))
def test_assign_is_optimal_and_one_to_one(shape, seed):
    rng = random.Random(seed * 100 + shape[0] * 10 + shape[1])
    n, m = shape
    scores = [[round(rng.random(), 3) for _ in range(m)] for _ in range(n)]
    match = pm.assign(scores)
    assert len(match) == n
    used = [j for j in match if j >= 0]
    assert len(used) == len(set(used)) == min(n, m)
    assert _total(scores, match) == pytest.approx(_brute_force(scores))


def test_assign_30_by_30_recovers_a_planted_permutation():
    rng = random.Random(7)
    n = 30
    perm = list(range(n))
    rng.shuffle(perm)
    scores = [[rng.random() * 0.2 for _ in range(n)] for _ in range(n)]
    for i, j in enumerate(perm):
        scores[i][j] = 0.5 + rng.random() * 0.5
    assert pm.assign(scores) == perm


def test_assign_ties_keep_document_order():
    assert pm.assign([[0.0] * 4 for _ in range(4)]) == [0, 1, 2, 3]
    # four problems, three measures, nothing in common: the last problem is left over
    assert pm.assign([[0.0] * 3 for _ in range(4)]) == [0, 1, 2, -1]


def test_assign_empty():
    assert pm.assign([]) == []
    assert pm.assign([[], []]) == [-1, -1]


# -- similarity ------------------------------------------------------------------------
def test_features_drop_boilerplate_and_stop_characters():
    f = pm.features("理论学习的系统性还不够，坚持加强理论武装")
    assert {"理论", "学习", "系统", "武装"} <= set(f)
    assert not {"不够", "坚持", "加强", "的系", "够坚"} & set(f)


def _reference_features(text, vocab):
    """features() spelled out: cut the longest boilerplate phrase at each position, then pair adjacent
    CJK characters that are not stop characters."""
    words = sorted(vocab.boilerplate, key=len, reverse=True)
    out, i = [], 0
    while i < len(text):
        word = next((w for w in words if text.startswith(w, i)), None)
        out.append("|" if word else text[i])
        i += len(word) if word else 1
    cut = "".join(out)

    def keep(ch):
        return "\u3400" <= ch <= "\u9fff" and ch not in vocab.stop_chars

    return [a + b for a, b in zip(cut, cut[1:]) if keep(a) and keep(b)]


@pytest.mark.parametrize("vocab", [
    pm.default_vocabulary(),
    pm.Vocabulary(stop_chars=frozenset("\u3400\u3401\u9fff的a，"), boilerplate=()),
    pm.Vocabulary(stop_chars=frozenset(), boilerplate=("理论", "理", "论学习", "差距")),
], ids=["shipped", "stops-at-block-edges", "overlapping-phrases"])
def test_features_match_the_plain_definition(vocab):
    rng = random.Random(3)
    alphabet = list("理论学习系统性的了还有差距不够坚持加强武装\u3400\u3401\u3402\u9ffe\u9fff\u33ff\ua000，。\n a|1")
    alphabet += ["不够", "还有差距", "有差距", "论学习"]
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        expected = _reference_features(text, vocab)
        got = pm.features(text, vocab)
        assert got == Counter(expected), text
        assert list(got) == list(dict.fromkeys(expected)), text  # first-seen order


def test_items_of_a_document_share_their_bigram_strings():
    strings = {}
    a = pm.item_features("理论学习不够深入", "加强理论学习", strings=strings)
    b = pm.item_features("强化理论武装", "深化理论学习", strings=strings)
    shared = a.text.keys() & b.text.keys()
    assert {"理论", "学习"} <= shared
    ka, kb = ({k: k for k in f.text} for f in (a, b))
    assert all(ka[g] is kb[g] is strings[g] for g in shared)


def test_loose_real_pairs_score_above_unrelated_ones():
    problem = pm.item_features("理论学习的系统性、实践性还不够", "学懂弄通做实上下苦功还不够。")
    good = pm.item_features("坚持理论武装不放松", "深入学习贯彻党的创新理论，推动理论学习走深走实。")
    bad = pm.item_features("加强机关文化建设", "组织开展职工运动会、读书分享会，丰富业余文化生活。")
    [[s_good, s_bad]] = pm.similarity_matrix([problem], [good, bad])
    assert s_good > 0.1 > s_bad


def test_scores_do_not_depend_on_the_hash_seed(tmp_path):
    """Sums over sets of bigrams are exact (math.fsum), so set iteration order cannot change a score."""
    code = ("from ecocheck import api; import sys\n"
            "ol = api.outline_file(sys.argv[1])\n"
            "pr = ol.cache['pairing']\n"
            "print(repr([pr.scores, pr.cause_scores]))")
    path = str(ROOT / "fixtures" / "selfreview.txt")
    # cwd outside the checkout: ``python -c`` puts the cwd first on sys.path, and the tests run
    # against the installed package (the checkout's ecocheck/ has no grammars or packs)
    outs = {subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True,
                           cwd=tmp_path, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(outs) == 1


# -- pairs in the fixtures ---------------------------------------------------------------
PAIRED = sorted(n for n, f in MANIFEST.items()
                if not n.endswith(".yaml") and (f.get("outline") or {}).get("pairs"))


@pytest.mark.parametrize("name", PAIRED)
def test_pairs_match_the_manifest(name):
    outline = api.outline_file(str(ROOT / "fixtures" / name))
    expected = MANIFEST[name]["outline"]
    got = [[d["problem_line"], d["measure_line"]] for d in outline.pairing if d["problem"] and d["measure"]]
    assert got == expected["pairs"]
    unmatched = [d["problem_line"] for d in outline.pairing if d["problem"] and not d["measure"]]
    assert unmatched == expected.get("unmatched_problems", [])


def test_causes_are_paired_too():
    outline = api.outline_file(str(ROOT / "fixtures" / "selfreview.txt"))
    assert [d["cause_line"] for d in outline.pairing] == [9, 10, 11, 12]
    problem = outline.node_of_paragraph[3]  # （一）在深化理论武装…方面 (line 4)
    assert problem.props["cause"].startswith("（一）")


def test_speech_is_not_paired():
    outline = api.outline_file(str(ROOT / "fixtures" / "speech.txt"))
    assert outline.genre == "speech"
    assert outline.pairing == []
    assert not any("pair" in n.props for n in outline.walk())


def test_pair_is_stored_on_both_nodes():
    outline = api.outline_file(str(ROOT / "fixtures" / "report_inline.txt"))
    problems = [n for n in outline.sections[1].children]
    measures = [n for n in outline.sections[2].children]
    assert [p.props["pair"] for p in problems] == [m.title for m in measures]
    assert [m.props["pair"] for m in measures] == [p.title for p in problems]


def test_pairing_module_is_pure():
    """ecocheck.outline.pairing works on the Outline alone: no engine, rule or api import."""
    tree = ast.parse(Path(pm.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.add(("." * node.level) + (node.module or ""))
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    assert not [m for m in imported if "engine" in m or "rules" in m or "api" in m or "cli" in m], imported


def test_thirty_problems_by_thirty_measures(write_text):
    """A long list (30 × 30) pairs every problem with its own measure."""
    topics = ["理论武装", "责任落实", "作风建设", "纪律规矩", "选人用人", "基层组织", "廉政风险", "财务管理",
              "工程项目", "窗口服务", "信访举报", "巡察整改", "意识形态", "保密管理", "档案管理", "安全生产",
              "招标投标", "公车使用", "公务接待", "会议精简", "文件精简", "督查检查", "干部培训", "年轻干部",
              "统战工作", "群团工作", "机关党建", "党员发展", "党费收缴", "谈心谈话"]
    from ecocheck.outline.numerals import int_to_cn

    def label(k):
        return f"（{int_to_cn(k + 1)}）"

    lines = ["某局党组政治生态分析研判报告", "现将有关情况报告如下。", "一、基本情况", "局机关设科室若干。", "二、存在的问题"]
    lines += [f"{label(k)}{t}方面还有差距。在{t}上存在薄弱环节。" for k, t in enumerate(topics)]
    lines += ["三、整改措施"]
    lines += [f"{label(k)}加强{t}。围绕{t}制定具体办法。" for k, t in enumerate(reversed(topics))]
    outline = api.outline_file(write_text("\n".join(lines) + "\n"))
    assert len(outline.pairing) == 30
    for d in outline.pairing:
        topic = d["problem"][d["problem"].index("）") + 1:].replace("方面还有差距", "")
        assert d["measure"].endswith(f"加强{topic}")


def test_shown_scores_are_rounded_zero_without_a_partner_and_none_when_paired_by_position():
    from ecocheck.loaders.text import load_text
    from ecocheck.outline import build_outline
    from ecocheck.outline.pairing import MAX_PAIRED_ITEMS, pair_outline

    def pairing(n_problems, n_causes, n_measures):
        lines = ["某局报告", "一、存在问题", *[f"（{i}）理论学习第{i}项问题不够到位。" for i in range(1, n_problems + 1)],
                 "二、原因分析", *[f"（{i}）理论学习第{i}项原因。" for i in range(1, n_causes + 1)],
                 "三、整改措施", *[f"（{i}）加强理论学习第{i}项措施。" for i in range(1, n_measures + 1)]]
        return pair_outline(build_outline(load_text("p.txt", "\n".join(lines).encode())))

    pr = pairing(3, 2, 3)
    assert not pr.positional
    assert pr.shown_score(0) == round(pr.score(0), 3) and isinstance(pr.shown_score(0), float)
    assert pr.shown_cause_score(2, pr.cause_match[2]) == (0.0 if pr.cause_match[2] < 0 else
                                                        round(pr.cause_scores[2][pr.cause_match[2]], 3))
    assert pr.shown_cause_score(0, -1) == 0.0
    big = pairing(MAX_PAIRED_ITEMS + 5, 3, MAX_PAIRED_ITEMS + 1)
    assert big.positional
    assert big.shown_score(0) is None and big.shown_cause_score(0, 0) is None and big.shown_cause_score(50, -1) is None
