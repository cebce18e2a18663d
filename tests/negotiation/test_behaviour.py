"""Results negotiation theory predicts, each checked over thousands of seeded negotiations.

The figures measured are printed in pytest's summary ("measured figures") and in each assertion message.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import WATER, PairBatch, negotiate

PAIRS = 3000


def run(strategy_a, strategy_b, *, seed=7, diversity=1.0, trust=1.0, **kwargs):
    rng = np.random.default_rng(seed)
    batch = PairBatch.sample(
        PAIRS, rng, diversity=diversity, strategy_a=strategy_a, strategy_b=strategy_b, trust_a=trust, trust_b=trust, **kwargs
    )
    return negotiate(batch, rng)


def compatible_gap(result) -> np.ndarray:
    """Joint utility the pair left on the table by settling compatible issues below the shared ideal."""
    comp = WATER.compatible
    settled = np.nan_to_num(result.agreement[:, comp], nan=1.0)
    weights = result.batch.weights_a[:, comp] + result.batch.weights_b[:, comp]
    return np.where(result.agreed, ((1.0 - settled) * weights).sum(axis=1), 0.0)


@pytest.fixture(scope="module")
def integrative_pairs():
    return run("integrative", "integrative")


@pytest.fixture(scope="module")
def distributive_pairs():
    return run("distributive", "distributive")


def test_integrative_pairs_with_full_trust_reach_the_frontier(integrative_pairs, figures):
    s = integrative_pairs.summary()
    share = figures.record("I vs I, trust 1: mean joint utility / max", s["mean_joint_share"], ">= 0.95")
    pareto = figures.record("I vs I, trust 1: Pareto-optimal agreements", s["pareto_optimal_rate"], ">= 0.90")
    lose = figures.record("I vs I, trust 1: lose-lose on joint investment", s["lose_lose_rate"], "< 0.05")
    assert share >= 0.95, f"joint utility share {share:.3f}"
    assert pareto >= 0.90, f"Pareto-optimal share {pareto:.3f}"
    assert lose < 0.05, f"lose-lose share {lose:.3f}"


def test_distributive_pairs_compromise_on_a_fixed_pie(integrative_pairs, distributive_pairs, figures):
    d = distributive_pairs.summary()
    i = integrative_pairs.summary()
    share = figures.record("D vs D: mean joint utility / max", d["mean_joint_share"], "<= I vs I - 0.1")
    figures.record("D vs D, 100 rounds: lose-lose on joint investment", d["lose_lose_rate"],
                   "(Thompson & Hrebec 1996: 20%; measured in the pattern catalogue)")
    frame = distributive_pairs.to_frame()
    figures.record("D vs D, 100 rounds: negotiators who never notice the shared interest",
                   1.0 - np.mean([frame.noticed_a.mean(), frame.noticed_b.mean()]), "(about half in Thompson & Hrebec)")
    assert share <= i["mean_joint_share"] - 0.1, f"D vs D {share:.3f} vs I vs I {i['mean_joint_share']:.3f}"
    short = run("distributive", "distributive", deadline_a=2, deadline_b=2).summary()
    lose = figures.record("D vs D, 2 rounds: lose-lose on joint investment", short["lose_lose_rate"], "> 100 rounds + 0.2")
    assert lose > d["lose_lose_rate"] + 0.2  # the belief needs offers to turn


def test_negotiators_dilemma(integrative_pairs, distributive_pairs, figures):
    mixed = run("distributive", "integrative", trust=1.0)
    claimer = figures.record("D vs open I: claimer's mean utility", mixed.utility_a.mean(), "> discloser's + 0.05")
    discloser = figures.record("D vs open I: discloser's mean utility", mixed.utility_b.mean(), "")
    assert claimer > discloser + 0.05, f"claimer {claimer:.3f} vs open integrative {discloser:.3f}"
    assert mixed.claimed_a.mean() > 0.99 and not mixed.claimed_b.any()
    i_joint = integrative_pairs.joint_utility.mean()
    d_joint = distributive_pairs.joint_utility.mean()
    figures.record("I vs I minus D vs D: mean joint utility", i_joint - d_joint, "> 0.2")
    assert i_joint > d_joint + 0.2


def test_openness_towards_a_claimer_costs_the_discloser(figures):
    """The sucker's side of the dilemma: disclosing to a claimer lowers what the discloser gets."""
    from sim.negotiation.strategies.integrative import Integrative

    class SilentIntegrative(Integrative):
        name = ""  # a test double, not registered

        def disclose(self, view, rng):
            return super(Integrative, self).disclose(view, rng)

    open_ = run("distributive", Integrative()).utility_b.mean()
    silent = run("distributive", SilentIntegrative()).utility_b.mean()
    figures.record("open I vs D: utility lost by disclosing", silent - open_, "> 0.05")
    assert open_ < silent - 0.05, f"disclosing {open_:.3f}, silent {silent:.3f}"


def test_without_diverse_interests_only_the_compatible_issue_separates_the_strategies(figures):
    same_i = run("integrative", "integrative", diversity=0.0)
    same_d = run("distributive", "distributive", diversity=0.0)
    diverse_i = run("integrative", "integrative", diversity=1.0)
    diverse_d = run("distributive", "distributive", diversity=1.0)
    # Integrative advantage net of what the compatible issue explains = gain from logrolling.
    logroll_same = (same_i.joint_utility.mean() - same_d.joint_utility.mean()) - compatible_gap(same_d).mean()
    logroll_diverse = (
        diverse_i.joint_utility.mean() - diverse_d.joint_utility.mean() - compatible_gap(diverse_d).mean()
    )
    figures.record("identical weights: integrative gain beyond the compatible issue", logroll_same, "|x| < 0.01")
    figures.record("diverse weights: integrative gain beyond the compatible issue", logroll_diverse, "> 0.15")
    assert abs(logroll_same) < 0.01
    assert logroll_diverse > 0.15
    # With identical priorities the whole advantage is the well claimers leave half built (in a long meeting they
    # learn from each other's offers that both want it, so it is small; in a short one it is not).
    well = figures.record("identical weights: integrative gain from the well alone", same_i.joint_utility.mean() - same_d.joint_utility.mean(), "= the well claimers leave unbuilt")
    assert abs(well - compatible_gap(same_d).mean()) < 0.01
    short_i = run("integrative", "integrative", diversity=0.0, deadline_a=2, deadline_b=2)
    short_d = run("distributive", "distributive", diversity=0.0, deadline_a=2, deadline_b=2)
    short_well = figures.record("identical weights, 2 rounds: integrative gain from the well alone",
                                short_i.joint_utility.mean() - short_d.joint_utility.mean(), "> long meeting's + 0.02")
    assert short_well > well + 0.02


def test_trust_drives_disclosure_and_the_integrative_advantage(distributive_pairs, figures):
    shares, disclosure = [], []
    for trust in (0.0, 0.25, 0.5, 0.75, 1.0):
        s = run("integrative", "integrative", trust=trust).summary()
        shares.append(s["mean_joint_share"])
        disclosure.append(s["disclosure_rate"])
    figures.record("I vs I, trust 0: disclosure rate", disclosure[0], "== 0")
    figures.record("I vs I, trust 0.5: disclosure rate", disclosure[2], "0.45..0.55")
    figures.record("I vs I, trust 0.5: mean joint utility / max", shares[2], "between trust 0 and 1")
    assert disclosure[0] == 0.0 and disclosure[-1] == 1.0
    assert 0.45 <= disclosure[2] <= 0.55
    assert all(a < b for a, b in zip(disclosure, disclosure[1:], strict=False))
    assert all(a < b for a, b in zip(shares, shares[1:], strict=False)), shares
    gap = figures.record(
        "I vs I trust 0 minus D vs D: joint share", shares[0] - distributive_pairs.summary()["mean_joint_share"], "|x| < 0.02"
    )
    assert abs(gap) < 0.02
