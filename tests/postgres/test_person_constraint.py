"""SEC-3's database constraint on PostgreSQL (the same cases as tests/administration)."""

from tests.administration.test_r_sec_3_constraint import (  # noqa: F401
    test_r_sec_3_database_allows_business_people_and_plain_system_accounts,
    test_r_sec_3_database_refuses_a_business_role_beside_a_system_role,
    test_r_sec_3_database_refuses_a_system_role_beside_a_business_role,
)
