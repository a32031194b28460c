"""Wiring: each place a concept must be named in is asked for it, so forgetting one fails here.

A journey action (``schemas.commands.JOURNEY_ACTIONS``) needs a decider, a Temporal update of its
name, an access rule or a route of its own, an OpenAPI example, a page step or a line saying where
it is taken instead, and the pages' words; every command of the union needs a decider; every domain
error an HTTP status that survives the trip through Temporal; every module of pages its own router,
included. What is forgotten today would be a silent 403 for everyone, a 500, a missing button or a
404 (the README's "Recipes" list these places).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import types
from collections.abc import Iterator
from typing import Any, get_args

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRouter, iter_route_contexts
from temporalio import workflow
from temporalio.client import WorkflowUpdateFailedError

import web
from api import access, errors
from api.app import create_app
from api.commands import refusal as domain_error_of
from api.deps import once
from api.routers.journeys import NOT_ACTION_ROUTES
from schemas.api import ACTION_BODIES, EXAMPLES
from schemas.commands import JOURNEY_ACTIONS, JourneyCommand, update_name
from schemas.errors import DOMAIN_ERRORS, DomainError
from schemas.journey import CommandReceipt
from schemas.round import RoundCommand, RoundReceipt
from settings import Settings
from web.i18n import MESSAGES
from web.journey import STEP_FIELDS, STEPS_ELSEWHERE, STEPS_IN
from web.pages import HtmlRoute
from workflows import lifecycle
from workflows.journey import ProductJourney
from workflows.round import EvaluationRound
from workflows.updates import refusal as application_error_of

ACTIONS = sorted(JOURNEY_ACTIONS)
# Commands the round gives itself when the cut-off or the calendar's end date passes (timers, not updates).
ROUND_TIMER_COMMANDS = {"CloseEnrolment", "FlagResultsOverdue"}
# DESIGN.md: 403 not allowed, 404 unknown, 409 wrong state or conflict, 422 invalid input.
DOMAIN_STATUSES = {403, 404, 409, 422}


def _app() -> FastAPI:
    return create_app(Settings())


def _routes(app: FastAPI) -> set[str]:
    """Every route of the app as "METHOD /path", pages included."""
    return {
        f"{method} {route.path}"
        for route in iter_route_contexts(app.routes)
        for method in route.methods or ()
        if route.path is not None
    }


def _updates(workflow_class: type) -> dict[str, Any]:
    # Temporal's own reading of the class (private, but the one that decides what a worker serves).
    definition = workflow._Definition.from_class(workflow_class)
    assert definition is not None, workflow_class
    return {str(name): update for name, update in definition.updates.items()}


# -- journey actions ------------------------------------------------------------------------------


def test_every_command_of_the_journey_has_a_decider_and_every_action_is_one_of_them() -> None:
    union = set(get_args(JourneyCommand))
    assert union, "JourneyCommand is no longer a union"
    assert {command.__name__ for command in union - set(lifecycle._DECIDERS)} == set()
    assert {command.__name__ for command in set(lifecycle._DECIDERS) - union} == set()
    assert {action for action, command in JOURNEY_ACTIONS.items() if command not in union} == set()
    # One slug per command: the update, the route and the page all go by it.
    assert len(set(JOURNEY_ACTIONS.values())) == len(JOURNEY_ACTIONS)


def test_every_journey_action_is_a_temporal_update_of_its_name_taking_its_command() -> None:
    updates = _updates(ProductJourney)
    assert sorted(updates) == sorted(update_name(action) for action in ACTIONS)
    for action in ACTIONS:
        update = updates[update_name(action)]
        assert update.arg_types == [JOURNEY_ACTIONS[action]], action
        assert update.ret_type is CommandReceipt, action
        assert update.validator is not None, f"{action}: no validator (decide as a dry run)"


def test_every_round_command_but_the_timers_is_a_temporal_update_taking_it() -> None:
    updates = _updates(EvaluationRound)
    taken = {update.arg_types[0]: name for name, update in updates.items()}
    commands = {command for command in get_args(RoundCommand) if command.__name__ not in ROUND_TIMER_COMMANDS}
    assert {command.__name__ for command in commands - set(taken)} == set()
    assert {update.ret_type for update in updates.values()} == {RoundReceipt}


def test_every_journey_action_has_an_access_rule_or_a_route_of_its_own() -> None:
    # An action missing from ACTION_ROLES is refused to everyone (a silent 403).
    assert set(JOURNEY_ACTIONS) - set(access.ACTION_ROLES) <= NOT_ACTION_ROUTES
    assert set(access.ACTION_ROLES) - set(JOURNEY_ACTIONS) == set(), "roles of an action that does not exist"
    assert NOT_ACTION_ROUTES - set(JOURNEY_ACTIONS) == set()
    assert set(access.PRODUCER_ACTIONS) <= set(access.ACTION_ROLES)
    assert set(access.AUTHORITY_ACTIONS) <= set(access.ACTION_ROLES)
    for action, roles in access.ACTION_ROLES.items():
        assert roles, f"{action}: nobody may give it"


def test_every_journey_action_but_the_listed_ones_has_its_route_and_they_have_none() -> None:
    routes = _routes(_app())
    route_of = {action: f"POST /v1/journeys/{{journey_id}}/{action}" for action in ACTIONS}
    assert [
        action for action in ACTIONS if action not in NOT_ACTION_ROUTES and route_of[action] not in routes
    ] == []
    assert [action for action in NOT_ACTION_ROUTES if route_of[action] in routes] == []


def test_every_journey_action_in_the_openapi_document_shows_an_example() -> None:
    schemas = _app().openapi()["components"]["schemas"]
    documented = {action for action in ACTIONS if ACTION_BODIES[action].__name__ in schemas}
    assert set(ACTIONS) - NOT_ACTION_ROUTES - documented == set(), (
        "a routed action whose body is not documented"
    )
    missing = sorted(
        action for action in documented if not schemas[ACTION_BODIES[action].__name__].get("examples")
    )
    assert missing == [], "no OpenAPI example (schemas/api.py EXAMPLES)"


@pytest.mark.parametrize("action", sorted(set(EXAMPLES) & set(JOURNEY_ACTIONS)))
def test_every_example_of_a_journey_action_is_a_body_the_api_accepts(action: str) -> None:
    ACTION_BODIES[action].model_validate(EXAMPLES[action])  # an example the API refuses misleads its reader


def test_every_journey_action_has_a_page_step_or_a_line_saying_where_it_is_taken() -> None:
    assert set(STEP_FIELDS) & set(STEPS_ELSEWHERE) == set()
    assert set(JOURNEY_ACTIONS) - set(STEP_FIELDS) - set(STEPS_ELSEWHERE) == set()
    assert set(STEP_FIELDS) - set(JOURNEY_ACTIONS) == set()
    assert set(STEPS_ELSEWHERE) - set(JOURNEY_ACTIONS) == set()
    routes = _routes(_app())
    assert "POST /journeys/{journey_id}/steps/{action}" in routes
    assert {action: page for action, page in STEPS_ELSEWHERE.items() if page and page not in routes} == {}


def test_every_page_step_is_offered_in_some_status_and_every_offered_step_has_a_form() -> None:
    offered = {action for actions in STEPS_IN.values() for action in actions}
    assert offered - set(STEP_FIELDS) == set()
    # web.journey.steps_for offers "withdraw" in every open status besides STEPS_IN.
    assert set(STEP_FIELDS) - offered - {"withdraw"} == set()


@pytest.mark.parametrize("action", sorted(STEP_FIELDS))
def test_every_field_of_a_page_step_is_a_field_of_its_body_and_none_it_needs_is_left_out(action: str) -> None:
    body = ACTION_BODIES[action].model_fields
    typed = {spec.name for spec in STEP_FIELDS[action]}
    assert typed - set(body) == set(), f"{action}: the form sends fields its body does not have"
    needed = {name for name, info in body.items() if info.is_required()}
    assert needed - typed == set(), f"{action}: the form can never send what the body requires"


def test_every_action_a_page_takes_and_every_field_it_asks_has_its_words_in_both_languages() -> None:
    on_pages = set(STEP_FIELDS) | {action for action, page in STEPS_ELSEWHERE.items() if page}
    assert sorted(f"act.{action}" for action in on_pages if f"act.{action}" not in MESSAGES) == []
    labels = {spec.label for specs in STEP_FIELDS.values() for spec in specs}
    assert sorted(label for label in labels if label not in MESSAGES) == []


# -- domain errors --------------------------------------------------------------------------------


def _subclasses(cls: type[DomainError]) -> Iterator[type[DomainError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_domain_error_of_the_engine_is_registered_under_its_code_with_a_status() -> None:
    importlib.import_module("worker")  # with api.app (imported above): every module that defines one
    everyone: set[type[DomainError]] = {DomainError, *_subclasses(DomainError)}
    engine = {cls.__name__ for cls in everyone if not cls.__module__.startswith("tests.")}
    assert engine - set(DOMAIN_ERRORS) == set()
    for code, cls in DOMAIN_ERRORS.items():
        assert cls.__name__ == code
        assert cls("x").code == code
        assert cls.http_status in DOMAIN_STATUSES, f"{code}: {cls.http_status}"


def test_a_new_domain_error_is_registered_the_moment_it_is_defined() -> None:
    class ProbeRefusal(DomainError):  # stands for the error the next engineer adds
        http_status = 422

    try:
        assert DOMAIN_ERRORS["ProbeRefusal"] is ProbeRefusal
        back = domain_error_of(WorkflowUpdateFailedError(application_error_of(ProbeRefusal("probe"))))
        assert type(back) is ProbeRefusal
        with pytest.raises(TypeError, match="two domain errors"):
            types.new_class("ProbeRefusal", (DomainError,))  # same code, another class: refused
    finally:
        del DOMAIN_ERRORS["ProbeRefusal"]


@pytest.mark.parametrize("code", sorted(DOMAIN_ERRORS))
def test_every_domain_error_comes_back_from_temporal_as_itself(code: str) -> None:
    error = DOMAIN_ERRORS[code](f"refused: {code}")
    back = domain_error_of(WorkflowUpdateFailedError(application_error_of(error)))
    assert type(back) is type(error)
    assert isinstance(back, DomainError)
    assert back.message == error.message


@pytest.mark.parametrize("code", sorted(DOMAIN_ERRORS))
async def test_every_domain_error_is_answered_with_its_status_as_problem_json(code: str) -> None:
    app = FastAPI()
    errors.install(app)

    @app.get("/refuse")
    async def refuse() -> None:
        raise DOMAIN_ERRORS[code](f"refused: {code}")

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://engine") as client:
        response = await client.get("/refuse")
    assert response.status_code == DOMAIN_ERRORS[code].http_status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


# -- pages ------------------------------------------------------------------------------------------


def _web_modules() -> list[types.ModuleType]:
    return [importlib.import_module(f"web.{info.name}") for info in pkgutil.iter_modules(web.__path__)]


def _page_routes(router: APIRouter) -> set[tuple[str, str, Any]]:
    return {
        (method, route.path, route.endpoint)
        for route in iter_route_contexts(router.routes)
        for method in route.methods or ()
        if route.path is not None
    }


def test_every_module_with_pages_has_a_router_of_its_own_and_it_is_included() -> None:
    served = _page_routes(web.router)
    app_routes = {(method, path) for method, path, _ in _page_routes(_app().router)}
    with_pages = []
    for module in _web_modules():
        router = vars(module).get("router")
        endpoints_here = [
            (method, path) for method, path, endpoint in served if endpoint.__module__ == module.__name__
        ]
        if not isinstance(router, APIRouter):
            assert endpoints_here == [], f"{module.__name__} serves pages without a router of its own"
            continue
        routes = _page_routes(router)
        if not routes:
            continue
        with_pages.append(module.__name__)
        assert router.route_class is HtmlRoute, (
            f"{module.__name__}: not a page router (web.pages.page_router)"
        )
        strays = sorted(path for _, path, endpoint in routes if endpoint.__module__ != module.__name__)
        assert strays == [], f"{module.__name__}'s router holds another module's pages"
        assert sorted(routes - served) == [], f"{module.__name__} is not included in web/__init__.py"
        assert {(method, path) for method, path, _ in routes} <= app_routes
    assert len(with_pages) >= 8, with_pages  # the test must not pass because it found no module


# -- one path for a step: services, routes as adapters ---------------------------------------------

# Commands that take no Idempotency-Key, and why.
WITHOUT_IDEMPOTENCY_KEY = {
    "POST /v1/journeys/{journey_id}/documents": "an upload is kept by its SHA-256: sent twice, kept once",
    "POST /v1/producers/import": "each row's journey id comes from the row: a second upload imports nothing",
}


def _api_commands(app: FastAPI) -> dict[str, Any]:
    return {
        f"{method} {route.path}": route
        for route in iter_route_contexts(app.routes)
        for method in route.methods or ()
        if method not in {"GET", "HEAD"} and (route.path or "").startswith("/v1/")
    }


def test_every_command_route_takes_its_idempotency_key_through_the_one_dependency() -> None:
    commands = _api_commands(_app())
    assert len(commands) >= 40, sorted(commands)  # the test must not pass because it found none
    for name, route in commands.items():
        dependant = route.dependant
        takes_once = any(dependency.call is once for dependency in dependant.dependencies)
        assert takes_once == (name not in WITHOUT_IDEMPOTENCY_KEY), (
            f"{name}: a command route takes api.deps.Idempotent, or is listed with the reason it needs no key"
        )
        own_headers = [header.alias for header in dependant.header_params]
        assert "Idempotency-Key" not in own_headers, f"{name} reads the Idempotency-Key itself"
    assert set(WITHOUT_IDEMPOTENCY_KEY) <= set(commands)


def _imports_of(module: types.ModuleType) -> set[str]:
    tree = ast.parse(inspect.getsource(module))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_page_calls_a_route_function_but_the_service_the_route_calls() -> None:
    """DESIGN.md: the pages call the same services as the API's routes (``api.services``), so the
    access rules, the scoping and the checks before a command live once; a page that imported a
    route function would be a second path."""
    modules = list(_web_modules())
    assert len(modules) >= 20
    through_routes = {
        module.__name__: sorted(name for name in _imports_of(module) if name.startswith("api.routers"))
        for module in modules
    }
    assert {name: routes for name, routes in through_routes.items() if routes} == {}
    assert any("api.services" in name for module in modules for name in _imports_of(module))

