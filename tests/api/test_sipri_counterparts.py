"""The paper's deals without a SIPRI link are a reviewed finding, never silent: the import
names those `no_counterpart.csv` explains (the ANKA to Kyrgyzstan) and those nobody checked."""

from pathlib import Path

import pytest
import yaml

from api.crosswalk_csv import CrosswalkError
from api.db import create_session_factory, engine_scope
from api.settings import PROJECT_ROOT
from api.sipri.crosswalk import NO_COUNTERPART_FILE, SAME_DEALS_FILE, Crosswalk
from api.sipri.importer import import_register
from tests.api.test_cli import run
from tests.conftest import settings_for

SMALL = PROJECT_ROOT / "tests" / "data" / "sipri" / "small.csv"
PAPER_TRANSFERS = PROJECT_ROOT / "fixtures" / "arms_transfers.yaml"


def test_every_paper_deal_is_linked_or_reviewed_once() -> None:
    crosswalk = Crosswalk.load()
    paper = [t["key"] for t in yaml.safe_load(PAPER_TRANSFERS.read_text())["arms_transfers"]]
    linked = [link.paper_key for link in crosswalk.same_deals]
    reviewed = {entry.paper_key: entry.reason for entry in crosswalk.no_counterpart}

    assert sorted(linked + list(reviewed)) == sorted(paper)
    assert "no anka for kyrgyzstan" in reviewed["tur-kgz-anka"].lower()
    assert "co-production memorandum" in reviewed["tur-kaz-anka-co-production"]


async def test_the_import_names_the_paper_deals_sipri_does_not_describe(
    database_url: str,
) -> None:
    code, output = await run("import", "sipri", str(SMALL), database_url=database_url)

    assert code == 0, output
    [line] = [x for x in output.splitlines() if "paper deals SIPRI does not describe" in x]
    assert "(19, reviewed with the reasons in no_counterpart.csv)" in line
    assert "tur-kgz-anka" in line
    assert "tur-kgz-bayraktar-tb2" not in line  # linked
    assert "not yet checked" not in output


async def test_a_paper_deal_nobody_checked_is_named(database_url: str, tmp_path: Path) -> None:
    lines = NO_COUNTERPART_FILE.read_text().splitlines()
    without_anka = tmp_path / "no_counterpart.csv"
    without_anka.write_text("\n".join(x for x in lines if "tur-kgz-anka" not in x) + "\n")

    async with engine_scope(settings_for(database_url)) as engine:
        report = await import_register(
            create_session_factory(engine),
            SMALL,
            crosswalk=Crosswalk.load(no_counterpart=without_anka),
        )

    assert report.counterparts is not None
    assert report.counterparts.unchecked == ["tur-kgz-anka"]
    assert "tur-kgz-anka" not in report.counterparts.reviewed
    assert any(
        line.startswith("  paper deals not yet checked against SIPRI (1;")
        and line.endswith(": tur-kgz-anka")
        for line in report.summary()
    )


def test_a_deal_both_linked_and_reviewed_is_refused(tmp_path: Path) -> None:
    both = tmp_path / "no_counterpart.csv"
    both.write_text(NO_COUNTERPART_FILE.read_text() + 'tur-kgz-akinci,"listed by mistake"\n')

    with pytest.raises(CrosswalkError) as refused:
        Crosswalk.load(no_counterpart=both)

    assert refused.value.problems == [
        f"{both}: 'tur-kgz-akinci' is also linked in {SAME_DEALS_FILE.name}"
    ]
