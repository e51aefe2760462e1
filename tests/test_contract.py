"""The worked example of DESIGN §5, through the services and through the CLI."""
import json

from tests.conftest import DATA


def test_contract_example_services(contract_room):
    from pingyi.voting import tally

    got = tally.get_tally(contract_room).to_json()
    want = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
    assert got["ballots"] == want["ballots"]
    keys = ("person", "score", "rank", "bottom", "groups")
    assert [{k: r[k] for k in keys} for r in got["results"]] == want["results"]
    assert got["status"] == "closed" and got["provisional"] is False
