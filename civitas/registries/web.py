"""The HTTP API of one registry node: parse the request, call the node, answer JSON.

Look-ups take microseconds, so the handlers are ``async`` (no thread hop) and answer
with ``JSONResponse`` directly: the pydantic models below document the answers in
the OpenAPI without re-validating every answer (the services build them).

Routes never decide who may see what: the node's access guard does, inside the
services, so the once-only exchange replaces it without touching a route.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from civitas.registries.services import MAX_CHANGES_PAGE, RegistryNode
from civitas.web import ErrorBody

PARQUET = "application/vnd.apache.parquet"
MAX_ID_LENGTH = 40

RecordIdPath = Annotated[
    str,
    Path(max_length=MAX_ID_LENGTH, description="Written like `id_example` in /schema."),
]
NationalIdPath = Annotated[
    str, Path(max_length=MAX_ID_LENGTH, description="Nine digits, e.g. 123456789.")
]
ColumnsQuery = Annotated[
    str | None,
    Query(max_length=2000, description="Comma-separated columns; all when left out."),
]
CursorQuery = Annotated[
    str | None, Query(max_length=200, description="The `next` cursor of the previous page.")
]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_CHANGES_PAGE)]


class Info(BaseModel):
    id: str
    name: dict[str, str]
    description: dict[str, str]
    owner: str = Field(description="Id of the organisation that keeps the registry.")
    subject: str
    rows: int
    changes: int = Field(description="Change events in the feed.")
    period: int = Field(description="Period of the data, advanced by `civitas country advance`.")
    as_of: str = Field(description="Date the data describes (ISO 8601).")


class ColumnInfo(BaseModel):
    name: str
    type: str = Field(description="integer, text, date, boolean, money or code.")
    description: dict[str, str]
    nullable: bool
    codes: list[str]


class Schema(BaseModel):
    id: str
    record_id: str = Field(description="Column holding this registry's own identifier.")
    national_id: str | None = Field(description="Column holding the national id, if kept.")
    related_by: list[str] = Field(
        description="Columns naming other people, searched by `/related/{national_id}`."
    )
    id_format: str
    id_example: str
    columns: list[ColumnInfo]


class RecordAnswer(BaseModel):
    registry: str
    record: dict[str, Any] = Field(
        description='Column -> value: money as a decimal string ("12.50"), dates ISO 8601.'
    )


class PersonAnswer(BaseModel):
    registry: str
    national_id: str
    records: list[dict[str, Any]]


class RelatedAnswer(BaseModel):
    registry: str
    national_id: str = Field(description="The person asked about, as asked.")
    records: list[dict[str, Any]] = Field(
        description="Records naming that person in a `related_by` column (a parent's "
        "children), in file order; empty when none does."
    )


class ChangeEventOut(BaseModel):
    seq: int
    occurred_on: str
    kind: str
    record_id: str
    national_id: int | None
    changes: dict[str, Any] = Field(description="Changed column -> new value.")


class ChangePageOut(BaseModel):
    events: list[ChangeEventOut]
    next: str = Field(description="Cursor to send as `after` for the following page.")
    more: bool = Field(description="Whether more events follow now.")


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    meaning = {
        400: "A parameter cannot be used; see `errors`.",
        403: "The access guard refused the request.",
        404: "Nothing has that id.",
    }
    return {s: {"model": ErrorBody, "description": meaning[s]} for s in (403, *statuses)}


def _headers(request: Request) -> dict[str, str]:
    """The headers in one pass (``dict(request.headers)`` searches the list once per name);
    a repeated name keeps its first value, as ``request.headers[name]`` gives."""
    found: dict[str, str] = {}
    for name, value in request.headers.items():
        found.setdefault(name, value)
    return found


def registry_router(node: RegistryNode) -> APIRouter:
    router = APIRouter(tags=[node.definition.id])

    @router.get("/", response_model=Info, responses=_errors())
    async def info(request: Request) -> Response:
        """The registry: its name, owner, size and the date its data describes."""
        return JSONResponse(node.info(_headers(request)))

    @router.get("/schema", response_model=Schema, responses=_errors())
    async def schema(request: Request) -> Response:
        """The columns with their types and descriptions, and which columns hold ids."""
        return JSONResponse(node.schema(_headers(request)))

    @router.get("/records/{record_id}", response_model=RecordAnswer, responses=_errors(400, 404))
    async def record(
        request: Request,
        record_id: RecordIdPath,
    ) -> Response:
        """One record by this registry's own identifier."""
        found = node.record(record_id, _headers(request))
        return JSONResponse({"registry": node.definition.id, "record": found})

    @router.get("/people/{national_id}", response_model=PersonAnswer, responses=_errors(400, 404))
    async def person(
        request: Request,
        national_id: NationalIdPath,
    ) -> Response:
        """Every record of one person, by national identifier (a person may have several)."""
        found = node.person(national_id, _headers(request))
        answer = {"registry": node.definition.id, "national_id": national_id.strip()}
        return JSONResponse({**answer, "records": found})

    no_relations: dict[str, Any] = {"model": ErrorBody, "description": "No `related_by` column."}

    @router.get(
        "/related/{national_id}",
        response_model=RelatedAnswer,
        responses={**_errors(400), 404: no_relations},
    )
    async def related(
        request: Request,
        national_id: NationalIdPath,
    ) -> Response:
        """Every record naming one person in a `related_by` column: in the population
        register, a parent's children. 404 when the registry has no such column."""
        found = node.related(national_id, _headers(request))
        answer = {"registry": node.definition.id, "national_id": national_id.strip()}
        return JSONResponse({**answer, "records": found})

    @router.get(
        "/extract.parquet",
        response_class=StreamingResponse,
        responses={200: {"content": {PARQUET: {}}}, **_errors(400)},
    )
    def extract(
        request: Request,
        columns: ColumnsQuery = None,
    ) -> StreamingResponse:
        """The whole registry as one Parquet file, streamed a row group at a time."""
        _chosen, pieces = node.extract(columns, _headers(request))
        name = f"{node.definition.id}.parquet"
        return StreamingResponse(
            pieces,
            media_type=PARQUET,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @router.get("/changes", response_model=ChangePageOut, responses=_errors(400))
    async def changes(
        request: Request,
        after: CursorQuery = None,
        limit: LimitQuery = 100,
    ) -> Response:
        """Change events strictly in seq order, so in order for each person.

        Delivery is at least once: store the `next` cursor only after processing a
        page; after a crash, resuming from the last stored cursor repeats at most the
        unconfirmed page and never skips or reorders events."""
        page = node.changes(after, limit, _headers(request))
        return JSONResponse({"events": page.events, "next": page.next, "more": page.more})

    return router
