"""The importer on the development set of issue 14 (../shared/devsets/import/): eight policies nobody here
wrote, in real-world shapes, each with the sections a reader would name (policypages/import_evaluation.py).
The floors are what the importer achieves today (every document whole), to catch a change that makes it
worse."""

from pathlib import Path

import pytest

from policypages.import_evaluation import evaluate_folder

DEVSET = Path(__file__).resolve().parents[3] / "shared" / "devsets" / "import"
FLOOR = {"whole": 8, "f1": 0.99}


@pytest.mark.skipif(not DEVSET.is_dir(), reason=f"the development set is not here ({DEVSET}): ../shared is absent")
def test_the_development_set_comes_out_whole():
    report = evaluate_folder(DEVSET)
    print(report.text())
    assert len(report.documents) == 8
    assert report.whole >= FLOOR["whole"], report.text()
    assert report.f1 >= FLOOR["f1"], report.text()
