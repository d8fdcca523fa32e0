"""The text layer: the word-level rules every worker shares, written once.

Tokens (:mod:`.tokens`), how sentences end (:mod:`.punctuation`), stemming (:mod:`.stemming`),
stopwords (:mod:`.stopwords`) and the function words of other languages (:mod:`.languages`),
calendar words (:mod:`.calendar_words`) and date forms (:mod:`.dates`), and word lists kept as
data files under ``data/`` (:mod:`.lexicons`). It sits below the services and knows nothing of Redis, contracts or
workers; a service that needs a text rule imports it from here instead of writing its own
(see docs/text.md).
"""
