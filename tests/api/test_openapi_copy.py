import json

from tests.api.refresh_schema import STORED, dump


def test_the_served_schema_is_the_stored_copy(client):
    """An unintended change of /api/v1/ fails here. After an intended one:
    `.venv/bin/python -m tests.api.refresh_schema`, and review the diff."""
    served = client.get("/api/v1/openapi.json").json()
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    assert dump(served) == dump(stored), (
        "The API schema changed. If intended, run .venv/bin/python -m tests.api.refresh_schema"
    )


def test_the_schema_declares_what_a_client_generates_code_from():
    schema = json.loads(STORED.read_text(encoding="utf-8"))
    assert schema["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"
    case = schema["components"]["schemas"]["CasesRecord"]
    assert "party_name" in case["required"]
    assert case["properties"]["party_uscc"]["anyOf"][0]["pattern"]
    assert case["properties"]["filed_on"]["format"] == "date"
    assert "法人" in case["properties"]["party_type"]["enum"]
    assert case["example"]["case_no"]
    for path, ops in schema["paths"].items():
        for op in ops.values():
            assert {"401", "403", "422", "429"} <= set(op["responses"]), path
