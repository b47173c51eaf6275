"""One date format everywhere (YYYY-MM-DD, 24-hour times), whatever the page's language:
Django's own zh-Hans formats print 2026年1月5日 and its English ones Jan. 5, 2026 — three formats
for one ledger. `FORMAT_MODULE_PATH` points here."""
