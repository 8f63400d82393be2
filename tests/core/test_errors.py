from __future__ import annotations

from civitas.core.errors import FieldError, InvalidInput, NotFound


def test_an_error_renders_its_message_and_hint_with_parameters_filled_in() -> None:
    error = NotFound("There is no service called {id}.", hint="Search for it.", params={"id": "x"})
    assert error.render() == ("There is no service called x.", "Search for it.")
    assert str(error) == "There is no service called x."
    assert error.status == 404


def test_an_error_is_translated_before_its_parameters_are_filled_in() -> None:
    catalogue = {"There is no service called {id}.": "Não existe o serviço {id}."}
    error = NotFound("There is no service called {id}.", params={"id": "x"})
    assert error.render(lambda m: catalogue.get(m, m))[0] == "Não existe o serviço x."


def test_a_field_error_says_where_the_problem_is() -> None:
    error = FieldError(("services", 3, "name", "pt"), "Missing.", file="services/a.yaml", line=7)
    assert error.dotted_path == "services[3].name.pt"
    assert error.location() == "services/a.yaml:7: services[3].name.pt"
    assert FieldError(("query", "q"), "Too long.").location() == "query.q"


def test_invalid_input_is_a_400_carrying_every_field_error() -> None:
    errors = (FieldError(("a",), "x"), FieldError(("b",), "y"))
    error = InvalidInput("Bad.", errors=errors)
    assert error.status == 400
    assert error.errors == errors
