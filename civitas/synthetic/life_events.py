"""The life events of one period, each applied to all people at once.

Every event kind draws from its own random stream seeded with (seed, period,
kind), so a period is reproducible and adding an event kind does not shift the
others. Events only ever touch living people; each one is written to the event
log with the day it happened and a small JSON object of details.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civitas.registries import with_check_digits
from civitas.synthetic.calendar import age_on, anniversary, months_between
from civitas.synthetic.columns import Days, Ints, grouped_pick
from civitas.synthetic.people import (
    CHILD,
    COUPLE,
    COUPLE_WITH_CHILDREN,
    EMPLOYED,
    INACTIVE,
    MULTI_GENERATION,
    RETIRED,
    SCHOOL_LEVELS,
    SINGLE,
    SINGLE_PARENT,
    STUDENT,
    UNEMPLOYED,
    Households,
    People,
    Places,
)

EVENT_KINDS = (
    "birth",
    "death",
    "marriage",
    "separation",
    "move",
    "job_loss",
    "new_job",
    "income_change",
    "age_milestone",
)
EVENT_SCHEMA = pa.schema(
    [
        pa.field("person_id", pa.int64(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("occurred_on", pa.date32(), nullable=False),
        pa.field("details", pa.string(), nullable=False),
    ]
)
# School level reached at each birthday; None leaves school (see ADULTHOOD).
SCHOOL_AT_AGE = {3: "childcare", 6: "primary", 12: "secondary"}
ADULTHOOD = 18


@dataclass(frozen=True)
class Rates:
    """Yearly rates of each life event; a period of D days uses 1 - (1 - rate) ** (D / 365)."""

    births_with_partner: float = 0.10  # per woman 18-45 living with her partner, at the peak age
    births_alone: float = 0.02  # per woman 18-45 without a partner, at the peak age
    peak_fertility_age: float = 31.0
    mortality_base: float = 0.00008  # Gompertz: yearly death rate base * exp(slope * age)
    mortality_slope: float = 0.087
    infant_mortality: float = 0.003
    marriage: float = 0.05  # per single adult 20-75
    separation: float = 0.02  # per couple living together
    move: float = 0.08  # per household
    move_away: float = 0.3  # share of moves that leave the municipality
    job_loss: float = 0.05  # per employed person under 66
    new_job: float = 0.6  # per unemployed person
    income_change: float = 0.3  # per employed person
    income_drift_mean: float = 0.02  # log change of earnings when they change
    income_drift_sd: float = 0.05
    retirement_age: int = 66
    pension_replacement: float = 0.6  # pension as a share of last earnings
    minimum_pension_cents: int = 40_000
    first_job_share: float = 0.3  # at 18: employed; then unemployed, student, inactive
    first_job_unemployed: float = 0.1
    first_job_student: float = 0.45


@dataclass
class EventLog:
    """What happened to whom and when, in the order the events were applied."""

    parts: list[pa.Table] = field(default_factory=list)

    def add(self, person_ids: Ints, kind: str, on: Days, details: pa.Array) -> None:
        if len(person_ids) == 0:
            return
        self.parts.append(
            pa.table(
                [
                    pa.array(person_ids, pa.int64()),
                    pa.array(np.full(len(person_ids), kind), pa.string()),
                    pa.array(on.view(np.int64).astype(np.int32), pa.int32()).cast(pa.date32()),
                    details,
                ],
                schema=EVENT_SCHEMA,
            )
        )

    def table(self) -> pa.Table:
        if not self.parts:
            return EVENT_SCHEMA.empty_table()
        return pa.concat_tables(self.parts).sort_by(
            [("occurred_on", "ascending"), ("person_id", "ascending"), ("kind", "ascending")]
        )


def details(**values: npt.NDArray[np.generic] | pa.Array) -> pa.Array:
    """``{"key": value, ...}`` for every row, built column-wise (codes quoted, numbers bare)."""
    pieces: list[pa.Array | str] = []
    for position, (key, raw) in enumerate(values.items()):
        column = raw if isinstance(raw, pa.Array) else pa.array(raw)
        text = pc.cast(column, pa.string())
        if pa.types.is_string(column.type):
            text = pc.binary_join_element_wise('"', text, '"', "")
        text = pc.fill_null(text, "null")
        pieces += [("{" if position == 0 else ",") + f'"{key}":', text]
    return pc.binary_join_element_wise(*pieces, "}", "")


def chance(rate: float | npt.NDArray[np.float64], days: int) -> npt.NDArray[np.float64]:
    """The probability that a yearly ``rate`` event happens within ``days``."""
    return 1.0 - (1.0 - np.clip(rate, 0.0, 1.0)) ** (days / 365.0)


class Period:
    """One period's changes to people, households and addresses."""

    def __init__(
        self,
        people: People,
        homes: Households,
        addresses: pa.Table,
        places: Places,
        *,
        start: np.datetime64,
        days: int,
        seed: int,
        number: int,
        rates: Rates,
    ) -> None:
        self.people, self.homes, self.places, self.rates = people, homes, places, rates
        self.start, self.days, self.seed, self.number = start, days, seed, number
        self.end = start + np.timedelta64(days, "D")
        self.log = EventLog()
        self.age = age_on(people.birth, start)
        self.touched: list[Ints] = []  # households whose members changed
        self.busy = np.zeros(len(people.id), dtype=np.bool_)  # already moved this period
        self.addresses = addresses
        self.address_municipality = pc.index_in(
            addresses.column("municipality"), value_set=pa.array(places.municipalities)
        )
        self.new_addresses: list[pa.Table] = []
        self.next_address = int(pc.max(addresses.column("address_id")).as_py() or 0) + 1

    def random(self, kind: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, self.number, EVENT_KINDS.index(kind) + 1])

    def on_days(self, rng: np.random.Generator, count: int) -> Days:
        offsets = rng.integers(1, self.days + 1, size=count)
        return self.start + offsets.astype("m8[D]")

    # -- life and death ------------------------------------------------------------

    def deaths(self) -> None:
        p, r = self.people, self.rates
        rng = self.random("death")
        yearly = r.mortality_base * np.exp(r.mortality_slope * np.clip(self.age, 0, 120))
        yearly = yearly + np.where(self.age == 0, r.infant_mortality, 0.0)
        rows = np.flatnonzero(p.alive & (rng.random(len(p.id)) < chance(yearly, self.days)))
        on = self.on_days(rng, len(rows))
        p.death[rows] = on
        working = p.status[rows] == EMPLOYED
        p.job_end[rows[working]] = on[working]
        p.status[rows[np.isin(p.status[rows], (EMPLOYED, UNEMPLOYED))]] = INACTIVE
        p.income[rows] = 0
        p.school[rows] = -1
        partners = p.partner[rows]
        index = p.index()
        survivors = index[partners[partners > 0]]
        p.partner[survivors[p.partner[survivors] != 0]] = 0  # widowed; no longer a couple
        p.partner[rows] = 0
        self.touched.append(p.household[rows])
        self.log.add(p.id[rows], "death", on, details(age=self.age[rows]))

    def births(self) -> None:
        p, r = self.people, self.rates
        rng = self.random("birth")
        index = p.index()
        women = p.alive & (p.sex == 0) & (self.age >= 18) & (self.age <= 45)
        last_birth = np.full(len(index), np.iinfo(np.int64).min, dtype=np.int64)
        mothers = p.mother > 0
        np.maximum.at(last_birth, p.mother[mothers], p.birth[mothers].view(np.int64))
        recent = last_birth[p.id] > (self.start - np.timedelta64(365, "D")).view(np.int64)
        with_partner = (p.partner > 0) & (p.household == p.household[index[p.partner]])
        peak = np.where(with_partner, r.births_with_partner, r.births_alone)
        curve = np.exp(-0.5 * ((self.age - r.peak_fertility_age) / 6.0) ** 2)
        chosen = women & ~recent & (rng.random(len(p.id)) < chance(peak * curve, self.days))
        mothers_rows = np.flatnonzero(chosen)
        count = len(mothers_rows)
        if count == 0:
            return
        on = self.on_days(rng, count)
        father = np.where(with_partner[mothers_rows], p.partner[mothers_rows], 0)
        sex = (rng.random(count) >= 0.49).astype(np.int32)
        namesake = grouped_pick(sex, p.sex, rng.random(count), 2)
        family_from = np.where(father > 0, index[father], mothers_rows)
        ids = np.arange(count, dtype=np.int64) + int(p.id.max(initial=0)) + 1
        p.append(
            id=ids,
            national_id=new_national_ids(p.national_id, count, rng),
            sex=sex,
            birth=on,
            household=p.household[mothers_rows],
            mother=p.id[mothers_rows],
            father=father,
            address=p.address[mothers_rows],
            municipality=p.municipality[mothers_rows],
            region=p.region[mothers_rows],
            disability=rng.random(count) < 0.01,
            first_name=p.first_name.take(pa.array(namesake)),
            family_name=p.family_name.take(pa.array(family_from)),
        )
        self.age = np.concatenate([self.age, np.zeros(count, dtype=np.int64)])
        self.busy = np.concatenate([self.busy, np.ones(count, dtype=np.bool_)])
        self.touched.append(p.household[mothers_rows])
        self.log.add(ids, "birth", on, details(mother_id=p.id[mothers_rows], father_id=father))

    # -- couples -------------------------------------------------------------------

    def marriages(self) -> None:
        p, r = self.people, self.rates
        rng = self.random("marriage")
        single = p.alive & (p.partner == 0) & (self.age >= 20) & (self.age <= 75) & ~self.busy
        rate = r.marriage * np.where((self.age >= 25) & (self.age <= 40), 1.5, 0.6)
        chosen = single & (p.sex == 0) & (rng.random(len(p.id)) < chance(rate, self.days))
        women = np.flatnonzero(chosen)
        # Each chosen woman meets a single man of about her age in her municipality.
        band = np.minimum(self.age // 5, 30)
        groups = (p.municipality.astype(np.int64) * 32 + band).astype(np.int32)
        wanted = p.municipality[women].astype(np.int64) * 32 + np.minimum(
            (self.age[women] + 2) // 5, 30
        )
        pool = np.where(single & (p.sex == 1), groups, -1).astype(np.int32)
        men = grouped_pick(
            wanted.astype(np.int32),
            pool,
            rng.random(len(women)),
            len(self.places.municipalities) * 32,
        )
        women, men = women[men >= 0], men[men >= 0]
        _, first = np.unique(men, return_index=True)  # a man met by two women marries one
        women, men = women[np.sort(first)], men[np.sort(first)]
        index = p.index()
        fine = (
            (np.abs(self.age[women] - self.age[men]) <= 12)
            & (p.household[women] != p.household[men])
            & ((p.mother[women] == 0) | (p.mother[women] != p.mother[men]))
        )
        women, men = women[fine], men[fine]
        count = len(women)
        if count == 0:
            return
        on = self.on_days(rng, count)
        p.partner[women], p.partner[men] = p.id[men], p.id[women]
        sizes = np.bincount(p.household[p.alive], minlength=int(p.household.max()) + 1)
        women_move = sizes[p.household[women]] > sizes[p.household[men]]
        tie = sizes[p.household[women]] == sizes[p.household[men]]
        women_move |= tie & (rng.random(count) < 0.5)
        movers = np.where(women_move, women, men)
        stayers = np.where(women_move, men, women)
        self.touched += [p.household[movers], p.household[stayers]]
        self._follow(movers, stayers, index, on, "marriage")
        self.busy[women] = self.busy[men] = True
        self.log.add(p.id[women], "marriage", on, details(partner_id=p.id[men]))
        self.log.add(p.id[men], "marriage", on, details(partner_id=p.id[women]))

    def _follow(self, movers: Ints, hosts: Ints, index: Ints, on: Days, reason: str) -> None:
        """Movers join their hosts' homes, bringing their children under 18 who live with them."""
        p = self.people
        target = np.zeros(len(index), dtype=np.int64)
        target[p.id[movers]] = hosts + 1  # row of the host, plus one so 0 means none
        host_of_parent = np.maximum(target[p.mother], target[p.father])
        kids = np.flatnonzero(
            p.alive
            & (self.age < ADULTHOOD)
            & (host_of_parent > 0)
            & ~self.busy
            & np.isin(p.household, p.household[movers])
        )
        kid_hosts = host_of_parent[kids] - 1
        parent = np.where(target[p.mother[kids]] > 0, p.mother[kids], p.father[kids])
        same_home = p.household[kids] == p.household[index[parent]]
        kids, kid_hosts, parent = kids[same_home], kid_hosts[same_home], parent[same_home]
        for rows, host in ((movers, hosts), (kids, kid_hosts)):
            p.household[rows] = p.household[host]
            p.address[rows] = p.address[host]
            p.municipality[rows] = p.municipality[host]
            p.region[rows] = p.region[host]
        self.busy[kids] = True
        day_of = np.zeros(len(index), dtype=np.int64)
        day_of[p.id[movers]] = on.view(np.int64)
        when = day_of[parent].view("M8[D]")
        self.log.add(p.id[kids], "move", when, details(reason=np.full(len(kids), reason)))

    def separations(self) -> None:
        p, r = self.people, self.rates
        rng = self.random("separation")
        index = p.index()
        partner_row = np.where(p.partner > 0, index[p.partner], 0)
        couple = (
            p.alive
            & (p.partner > p.id)
            & (p.household == p.household[partner_row])
            & ~self.busy
            & ~self.busy[partner_row]
        )
        first = np.flatnonzero(couple & (rng.random(len(p.id)) < chance(r.separation, self.days)))
        second = partner_row[first]
        count = len(first)
        if count == 0:
            return
        on = self.on_days(rng, count)
        swap = rng.random(count) < 0.5
        movers = np.where(swap, first, second)
        self.touched.append(p.household[movers])
        municipality = p.municipality[movers]
        address = self.new_address(municipality, rng)
        household = self.homes.add(
            address=address,
            municipality=municipality,
            region=p.region[movers],
            rent=self.rent_like(municipality, rng),
        )
        p.household[movers], p.address[movers] = household, address
        p.partner[first] = p.partner[second] = 0
        self.busy[first] = self.busy[second] = True
        self.touched.append(household)
        self.log.add(p.id[first], "separation", on, details(partner_id=p.id[second]))
        self.log.add(p.id[second], "separation", on, details(partner_id=p.id[first]))

    # -- homes -----------------------------------------------------------------------

    def moves(self) -> None:
        p, h, r = self.people, self.homes, self.rates
        rng = self.random("move")
        living = p.alive & ~self.busy
        lived = np.zeros(len(h.id), dtype=np.bool_)
        home_rows = h.index()[p.household]
        lived[home_rows[living]] = True
        lived[home_rows[p.alive & self.busy]] = False  # homes already changed this period
        chosen = np.flatnonzero(lived & (rng.random(len(h.id)) < chance(r.move, self.days)))
        count = len(chosen)
        if count == 0:
            return
        on = self.on_days(rng, count)
        away = rng.random(count) < r.move_away
        elsewhere = p.municipality[rng.integers(0, len(p.id), size=count)]
        municipality = np.where(away, elsewhere, h.municipality[chosen])
        before = h.municipality[chosen]
        h.address[chosen] = self.new_address(municipality, rng)
        h.municipality[chosen] = municipality
        h.region[chosen] = self.places.region_of_municipality[municipality]
        renting = away & (h.tenure[chosen] > 0)
        h.rent[chosen[renting]] = self.rent_like(municipality[renting], rng)
        moved = np.zeros(len(h.id), dtype=np.int64)
        moved[chosen] = np.arange(count) + 1
        members = np.flatnonzero(p.alive & (moved[home_rows] > 0))
        which = moved[home_rows[members]] - 1
        p.address[members] = h.address[chosen[which]]
        p.municipality[members] = municipality[which]
        p.region[members] = h.region[chosen[which]]
        self.busy[members] = True
        self.log.add(
            p.id[members],
            "move",
            on[which],
            details(
                from_municipality=pa.array(self.places.municipalities).take(before[which]),
                to_municipality=pa.array(self.places.municipalities).take(municipality[which]),
            ),
        )

    def new_address(self, municipality: npt.NDArray[np.int32], rng: np.random.Generator) -> Ints:
        """New addresses in the given municipalities, on streets that already exist there."""
        count = len(municipality)
        pool = np.asarray(pc.fill_null(self.address_municipality, -1).to_numpy(), np.int32)
        template = grouped_pick(
            municipality, pool, rng.random(count), len(self.places.municipalities)
        )
        template = np.where(template >= 0, template, 0)
        ids = np.arange(count, dtype=np.int64) + self.next_address
        self.next_address += count
        rows = self.addresses.take(pa.array(template))
        rows = rows.set_column(
            rows.schema.get_field_index("address_id"),
            rows.schema.field("address_id"),
            pa.array(ids).cast(rows.schema.field("address_id").type),
        )
        numbers = rng.integers(1, 200, size=count)
        rows = rows.set_column(
            rows.schema.get_field_index("house_number"),
            rows.schema.field("house_number"),
            pa.array(numbers).cast(rows.schema.field("house_number").type),
        )
        self.new_addresses.append(rows)
        return ids

    def rent_like(self, municipality: npt.NDArray[np.int32], rng: np.random.Generator) -> Ints:
        """Rents of renting households elsewhere in the same municipalities."""
        h = self.homes
        renters = h.rent > 0
        pool = np.where(renters, h.municipality, -1).astype(np.int32)
        picked = grouped_pick(
            municipality, pool, rng.random(len(municipality)), len(self.places.municipalities)
        )
        fallback = int(np.median(h.rent[renters])) if renters.any() else 50_000
        return np.where(picked >= 0, h.rent[np.maximum(picked, 0)], fallback)

    # -- work and money ----------------------------------------------------------------

    def jobs(self) -> None:
        p, r = self.people, self.rates
        workers = p.alive & (p.status == EMPLOYED)
        pool = (p.region[workers].copy(), p.income[workers].copy())  # before anyone changes
        rng = self.random("job_loss")
        odds = chance(r.job_loss, self.days)
        dismissed = workers & (self.age < r.retirement_age) & (rng.random(len(p.id)) < odds)
        contract_ends = workers & (p.job_end > self.start) & (p.job_end <= self.end)
        lost = np.flatnonzero(dismissed | contract_ends)
        on = np.where(contract_ends[lost], p.job_end[lost], self.on_days(rng, len(lost)))
        self.log.add(p.id[lost], "job_loss", on, details(previous_income_cents=p.income[lost]))
        p.status[lost], p.income[lost], p.job_end[lost] = UNEMPLOYED, 0, on

        rng = self.random("new_job")
        seeking = p.alive & (p.status == UNEMPLOYED) & ~(p.job_end > self.start)
        odds = chance(r.new_job, self.days)
        found = np.flatnonzero(seeking & (rng.random(len(p.id)) < odds))
        on = self.on_days(rng, len(found))
        p.income[found] = self.earnings_like(p.region[found], pool, rng)
        p.status[found], p.job_end[found] = EMPLOYED, np.datetime64("NaT")
        self.log.add(p.id[found], "new_job", on, details(income_cents=p.income[found]))

        rng = self.random("income_change")
        steady = workers.copy()
        steady[lost] = steady[found] = False
        odds = chance(r.income_change, self.days)
        changed = np.flatnonzero(steady & (rng.random(len(p.id)) < odds))
        on = self.on_days(rng, len(changed))
        factor = np.exp(rng.normal(r.income_drift_mean, r.income_drift_sd, len(changed)))
        p.income[changed] = np.round(p.income[changed] * factor / 100).astype(np.int64) * 100
        self.log.add(p.id[changed], "income_change", on, details(income_cents=p.income[changed]))

    def earnings_like(
        self,
        region: npt.NDArray[np.int32],
        pool: tuple[npt.NDArray[np.int32], Ints],
        rng: np.random.Generator,
    ) -> Ints:
        """Earnings of someone employed in the same region (the region's own distribution)."""
        regions, incomes = pool
        count = len(self.places.regions)
        picked = grouped_pick(region, regions, rng.random(len(region)), count)
        fallback = int(np.median(incomes)) if len(incomes) else 150_000
        return np.where(picked >= 0, incomes[np.maximum(picked, 0)], fallback)

    def earners(self) -> tuple[npt.NDArray[np.int32], Ints]:
        p = self.people
        working = p.alive & (p.status == EMPLOYED) & (p.income > 0)
        return p.region[working].copy(), p.income[working].copy()

    def settle(self) -> None:
        """Household sizes and types from who lives where now; empty households go."""
        p, h = self.people, self.homes
        rows = h.index()
        living = p.alive
        home = np.full(len(p.id), -1, dtype=np.int64)
        home[living] = rows[p.household[living]]
        h.size = np.bincount(home[living], minlength=len(h.id)).astype(np.int64)
        index = p.index()

        def home_of(ids: Ints) -> Ints:
            return np.where(ids > 0, home[index[ids]], -2)

        partner_in = living & (home_of(p.partner) == home)
        mother_in = living & (home_of(p.mother) == home)
        father_in = living & (home_of(p.father) == home)
        parent_in = mother_in | father_in
        grand_in = (mother_in & parent_in[index[p.mother]]) | (
            father_in & parent_in[index[p.father]]
        )

        def any_in(flags: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
            return np.bincount(home[flags], minlength=len(h.id)) > 0

        couple, children, three = any_in(partner_in), any_in(parent_in), any_in(grand_in)
        worked = np.zeros(len(h.id), dtype=np.bool_)
        if self.touched:
            ids = np.concatenate(self.touched)
            ids = ids[(ids > 0) & (ids < len(rows))]
            worked[rows[ids][rows[ids] >= 0]] = True
        kind = np.select(
            [three, h.size == 1, couple & children, couple & (h.size == 2), ~couple & children],
            [MULTI_GENERATION, SINGLE, COUPLE_WITH_CHILDREN, COUPLE, SINGLE_PARENT],
            h.type,
        )
        h.type = np.where(worked, kind, h.type).astype(np.int32)
        h.keep(h.size > 0)

    def contributions(self) -> None:
        """A month worked adds a month of contributions (of the last 24); an idle one drops one."""
        p = self.people
        months = months_between(self.start, self.end)
        if months == 0:
            return
        working = p.alive & (p.status == EMPLOYED)
        p.contribution_months[working] = np.minimum(p.contribution_months[working] + months, 24)
        idle = p.alive & ~working
        p.contribution_months[idle] = np.maximum(p.contribution_months[idle] - months, 0)

    # -- ages that matter ------------------------------------------------------------

    def milestones(self) -> None:
        p, r = self.people, self.rates
        rng = self.random("age_milestone")
        for age, level in SCHOOL_AT_AGE.items():
            rows, on = self._turning(age)
            p.school[rows] = SCHOOL_LEVELS.index(level)
            self.log.add(p.id[rows], "age_milestone", on, details(age=np.full(len(rows), age)))
        rows, on = self._turning(ADULTHOOD)
        pool = self.earners()
        draw = rng.random(len(rows))
        status = np.select(
            [
                draw < r.first_job_share,
                draw < r.first_job_share + r.first_job_unemployed,
                draw < r.first_job_share + r.first_job_unemployed + r.first_job_student,
            ],
            [EMPLOYED, UNEMPLOYED, STUDENT],
            INACTIVE,
        )
        child = p.status[rows] == CHILD
        rows, on, status = rows[child], on[child], status[child]
        p.school[rows], p.status[rows] = -1, status
        starting = rows[status == EMPLOYED]
        p.income[starting] = self.earnings_like(p.region[starting], pool, rng) * 6 // 10
        self.log.add(p.id[rows], "age_milestone", on, details(age=np.full(len(rows), ADULTHOOD)))
        rows, on = self._turning(r.retirement_age)
        rows, on = rows[p.status[rows] != RETIRED], on[p.status[rows] != RETIRED]
        working = p.status[rows] == EMPLOYED
        p.job_end[rows[working]] = on[working]
        earned = np.where(working, p.income[rows], 0) * r.pension_replacement
        p.income[rows] = np.maximum(earned.astype(np.int64), r.minimum_pension_cents)
        p.status[rows] = RETIRED
        self.log.add(
            p.id[rows], "age_milestone", on, details(age=np.full(len(rows), r.retirement_age))
        )

    def _turning(self, age: int) -> tuple[Ints, Days]:
        p = self.people
        birthday = anniversary(p.birth, age)
        rows = np.flatnonzero(p.alive & (birthday > self.start) & (birthday <= self.end))
        return rows, birthday[rows]


def new_national_ids(existing: Ints, count: int, rng: np.random.Generator) -> Ints:
    """``count`` fresh valid national identifiers, none already in use."""
    taken = np.sort(existing)
    found = np.zeros(0, dtype=np.int64)
    while len(found) < count:
        bodies = rng.integers(10_000_000, 100_000_000, size=2 * (count - len(found)) + 8)
        candidates = np.unique(with_check_digits(bodies.astype(np.int64)))
        spot = np.clip(np.searchsorted(taken, candidates), 0, max(len(taken) - 1, 0))
        free = candidates[(taken[spot] != candidates) if len(taken) else slice(None)]
        found = np.unique(np.concatenate([found, rng.permutation(free)]))
    return rng.permutation(found)[:count]
