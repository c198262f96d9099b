import pytest

from sonar.quiz import data


@pytest.fixture(autouse=True)
def _fresh_read_model():
    # A rolled-back test can leave rows with the same ids and revision numbers as the next
    # test's, so the revision stamp cannot tell them apart: start each test with no cache.
    data.forget()
    yield
    data.forget()
