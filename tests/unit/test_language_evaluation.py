"""The multilingual stream check runs end to end on a tiny extraction-style set."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from evaluation.languages import main

_PAGE = "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
_FR = [
    (
        "Montréal met fin aux trottinettes",
        "La ville de Montréal a décidé de mettre fin aux trottinettes électriques en libre-service. "
        "Les entreprises qui les louaient doivent retirer leurs appareils des rues avant la fin du mois. ",
    ),
    (
        "Berne interdit le chlorothalonil",
        "Le canton de Berne a interdit l'usage du chlorothalonil dans les champs et les jardins. "
        "Les agriculteurs qui l'utilisaient doivent trouver un autre fongicide avant la fin de la saison. ",
    ),
]


def test_the_language_check_reports_both_runs_and_the_keyword_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pages").mkdir()
    truth = {}
    for i, (title, body) in enumerate(_FR):
        # Distinct paragraphs: the cleaner drops repeated ones.
        paragraphs = "".join(f"<p>{body} Communiqué numéro {k} publié par la mairie.</p>" for k in range(6))
        (tmp_path / "pages" / f"p{i}.html.gz").write_bytes(
            gzip.compress(_PAGE.format(title=title, body=paragraphs).encode())
        )
        truth[f"https://example{i}.fr/article"] = {"file": f"p{i}.html.gz", "with": [], "without": []}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    assert main(["--dataset", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 pages: fr 2")
    assert "language hint off:" in out
    assert (
        "language hint on: 0 stories of 2+ pages, 0 pages in them; non-English keywords holding a function word: 0 of"
        in out
    )
