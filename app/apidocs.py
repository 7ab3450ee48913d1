"""The API's documentation at /docs: a plain Dutch page rendered from the OpenAPI schema.

It is an ordinary page of the guide (same templates, stylesheet and accessibility bar; no
script), so it works under any sub-path and without JavaScript. /openapi.json stays for tools.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from app.build import Site

METHODS = ("get", "post", "put", "patch", "delete")
# FastAPI's own English words in the schema, as the Dutch page says them.
DUTCH = {"Successful Response": "Gelukt", "Validation Error": "Ongeldig verzoek: de reden staat in detail"}
WHERE = {"path": "in het pad", "query": "in de query", "header": "header", "cookie": "cookie"}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Field, ...]
    responses: tuple[tuple[str, str, str], ...]  # (status, description, schema name)
    anchor: str


@dataclass(frozen=True)
class Model:
    name: str
    description: str
    fields: tuple[Field, ...]


def _type(schema: dict[str, Any]) -> str:
    """A schema's type in a few words: "tekst", "lijst van Quote", "getal of leeg"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " of ".join(_type(s) for s in schema["anyOf"])
    kind = schema.get("type", "")
    if kind == "array":
        return "lijst van " + _type(schema.get("items", {}))
    if "const" in schema:
        return f"altijd {schema['const']!r}"
    return {"string": "tekst", "integer": "geheel getal", "number": "getal", "boolean": "ja/nee", "null": "leeg"}.get(
        kind, kind or "willekeurig"
    )


def operations(schema: dict[str, Any]) -> list[Operation]:
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = tuple(
                Field(
                    p["name"],
                    f"{_type(p.get('schema', {}))}, {WHERE.get(p.get('in', ''), p.get('in', ''))}",
                    bool(p.get("required")),
                    p.get("description") or p.get("schema", {}).get("description", ""),
                )
                for p in op.get("parameters", [])
            )
            responses = []
            for status, answer in op.get("responses", {}).items():
                content = answer.get("content", {}).get("application/json", {})
                description = answer.get("description", "")
                responses.append((status, DUTCH.get(description, description), _type(content.get("schema", {}))))
            anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "").strip("-")
            found.append(
                Operation(
                    method.upper(),
                    path,
                    op.get("summary", ""),
                    op.get("description", ""),
                    params,
                    tuple(responses),
                    anchor,
                )
            )
    return found


def models(schema: dict[str, Any]) -> list[Model]:
    result = []
    for name, model in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(model.get("required", []))
        fields = tuple(
            Field(field, _type(spec), field in required, spec.get("description", ""))
            for field, spec in model.get("properties", {}).items()
        )
        result.append(Model(name, model.get("description", ""), fields))
    return result


def install_docs(api: FastAPI, get_site: Callable[[], Site]) -> None:
    """GET /docs: the documentation page, rendered once per build."""
    rendered: dict[str, str] = {}

    @api.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        """The API documentation, in Dutch, without scripts from elsewhere (rendered once per build)."""
        site = get_site()
        if site.version not in rendered:
            rendered.clear()
            schema = api.openapi()
            renderer = site.renderer
            rendered[site.version] = renderer.render(
                "api_docs.html",
                renderer.base_urls.at(""),
                "docs",
                api=schema.get("info", {}),
                description=Markup(site.html.inline(schema.get("info", {}).get("description", ""))),
                operations=operations(schema),
                models=models(schema),
            )
        return HTMLResponse(rendered[site.version], headers={"cache-control": "no-cache"})
