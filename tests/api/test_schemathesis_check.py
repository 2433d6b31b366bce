"""The check the schemathesis run applies to every answer: what it lets through, what not."""

from dataclasses import dataclass
from typing import Any

import pytest

from tests.schemathesis_hooks import errors_are_coded_and_ours_are_absent as check


@dataclass
class Answer:
    status_code: int
    body: Any

    def json(self) -> Any:
        return self.body


def _error(code: str | None, message: str = "m") -> dict[str, Any]:
    extensions = {} if code is None else {"code": code}
    return {"message": message, "path": ["network"], "extensions": extensions}


@pytest.mark.parametrize("code", ["NOT_FOUND", "BAD_USER_INPUT", "QUERY_TOO_COMPLEX"])
def test_a_callers_error_with_a_path_passes(code: str) -> None:
    check(None, Answer(200, {"data": None, "errors": [_error(code)]}), None)


@pytest.mark.parametrize(
    ("answer", "complaint"),
    [
        (Answer(500, {"errors": [_error("BAD_REQUEST")]}), "HTTP 500"),
        (Answer(200, {"data": None, "errors": [_error("INTERNAL_SERVER_ERROR")]}), "of ours"),
        (Answer(200, {"data": None, "errors": [_error(None)]}), "without extensions.code"),
        (Answer(200, {"errors": [_error("NOT_FOUND", "SELECT * FROM state")]}), "mentions"),
    ],
)
def test_server_faults_uncoded_errors_and_leaks_fail(answer: Answer, complaint: str) -> None:
    with pytest.raises(AssertionError, match=complaint):
        check(None, answer, None)
