import pytest

from tests.concurrency.console import Databases


@pytest.fixture(scope="session")
def console_databases(tmp_path_factory):
    databases = Databases(tmp_path_factory.mktemp("consoles"))
    yield databases
    databases.drop_all()
