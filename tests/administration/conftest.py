from tests.web.conftest import as_  # noqa: F401  (the signed-in test client of the web tests)
