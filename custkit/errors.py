"""The one exception family the kit raises on bad input.

Every message names the problem (which table, column, field or value) and the fix, so that a
student never has to read a pandas traceback to learn what went wrong.
"""

from __future__ import annotations


class CustkitError(ValueError):
    """Base of every error custkit raises on bad input (configs, tables, paths, arguments).

    It subclasses :class:`ValueError` so that generic ``except ValueError`` code keeps working.
    """


class ConfigError(CustkitError):
    """A :class:`~custkit.config.ShopConfig` field is out of range or of the wrong type."""


class SchemaError(CustkitError):
    """A table is missing, lacks a column, or holds values of the wrong kind."""


class DataIntegrityError(CustkitError):
    """A file on disk does not match its manifest (edited, truncated or missing)."""


class OutputExistsError(CustkitError):
    """An output folder already exists and overwriting was not asked for."""


class OutputError(CustkitError):
    """The operating system refused to write an output (a path under a file, no permission, a
    name too long, a full disk): the message names the path and the cause."""
