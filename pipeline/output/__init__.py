"""Writers: the files of SCHEMA.md, each written atomically (temp file + rename)."""

from pipeline.output.tables import write_all

__all__ = ["write_all"]
