"""What a batch of negotiations produced, with the measures researchers report and users plot."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from sim.negotiation import analysis
from sim.negotiation.batch import PairBatch
from sim.negotiation.preferences import interest_diversity, package_utilities
from sim.negotiation.strategies.base import ACTED_INTEGRATIVE

TEXT_STEP = -2
"""``agreed_at`` of a pair that accepted a facilitator's text before any offer (0 rounds of bargaining)."""

PARETO_TOLERANCE = 0.01
"""An agreement counts as Pareto-optimal when no package gives one side more than this without the other losing."""

LOSE_LOSE_SHORTFALL = 0.25
"""A compatible issue ends lose-lose when it is settled more than this far (of its range) below the level both
parties prefer: both would have been better off, and neither asked (Thompson & Hastie 1990)."""


def lose_lose_agreements(agreement: np.ndarray, agreed: np.ndarray, compatible: np.ndarray) -> np.ndarray:
    """Agreements (pair-major packages in A's frame) that settled some compatible issue more than
    LOSE_LOSE_SHORTFALL below the level both sides want."""
    if not compatible.any():
        return np.zeros(agreed.shape, dtype=bool)
    settled = np.nan_to_num(agreement[:, compatible], nan=1.0)
    return agreed & np.any(settled < 1.0 - LOSE_LOSE_SHORTFALL, axis=1)


@dataclass(frozen=True)
class Trace:
    """The negotiation dance: every offer's utility to A and to B, by step (NaN once a pair has finished).

    A makes the offers at even steps, B at odd ones.
    """

    utility_a: np.ndarray  # (steps, N)
    utility_b: np.ndarray  # (steps, N)
    offers: np.ndarray | None  # (steps, N, K) in A's frame, when kept

    def pair(self, i: int) -> pd.DataFrame:
        """The offers of pair ``i`` as a table: step, round, proposer, utility to A, utility to B."""
        ua, ub = self.utility_a[:, i], self.utility_b[:, i]
        steps = np.flatnonzero(~np.isnan(ua))
        return pd.DataFrame(
            {
                "step": steps,
                "round": steps // 2 + 1,
                "proposer": np.where(steps % 2 == 0, "A", "B"),
                "utility_a": ua[steps].astype(float),
                "utility_b": ub[steps].astype(float),
            }
        )


@dataclass(frozen=True)
class NegotiationResult:
    """Outcome of every pair in a batch. Arrays are pair-major; :meth:`to_frame` gives one tidy row per pair."""

    batch: PairBatch
    agreed: np.ndarray  # (N,) bool
    agreed_at: np.ndarray  # (N,) step of acceptance, -1 for impasse, TEXT_STEP for a facilitator's text
    rounds: np.ndarray  # (N,) rounds used (to agreement, or to the deadline)
    agreement: np.ndarray  # (N, K) package in A's frame, NaN for impasse
    utility_a: np.ndarray  # (N,) A's utility (its BATNA on impasse)
    utility_b: np.ndarray
    disclosed_a: np.ndarray  # (N,) A announced priorities (truthfully or not)
    disclosed_b: np.ndarray
    misreported_a: np.ndarray  # (N,) A announced false priorities
    misreported_b: np.ndarray
    claimed_a: np.ndarray  # (N,) A used B's announced priorities to claim value
    claimed_b: np.ndarray
    integrative_a: np.ndarray  # (N,) A acted integratively in this negotiation
    integrative_b: np.ndarray
    opening_a: np.ndarray  # (N,) utility A opened at (negotiators differ individually)
    opening_b: np.ndarray
    horizon_a: np.ndarray  # (N,) share of its deadline by which A planned to reach its BATNA (its tempo)
    horizon_b: np.ndarray
    noticed_a: np.ndarray  # (N,) A ended believing every shared issue shared (learnt from offers, or told)
    noticed_b: np.ndarray
    trace: Trace | None

    @property
    def size(self) -> int:
        return self.agreed.shape[0]

    @cached_property
    def frontier(self) -> analysis.Frontier:
        return analysis.pareto_frontier(self.batch.weights_a, self.batch.weights_b, self.batch.domain.opposed)

    @cached_property
    def nash(self) -> analysis.Point:
        return analysis.nash_point(self.frontier, self.batch.reservation_a, self.batch.reservation_b)

    @cached_property
    def kalai_smorodinsky(self) -> analysis.Point:
        return analysis.kalai_smorodinsky_point(self.frontier, self.batch.reservation_a, self.batch.reservation_b)

    @cached_property
    def max_welfare(self) -> analysis.Point:
        return analysis.max_welfare_point(self.frontier)

    @property
    def joint_utility(self) -> np.ndarray:
        return self.utility_a + self.utility_b

    @cached_property
    def max_joint_utility(self) -> np.ndarray:
        return analysis.max_joint_utility(self.frontier)

    @property
    def joint_share(self) -> np.ndarray:
        """Joint utility as a share of the most any package could give the pair (impasse counts the BATNAs)."""
        return self.joint_utility / self.max_joint_utility

    @cached_property
    def pareto_optimal(self) -> np.ndarray:
        """Agreements on the Pareto frontier (within PARETO_TOLERANCE); False for impasses."""
        on = analysis.is_pareto_optimal(self.frontier, self.utility_a, self.utility_b, PARETO_TOLERANCE)
        return self.agreed & on

    @property
    def nash_distance(self) -> np.ndarray:
        """Distance in utility space from the agreement to the Nash point (NaN for impasse or no bargaining zone)."""
        d = np.hypot(self.utility_a - self.nash.ua, self.utility_b - self.nash.ub)
        return np.where(self.agreed, d, np.nan)

    @cached_property
    def lose_lose(self) -> np.ndarray:
        """Agreements that settled some compatible issue far below the level both sides wanted."""
        return lose_lose_agreements(self.agreement, self.agreed, self.batch.domain.compatible)

    def to_frame(self) -> pd.DataFrame:
        """One row per negotiation with inputs, outcome and measures (tidy: columns are variables)."""
        batch = self.batch
        frame = pd.DataFrame(
            {
                "pair": np.arange(self.size),
                "strategy_a": np.array([s.name for s in batch.strategies], dtype=object)[batch.strategy_code_a],
                "strategy_b": np.array([s.name for s in batch.strategies], dtype=object)[batch.strategy_code_b],
                "trust_a": batch.trust_a,
                "trust_b": batch.trust_b,
                "reservation_a": batch.reservation_a,
                "reservation_b": batch.reservation_b,
                "interest_diversity": interest_diversity(batch.weights_a, batch.weights_b),
                "agreed": self.agreed,
                "rounds": self.rounds,
                "utility_a": self.utility_a,
                "utility_b": self.utility_b,
                "joint_utility": self.joint_utility,
                "joint_share": self.joint_share,
                "pareto_optimal": self.pareto_optimal,
                "nash_distance": self.nash_distance,
                "lose_lose": self.lose_lose,
                "disclosed_a": self.disclosed_a,
                "disclosed_b": self.disclosed_b,
                "misreported_a": self.misreported_a,
                "misreported_b": self.misreported_b,
                "claimed_a": self.claimed_a,
                "claimed_b": self.claimed_b,
                "integrative_a": self.integrative_a,
                "integrative_b": self.integrative_b,
                "opening_a": self.opening_a,
                "opening_b": self.opening_b,
                "horizon_a": self.horizon_a,
                "horizon_b": self.horizon_b,
                "noticed_a": self.noticed_a,
                "noticed_b": self.noticed_b,
                "by_text": self.agreed_at == TEXT_STEP,
            }
        )
        for j, key in enumerate(batch.domain.keys):
            frame[key] = self.agreement[:, j]
        return frame

    def summary(self) -> dict[str, float]:
        """Headline means over the batch (agreement-based measures over agreements only)."""
        agreed = self.agreed
        share = float(agreed.mean())

        def over_agreements(values: np.ndarray) -> float:
            return float(np.mean(values[agreed])) if agreed.any() else float("nan")

        return {
            "negotiations": float(self.size),
            "agreement_rate": share,
            "mean_rounds": float(self.rounds.mean()),
            "mean_utility_a": float(self.utility_a.mean()),
            "mean_utility_b": float(self.utility_b.mean()),
            "mean_joint_share": float(self.joint_share.mean()),
            "pareto_optimal_rate": over_agreements(self.pareto_optimal),
            "lose_lose_rate": over_agreements(self.lose_lose),
            "mean_nash_distance": over_agreements(self.nash_distance),
            "disclosure_rate": float(np.mean(np.concatenate([self.disclosed_a, self.disclosed_b]))),
            "claim_rate": float(np.mean(np.concatenate([self.claimed_a, self.claimed_b]))),
        }


def build_result(
    *,
    batch: PairBatch,
    agreement: np.ndarray,
    agreed_at: np.ndarray,
    announced: list[np.ndarray],
    truthful: list[np.ndarray],
    acts_as: list[np.ndarray],
    claims: list[np.ndarray],
    openings: np.ndarray,
    horizons: np.ndarray,
    noticed: np.ndarray,
    trace: Trace | None,
) -> NegotiationResult:
    """Assemble a result from the engine's raw arrays (utilities, impasse fallbacks, rounds)."""
    agreed = (agreed_at >= 0) | (agreed_at == TEXT_STEP)
    ua, ub = package_utilities(batch.weights_a, batch.weights_b, agreement, batch.domain.opposed)
    deadline = np.minimum(batch.deadline_a, batch.deadline_b)
    return NegotiationResult(
        batch=batch,
        agreed=agreed,
        agreed_at=agreed_at,
        # a last offer answered at the deadline counts in its round; a facilitator's text accepted at once in none
        rounds=np.where(agreed, np.clip(agreed_at // 2 + 1, 0, deadline), deadline),
        agreement=agreement,
        utility_a=np.where(agreed, ua, batch.reservation_a),
        utility_b=np.where(agreed, ub, batch.reservation_b),
        disclosed_a=announced[0],
        disclosed_b=announced[1],
        misreported_a=announced[0] & ~truthful[0],
        misreported_b=announced[1] & ~truthful[1],
        claimed_a=claims[0],
        claimed_b=claims[1],
        integrative_a=acts_as[0] == ACTED_INTEGRATIVE,
        integrative_b=acts_as[1] == ACTED_INTEGRATIVE,
        opening_a=openings[0],
        opening_b=openings[1],
        horizon_a=horizons[0],
        horizon_b=horizons[1],
        noticed_a=noticed[0],
        noticed_b=noticed[1],
        trace=trace,
    )
