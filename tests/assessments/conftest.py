from tests.api.conftest import api  # noqa: F401  (the `api(person)` client fixture)
