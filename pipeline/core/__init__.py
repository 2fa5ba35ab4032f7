"""Core: what every layer shares and nothing above it defines.

The typed records passed between stages (``records``), the one ``Settings`` (``config``) and the
reader of the language data files (``data``). Core imports no other part of the package.
"""
