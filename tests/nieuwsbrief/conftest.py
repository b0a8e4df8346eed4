import pytest


@pytest.fixture(autouse=True)
def _one_connection(settings):
    """One lane, in the test's own thread: other threads would not see the rows of a test
    that runs inside a transaction. Tests of several lanes run transactional and say so."""
    settings.NIEUWSBRIEF_CONNECTIONS = 1
