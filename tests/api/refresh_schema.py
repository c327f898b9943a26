"""Write the served OpenAPI schema to tests/api/openapi_v1.json (the stored copy that
tests/api/test_openapi_copy.py compares with). Run after an INTENDED change of the API:

    .venv/bin/python -m tests.api.refresh_schema
"""

import json
import os
from pathlib import Path

STORED = Path(__file__).with_name("openapi_v1.json")


def served() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    import django

    django.setup()
    from jiandu.api import api

    return api.get_openapi_schema(path_prefix="/api/v1/")


def dump(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    STORED.write_text(dump(served()), encoding="utf-8")
    print(f"已写入 {STORED}")
