"""The one JSON error shape, as a model for the OpenAPI of every API and node."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class FieldProblem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(description="Where the problem is, e.g. query.limit.")
    message: str


class ErrorBody(BaseModel):
    """The one error shape of every JSON answer that is not a success."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ok: Literal[False]
    status: int = Field(ge=400, le=599)
    error: str = Field(description="What went wrong, in plain words.")
    hint: str = Field(description="What to do next.")
    errors: list[FieldProblem] = Field(description="One entry per field that cannot be used.")
