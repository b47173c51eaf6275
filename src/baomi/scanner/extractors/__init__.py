"""Turn files into text: each extractor yields UTF-8 chunks that end at line breaks (SCAN-1)."""
