"""The commons model: community organisations sharing a river, season after season (Mesa 3).

Each season: organisations that need a new agreement meet and negotiate it (all pairs at once, with the negotiation
engine, or through a mediating backbone or broker); they extract what they agreed (or grab, after an impasse), some
break their agreements; joint investment builds infrastructure; the stock is updated; trust and reputation move;
organisations may copy more successful ones. The model owns every array; Mesa agents are views onto them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from mesa import Agent, DataCollector, Model

from sim.commons.config import CommonsConfig
from sim.commons.grievances import Grievances
from sim.commons.matching import form_pairs
from sim.commons.water import Balance, capture_share, ration, seasonal_inflow, update_stock, usable_capacity
from sim.negotiation import WATER, PairBatch, make_strategy, nash_point, negotiate, pareto_frontier
from sim.negotiation.analysis import is_pareto_optimal
from sim.negotiation.preferences import draw_weights, interest_diversity, package_utilities
from sim.negotiation.results import PARETO_TOLERANCE, NegotiationResult, lose_lose_agreements

VOLUME, SCHEDULE, LABOUR, INVESTMENT = range(4)


@dataclass(frozen=True)
class Meeting:
    """One yearly meeting, kept when the model records negotiations: who met, how each pair settled, and the
    engine's result (with every offer) for the pairs that bargained directly (``direct`` indexes ``pairs``)."""

    season: int
    pairs: np.ndarray
    mediated: np.ndarray
    direct: np.ndarray
    result: NegotiationResult | None
    package: np.ndarray
    agreed: np.ndarray
    reservation_a: np.ndarray
    reservation_b: np.ndarray
    weights_a: np.ndarray
    weights_b: np.ndarray


class Organisation(Agent):
    """A community organisation on the river. Its data live in the model's arrays at ``self.index``."""

    def __init__(self, model: CommonsModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def strategy(self) -> str:
        return self.model.strategy_names[self.model.strategy_code[self.index]]

    @property
    def need(self) -> float:
        return float(self.model.need[self.index])

    @property
    def position(self) -> float:
        """0 at the head of the river, 1 at the tail."""
        return float(self.model.position[self.index])

    @property
    def payoff(self) -> float:
        """Payoff in the last season."""
        return float(self.model.payoff[self.index])

    @property
    def reputation(self) -> float:
        return float(self.model.reputation[self.index])

    def trust_in(self, other: Organisation) -> float:
        """This organisation's trust in ``other``."""
        return float(self.model.trust[self.index, other.index])


class CommonsModel(Model):
    """Organisations sharing a water resource; see the module docstring for a season's steps."""

    def __init__(
        self,
        config: CommonsConfig | None = None,
        *,
        rng: np.random.Generator | int | None = None,
        record_negotiations: bool = False,
    ) -> None:
        """``record_negotiations`` keeps every meeting's offers (for viewing a negotiation); it changes no result."""
        config = config if config is not None else CommonsConfig()
        super().__init__(rng=config.world.seed if rng is None else rng)
        self.config = config
        self.record_negotiations = record_negotiations
        self.meetings: list[Meeting] = []
        self.links: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # per season: pairs, trust a->b, b->a
        world, orgs = config.world, config.organisations
        n = world.organisations
        self.n = n
        self.season = 0

        # Strategies: one shared instance per strategy named in the mix, codes per organisation.
        self.strategy_names: list[str] = sorted(config.strategies.mix)
        self.strategy_table = [self._make_strategy(name) for name in self.strategy_names]
        self.strategy_code = self._initial_codes()

        # Organisations: needs, means, interests, place on the river.
        spread = np.clip(1.0 + orgs.need_spread * self.rng.standard_normal(n), 0.2, None)
        self.need = orgs.need * spread
        self.endowment = orgs.endowment * spread
        self.weights = draw_weights(WATER, orgs.diversity, n, self.rng)
        self.position = (np.arange(n) + 0.5) / n  # index 0 is at the head of the river
        self.community = (np.arange(n) >= n / 2).astype(np.int64) if world.communities == 2 else np.zeros(n, np.int64)
        self.upstream_first = np.arange(n) if config.water.river_order else None

        # Relationships: trust is a matrix (row trusts column); reputation is public.
        self.trust = np.full((n, n), config.trust.initial, dtype=np.float32)
        np.fill_diagonal(self.trust, 1.0)
        self.exploited = Grievances(n)  # exploited[i, j]: j exploited i before
        self.reputation = np.full(n, config.trust.initial)

        # The resource.
        self.stock = config.water.initial_stock * config.water.capacity
        self.infrastructure = config.infrastructure.initial
        self.total_need = float(self.need.sum())
        self.ever_collapsed = False

        # Agreements in force: one row per pair of the last meeting.
        self.pairs = np.empty((0, 2), dtype=np.int64)
        self.package = np.empty((0, 4))
        self.agreed = np.empty(0, dtype=bool)
        self.claimed = np.empty((0, 2), dtype=bool)
        self.disclosed = np.empty((0, 2), dtype=bool)
        self.integrative = np.empty((0, 2), dtype=bool)
        self.meeting: dict[str, float] = {}
        self.term_left = 0

        self.contribution = np.zeros(n)  # record of investing what one could, 0..1 (moving average)
        self.payoff = np.zeros(n)
        self.payoff_memory = np.zeros(n)
        self.cumulative = np.zeros(n)
        self.last: dict[str, float] = {}
        self.balance: Balance | None = None
        self._organisation_rows: list[dict[str, np.ndarray]] = []

        for i in range(n):
            Organisation(self, i)
        self.datacollector = DataCollector(model_reporters={key: _reporter(key) for key in self.reporter_keys()})

    # -- set-up helpers ----------------------------------------------------------------------------------------
    def _make_strategy(self, name: str):
        s = self.config.strategies
        params = {"concession": s.concession}
        if name == "distributive":
            params.update(misreport=s.misreport, matching=s.matching)
        elif name == "reciprocal":
            params.update(threshold=s.reciprocal_threshold)
        try:
            return make_strategy(name, **params)
        except Exception:  # a registered strategy with other parameters
            return make_strategy(name)

    def _initial_codes(self) -> np.ndarray:
        """Exact shares of each strategy (largest remainders), shuffled along the river."""
        mix = self.config.strategies.mix
        shares = np.array([mix[name] for name in self.strategy_names], dtype=float)
        shares /= shares.sum()
        counts = np.floor(shares * self.n).astype(int)
        for i in np.argsort(-(shares * self.n - counts), kind="stable")[: self.n - counts.sum()]:
            counts[i] += 1
        return self.rng.permutation(np.repeat(np.arange(len(shares)), counts))

    # -- the season --------------------------------------------------------------------------------------------
    def step(self) -> None:
        """One season: meet (when agreements expire), act, build, update the water, trust and strategies."""
        self.drift_towards_common_agenda()
        if self.term_left == 0:
            self.meet()
        self.act()
        self.update_trust()
        self._record_links()
        self.learn()
        self.term_left -= 1
        self.season += 1
        self.datacollector.collect(self)

    def drift_towards_common_agenda(self) -> None:
        """Backbone: guide vision and strategy. Priorities move a little towards the community's shared profile."""
        b = self.config.backbone
        if b.present and b.common_agenda > 0:
            rate = 0.1 * b.common_agenda
            self.weights = (1.0 - rate) * self.weights + rate * np.asarray(self.config.organisations.profile)

    def effective_trust(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Trust of ``rows`` in ``cols``: their own experience, blended with the partner's public reputation."""
        w = self.config.trust.reputation_weight
        return (1.0 - w) * self.trust[rows, cols].astype(float) + w * self.reputation[cols]

    def pie(self) -> tuple[float, float]:
        """The season's sustainable allocation (the renewable flow the commons can expect with today's
        infrastructure, steered towards the starting stock) and the share of inflow captured."""
        water, build = self.config.water, self.config.infrastructure
        capture = capture_share(self.infrastructure, water, build) * (0.5 if self._collapsed() else 1.0)
        expected = water.inflow * self.total_need * capture * (1.0 - water.drought_probability * water.drought_severity)
        target = water.initial_stock * usable_capacity(self.infrastructure, water, build)
        return max(0.0, expected + 0.2 * (self.stock - target)), capture

    def reservation(self, who: np.ndarray) -> np.ndarray:
        """Walk-away utility (BATNA) of a unilateral grab: stronger the scarcer the water (a fair share of a small pie
        is worth little next to grabbing), at the head of the river, and weaker under a backbone's cap on grabs."""
        orgs, cfg = self.config.organisations, self.config
        pie, _ = self.pie()
        scarcity = np.clip(self.total_need / max(pie, 1e-9), 1.0, 2.0)
        r = np.full(who.size, orgs.batna * (1.0 + orgs.scarcity_pressure * (scarcity - 1.0)))
        if cfg.water.river_order:
            r += orgs.upstream_advantage * (0.5 - self.position[who])
        if cfg.backbone.present:
            r *= 1.0 - 0.5 * cfg.backbone.policy
        return np.clip(r, 0.0, 0.95)

    def meet(self) -> None:
        """The yearly meeting: form pairs and settle each pair's agreement for the coming term."""
        cfg = self.config
        b, broker = cfg.backbone, cfg.broker
        pairs, cross = form_pairs(
            rng=self.rng,
            season=self.season,
            position=self.position,
            weights=self.weights,
            community=self.community,
            rule=cfg.negotiation.matching,
            aligned=b.aligned_activities if b.present else 0.0,
            bridging=broker.bridging if broker.present else 0.0,
        )
        a, bb = pairs[:, 0], pairs[:, 1]
        p = pairs.shape[0]
        ra, rb = self.reservation(a), self.reservation(bb)
        mediated = np.zeros(p, dtype=bool)
        if b.present and b.mediation > 0:
            mediated |= self.rng.random(p) < b.mediation
        if broker.present:
            mediated |= cross & (self.rng.random(p) < broker.mediation)

        package = np.full((p, 4), np.nan)
        agreed = np.zeros(p, dtype=bool)
        claimed = np.zeros((p, 2), dtype=bool)
        disclosed = np.zeros((p, 2), dtype=bool)
        integrative = np.zeros((p, 2), dtype=bool)
        if mediated.any():
            # Both confide in the mediator, whom they trust even when they do not trust each other; it proposes a
            # single negotiating text at the Nash point, which each accepts if it beats its BATNA.
            m = np.flatnonzero(mediated)
            frontier = pareto_frontier(self.weights[a[m]], self.weights[bb[m]], WATER.opposed)
            text = nash_point(frontier, ra[m], rb[m])
            ok = ~np.isnan(text.ua)
            agreed[m[ok]] = True
            package[m[ok]] = text.x[ok]
            disclosed[m] = True
            integrative[m] = True
        direct = np.flatnonzero(~mediated)
        result = None
        if direct.size:
            batch = PairBatch.from_arrays(
                domain=WATER,
                weights_a=self.weights[a[direct]],
                weights_b=self.weights[bb[direct]],
                reservation_a=ra[direct],
                reservation_b=rb[direct],
                strategies=tuple(self.strategy_table),
                strategy_code_a=self.strategy_code[a[direct]],
                strategy_code_b=self.strategy_code[bb[direct]],
                trust_a=np.clip(self.effective_trust(a[direct], bb[direct]), 0.0, 1.0),
                trust_b=np.clip(self.effective_trust(bb[direct], a[direct]), 0.0, 1.0),
                deadline=cfg.negotiation.rounds,
                exploited_a=self.exploited[a[direct], bb[direct]],
                exploited_b=self.exploited[bb[direct], a[direct]],
            )
            result = negotiate(batch, self.rng, trace=self.record_negotiations)
            agreed[direct] = result.agreed
            package[direct] = result.agreement
            claimed[direct] = np.stack([result.claimed_a, result.claimed_b], axis=1)
            disclosed[direct] = np.stack([result.disclosed_a, result.disclosed_b], axis=1)
            integrative[direct] = np.stack([result.integrative_a, result.integrative_b], axis=1)

        # Quality of the agreements reached, against each pair's true interests.
        frontier = pareto_frontier(self.weights[a], self.weights[bb], WATER.opposed)
        ua, ub = package_utilities(self.weights[a], self.weights[bb], package, WATER.opposed)
        pareto = agreed & is_pareto_optimal(frontier, ua, ub, PARETO_TOLERANCE)
        lose_lose = lose_lose_agreements(package, agreed, WATER.compatible)
        self.pairs, self.package, self.agreed = pairs, package, agreed
        self.claimed, self.disclosed, self.integrative = claimed, disclosed, integrative
        self.term_left = cfg.negotiation.term
        if self.record_negotiations:
            self.meetings.append(
                Meeting(self.season, pairs, mediated, direct, result, package, agreed, ra, rb, self.weights[a], self.weights[bb])
            )
        self.meeting = {
            "pairs": float(p),
            "agreement_rate": float(agreed.mean()) if p else float("nan"),
            "mediated_rate": float(mediated.mean()) if p else float("nan"),
            "pareto_rate": float(pareto[agreed].mean()) if agreed.any() else float("nan"),
            "lose_lose_rate": float(lose_lose[agreed].mean()) if agreed.any() else float("nan"),
            "claim_rate": float(claimed.mean()) if p else float("nan"),
            "disclosure_rate": float(disclosed.mean()) if p else float("nan"),
            "mean_rounds": float(result.rounds.mean()) if result is not None else float("nan"),
            "pair_diversity": float(interest_diversity(self.weights[a], self.weights[bb]).mean()) if p else float("nan"),
        }

    def act(self) -> None:
        """Extract, break or keep agreements, invest, and update the water and infrastructure."""
        cfg = self.config
        water, build, orgs, conduct, b = cfg.water, cfg.infrastructure, cfg.organisations, cfg.conduct, cfg.backbone
        n = self.n
        drought = bool(self.rng.random() < water.drought_probability)
        inflow = seasonal_inflow(self.season, self.total_need, water, drought)
        pie, capture = self.pie()
        captured = inflow * capture
        capacity = usable_capacity(self.infrastructure, water, build)

        a, bb = self.pairs[:, 0], self.pairs[:, 1]
        agreed = self.agreed
        x = np.nan_to_num(self.package)
        entitlement = self.entitlement()
        pair_need = entitlement[a] + entitlement[bb]
        pair_pie = pie * pair_need / entitlement.sum()
        demand = np.zeros(n)
        schedule = np.full(n, 0.5)
        labour = np.zeros(n)
        invest = np.zeros(n)
        conflict = np.zeros(n)
        grab_multiple = 1.0 + (orgs.grab - 1.0) * (1.0 - (b.policy if b.present else 0.0))

        # Organisations not paired this term fend for themselves.
        paired = np.zeros(n, dtype=bool)
        paired[self.pairs.ravel()] = True
        demand[~paired] = self.need[~paired]

        # Agreements: split the pair's share of the pie, the dry-season turns and the maintenance; build together.
        # The volume issue moves A's water between (1 - range) and (1 + range) of its need-proportional share.
        fair_a = entitlement[a] / pair_need
        share_a = np.clip(fair_a * (1.0 + orgs.volume_range * (2.0 * x[:, VOLUME] - 1.0)), 0.0, 1.0)
        demand[a[agreed]] = pair_pie[agreed] * share_a[agreed]
        demand[bb[agreed]] = pair_pie[agreed] * (1.0 - share_a[agreed])
        schedule[a[agreed]] = x[agreed, SCHEDULE]
        schedule[bb[agreed]] = 1.0 - x[agreed, SCHEDULE]
        labour[a[agreed]] = (1.0 - x[agreed, LABOUR])
        labour[bb[agreed]] = x[agreed, LABOUR]
        labour *= orgs.labour_cost * self.stake(LABOUR)
        invest[a[agreed]] = x[agreed, INVESTMENT] * self.endowment[a[agreed]]
        invest[bb[agreed]] = x[agreed, INVESTMENT] * self.endowment[bb[agreed]]

        # Impasse: each side grabs what it can ("get as much as you can from limited resources") and both pay.
        impasse = ~agreed
        for side in (a, bb):
            demand[side[impasse]] = grab_multiple * self.need[side[impasse]]
            conflict[side[impasse]] = orgs.conflict_cost

        # Breaches: an organisation acting as a claimer and short of water may take more and skip its investment.
        acted_distributive = np.zeros(n, dtype=bool)
        acted_distributive[a] = ~self.integrative[:, 0]
        acted_distributive[bb] = ~self.integrative[:, 1]
        in_agreement = np.zeros(n, dtype=bool)
        in_agreement[a[agreed]] = True
        in_agreement[bb[agreed]] = True
        # Monitoring deters: a claimer breaches less the likelier it is to be seen (Ostrom's monitoring principle).
        monitoring = conduct.monitoring
        if b.present:
            monitoring += (1.0 - monitoring) * b.shared_measurement
        short = demand < self.need
        tempted = conduct.breach_propensity * (1.0 - monitoring)
        breach = in_agreement & acted_distributive & short & (self.rng.random(n) < tempted)
        demand[breach] *= 1.0 + conduct.breach_excess
        invest[breach] = 0.0
        detected = breach & (self.rng.random(n) < monitoring)

        extracted = ration(demand, self.stock + captured, self.upstream_first)
        balance = update_stock(self.stock, inflow, captured, extracted, capacity, float(demand.sum()))
        self.stock = balance.stock_after
        self.balance = balance

        # Infrastructure: contributions (matched by outside funding a backbone mobilises) minus decay; canals of
        # pairs at impasse are not maintained, so decay is faster the more pairs fight.
        funding = b.funding if b.present else 0.0
        built = float(invest.sum()) * build.efficiency * (1.0 + funding)
        impasse_share = float(impasse.mean()) if impasse.size else 0.0
        decay = min(1.0, build.decay * (1.0 + impasse_share))
        self.infrastructure = (self.infrastructure + built) * (1.0 - decay)

        # Payoffs: water that meets need (dry-season water needs irrigation turns), minus labour, investment, conflict,
        # fines and the fees of a backbone or broker.
        dry = self.season % 2 == 1
        usable = extracted * (1.0 - np.minimum(1.0, orgs.dry_loss * self.stake(SCHEDULE)) * (1.0 - schedule)) if dry else extracted
        within = np.minimum(usable, self.need)
        value = orgs.water_value * (within + orgs.surplus_value * (usable - within))
        fines = np.zeros(n)
        partner = self._partner_of()
        fines[detected] -= conduct.fine
        victims = partner[detected]
        np.add.at(fines, victims[victims >= 0], conduct.fine)
        fee = (b.cost if b.present else 0.0) + (cfg.broker.cost if cfg.broker.present else 0.0)
        self.payoff = value - labour - invest - conflict + fines - fee
        affordable = np.maximum(self.endowment, 1e-12)
        self.contribution = 0.7 * self.contribution + 0.3 * np.clip(invest / affordable, 0.0, 1.0)
        self.cumulative += self.payoff
        m = cfg.learning.memory
        self.payoff_memory = m * self.payoff_memory + (1.0 - m) * self.payoff if self.season else self.payoff.copy()

        self._breach, self._detected = breach, detected
        self._paired, self._in_agreement = paired, in_agreement  # reused by update_trust this season
        self.ever_collapsed |= self._collapsed()
        self._record_season(drought, inflow, extracted, usable, breach, detected)

    def entitlement(self) -> np.ndarray:
        """Each organisation's claim on the pie: its need, and, where a backbone's shared measurement makes
        contributions visible, more for those who have built the infrastructure and less for those who have not
        (Ostrom's proportional equivalence between benefits and costs; otherwise contributors are free-ridden)."""
        b = self.config.backbone
        if not (b.present and b.shared_measurement > 0):
            return self.need
        record = self.contribution - self.contribution.mean()
        return self.need * np.clip(1.0 + b.shared_measurement * record, 0.1, None)

    def stake(self, issue: int) -> np.ndarray:
        """How much an issue matters materially to each organisation, relative to the community's profile: priorities
        reflect real stakes (who grows dry-season crops, who is short of hands), which is why trading issues by
        priority creates value and does not just move it around."""
        return self.weights[:, issue] / max(self.config.organisations.profile[issue], 1e-9)

    def _partner_of(self) -> np.ndarray:
        partner = np.full(self.n, -1, dtype=np.int64)
        partner[self.pairs[:, 0]] = self.pairs[:, 1]
        partner[self.pairs[:, 1]] = self.pairs[:, 0]
        return partner

    def _collapsed(self) -> bool:
        return self.stock < self.config.water.collapse_level * self.config.water.capacity

    def update_trust(self) -> None:
        """Kept agreements and reciprocated openness build trust slowly; exploitation and detected breaches cut it
        sharply (trust is built in drops and lost in buckets). Reputation follows what everyone can see."""
        cfg = self.config
        t, b = cfg.trust, cfg.backbone
        a, bb = self.pairs[:, 0], self.pairs[:, 1]
        if a.size == 0:
            return
        growth = t.growth * (1.0 + (2.0 * b.communication if b.present else 0.0))
        for me, other, col in ((a, bb, 0), (bb, a, 1)):
            current = self.trust[me, other].astype(float)
            kept = self.agreed & ~self._detected[other]
            reciprocated = self.disclosed[:, col] & self.disclosed[:, 1 - col]
            raised = current + growth * (1.0 + reciprocated) * (1.0 - current)
            new = np.where(kept, raised, current)
            betrayed = self.claimed[:, 1 - col] | self._detected[other]
            new = np.where(betrayed, new * (1.0 - t.cut), new)
            new = np.where(~self.agreed, new * (1.0 - 0.5 * t.cut), new)  # an impasse is a quarrel
            self.trust[me, other] = np.clip(new, 0.0, 1.0)
            self.exploited.record(me, other, betrayed)
        # Reputation: public record of keeping agreements (detected breaches are seen by everyone).
        paired = self._paired
        visible = self._in_agreement & ~self._detected
        rate = 0.2 * (1.0 + (b.communication if b.present else 0.0))
        self.reputation = np.where(
            paired, (1.0 - rate) * self.reputation + rate * visible.astype(float), self.reputation
        )
        self.reputation[self._detected] *= 1.0 - t.cut
        # Exploiting a partner's openness is private news, unless continuous communication spreads it.
        if b.present and b.communication > 0:
            claimers = np.concatenate([a[self.claimed[:, 0]], bb[self.claimed[:, 1]]])
            self.reputation[claimers] *= 1.0 - t.cut * b.communication

    def _record_links(self) -> None:
        if self.record_negotiations:
            a, b = self.pairs[:, 0], self.pairs[:, 1]
            self.links.append((self.pairs.copy(), self.trust[a, b].astype(float), self.trust[b, a].astype(float)))

    def learn(self) -> None:
        """Social learning (proportional imitation): an organisation compares itself with a random other and copies
        its strategy with a probability that grows with how much better the other has been doing."""
        rate = self.config.learning.rate
        if rate <= 0:
            return
        n = self.n
        looking = self.rng.random(n) < rate
        model = self.rng.integers(0, n, n)
        gain = self.payoff_memory[model] - self.payoff_memory
        scale = max(float(np.ptp(self.payoff_memory)), 1e-12)
        copy = looking & (gain > 0) & (self.rng.random(n) < gain / scale)
        self.strategy_code = np.where(copy, self.strategy_code[model], self.strategy_code)

    # -- records -----------------------------------------------------------------------------------------------
    def _record_season(self, drought, inflow, extracted, usable, breach, detected) -> None:
        payoff = self.payoff
        n, cfg = self.n, self.config
        quarter = max(1, n // 4)
        head, tail = payoff[:quarter].mean(), payoff[-quarter:].mean()
        floor = 0.01 * cfg.organisations.water_value * cfg.organisations.need
        shares = np.bincount(self.strategy_code, minlength=len(self.strategy_names)) / n
        stats = {
            "season": float(self.season),
            "wet": float(self.season % 2 == 0),
            "drought": float(drought),
            "inflow": inflow,
            "stock_before": self.balance.stock_before,
            "captured": self.balance.captured,
            "demanded": self.balance.demanded,
            "extracted": self.balance.extracted,
            "spilled": self.balance.spilled,
            "water_stock": self.stock,
            "stock_share": self.stock / self.balance.capacity,
            "capacity": self.balance.capacity,
            "infrastructure": self.infrastructure,
            "total_welfare": float(payoff.sum()),
            "mean_payoff": float(payoff.mean()),
            "gini": gini(payoff),
            "need_met": float(np.minimum(usable, self.need).sum() / self.total_need),
            "breaches": float(breach.sum()),
            "detected_breaches": float(detected.sum()),
            "undetected_breaches": float((breach & ~detected).sum()),
            "mean_trust": float(self.trust_between_partners()),
            "mean_reputation": float(self.reputation.mean()),
            "head_tail_ratio": float(head / max(tail, floor)) if n >= 4 else float("nan"),
            "collapsed": float(self._collapsed()),
        }
        stats.update(self.meeting)
        for code, name in enumerate(self.strategy_names):
            members = self.strategy_code == code
            stats[f"share_{name}"] = float(shares[code])
            stats[f"welfare_{name}"] = float(payoff[members].mean()) if members.any() else float("nan")
        self.last = stats
        self._organisation_rows.append(
            {
                "season": np.full(n, self.season),
                "organisation": np.arange(n),
                "strategy": self.strategy_code.copy(),
                "position": self.position,
                "community": self.community,
                "need": self.need,
                "water": extracted,
                "payoff": payoff.copy(),
                "reputation": self.reputation.copy(),
                "breached": breach,
                "detected": detected,
            }
        )

    def trust_between_partners(self) -> float:
        """Mean trust of this term's partners in each other (the relationships that are active)."""
        if self.pairs.size == 0:
            return float("nan")
        a, b = self.pairs[:, 0], self.pairs[:, 1]
        return float(np.concatenate([self.trust[a, b], self.trust[b, a]]).mean())

    def reporter_keys(self) -> list[str]:
        keys = [
            "wet", "drought", "inflow", "stock_before", "captured", "demanded", "extracted", "spilled", "water_stock", "stock_share", "capacity",
            "infrastructure", "total_welfare", "mean_payoff", "gini", "need_met", "breaches", "detected_breaches",
            "undetected_breaches", "mean_trust", "mean_reputation", "head_tail_ratio", "collapsed", "pairs",
            "agreement_rate", "mediated_rate", "pareto_rate", "lose_lose_rate", "claim_rate", "disclosure_rate",
            "mean_rounds", "pair_diversity",
        ]  # fmt: skip
        for name in self.strategy_names:
            keys += [f"share_{name}", f"welfare_{name}"]
        return keys

    def run(self, seasons: int | None = None) -> CommonsModel:
        """Run ``seasons`` seasons (default: the configured horizon) and return the model."""
        for _ in range(self.config.world.seasons if seasons is None else seasons):
            self.step()
        return self

    def season_table(self) -> pd.DataFrame:
        """One row per season: the tidy per-season record (Mesa's DataCollector)."""
        frame = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        frame.insert(0, "season", np.arange(len(frame)))
        return frame

    def organisation_table(self) -> pd.DataFrame:
        """One row per organisation per season."""
        if not self._organisation_rows:
            return pd.DataFrame()
        frame = pd.DataFrame({k: np.concatenate([r[k] for r in self._organisation_rows]) for k in self._organisation_rows[0]})
        frame["strategy"] = np.asarray(self.strategy_names, dtype=object)[frame["strategy"].to_numpy()]
        return frame


def _reporter(key: str):
    return lambda model: model.last.get(key, float("nan"))


def gini(values: np.ndarray) -> float:
    """Gini coefficient of payoffs (shifted to be non-negative, since a season can cost more than it pays)."""
    v = np.sort(np.asarray(values, dtype=float))
    v = v - min(0.0, v[0])
    total = v.sum()
    if v.size == 0 or total <= 0:
        return 0.0
    index = np.arange(1, v.size + 1)
    value = (2.0 * (index * v).sum() / (v.size * total)) - (v.size + 1) / v.size
    return float(min(1.0, max(0.0, value)))  # equal payoffs can round a hair below 0
