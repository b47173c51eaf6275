"""保密检查: the content scanner (SCAN-1, SCAN-2) — a library and the `baomi scan` command.

No models and no database: it reads files, never writes, executes or follows links out of its roots,
and reports classification markings (CL-4) and the unit's sensitive terms with file, place and context.
Used for the quarterly check of internet computers (DEV-6) and before publication (REV-3).
"""
