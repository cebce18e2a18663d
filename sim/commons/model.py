"""The commons model: community organisations sharing a river, season after season (Mesa 3).

Each season (:attr:`CommonsModel.SCHEDULE`): organisations whose agreements have run out meet (choosing partners, or
convened by a backbone or a broker) and negotiate their next agreement, all pairs at once, with the negotiation
engine, each knowing what walking away would give it; they take what they agreed, or, with no agreement, decide
alone whether to take their fair share or grab; each in an agreement decides whether to keep its word; joint
investment builds infrastructure; the stock is updated; trust and reputation move; organisations may copy more
successful ones; the season is recorded. The model owns every array; Mesa agents are views onto them.
``docs/model/ODD.md`` describes it in full, in the order the code runs.

Randomness: the model owns one seeded Generator (Mesa's ``rng``) and spawns two child streams from it, the *world*
(needs, priorities) and the *weather* (droughts), so that they are the same whatever the organisations do: slicing
and expanding the pie, no rembug and the planner are compared on the same river in the same years. Everything
organisations do draws from the model's own stream.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from mesa import Agent, DataCollector, Model

from sim.commons.config import CommonsConfig
from sim.commons.grievances import Grievances
from sim.commons.matching import CONVENED, Pairing, complementary_pairs, form_pairs
from sim.commons.people import People
from sim.commons.walkaway import SeasonValue, impasse_water, walk_away
from sim.commons.water import Balance, capture_share, ration, seasonal_inflow, update_stock, usable_capacity
from sim.negotiation import WATER, Domain, PairBatch, make_strategy, negotiate, pareto_frontier
from sim.negotiation.analysis import is_pareto_optimal, max_joint_utility
from sim.negotiation.preferences import draw_weights, interest_diversity, package_utilities
from sim.negotiation.results import PARETO_TOLERANCE, NegotiationResult, lose_lose_agreements

VOLUME, SCHEDULE, LABOUR, INVESTMENT = range(4)


@dataclass(frozen=True)
class Meeting:
    """One yearly meeting, kept when the model records negotiations: who met, how each pair formed and settled, and
    the engine's result (with every offer) for the pairs that bargained (``direct`` indexes ``pairs``; every pair
    bargains, except in a planner run)."""

    season: int
    pairs: np.ndarray
    facilitated: np.ndarray
    convened: np.ndarray
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


@dataclass(frozen=True)
class TermPlan:
    """What the agreements of one meeting fix for every season of their term, worked out once: who is paired, who
    agreed and who grabs, each organisation's dry-season turns, maintenance and promised investment. Only the water
    (the season's pie) changes from season to season."""

    paired: np.ndarray  # (n,) has a partner this term
    in_agreement: np.ndarray  # (n,) in a pair that agreed (everyone else decides alone each season)
    partner: np.ndarray  # (n,) partner's index, -1 for none
    a_agreed: np.ndarray  # side A of the pairs that agreed
    b_agreed: np.ndarray
    volume_factor: np.ndarray  # (agreed pairs,) A's share of the pair's water relative to its fair share
    need_a: np.ndarray
    need_b: np.ndarray
    schedule: np.ndarray  # (n,) share of dry-season irrigation turns (0.5 with no arrangement)
    labour: np.ndarray  # (n,) maintenance cost per season
    invest: np.ndarray  # (n,) investment promised per season
    conflict: np.ndarray  # (n,) cost of a quarrel (impasse) per season

    @classmethod
    def of(cls, model: CommonsModel, pairs: np.ndarray, agreed: np.ndarray, x: np.ndarray) -> TermPlan:
        n, orgs = model.n, model.config.organisations
        a, b = pairs[:, 0], pairs[:, 1]
        aa, ba, xa = a[agreed], b[agreed], x[agreed]
        paired = np.zeros(n, dtype=bool)
        paired[pairs.ravel()] = True
        in_agreement = np.zeros(n, dtype=bool)
        in_agreement[aa] = True
        in_agreement[ba] = True
        partner = np.full(n, -1, dtype=np.int64)
        partner[a], partner[b] = b, a
        schedule = np.full(n, 0.5)
        schedule[aa], schedule[ba] = xa[:, SCHEDULE], 1.0 - xa[:, SCHEDULE]
        labour = np.ones(n)  # alone (no partner, or no agreement), an organisation maintains its own canal
        labour[aa], labour[ba] = 1.0 - xa[:, LABOUR], xa[:, LABOUR]
        labour *= orgs.labour_cost * model.stake(LABOUR)
        invest = np.zeros(n)
        invest[aa] = xa[:, INVESTMENT] * model.endowment[aa]
        invest[ba] = xa[:, INVESTMENT] * model.endowment[ba]
        conflict = np.zeros(n)
        conflict[a[~agreed]] = conflict[b[~agreed]] = orgs.conflict_cost
        return cls(
            paired=paired, in_agreement=in_agreement, partner=partner, a_agreed=aa, b_agreed=ba,
            volume_factor=1.0 + orgs.volume_range * (2.0 * xa[:, VOLUME] - 1.0),
            need_a=model.need[aa], need_b=model.need[ba], schedule=schedule, labour=labour, invest=invest,
            conflict=conflict,
        )


def _streams(rng: np.random.Generator) -> tuple[np.random.Generator, np.random.Generator]:
    """Two child generators (world, weather) of the model's own, independent of everything drawn from it later."""
    try:
        world, weather = rng.spawn(2)
    except (TypeError, ValueError, AttributeError):  # a Generator built without a SeedSequence
        world, weather = (np.random.default_rng(seed) for seed in rng.integers(0, 2**63, size=2))
    return world, weather


def smooth_step(z: np.ndarray) -> np.ndarray:
    """A logistic-shaped choice curve from 0 to 1 (0.5 at z = 0) built from exact arithmetic only, so a decision
    never depends on how a CPU rounds ``exp``: the same seed gives the same history on any machine."""
    return 0.5 + 0.5 * z / (1.0 + np.abs(z))


class CommonsModel(Model):
    """Organisations sharing a water resource; see the module docstring for a season's steps.

    ``planner=True`` runs the reference the other runs are measured against: one decision-maker for the whole
    river pairs organisations by complementary interests, settles every pair at its material optimum (a fair split
    of water, turns and maintenance to whoever gains most from them, the well built while water is short), keeps
    every agreement and pays no fees. Same world, same weather.
    """

    def __init__(
        self,
        config: CommonsConfig | None = None,
        *,
        rng: np.random.Generator | int | None = None,
        record_negotiations: bool | str = False,
        planner: bool = False,
        harvest: float = 1.0,
        people: People | None = None,
    ) -> None:
        """``record_negotiations`` keeps every meeting's offers' utilities (``"offers"``: the packages too, for
        viewing a negotiation); it changes no result. ``harvest`` (planner runs only) scales the season's allocation:
        the planner's own harvest rule. ``people`` (a live room) are the decisions of the organisations people play,
        which replace the model's for their seats (see :mod:`sim.commons.people`)."""
        config = config if config is not None else CommonsConfig()
        super().__init__(rng=config.world.seed if rng is None else rng)
        world_rng, self.weather = _streams(self.rng)
        self.config = config
        self.record_negotiations = record_negotiations
        self.people = None if planner else people
        self.planner = planner
        self.harvest = harvest if planner else 1.0
        self.meetings: list[Meeting] = []
        self.links: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # per season: pairs, trust a->b, b->a
        world, orgs = config.world, config.organisations
        n = world.organisations
        self.n = n
        self.season = 0

        # The world: needs, means, interests around the community's profile, places on the river.
        profile = tuple(orgs.profile)
        self.domain = WATER if profile == WATER.profile else Domain(WATER.issues, profile)
        spread = np.clip(1.0 + orgs.need_spread * world_rng.standard_normal(n), 0.2, None)
        self.need = orgs.need * spread
        self.endowment = orgs.endowment * spread
        self.weights = draw_weights(self.domain, orgs.diversity, n, world_rng)
        # An issue's material stake for an organisation is its priority relative to the river's average priority.
        self._stake_scale = np.maximum(self.weights.mean(axis=0), 1e-3)
        self.position = (np.arange(n) + 0.5) / n  # index 0 is at the head of the river
        self.community = (np.arange(n) >= n / 2).astype(np.int64) if world.communities == 2 else np.zeros(n, np.int64)
        self.upstream_first = np.arange(n) if config.water.river_order else None

        # Strategies: one shared instance per strategy named in the mix, codes per organisation.
        self.strategy_names: list[str] = sorted(config.strategies.mix)
        self.strategy_table = [self._make_strategy(name) for name in self.strategy_names]
        self.strategy_code = self._initial_codes()

        # Relationships: trust is a matrix (row trusts column); reputation is the public record.
        self.trust = np.full((n, n), config.trust.initial, dtype=np.float32)
        np.fill_diagonal(self.trust, 1.0)
        self.exploited = Grievances(n)  # exploited[i, j]: j exploited i before
        self.reputation = np.full(n, config.trust.initial)

        # The resource.
        self.stock = config.water.initial_stock * config.water.capacity
        self.infrastructure = config.infrastructure.initial
        self.total_need = float(self.need.sum())
        self.last_demand: np.ndarray | None = None  # what each drew last season: what others expect it to draw
        self.collapsed = False  # the commons failed its users last season (capture halves while it lasts)
        self.ever_collapsed = False

        # Agreements in force: one row per pair of the last meeting.
        self.pairs = np.empty((0, 2), dtype=np.int64)
        self.package = np.empty((0, 4))
        self.agreed = np.empty(0, dtype=bool)
        self.pair_kind = np.empty(0, dtype=np.int8)
        self.claimed = np.empty((0, 2), dtype=bool)
        self.facilitated = np.empty(0, dtype=bool)
        self.disclosed = np.empty((0, 2), dtype=bool)
        self.meeting: dict[str, float] = {}
        self.term_left = 0

        self.owned = np.zeros(n)  # each organisation's credited part of the wells and canals (decays with them)
        self.payoff = np.zeros(n)
        self.payoff_memory = np.zeros(n)
        self.cumulative = np.zeros(n)
        self.last: dict[str, float] = {}
        self.outside_money = 0.0
        self.balance: Balance | None = None
        self._organisation_rows: list[dict[str, np.ndarray]] = []

        for i in range(n):
            Organisation(self, i)
        # One reporter for the whole season's record (a tuple in reporter_keys order), not one per measure: Mesa
        # calls and deep-copies every reporter each season, which cost ~5% of a run at 1,000 organisations.
        self._season_keys = tuple(self.reporter_keys())
        self.datacollector = DataCollector(model_reporters={"record": _season_record})

    # -- set-up helpers ----------------------------------------------------------------------------------------
    def _make_strategy(self, name: str):
        s = self.config.strategies
        params = {"concession": s.concession}
        if name == "distributive":
            params.update(misreport=s.misreport, matching=s.matching)
        elif name == "reciprocal":
            params.update(threshold=s.reciprocal_threshold, misreport=s.misreport, matching=s.matching)
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

    @property
    def full_harvest(self) -> np.ndarray:
        """What each organisation harvests in a season with all the water it needs and no costs: the unit harvests
        are told in to people ("45% of a full harvest")."""
        return self.need * self.config.organisations.water_value

    def level(self, function: str) -> float:
        """How strongly the backbone performs ``function`` (0 without a backbone)."""
        b = self.config.backbone
        return float(getattr(b, function)) if b.present else 0.0

    # -- the season --------------------------------------------------------------------------------------------
    SCHEDULE: tuple[str, ...] = ("meet", "act", "update_trust", "learn", "record")
    """A season's processes in the order :meth:`step` runs them (docs/model/ODD.md, section 3, names them in this order)."""

    def step(self) -> None:
        """One season: meet (when agreements have run out), act, update trust and reputation, learn, record."""
        if self.term_left == 0:
            self.meet()
        self.act()
        if not self.planner:
            self.update_trust()
            self.learn()
        self.record()
        self.term_left -= 1
        self.season += 1
        self.datacollector.collect(self)

    def visibility(self) -> float:
        """How far an organisation's conduct is seen by those who did not deal with it: word of mouth, raised by a
        backbone's open and continuous communication."""
        gossip = self.config.trust.gossip
        return gossip + (1.0 - gossip) * self.level("communication")

    def regard(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """How well ``rows`` regard ``cols``: their own trust, blended with the partner's public record as far as
        conduct is visible. It is the trust they bargain with and how they choose partners."""
        v = self.visibility()
        return (1.0 - v) * self.trust[rows, cols].astype(float) + v * self.reputation[cols]

    def refuses(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Whether ``rows`` refuse to meet ``cols``: a partner that exploited their openness before. A bad public
        record only lowers how much others want a partner (:meth:`regard`): those nobody prefers end up with each
        other, so claimers are kept out of cooperators' meetings, not out of the river."""
        if not self.config.negotiation.refuse_exploiters:
            return np.zeros(np.shape(rows), dtype=bool)
        return self.exploited[rows, cols]

    def partners_staying(self) -> np.ndarray:
        """Last term's pairs that stay together: their agreement held (no impasse, no breach either saw, nobody's
        openness exploited), and each still trusts the other at least as much as it trusted a stranger. Partners choose each other only where
        ``negotiation.partner_choice`` > 0 (otherwise everyone is paired afresh)."""
        if self.config.negotiation.partner_choice <= 0 or self.pairs.size == 0:
            return np.zeros(self.pairs.shape[0], dtype=bool)
        a, b = self.pairs[:, 0], self.pairs[:, 1]
        stranger = self.config.trust.initial
        faithful = self.agreed & ~self.seen_breaking[a] & ~self.seen_breaking[b]
        faithful &= ~(self.exploited[a, b] | self.exploited[b, a])
        return faithful & (self.trust[a, b] >= stranger) & (self.trust[b, a] >= stranger)

    def pie(self) -> tuple[float, float]:
        """The season's sustainable allocation (the renewable flow the commons can expect with today's
        infrastructure, steered towards the starting stock) and the share of inflow captured."""
        water, build = self.config.water, self.config.infrastructure
        capture = capture_share(self.infrastructure, water, build) * (0.5 if self.collapsed else 1.0)
        expected = water.inflow * self.total_need * capture * (1.0 - water.drought_probability * water.drought_severity)
        target = water.initial_stock * usable_capacity(self.infrastructure, water, build)
        return max(0.0, expected + water.recovery * (self.stock - target)), capture

    def season_value(self, who: np.ndarray) -> SeasonValue:
        """The material payoff of a season for ``who`` (see :class:`~sim.commons.walkaway.SeasonValue`)."""
        orgs = self.config.organisations
        return SeasonValue(
            need=self.need[who], dry_loss=orgs.dry_loss * self.stake(SCHEDULE)[who] * self.need[who],
            labour=orgs.labour_cost * self.stake(LABOUR)[who], water_value=orgs.water_value,
            surplus_value=orgs.surplus_value,
        )

    def grab_size(self, who: np.ndarray) -> np.ndarray:
        """The water an organisation takes unilaterally: ``grab`` x need, less under a backbone's cap on grabs."""
        orgs = self.config.organisations
        return (1.0 + (orgs.grab - 1.0) * (1.0 - self.level("policy"))) * self.need[who]

    def monitoring(self) -> float:
        """The chance that taking more than one's due is seen: monitoring, raised by shared measurement."""
        conduct = self.config.conduct
        return conduct.monitoring + (1.0 - conduct.monitoring) * self.level("shared_measurement")

    def norm(self) -> float:
        """What taking more than one's due costs an organisation in its own eyes (a social norm), raised up to three
        times by a backbone's public will (commitments made in public)."""
        return self.config.conduct.honesty * (1.0 + 2.0 * self.level("public_will"))

    def reservation(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Walk-away utilities (BATNAs) of the pairs ``a``-``b``: what an impasse is expected to give each side this
        season, placed on its utility scale (:func:`~sim.commons.walkaway.walk_away`): deciding alone between a grab
        at the water there is (everyone else drawing what they drew last season, the partner grabbing too; the fine
        if seen and the norm) and its fair share, less the quarrel's cost."""
        cfg = self.config
        water, orgs = cfg.water, cfg.organisations
        pie, capture = self.pie()
        fair = self.fair_shares(pie * self.harvest, capture)
        flow = seasonal_inflow(self.season, self.total_need, water, False)
        available = self.stock + flow * capture * (1.0 - water.drought_probability * water.drought_severity)
        expected = fair if self.last_demand is None else self.last_demand
        total = float(expected.sum())
        out = []
        for me, other in ((a, b), (b, a)):
            grab, partner_grab = self.grab_size(me), self.grab_size(other)
            ahead = None
            if self.upstream_first is not None:  # index order is river order: who is upstream draws first
                ahead = self._ahead(expected, me, np.where(other < me, partner_grab - expected[other], 0.0))
            grabbed = impasse_water(grab, partner_grab, expected[me], expected[other], total, available, ahead)
            alone_grab, alone_share = self.alone_values(me, fair[me], grabbed)
            chance = self.choice(alone_grab - alone_share)  # the chance it would grab, deciding alone
            out.append(walk_away(
                self.season_value(me), fair=fair[me], pool=fair[me] + fair[other], volume_range=orgs.volume_range,
                alone=chance * alone_grab + (1.0 - chance) * alone_share, conflict_cost=orgs.conflict_cost,
                well_weight=self.weights[me, INVESTMENT],
            ))
        return out[0], out[1]

    def meet(self) -> None:
        """The yearly meeting: form pairs and settle each pair's agreement for the coming term."""
        cfg = self.config
        broker = cfg.broker
        if not cfg.negotiation.rembug and not self.planner:  # no rembug: nobody meets, everyone decides alone
            pairing = Pairing(np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.int8))
        elif self.planner:
            everyone = np.arange(self.n)
            pairing = Pairing(complementary_pairs(everyone, self.weights, self.rng), np.full(self.n // 2, CONVENED, np.int8))
        else:
            kept = self.partners_staying()
            pairing = form_pairs(
                rng=self.rng,
                position=self.position,
                weights=self.weights,
                community=self.community,
                rule=cfg.negotiation.matching,
                count=cfg.negotiation.candidates,
                choice=cfg.negotiation.partner_choice,
                regard=self.regard,
                refuses=self.refuses,
                aligned=self.level("aligned_activities"),
                bridging=broker.bridging if broker.present else 0.0,
                kept=self.pairs[kept],
                kept_kind=self.pair_kind[kept],
            )
        pairs = pairing.pairs
        self.pair_kind = pairing.kind
        a, bb = pairs[:, 0], pairs[:, 1]
        p = pairs.shape[0]
        ra, rb = self.reservation(a, bb)
        # A backbone facilitates the meetings it convenes; a broker mediates (most) of those it bridges.
        facilitated = pairing.convened.copy()
        if broker.present:
            facilitated |= pairing.bridged & (self.rng.random(p) < broker.mediation)

        claimed = np.zeros((p, 2), dtype=bool)
        disclosed = np.zeros((p, 2), dtype=bool)
        integrative = np.zeros((p, 2), dtype=bool)
        result = None
        if p == 0:
            package, agreed, direct = np.empty((0, 4)), np.zeros(0, dtype=bool), np.empty(0, dtype=np.int64)
        elif self.planner:
            package = self.planner_packages(a, bb)
            agreed = np.ones(p, dtype=bool)
            direct = np.empty(0, dtype=np.int64)
        else:
            # Each side bargains with the regard it has for the other, facilitated or not: a facilitator keeps
            # confidences and drafts a text (sim.negotiation.facilitation), it does not make strangers trust.
            trust_a = np.clip(self.regard(a, bb), 0.0, 1.0)
            trust_b = np.clip(self.regard(bb, a), 0.0, 1.0)
            # A common understanding of the problem (guide vision and strategy): negotiators start with less of the
            # fixed-pie belief, so they see sooner from the partner's offers that it wants the well too.
            s = cfg.strategies
            fixed_pie = np.full(p, s.fixed_pie - (s.fixed_pie - 0.5) * self.level("common_agenda"))
            table, code_a, code_b = list(self.strategy_table), self.strategy_code[a], self.strategy_code[bb]
            floor_a, floor_b = ra, rb
            if self.people is not None:  # people at the table play their own seats, and their offer is their last word
                code_a = self.people.seat(self.season, table, a, code_a)
                code_b = self.people.seat(self.season, table, bb, code_b)
                floor_a = self.people.floors(self.season, a, ra, self.weights[a])
                floor_b = self.people.floors(self.season, bb, rb, self.weights[bb])
            batch = PairBatch.from_arrays(
                domain=self.domain,
                weights_a=self.weights[a],
                weights_b=self.weights[bb],
                reservation_a=floor_a,
                reservation_b=floor_b,
                strategies=tuple(table),
                strategy_code_a=code_a,
                strategy_code_b=code_b,
                trust_a=trust_a,
                trust_b=trust_b,
                deadline=cfg.negotiation.rounds,
                exploited_a=self.exploited[a, bb],
                exploited_b=self.exploited[bb, a],
                fixed_pie_a=fixed_pie,
                fixed_pie_b=fixed_pie,
                facilitated=facilitated,
                variation=s.variation,
            )
            result = negotiate(batch, self.rng, trace=self.record_negotiations)
            agreed = result.agreed
            package = result.agreement
            claimed = np.stack([result.claimed_a, result.claimed_b], axis=1)
            disclosed = np.stack([result.disclosed_a, result.disclosed_b], axis=1)
            integrative = np.stack([result.integrative_a, result.integrative_b], axis=1)
            direct = np.arange(p)

        # Quality of the agreements reached, against each pair's true interests.
        frontier = pareto_frontier(self.weights[a], self.weights[bb], self.domain.opposed)
        ua, ub = package_utilities(self.weights[a], self.weights[bb], package, self.domain.opposed)
        pareto = agreed & is_pareto_optimal(frontier, ua, ub, PARETO_TOLERANCE)
        value = (ua + ub) / np.maximum(max_joint_utility(frontier), 1e-12)
        lose_lose = lose_lose_agreements(package, agreed, self.domain.compatible)
        self.pairs, self.package, self.agreed = pairs, package, agreed
        self.term = TermPlan.of(self, pairs, agreed, np.nan_to_num(package))
        self.seen_breaking = np.zeros(self.n, dtype=bool)  # detected breaking an agreement this term
        self.claimed, self.disclosed, self.facilitated = claimed, disclosed, facilitated
        self.term_left = cfg.negotiation.term
        if self.record_negotiations:
            self.meetings.append(
                Meeting(self.season, pairs, facilitated, pairing.convened, direct, result, package, agreed, ra, rb,
                        self.weights[a], self.weights[bb])
            )
        over_agreed = lambda values: float(values[agreed].mean()) if agreed.any() else float("nan")  # noqa: E731
        over_pairs = lambda values: float(values.mean()) if p else float("nan")  # noqa: E731
        self.meeting = {
            "pairs": float(p),
            "unpaired": 1.0 - 2.0 * p / self.n,
            "agreement_rate": over_pairs(agreed),
            "facilitated_rate": over_pairs(facilitated),
            "kept_rate": over_pairs(pairing.kept) if pairing.kept is not None else float("nan"),
            "pareto_rate": over_agreed(pareto),
            "value_created": over_agreed(value),
            "lose_lose_rate": over_agreed(lose_lose),
            "claim_rate": over_pairs(claimed),
            "disclosure_rate": over_pairs(disclosed),
            "integrative_rate": over_pairs(integrative),
            "mean_rounds": float(result.rounds.mean()) if result is not None and p else float("nan"),
            "pair_diversity": over_pairs(interest_diversity(self.weights[a], self.weights[bb])),
        }

    def planner_packages(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The planner's agreement for each pair, judged by material payoffs: water split fairly (by need), the
        dry-season turns to the one who loses more without them, the maintenance to the one for whom it is cheaper,
        and the well built in full while the water falls short of need."""
        package = np.empty((a.size, 4))
        package[:, VOLUME] = 0.5
        package[:, SCHEDULE] = (self.stake(SCHEDULE)[a] >= self.stake(SCHEDULE)[b]).astype(float)
        package[:, LABOUR] = (self.stake(LABOUR)[b] <= self.stake(LABOUR)[a]).astype(float)
        pie, _ = self.pie()
        package[:, INVESTMENT] = 1.0 if pie < self.total_need else 0.0
        return package

    def act(self) -> None:
        """Extract, keep or break agreements, invest, and update the water and infrastructure."""
        cfg = self.config
        water, build, orgs, conduct = cfg.water, cfg.infrastructure, cfg.organisations, cfg.conduct
        n = self.n
        drought = bool(self.weather.random() < water.drought_probability)
        inflow = seasonal_inflow(self.season, self.total_need, water, drought)
        pie, capture = self.pie()
        captured = inflow * capture
        capacity = usable_capacity(self.infrastructure, water, build)

        term = self.term
        aa, ba = term.a_agreed, term.b_agreed
        fair = self.fair_shares(pie * self.harvest, capture)  # each organisation's share of the allocation
        # Organisations with no agreement this term (no partner, or an impasse) decide alone each season: their fair
        # share (maintaining their own canal alone) or a grab ("get as much as you can from limited resources",
        # maintaining nothing).
        alone = np.flatnonzero(~term.in_agreement)
        demand = np.zeros(n)
        labour = term.labour.copy()
        alone_grab = np.zeros(n, dtype=bool)
        if alone.size:
            alone_grab[alone] = self.decide_alone(alone, fair, self.stock + captured)
            demand[alone] = np.where(alone_grab[alone], self.grab_size(alone), fair[alone])
            labour[alone_grab] = 0.0

        # Agreements: split the pair's share of the pie (the dry-season turns, the maintenance and the building are
        # fixed for the term: see TermPlan). The volume issue moves A's water between (1 - range) and (1 + range) of
        # its fair share.
        pair_pie = fair[aa] + fair[ba]
        share_a = np.clip(fair[aa] / np.maximum(pair_pie, 1e-300) * term.volume_factor, 0.0, 1.0)
        to_a, to_b = pair_pie * share_a, pair_pie * (1.0 - share_a)
        # Water allotted beyond a partner's need goes to the other while it is short: the share divides the water
        # the pair needs (as water rights allot by need), so trading it never strands water where it is worth little.
        need_a, need_b = term.need_a, term.need_b
        a_to_b = np.minimum(np.maximum(to_a - need_a, 0.0), np.maximum(need_b - to_b, 0.0))
        b_to_a = np.minimum(np.maximum(to_b - need_b, 0.0), np.maximum(need_a - to_a, 0.0))
        demand[aa] = to_a - a_to_b + b_to_a
        demand[ba] = to_b - b_to_a + a_to_b
        schedule, conflict = term.schedule, term.conflict
        invest = term.invest.copy()

        in_agreement = term.in_agreement
        partner = term.partner
        promised = term.invest
        monitoring = self.monitoring()
        if self.planner:
            breach = detected = takes_more = keeps_back = np.zeros(n, dtype=bool)
        else:
            breach = self.decide_breaches(demand, invest, in_agreement, partner, monitoring, self.stock + captured,
                                          schedule)
            takes_more = keeps_back = breach  # a breach takes more water and skips the investment
            if self.people is not None:  # a person answers the two separately
                breach, takes_more, keeps_back = self.people.conduct(self.season, breach, in_agreement, promised)
            detected = breach & (self.rng.random(n) < monitoring)
        demand[takes_more] += conduct.breach_excess * self.need[takes_more]
        invest[keeps_back] = 0.0
        self.last_demand = demand.copy()
        # A grab beyond one's fair share breaks the river's rule: seen (monitoring), it pays the fine to the river's
        # other users, whom it took the water from.
        grabbing = np.flatnonzero(alone_grab & (demand > fair))
        seen_grabbing = grabbing[self.rng.random(grabbing.size) < monitoring]
        self._seen_grabbing = np.zeros(n, dtype=bool)
        self._seen_grabbing[seen_grabbing] = True

        extracted = ration(demand, self.stock + captured, self.upstream_first)
        balance = update_stock(self.stock, inflow, captured, extracted, capacity, float(demand.sum()))
        self.stock = balance.stock_after
        self.balance = balance

        # Infrastructure: contributions (matched by outside funding a backbone mobilises) minus decay; canals that
        # nobody maintains (those who grab) decay faster. Those who build a well draw its water: each is credited
        # its part, by what it paid where shared measurement counts contributions, by what it promised where not.
        multiplier = build.efficiency * (1.0 + self.level("funding"))
        self.outside_money = float(invest.sum()) * self.level("funding")  # matched from outside: a cost to count
        built = float(invest.sum()) * multiplier
        unmaintained = alone_grab.sum() / n
        decay = min(1.0, build.decay * (1.0 + unmaintained))
        self.infrastructure = (self.infrastructure + built) * (1.0 - decay)
        counted = 1.0 if self.planner else self.level("shared_measurement")
        credited = counted * invest + (1.0 - counted) * promised
        self.owned = (self.owned + credited * multiplier) * (1.0 - decay)

        # Payoffs: water that meets need (dry-season water needs irrigation turns), minus labour, investment, conflict,
        # fines and the fees of a backbone or broker.
        dry = self.season % 2 == 1
        if dry:
            # Without irrigation turns, dry-season crops lose water in proportion to what they need (not to what the
            # organisation happened to receive): the issues' material effects add up, as the negotiators' utilities
            # assume, so trading water for turns never destroys the value it is meant to create.
            lost = orgs.dry_loss * self.stake(SCHEDULE) * self.need * (1.0 - schedule)
            usable = np.maximum(extracted - lost, 0.0)
        else:
            usable = extracted
        within = np.minimum(usable, self.need)
        harvest = orgs.water_value * (within + orgs.surplus_value * (usable - within))
        fines = np.zeros(n)
        fines[detected] -= conduct.fine
        victims = partner[detected]
        np.add.at(fines, victims[victims >= 0], conduct.fine)
        if seen_grabbing.size:  # paid to the river's other users, whom the water was taken from
            penalty = self.grab_fine(seen_grabbing, demand[seen_grabbing] - fair[seen_grabbing])
            fines[seen_grabbing] -= penalty
            fines += penalty.sum() / (n - 1)
            fines[seen_grabbing] -= penalty / (n - 1)
        fee = 0.0
        if not self.planner:
            fee = (cfg.backbone.cost if cfg.backbone.present else 0.0) + (cfg.broker.cost if cfg.broker.present else 0.0)
        self.payoff = harvest - labour - invest - conflict + fines - fee
        self.fee = fee
        self.parts = {"harvest": harvest, "labour": labour, "invested": invest, "conflict": conflict, "fines": fines}
        self.cumulative += self.payoff
        m = cfg.learning.memory
        self.payoff_memory = m * self.payoff_memory + (1.0 - m) * self.payoff if self.season else self.payoff.copy()

        need_met = float(within.sum() / self.total_need)
        depleted = self.stock < water.collapse_level * water.capacity
        self.collapsed = bool(depleted and need_met < water.collapse_need)
        self.ever_collapsed |= self.collapsed
        self._breach, self._detected = breach, detected
        self._alone_grabs = int(alone_grab.sum())
        self.seen_breaking |= detected
        self._in_agreement = in_agreement  # reused by update_trust this season
        self._season_facts = (drought, inflow, extracted, usable, harvest, breach, detected, need_met, depleted)

    def decide_breaches(
        self, demand: np.ndarray, invest: np.ndarray, in_agreement: np.ndarray, partner: np.ndarray, monitoring: float,
        available: float | None = None, schedule: np.ndarray | None = None,
    ) -> np.ndarray:
        """Who breaks its agreement this season (takes more water and skips its investment). Every organisation in
        an agreement weighs the same things, whatever strategy it bargains with: what a breach gains (the harvest of
        the extra water it would get, after the river's rationing and, in a dry season, the loss its turns leave;
        and the investment it keeps), the expected fine, and what breaking its word costs it: a norm (honesty,
        tripled at full strength when a backbone builds public will and commitment is made in public) and the
        relationship (its trust in the partner, unless the partner exploited it before). Individual differences
        make the choice probabilistic (a logistic-shaped curve of the net gain, spread ``noise``). ``available``
        (default: plenty) is the water there is this season; ``schedule`` each one's dry-season turns."""
        cfg = self.config
        conduct, orgs = cfg.conduct, cfg.organisations
        extra = conduct.breach_excess * self.need
        if available is None:
            expected = demand
        else:
            expected = ration(demand, available, self.upstream_first)
        got = np.where(demand > 0, expected / np.maximum(demand, 1e-300), 1.0)  # the share of a demand it gets
        lost = 0.0
        if self.season % 2 == 1 and schedule is not None:  # dry season: without turns, crops lose water
            lost = orgs.dry_loss * self.stake(SCHEDULE) * self.need * (1.0 - schedule)
        value = self.season_value(np.arange(self.n)).harvest
        gain = value(np.maximum(expected + got * extra - lost, 0.0)) - value(np.maximum(expected - lost, 0.0)) + invest
        mate = np.where(partner >= 0, partner, np.arange(self.n))
        faith = self.trust[np.arange(self.n), mate].astype(float) * ~self.exploited[np.arange(self.n), mate]
        felt = self.norm() + conduct.reciprocity * faith
        net = gain - monitoring * conduct.fine - felt
        chance = self.choice(net)
        draw = self.rng.random(self.n)
        return in_agreement & (draw < chance)

    def decide_alone(self, who: np.ndarray, fair: np.ndarray, available: float) -> np.ndarray:
        """Whether each organisation with no partner grabs (``True``) or takes its fair share: it weighs what a grab
        would yield at the water there is, with everyone else drawing what they drew last season, and the fine if
        seen and the norm against it, against its fair share with its own canal to maintain. Individual differences
        make the choice probabilistic, as for breaking an agreement (``conduct.noise``)."""
        if self.planner:
            return np.zeros(who.size, dtype=bool)
        expected = fair if self.last_demand is None else self.last_demand
        zero = np.zeros(who.size)
        grabbed = impasse_water(self.grab_size(who), zero, expected[who], zero, float(expected.sum()), available,
                                self._ahead(expected, who, zero) if self.upstream_first is not None else None)
        grab, share = self.alone_values(who, fair[who], grabbed)
        return self.rng.random(who.size) < self.choice(grab - share)

    def alone_values(self, who: np.ndarray, fair: np.ndarray, grabbed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What deciding alone is worth in a season to ``who``: a grab that yields ``grabbed`` (no turns, no
        maintenance, less the expected fine and the norm against taking more than one's due), and its ``fair``
        share (no turns, its own canal to maintain)."""
        value = self.season_value(who)
        over = grabbed > fair
        penalty = self.grab_fine(who, np.maximum(grabbed - fair, 0.0))
        grab = value(grabbed, 0.5, 0.0) - (self.monitoring() * penalty + self.norm()) * over
        return grab, value(fair, 0.5, 1.0)

    def grab_fine(self, who: np.ndarray, beyond: np.ndarray) -> np.ndarray:
        """The fine for a grab seen taking ``beyond`` more than one's fair share: in proportion to the water taken
        (Ostrom 1990: sanctions fit the seriousness of the offence), ``fine`` for as much as a breach takes
        (``breach_excess`` x need), so a grab three times a breach pays three fines."""
        conduct = self.config.conduct
        unit = conduct.breach_excess * self.need[who] if conduct.breach_excess > 0 else self.need[who]
        return conduct.fine * beyond / unit

    def choice(self, net: np.ndarray) -> np.ndarray:
        """The chance of acting on a net gain: a logistic-shaped curve of spread ``conduct.noise`` (0: a threshold)."""
        noise = self.config.conduct.noise
        if noise > 0.0:
            with np.errstate(over="ignore"):
                z = net / noise
            return smooth_step(np.clip(z, -1e12, 1e12))  # a tiny spread is a sharp threshold, not an overflow
        return (net > 0.0).astype(float)

    def _ahead(self, expected: np.ndarray, me: np.ndarray, partner_extra: np.ndarray) -> np.ndarray:
        """What those upstream of ``me`` are expected to draw before it (index order is river order), with
        ``partner_extra`` drawn first where the partner is upstream."""
        return (np.cumsum(expected) - expected)[me] + partner_extra

    def fair_shares(self, pie: float, capture: float) -> np.ndarray:
        """Each organisation's share of the season's allocation. Water the river yields by itself is shared by need;
        water that wells and canals add is shared by who built them (Ostrom's proportional equivalence between
        benefits and costs: without it, builders are free-ridden, and a pair's well would not be worth its cost)."""
        natural = self.config.water.base_capture * (0.5 if self.collapsed else 1.0)
        added = max(0.0, capture - natural) / capture if capture > 0 else 0.0
        by_need = self.need / self.total_need
        owned = float(self.owned.sum())
        by_building = self.owned / owned if owned > 0 else by_need
        return pie * ((1.0 - added) * by_need + added * by_building)

    def stake(self, issue: int) -> np.ndarray:
        """How much an issue matters materially to each organisation, relative to the river's average priority on
        it: priorities reflect real stakes (who grows dry-season crops, who is short of hands), which is why trading
        issues by priority creates value and does not just move it around."""
        return self.weights[:, issue] / self._stake_scale[issue]

    def update_trust(self) -> None:
        """Kept agreements build trust slowly and openness returned at the meeting more; exploitation and detected
        breaches cut it sharply, an impasse by half as much (trust is built in drops and lost in buckets). Reputation
        is the community's image score of each organisation (Nowak & Sigmund 2005): it moves towards what others see
        of its conduct, as far as conduct is visible, and keeps what it saw until new conduct is seen."""
        cfg = self.config
        t = cfg.trust
        a, bb = self.pairs[:, 0], self.pairs[:, 1]
        # Exploitation and openness happen at the table: they count in the season of the meeting only.
        at_meeting = self.term_left == cfg.negotiation.term
        claimed = self.claimed if at_meeting else np.zeros_like(self.claimed)
        if a.size:
            growth = t.growth * (1.0 + 2.0 * self.level("communication"))
            for me, other, col in ((a, bb, 0), (bb, a, 1)):
                current = self.trust[me, other].astype(float)
                kept = self.agreed & ~self._detected[other]  # kept as far as ``me`` can tell: an unseen breach looks kept
                # Openness returned: both told each other their priorities (confidences to a facilitator are not seen).
                reciprocated = at_meeting & self.disclosed[:, col] & self.disclosed[:, 1 - col] & ~self.facilitated
                raised = current + growth * (1.0 + reciprocated) * (1.0 - current)
                new = np.where(kept, raised, current)
                exploited = claimed[:, 1 - col]
                betrayed = exploited | self._detected[other]
                new = np.where(betrayed, new * (1.0 - t.cut), new)
                new = np.where(~self.agreed, new * (1.0 - 0.5 * t.cut), new)  # an impasse is a quarrel
                self.trust[me, other] = np.clip(new, 0.0, 1.0)
                # A grievance is kept for exploited openness; a detected breach is settled by its fine (graduated
                # sanctions, Ostrom 1990) and leaves only the trust it cost.
                if exploited.any():
                    self.exploited.record(me, other, exploited)
        claimers = np.zeros(self.n, dtype=bool)  # exploited a partner's openness at this term's meeting
        claimers[a[self.claimed[:, 0]]] = True
        claimers[bb[self.claimed[:, 1]]] = True
        seen = self.visibility()
        if at_meeting and claimers.any() and seen > 0:
            self.spread_word(np.flatnonzero(claimers), seen)
        # Reputation: a claimer is judged by its claim for the whole term (keeping an agreement it won by exploiting
        # does not redeem it); breaches and grabs seen are reported as far as shared measurement reports them.
        reported = max(seen, self.level("shared_measurement"))
        caught = self._detected | self._seen_grabbing
        bad = (claimers & at_meeting) | caught
        observed = (self._in_agreement & ~claimers) | bad
        rate = 0.5 * np.where(caught, reported, seen)
        self.reputation = np.where(observed, self.reputation + rate * ((~bad) - self.reputation), self.reputation)

    def spread_word(self, exploiters: np.ndarray, seen: float) -> None:
        """Word of an exploitation gets around: each other organisation hears of each exploiter with the chance that
        conduct is visible, and from then on holds it against the exploiter as if it had been exploited itself
        (it refuses to meet it: partners are refused by reputation, Rand, Arbesman & Christakis 2011)."""
        n = self.n
        block = max(1, 4_000_000 // n)  # exploiters per draw, so a draw never holds more than a few million values
        for start in range(0, exploiters.size, block):
            who = exploiters[start : start + block]
            hears = self.rng.random((who.size, n)) < seen
            hears[np.arange(who.size), who] = False  # an exploiter does not hold its own deed against itself
            self.exploited.record_heard(who, hears)

    def record(self) -> None:
        """The season's row and each organisation's, taken at the season's end (after trust and learning)."""
        self._record_season(*self._season_facts)
        self._record_links()

    def _record_links(self) -> None:
        if self.record_negotiations:
            a, b = self.pairs[:, 0], self.pairs[:, 1]
            self.links.append((self.pairs.copy(), self.trust[a, b].astype(float), self.trust[b, a].astype(float)))

    def learn(self) -> None:
        """Social learning (proportional imitation): an organisation compares itself with one it can see (its partner,
        or, as far as conduct is visible, anyone on the river) and copies its strategy with a probability that grows
        with how much better the other has been doing. Where a backbone's shared measurement reports results, what is
        compared is, to that extent, each strategy's reported average rather than one organisation's luck."""
        rate = self.config.learning.rate
        if rate <= 0:
            return
        n = self.n
        looking = self.rng.random(n) < rate
        anyone = self.rng.integers(0, n, n)
        partner = self.term.partner
        far = self.rng.random(n) < self.visibility()
        model = np.where((partner >= 0) & ~far, partner, anyone)
        seen = self.payoff_memory
        m = self.level("shared_measurement")
        if m > 0:
            counts = np.bincount(self.strategy_code, minlength=len(self.strategy_names))
            means = np.bincount(self.strategy_code, weights=seen, minlength=len(self.strategy_names)) / np.maximum(counts, 1)
            seen = (1.0 - m) * seen + m * means[self.strategy_code]
        gain = seen[model] - seen
        scale = max(float(np.ptp(seen)), 1e-12)
        copy = looking & (gain > 0) & (self.rng.random(n) < gain / scale)
        self.strategy_code = np.where(copy, self.strategy_code[model], self.strategy_code)

    # -- records -----------------------------------------------------------------------------------------------
    def _record_season(self, drought, inflow, extracted, usable, harvest, breach, detected, need_met, depleted) -> None:
        payoff = self.payoff
        n, cfg = self.n, self.config
        quarter = max(1, n // 4)
        # Head against tail: harvest per unit of need, so the ratio shows position, not who happens to need more.
        per_need = harvest / self.need
        head, tail = per_need[:quarter].mean(), per_need[-quarter:].mean()
        floor = 0.01 * cfg.organisations.water_value
        counts = np.bincount(self.strategy_code, minlength=len(self.strategy_names))
        shares = counts / n
        with np.errstate(invalid="ignore", divide="ignore"):
            by_strategy = np.bincount(self.strategy_code, weights=payoff, minlength=counts.size) / counts
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
            # The village's welfare counts the money a backbone brought from outside as a cost: it paid for wells
            # whose water the harvest counts. total welfare = harvest - labour - invested - conflict - fees - outside
            # money (fines move money between organisations and add up to nothing).
            "total_welfare": float(payoff.sum()) - self.outside_money,
            "harvest": float(harvest.sum()),
            "labour": float(self.parts["labour"].sum()),
            "invested": float(self.parts["invested"].sum()),
            "conflict": float(self.parts["conflict"].sum()),
            "fees": float(self.fee * n),
            "outside_money": self.outside_money,
            "mean_payoff": float(payoff.mean()),
            "gini": gini(payoff),
            "need_met": need_met,
            "grab_rate": self._alone_grabs / n,
            "breaches": float(breach.sum()),
            "detected_breaches": float(detected.sum()),
            "undetected_breaches": float((breach & ~detected).sum()),
            "mean_trust": float(self.trust_between_partners()),
            "mean_reputation": float(self.reputation.mean()),
            "head_tail_ratio": float(max(head, 0.0) / max(tail, floor)) if n >= 4 else float("nan"),
            "depleted": float(depleted),
            "collapsed": float(self.collapsed),
        }
        stats.update(self.meeting)
        for code, name in enumerate(self.strategy_names):
            stats[f"share_{name}"] = float(shares[code])
            stats[f"welfare_{name}"] = float(by_strategy[code])  # NaN when no organisation plays it
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
            "wet", "drought", "inflow", "stock_before", "captured", "demanded", "extracted", "spilled", "water_stock",
            "stock_share", "capacity", "infrastructure", "total_welfare", "harvest", "labour", "invested", "conflict",
            "fees", "outside_money", "mean_payoff", "gini", "need_met",
            "grab_rate", "breaches", "detected_breaches", "undetected_breaches", "mean_trust", "mean_reputation",
            "head_tail_ratio", "depleted", "collapsed", "pairs", "unpaired", "agreement_rate", "facilitated_rate",
            "kept_rate", "pareto_rate", "value_created", "lose_lose_rate", "claim_rate", "disclosure_rate", "integrative_rate",
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
        records = self.datacollector.get_model_vars_dataframe()["record"].tolist()
        frame = pd.DataFrame.from_records(records, columns=list(self._season_keys))
        frame.insert(0, "season", np.arange(len(frame)))
        return frame

    def organisation_table(self) -> pd.DataFrame:
        """One row per organisation per season."""
        if not self._organisation_rows:
            return pd.DataFrame()
        frame = pd.DataFrame({k: np.concatenate([r[k] for r in self._organisation_rows]) for k in self._organisation_rows[0]})
        frame["strategy"] = np.asarray(self.strategy_names, dtype=object)[frame["strategy"].to_numpy()]
        return frame


def _season_record(model: CommonsModel) -> tuple:
    """The season's record for Mesa's DataCollector, in the order of ``reporter_keys``."""
    last = model.last
    return tuple(last.get(key, float("nan")) for key in model._season_keys)


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


PLANNER_HARVESTS = (1.0, 1.5, 2.0, 2.5, 3.0)
"""Harvest rules the planner tries: the sustainable allocation, and more of it (drawing down the stock)."""


def efficiency(welfare: float, planner: float) -> float:
    """A run's total welfare as a share of the planner's. Undefined (NaN) when the planner's welfare is not
    positive (a river so poor that even the planner loses: a share of a loss means nothing). It can exceed 1 where
    the planner's simple rules fall short (see :func:`planner_welfare`)."""
    return welfare / planner if planner > 0 else float("nan")


def no_rembug_welfare(config: CommonsConfig) -> float:
    """Total welfare on the same river, in the same years, with no rembug at all: nobody ever meets, and every
    organisation decides alone each season whether to take its fair share or grab (Ostrom, Walker & Gardner 1992's
    condition without communication). The floor a village's meetings are measured from."""
    data = config.model_dump()
    data["negotiation"]["rembug"] = False
    return float(CommonsModel(CommonsConfig.model_validate(data)).run().season_table().total_welfare.sum())


def planner_welfare(config: CommonsConfig) -> float:
    """Total welfare the planner reaches on the same river, in the same years: the best of a few harvest rules
    (:data:`PLANNER_HARVESTS`), each with every pair at its material optimum (see :class:`CommonsModel`). A
    reference, not a proven optimum: a run that beats it shows where the planner's simple rules fall short."""
    return max(
        float(CommonsModel(config, planner=True, harvest=h).run().season_table().total_welfare.sum())
        for h in PLANNER_HARVESTS
    )
