"""Every setting of the commons model, with its range and meaning, validated on construction (pydantic).

A scenario file is this structure written as TOML. Unknown keys are refused, so a misspelt setting never passes
silently. Ranges are part of each field, so an error names the setting and what it accepts.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sim.negotiation.strategies import REGISTRY


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class World(_Section):
    """Size and horizon of a run."""

    organisations: int = Field(30, ge=2, le=20_000, description="organisations sharing the river")
    seasons: int = Field(40, ge=1, le=2_000, description="seasons simulated (a year is a wet and a dry season)")
    seed: int = Field(1, ge=0, le=2**32 - 1, description="random seed: same scenario and seed, same results")
    communities: int = Field(1, ge=1, le=2, description="separate communities that only meet through a broker")


class Water(_Section):
    """The shared water resource: a stock filled by seasonal inflow."""

    capacity: float = Field(100.0, gt=0, le=1e6, description="storage the river, reservoir and aquifer hold")
    initial_stock: float = Field(0.7, ge=0, le=1, description="starting stock as a share of capacity")
    inflow: float = Field(1.0, ge=0, le=5, description="mean inflow per season, per unit of total need")
    seasonality: float = Field(0.4, ge=0, le=1, description="wet seasons bring 1 + this, dry seasons 1 - this")
    drought_probability: float = Field(0.1, ge=0, le=1, description="chance a season is hit by drought")
    drought_severity: float = Field(0.5, ge=0, le=1, description="share of inflow a drought takes away")
    base_capture: float = Field(0.7, ge=0, le=1, description="share of inflow captured with no infrastructure")
    collapse_level: float = Field(
        0.1, ge=0, le=0.9, description="stock share below which the river is depleted (one condition of a collapse)"
    )
    collapse_need: float = Field(
        0.5, ge=0, le=1, description="share of need met below which a depleted river has collapsed: it fails its users"
    )
    recovery: float = Field(
        0.2, ge=0, le=1,
        description="share of the gap between the stock and its target (the starting share of capacity) that a "
        "season's allocation closes: agreements take less while the river is low, more while it is high",
    )
    river_order: bool = Field(False, description="upstream organisations take first (position is power)")


class Infrastructure(_Section):
    """Wells, canals and storage: built by joint investment, decaying each season."""

    initial: float = Field(0.0, ge=0, le=1e6, description="infrastructure at the start, in investment units")
    decay: float = Field(0.05, ge=0, le=1, description="share lost each season")
    efficiency: float = Field(1.0, ge=0, le=10, description="infrastructure built per unit invested")
    capture_per_unit: float = Field(0.005, ge=0, le=1, description="extra share of inflow captured per unit built")
    storage_per_unit: float = Field(0.005, ge=0, le=1, description="extra capacity share per unit built")
    max_storage_gain: float = Field(0.5, ge=0, le=10, description="most extra capacity infrastructure can add")


class Organisations(_Section):
    """The organisations' needs, means and interests."""

    need: float = Field(1.0, gt=0, le=1e4, description="water an organisation needs per season")
    need_spread: float = Field(0.3, ge=0, le=1, description="relative spread of needs across organisations")
    endowment: float = Field(0.1, ge=0, le=1e4, description="money and labour an organisation can invest per season")
    water_value: float = Field(1.0, gt=0, le=1e4, description="value of a unit of water up to need")
    surplus_value: float = Field(0.3, ge=0, le=1, description="value of water beyond need, relative to water within it")
    volume_range: float = Field(0.5, ge=0, le=1, description="how far the volume issue moves a share from the fair split")
    labour_cost: float = Field(0.15, ge=0, le=1e4, description="cost of maintaining a pair's canals for a season")
    dry_loss: float = Field(0.3, ge=0, le=1, description="share of dry-season water lost without irrigation turns")
    diversity: float = Field(0.7, ge=0, le=1, description="interest diversity: 0 all alike, 1 independent priorities")
    profile: tuple[float, float, float, float] = Field(
        (0.4, 0.2, 0.2, 0.2), description="community priorities: volume, dry-season schedule, maintenance, investment"
    )
    grab: float = Field(1.5, ge=1, le=5, description="water a grabbing organisation takes, as a multiple of its need")
    conflict_cost: float = Field(0.2, ge=0, le=1e4, description="cost of an impasse to each side")

    @field_validator("profile")
    @classmethod
    def _profile_sums_to_one(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if any(v < 0 for v in value) or abs(sum(value) - 1.0) > 1e-6:
            raise ValueError(f"must be four non-negative weights summing to 1, got {list(value)}")
        return value


class Strategies(_Section):
    """Which strategies the organisations start with, and how they bargain."""

    mix: dict[str, float] = Field(
        default_factory=lambda: {"distributive": 0.5, "integrative": 0.5},
        description="share of organisations starting with each strategy",
    )
    concession: float = Field(1.0, ge=0.1, le=10, description="concession tempo: <1 holds firm, >1 concedes early")
    misreport: float = Field(0.0, ge=0, le=1, description="chance a distributive organisation announces false priorities")
    matching: float = Field(0.5, ge=0, le=1, description="share of a partner's concessions a claimer gives back")
    reciprocal_threshold: float = Field(0.5, ge=0, le=1, description="trust a reciprocal organisation needs to cooperate")
    fixed_pie: float = Field(
        0.68, ge=0.5, le=1,
        description="how firmly negotiators start out believing that each issue is opposed (the fixed-pie perception: "
        "0.5 no bias, 1 unshakeable); they revise it from the partner's offers. 68% of negotiators assumed opposed "
        "interests on a shared issue in Thompson & Hastie 1990",
    )
    variation: float = Field(0.2, ge=0, le=1, description="how much negotiators differ in how high they open and how fast they give ground")

    @field_validator("mix")
    @classmethod
    def _known_strategies(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(REGISTRY))
        if unknown:
            raise ValueError(f"unknown strategy {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
        if any(not (0 <= share <= 1) for share in value.values()) or sum(value.values()) <= 0:
            raise ValueError("shares must be between 0 and 1 and not all 0")
        return value


class Negotiation(_Section):
    """The yearly meeting where each pair negotiates its agreement."""

    rounds: int = Field(12, ge=1, le=200, description="offers each side may make before the meeting ends")
    term: int = Field(2, ge=1, le=20, description="seasons an agreement covers before it is renegotiated")
    matching: Literal["random", "neighbours"] = Field(
        "random", description="whom an organisation can meet: anyone on the river, or its neighbours along it"
    )
    candidates: int = Field(6, ge=1, le=50, description="possible partners each organisation considers at a meeting")
    partner_choice: float = Field(
        1.0, ge=0, le=1, description="how far organisations pick the partners they trust most (0: partners at random)"
    )
    refuse_exploiters: bool = Field(
        True, description="an organisation refuses to meet a partner that exploited its openness before"
    )
    rembug: bool = Field(
        True,
        description="organisations meet to negotiate; false: no meeting ever, each decides alone every season whether "
        "to take its fair share or grab (the no-communication condition of Ostrom, Walker & Gardner 1992)",
    )


class Trust(_Section):
    """How trust starts, grows and breaks."""

    initial: float = Field(0.5, ge=0, le=1, description="trust between organisations that have not met")
    growth: float = Field(0.15, ge=0, le=1, description="share of the gap to full trust closed by a kept agreement")
    cut: float = Field(0.5, ge=0, le=1, description="share of trust lost to exploitation or a detected breach")
    gossip: float = Field(
        0.2, ge=0, le=1,
        description="how visible an organisation's conduct is to those who did not deal with it (word of mouth)",
    )


class Conduct(_Section):
    """Keeping or breaking agreements: every organisation weighs what a breach gains against what it risks and what
    breaking its word costs it, whatever strategy it bargains with."""

    breach_excess: float = Field(
        0.3, ge=0, le=5,
        description="extra water a breach takes, as a share of the organisation's need (worth most to those short)",
    )
    monitoring: float = Field(
        0.2, ge=0, le=1,
        description="chance a breach, or a grab beyond one's fair share, is seen without shared measurement",
    )
    fine: float = Field(
        0.3, ge=0, le=1e4,
        description="penalty when a breach is seen (paid to the partner); a grab seen taking more than one's fair share "
        "pays it in proportion to the water taken beyond the share, one fine for as much as a breach takes (paid to the "
        "river's other users)",
    )
    honesty: float = Field(
        0.3, ge=0, le=1e4,
        description="felt cost of breaking one's word, or of taking more than one's fair share after walking away, in "
        "the payoff's units (a social norm; near the default about a third of promises are broken when breaking pays, "
        "as in trust games: Charness & Dufwenberg 2006)",
    )
    reciprocity: float = Field(
        0.2, ge=0, le=1e4,
        description="extra felt cost of breaking faith with a partner one fully trusts; none towards one who exploited you",
    )
    noise: float = Field(0.1, ge=0, le=1e4, description="how much organisations differ in temptation (0: all alike)")


class Learning(_Section):
    """Social learning: organisations copy more successful ones."""

    rate: float = Field(0.0, ge=0, le=1, description="chance per season that an organisation compares itself")
    memory: float = Field(0.5, ge=0, le=1, description="weight of the past in the payoff organisations compare")


class Backbone(_Section):
    """A Collective Impact backbone organisation: its six functions (FSG's list, in the source on gotong royong) and
    open, continuous communication (one of the five conditions), each a level from 0 to 1. It convenes and
    facilitates; it never decides for the organisations."""

    present: bool = Field(False, description="a backbone organisation supports the whole river")
    common_agenda: float = Field(
        0.0, ge=0, le=1,
        description="guide vision and strategy: a common understanding of the problem, so negotiators start with less "
        "of the fixed-pie belief and see sooner that both want the well (priorities stay diverse)",
    )
    aligned_activities: float = Field(
        0.0, ge=0, le=1,
        description="support aligned activities: share of organisations it convenes with partners whose interests "
        "complement theirs, in meetings it facilitates",
    )
    shared_measurement: float = Field(
        0.0, ge=0, le=1,
        description="establish shared measurement: breaches detected and reported, contributions counted, results "
        "everyone can learn from",
    )
    public_will: float = Field(
        0.0, ge=0, le=1,
        description="build public will: commitment to agreements made in public, so breaking one's word costs more",
    )
    communication: float = Field(
        0.0, ge=0, le=1,
        description="open and continuous communication: trust grows faster and everyone hears who kept faith",
    )
    policy: float = Field(0.0, ge=0, le=1, description="advance policy: a cap on unilateral grabs")
    funding: float = Field(0.0, ge=0, le=2, description="mobilise funding: outside money matched to joint investment")
    cost: float = Field(0.05, ge=0, le=1e4, description="fee per organisation per season")


class Broker(_Section):
    """A broker organisation bridging two communities that otherwise never meet."""

    present: bool = Field(False, description="a broker links the two communities")
    bridging: float = Field(0.3, ge=0, le=1, description="share of pairs it forms across the communities")
    mediation: float = Field(
        1.0, ge=0, le=1,
        description="share of cross-community meetings it mediates, carrying priorities between sides that both share",
    )
    cost: float = Field(0.02, ge=0, le=1e4, description="cost per season per organisation")


REMOVED: dict[str, str] = {
    "strategies.perception": "was replaced in model v3 by strategies.fixed_pie: negotiators no longer notice a shared "
    "interest by chance; they start from a belief that interests are opposed and revise it from the partner's offers",
    "organisations.batna": "was removed in model v3: the walk-away value is worked out from the water an impasse "
    "would leave (a grab at this stock, the fine if seen, the quarrel's cost); see docs/model/ODD.md, walk-away",
    "organisations.scarcity_pressure": "was removed in model v3: scarcity now enters the walk-away value through the "
    "river itself (what a grab yields at this stock, shared by rationing)",
    "organisations.upstream_advantage": "was removed in model v3: with water.river_order, upstream organisations draw "
    "first, so a grab yields them more and their walk-away value is higher without a separate bonus",
    "backbone.mediation": "was removed in model v2: the backbone no longer arbitrates; it convenes and facilitates "
    "meetings as part of backbone.aligned_activities",
    "conduct.breach_propensity": "was removed in model v2: whether an organisation breaks an agreement now follows "
    "its incentives (conduct.honesty, conduct.reciprocity, conduct.fine, conduct.monitoring)",
    "trust.reputation_weight": "was replaced in model v2 by trust.gossip (how visible conduct is without a backbone; "
    "backbone.communication raises it)",
}
"""Settings of earlier versions, with what replaced them, so an old scenario file gets an answer, not a shrug."""


class CommonsConfig(_Section):
    """All settings of one run."""

    world: World = Field(default_factory=World)
    water: Water = Field(default_factory=Water)
    infrastructure: Infrastructure = Field(default_factory=Infrastructure)
    organisations: Organisations = Field(default_factory=Organisations)
    strategies: Strategies = Field(default_factory=Strategies)
    negotiation: Negotiation = Field(default_factory=Negotiation)
    trust: Trust = Field(default_factory=Trust)
    conduct: Conduct = Field(default_factory=Conduct)
    learning: Learning = Field(default_factory=Learning)
    backbone: Backbone = Field(default_factory=Backbone)
    broker: Broker = Field(default_factory=Broker)

    @model_validator(mode="after")
    def _broker_needs_two_communities(self) -> CommonsConfig:
        if self.broker.present and self.world.communities < 2:
            raise ValueError("broker.present needs world.communities = 2 (a broker bridges two communities)")
        return self
