"""storywire's quality harnesses: ``storywire eval extract|stories|summaries|languages`` in a checkout.

One module per harness, each with ``main(argv)``: :mod:`evaluation.extraction` (the cleaner's
main-text extraction against trafilatura), :mod:`evaluation.stories` (story detection, on the
labelled set :mod:`evaluation.story_set` reads, and near-copies, :mod:`evaluation.duplicates`),
:mod:`evaluation.summaries` (key points, entities, quotes) and :mod:`evaluation.languages`;
:mod:`evaluation.furniture` wraps texts in real sites' menus and footers for the robustness checks;
:mod:`evaluation.rouge` is the one ROUGE the summary harnesses score with, and
:func:`evaluation.jsonl.read_jsonl` the one reader of the JSONL development sets.
They sit beside the package, not in it: the wheel does not ship them, and they need the ``eval``
extra (rouge-score) and the development data in ``../shared/data`` (see ``make eval``).
"""
