"""The order a batch plan is computed in: frames, stage by stage.

A frame is one table computed in one stage: the persons (their input table, with the
group columns of earlier stages joined in), or one kind of group (its table from the
stage before, with its members' sums of this stage joined in). Within a frame the
new columns come in layers, each using only columns of the layers before it, so that
every column is computed once and read by name.

Group tables are small (a household per two or three persons) and are kept between
stages with only the columns later frames read; person frames are recomputed from
the input for each stage that needs them, which costs less than storing them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from civitas.rules.batch_inputs import ID, membership_of
from civitas.rules.batch_ir import columns_used
from civitas.rules.batch_plan import Definition, Plan, Reduction
from civitas.rules.entities import PERSON


@dataclass(frozen=True)
class Frame:
    """One table computed in one stage: its new columns, layer by layer."""

    entity: str
    stage: int
    layers: tuple[tuple[Definition, ...], ...]  # each layer uses only earlier ones
    imports: Mapping[str, tuple[str, ...]]  # person tables: group -> columns joined in
    reductions: tuple[Reduction, ...]  # group tables: their persons of the stage, reduced
    keep: tuple[str, ...]  # the columns the frame hands on


def schedule(plan: Plan) -> list[Frame]:
    """The frames to compute, stage by stage; in a stage the persons come first."""
    wanted: dict[str, list[str]] = {}
    for output in plan.outputs:
        wanted.setdefault(output.entity, []).append(output.column)
    final = max([0, *(plan.stage_of[column] for column in wanted.get(PERSON, []))])
    work = {(d.entity, d.stage) for d in plan.definitions if d.entity != PERSON}
    work |= {(r.group, r.stage) for r in plan.reductions}
    frames: list[Frame] = []
    for stage in range(max([0, *plan.stage_of.values()]) + 1):
        targets = {r.source for r in plan.reductions if r.stage == stage}
        if PERSON in wanted and stage == final:
            targets |= set(wanted[PERSON])
        if targets:
            frames.append(_person_frame(plan, stage, targets))
        for group in sorted(entity for entity, at in work if at == stage):
            frames.append(_group_frame(plan, group, stage))
    return [_with_keep(plan, frame, frames, wanted.get(frame.entity, [])) for frame in frames]


def _person_frame(plan: Plan, stage: int, targets: set[str]) -> Frame:
    definitions = {d.name: d for d in plan.definitions if d.entity == PERSON}
    needed: set[str] = set()
    imports: dict[str, set[str]] = {}
    stack = list(targets)
    while stack:
        name = stack.pop()
        entity = plan.entity_of[name]
        if entity != PERSON:
            imports.setdefault(entity, set()).add(name)
        elif name in definitions and name not in needed:
            needed.add(name)
            stack.extend(columns_used(definitions[name].expression))
    chosen = [d for d in plan.definitions if d.name in needed]
    reduced = {r.group for r in plan.reductions if r.stage == stage}
    keep = {*targets, ID, *(membership_of(group) for group in reduced)}
    return Frame(
        PERSON,
        stage,
        _layers(chosen),
        {group: tuple(sorted(names)) for group, names in sorted(imports.items())},
        (),
        tuple(sorted(keep)),
    )


def _group_frame(plan: Plan, group: str, stage: int) -> Frame:
    chosen = [d for d in plan.definitions if d.entity == group and d.stage == stage]
    reductions = tuple(r for r in plan.reductions if r.group == group and r.stage == stage)
    return Frame(group, stage, _layers(chosen), {}, reductions, ())


def _with_keep(plan: Plan, frame: Frame, frames: list[Frame], outputs: list[str]) -> Frame:
    """A group frame keeps its columns that later frames or the output read."""
    if frame.entity == PERSON:
        return frame
    later: set[str] = set(outputs)
    for other in frames:
        if other.stage <= frame.stage:
            continue
        later.update(other.imports.get(frame.entity, ()))
        if other.entity == frame.entity:
            for layer in other.layers:
                for definition in layer:
                    later.update(columns_used(definition.expression))
    keep = {
        name
        for name in later
        if plan.entity_of.get(name) == frame.entity and plan.stage_of[name] <= frame.stage
    }
    return Frame(
        frame.entity,
        frame.stage,
        frame.layers,
        frame.imports,
        frame.reductions,
        tuple(sorted({ID, *keep})),
    )


def _layers(definitions: list[Definition]) -> tuple[tuple[Definition, ...], ...]:
    """Definitions grouped so that each uses only columns of the layers before it."""
    depth: dict[str, int] = {}
    for definition in definitions:  # already in dependency order
        used = [depth[name] for name in columns_used(definition.expression) if name in depth]
        depth[definition.name] = 1 + max(used, default=-1)
    layers: list[list[Definition]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for definition in definitions:
        layers[depth[definition.name]].append(definition)
    return tuple(tuple(layer) for layer in layers)
