"""Shops on disk: write a :class:`~custkit.shop.Shop` to a folder, load it back with checks.

A shop folder holds one file per table (the observed tables of :data:`custkit.schema.TABLES`,
plus ``truth`` when the shop has one) and ``manifest.json``, which records how the shop was made
(its config, the package versions) and the row count and SHA-256 of every file.

Assumptions, stated once:

* The folder is a function of the shop: the same config gives byte-identical folders on any day
  and in any process (no timestamps anywhere; gzip headers carry ``mtime=0`` and no file name;
  ``manifest.json`` has sorted keys). That is what lets ``tests/test_dataset.py`` compare the
  committed default shop with a fresh one by checksum.
* CSV is the teaching format (opens in a spreadsheet, diffs in git): ISO dates (``YYYY-MM-DD``
  for a calendar day, ``YYYY-MM-DD HH:MM:SS`` for a moment), ``.`` as decimal mark, floats in
  their shortest round-trip form, UTF-8, ``\\n`` line ends, an empty field for a missing value.
  Because of that last rule an empty string cannot be told from a missing one, so
  :func:`write_shop` refuses text columns holding ``""``.
* Parquet is for large shops: the same tables, typed, without pandas metadata (types are
  restored from the schema, exactly as for CSV). :func:`write_shop` writes one file per table;
  ``stream_shop`` (:mod:`custkit.simulate.stream`) writes a folder of parts per table, which
  :func:`load_shop` reads too, only the tables and columns asked for (:mod:`custkit.partitioned`).
* Columns follow :mod:`custkit.schema` in name, order and dtype (:data:`~custkit.schema.PANDAS_DTYPE`);
  both directions check that, so a round trip gives frames equal to the originals.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import gzip
import hashlib
import json
import os
import platform
import shutil
import uuid
import zlib
from collections.abc import Iterable
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from custkit._checks import require_choice
from custkit._version import __version__
from custkit.errors import CustkitError, DataIntegrityError, OutputError, OutputExistsError, SchemaError
from custkit.schema import ALL_TABLES, PANDAS_DTYPE, TABLES, Column
from custkit.shop import Shop

FORMATS = ("csv", "parquet")
MANIFEST = "manifest.json"
_MAX_NAME_BYTES = 200
MANIFEST_VERSION = 1
GZIPPED_TABLES = frozenset({"events", "sessions", "order_items"})
"""Tables large enough to be stored as ``.csv.gz`` in CSV format."""

DEFAULT_DATASET_DIR = Path(__file__).resolve().parent.parent / "datasets"
"""Where the committed default shop lives: ``datasets/`` beside the package in a repository clone."""

_DATE_KINDS = {"date": ("D", "%Y-%m-%d"), "datetime": ("s", "%Y-%m-%d %H:%M:%S")}
_GZIP_LEVEL = 6  # zlib's default: close to level 9 in size at a fraction of the time
_READ_ERRORS = (ValueError, TypeError, OverflowError, OSError, EOFError, zlib.error, UnicodeDecodeError)


def table_filename(table: str, format: str = "csv") -> str:
    """File name of ``table`` in a shop folder of the given format (``orders.csv``, ``events.csv.gz``, ...)."""
    require_choice(format, "format", FORMATS)
    if table not in ALL_TABLES:
        raise SchemaError(f"unknown table {table!r}; the tables are {list(ALL_TABLES)}.")
    if format == "parquet":
        return f"{table}.parquet"
    return f"{table}.csv.gz" if table in GZIPPED_TABLES else f"{table}.csv"


# ----------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------


def write_shop(
    shop: Shop,
    path: str | Path,
    format: str = "csv",
    overwrite: bool = False,
    *,
    keep: Iterable[str] = (),
) -> Path:
    """Write every table of ``shop`` and ``manifest.json`` into folder ``path``, atomically.

    Parameters
    ----------
    shop
        The shop to write. Its tables must follow :mod:`custkit.schema` (names, column order,
        dtypes); ``shop.truth`` is written too when present.
    path
        The folder to create. Parent folders are created as needed.
    format
        ``"csv"`` (``.csv`` files, ``.csv.gz`` for events, sessions and order_items) or
        ``"parquet"``.
    overwrite
        Replace ``path`` if it exists. Only a folder that looks like a shop (it holds
        ``manifest.json``, or nothing but the ``keep`` files) is replaced, so that a mistyped
        path cannot delete unrelated files.
    keep
        Names of files in the existing folder to carry over into the new one unchanged (the
        command line's ``--dataset`` keeps the datasheet ``README.md`` this way). They are not
        listed in the manifest.

    Returns
    -------
    Path
        ``path``, made absolute. ``shop.manifest`` is filled with the manifest that was written.

    Notes
    -----
    Everything is written into a temporary sibling folder first and moved into place at the end;
    with ``overwrite=True`` the old folder is moved aside, the new one moved in, and only then is
    the old one deleted. A failure midway leaves the old folder as it was.

    Raises
    ------
    OutputExistsError
        ``path`` exists (a file, or any folder) and ``overwrite`` is False, or it exists but does
        not look like a shop folder.
    SchemaError
        A table is missing, has missing/unexpected columns, or a column has the wrong dtype.
    """
    require_choice(format, "format", FORMATS)
    if not isinstance(shop, Shop):
        raise CustkitError(
            f"write_shop needs a custkit Shop, got {type(shop).__name__}; "
            f"build one with custkit.generate(cfg) or Shop(tables={{...}})."
        )
    keep = [str(k) for k in keep]
    frames = _frames_to_write(shop)
    if not isinstance(path, (str, os.PathLike)):
        raise CustkitError(f"write_shop needs a folder path (str or Path), got {type(path).__name__}.")
    path = Path(os.path.abspath(path))  # now: "." names nothing once the old folder is moved away
    with folder_aside(path, overwrite=overwrite, keep=keep) as tmp:
        entries = {}
        for name, df in frames.items():
            file = tmp / table_filename(name, format)
            if format == "csv":
                _write_csv(df, ALL_TABLES[name], file)
            else:
                _write_parquet(df, file)
            entries[name] = {
                "file": file.name,
                "rows": len(df),
                "columns": list(df.columns),
                "sha256": file_sha256(file),
            }
        manifest = _build_manifest(shop, format, entries)
        (tmp / MANIFEST).write_text(_dump_json(manifest), encoding="utf-8", newline="\n")
    shop.manifest.clear()
    shop.manifest.update(manifest)
    return path


@contextlib.contextmanager
def folder_aside(path: str | Path, *, overwrite: bool = False, keep: Iterable[str] = ()):
    """Write a shop folder atomically: yield a hidden sibling of ``path`` to write into; when the
    block ends, carry the ``keep`` files over and move it into place; if the block fails or is
    interrupted, delete it and leave ``path`` as it was (an OSError becomes an OutputError naming
    the cause). The checks of :func:`check_output` come first.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise CustkitError(f"a shop folder must be a path (str or Path), got {type(path).__name__}.")
    path = Path(os.path.abspath(path))  # "." and "x/.." have no usable name for the sibling folders
    keep = [str(k) for k in keep]
    check_output(path, overwrite=overwrite, keep=keep)
    with _os_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_siblings(path)
        # A sibling (same file system, so the final move is a rename); os.mkdir honours the umask.
        # Its name carries this process's id, so that a later write can tell an abandoned one.
        tmp = path.parent / f".{path.name}.writing-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        os.mkdir(tmp)
    try:
        yield tmp
        for name in keep:
            if (path / name).is_file():
                shutil.copyfile(path / name, tmp / name)
        _move_into_place(tmp, path)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _output_error(path, exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def check_output(path: str | Path, *, overwrite: bool = False, keep: Iterable[str] = ()) -> None:
    """Raise :class:`OutputExistsError` unless :func:`write_shop` may write to ``path``.

    Used by the command line to fail before a long simulation rather than after it.
    """
    path = Path(os.path.abspath(path))
    keep = [str(k) for k in keep]
    ancestor = next((p for p in path.parents if os.path.lexists(p)), None)
    if ancestor is not None and not ancestor.is_dir():
        raise OutputError(f"cannot write the shop to {path}: {ancestor} is a file, so no folder can be "
                          f"made under it; choose another path.")
    # The temporary sibling adds about 40 characters; most file systems allow 255 bytes a name.
    if len(path.name.encode("utf-8")) > _MAX_NAME_BYTES:
        raise OutputError(f"cannot write the shop to {path}: the folder name is {len(path.name.encode())} "
                          f"bytes long, more than the {_MAX_NAME_BYTES} a shop folder may have; choose a shorter one.")
    if not os.path.lexists(path):
        return
    what = "a file" if not path.is_dir() else "a folder"
    if not overwrite:
        raise OutputExistsError(
            f"{path} already exists ({what}); choose a new folder, or replace it with "
            f"overwrite=True (command line: --force)."
        )
    if not path.is_dir():
        raise OutputExistsError(
            f"{path} is a file, not a shop folder; refusing to replace it. Choose another path."
        )
    entries = {p.name for p in path.iterdir()}
    if not entries or entries <= set(keep):
        return
    listed = _listed_files(path)
    if listed is None:
        raise OutputExistsError(
            f"{path} holds files but no {MANIFEST} written by custkit, so it is not a shop folder; "
            f"refusing to delete it even with overwrite=True. Choose another path or empty it first."
        )
    foreign = sorted(entries - listed - set(keep) - {MANIFEST}) + _foreign_in_table_folders(path)
    if foreign:
        raise OutputExistsError(
            f"{path} is a shop folder but also holds files its {MANIFEST} does not list: "
            f"{foreign[:5]}; refusing to delete them even with overwrite=True. Move them out "
            f"first, or choose another path."
        )


def _foreign_in_table_folders(folder: Path) -> list[str]:
    """Files and folders inside a partitioned shop's table folders that its manifest does not list
    as parts (a user's notes, an analysis saved beside the parts): replacing the shop would delete them."""
    try:
        tables = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("tables", {})
    except (OSError, ValueError, UnicodeDecodeError, AttributeError):
        return []
    foreign = []
    for entry in tables.values() if isinstance(tables, dict) else []:
        if not (isinstance(entry, dict) and isinstance(entry.get("parts"), list) and isinstance(entry.get("file"), str)):
            continue
        sub = folder / entry["file"]
        if sub.is_dir() and not sub.is_symlink():
            parts = {p.get("file") for p in entry["parts"] if isinstance(p, dict)}
            foreign += sorted(f"{entry['file']}/{p.name}" for p in sub.iterdir() if p.name not in parts)
    return foreign


def _listed_files(folder: Path) -> set[str] | None:
    """The file names a custkit manifest in ``folder`` lists, or None if it holds no such manifest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    tables = manifest.get("tables") if isinstance(manifest, dict) else None
    if "manifest_version" not in manifest or not isinstance(tables, dict) or not tables:
        return None
    if not set(tables) <= set(ALL_TABLES):
        return None
    files = [entry.get("file") if isinstance(entry, dict) else None for entry in tables.values()]
    if not all(isinstance(f, str) and _plain_name(f) for f in files):
        return None
    return set(files)


def _plain_name(name: str) -> bool:
    """A file name with no folder part (so that a manifest cannot point outside its folder)."""
    return name not in ("", ".", "..") and "/" not in name and "\\" not in name and Path(name).name == name


@contextlib.contextmanager
def _os_errors(path: Path):
    try:
        yield
    except OSError as exc:
        raise _output_error(path, exc) from None


def _output_error(path: Path, exc: OSError) -> OutputError:
    """A CustkitError for an OS error while writing ``path``, with the cause in plain words."""
    ancestor = next((p for p in [path, *path.parents] if os.path.lexists(p)), None)
    if ancestor is not None and not ancestor.is_dir():
        cause = f"{ancestor} is a file, so no folder can be made under it"
    elif exc.errno == errno.ENAMETOOLONG:
        cause = "the name is too long for the file system; choose a shorter one"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        cause = f"no permission to write in {ancestor or path.parent}"
    elif exc.errno == errno.ENOSPC:
        cause = "the disk is full"
    else:
        cause = exc.strerror or str(exc)
    return OutputError(f"could not write the shop to {path}: {cause}. Nothing was changed there; "
                       f"choose a folder you can write to.")


def _remove_abandoned_siblings(path: Path) -> None:
    """Delete the temporary siblings of ``path`` that a killed write left behind.

    Their names carry the writing process's id (``.NAME.writing-PID-...``, ``.NAME.old-PID-...``);
    a sibling whose process no longer runs is abandoned. One of a running process is left alone.
    """
    for sibling in path.parent.glob(f".{glob.escape(path.name)}.*-*-*"):
        kind, _, rest = sibling.name[len(path.name) + 2:].partition("-")
        pid = rest.split("-", 1)[0]
        if kind not in ("writing", "old") or not pid.isdigit() or _process_alive(int(pid)):
            continue
        if sibling.is_dir() and not sibling.is_symlink():
            shutil.rmtree(sibling, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _move_into_place(tmp: Path, path: Path) -> None:
    if not os.path.lexists(path):
        os.replace(tmp, path)
        return
    old = path.parent / f".{path.name}.old-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    os.replace(path, old)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.replace(old, path)
        raise
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old)
    else:
        old.unlink()


def _frames_to_write(shop: Shop) -> dict[str, pd.DataFrame]:
    """Validated tables in schema order, each with its columns in schema order."""
    unknown = sorted(set(shop.tables) - set(TABLES))
    if unknown:
        raise SchemaError(
            f"shop.tables has table(s) {unknown} that custkit.schema does not know; "
            f"the known tables are {list(TABLES)}. Remove or rename them."
        )
    frames = {}
    for name in TABLES:
        if name not in shop.tables:
            raise SchemaError(
                f"shop.tables lacks the {name!r} table; a shop needs all of {list(TABLES)} "
                f"(an empty table with the schema's columns is fine)."
            )
        frames[name] = _validated(shop.tables[name], name)
    if shop.truth is not None:
        frames["truth"] = _validated(shop.truth, "truth")
    return frames


def _validated(df: object, name: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise SchemaError(f"table {name!r} must be a pandas DataFrame, got {type(df).__name__}.")
    columns = _check_columns(list(df.columns), name, where=f"table {name!r}")
    for col in columns:
        s = df[col.name]
        expected = PANDAS_DTYPE[col.kind]
        if str(s.dtype) != expected:
            raise SchemaError(
                f"{name}[{col.name!r}] has dtype {s.dtype}, the schema says {expected} "
                f"(kind {col.kind!r}); convert it with df.astype({{{col.name!r}: {expected!r}}})."
            )
        if col.kind == "str" and bool((s == "").any()):
            raise SchemaError(
                f"{name}[{col.name!r}] holds empty strings, which a CSV file cannot tell from "
                f"missing values; replace them with missing values: df[{col.name!r}].replace('', pd.NA)."
            )
        if col.kind == "date":
            seconds = s.dropna().to_numpy(dtype="datetime64[s]").astype("int64")
            if (seconds % 86_400 != 0).any():
                raise SchemaError(
                    f"{name}[{col.name!r}] is a calendar-day column but holds times of day; "
                    f"drop them with df[{col.name!r}].dt.normalize()."
                )
    return df[[c.name for c in columns]]


def _check_columns(names: list[str], table: str, where: str) -> list[Column]:
    """Schema columns of ``table`` present in ``names``; SchemaError on missing or unexpected ones."""
    schema = ALL_TABLES[table]
    required = [c.name for c in schema if not c.optional]
    known = {c.name for c in schema}
    missing = [n for n in required if n not in names]
    unexpected = [n for n in names if n not in known]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if missing or unexpected or duplicated:
        parts = []
        if missing:
            parts.append(f"missing column(s) {missing}")
        if unexpected:
            parts.append(f"unexpected column(s) {unexpected}")
        if duplicated:
            parts.append(f"duplicated column(s) {duplicated}")
        raise SchemaError(
            f"{where} does not match the schema of {table!r}: {'; '.join(parts)}. "
            f"Its columns must be {[c.name for c in schema]} (see custkit/schema.py)."
        )
    return [c for c in schema if c.name in names]


def _write_csv(df: pd.DataFrame, schema: tuple[Column, ...], file: Path) -> None:
    frame = df.copy(deep=False)
    for col in schema:
        if col.name in frame.columns and col.kind in _DATE_KINDS:
            frame[col.name] = _iso_strings(frame[col.name], col.kind)
    # pandas writes float64 in Python's shortest round-trip repr; missing values as "".
    text = frame.to_csv(index=False, lineterminator="\n", na_rep="")
    data = text.encode("utf-8")
    if file.name.endswith(".gz"):
        with open(file, "wb") as raw, gzip.GzipFile(
            filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=_GZIP_LEVEL
        ) as gz:
            gz.write(data)
    else:
        file.write_bytes(data)


def _iso_strings(s: pd.Series, kind: str) -> np.ndarray:
    values = s.to_numpy(dtype="datetime64[s]")
    if len(values) == 0:  # np.char.replace cannot size an empty array
        return np.array([], dtype=object)
    unit, _ = _DATE_KINDS[kind]
    text = np.datetime_as_string(values, unit=unit)
    if kind == "datetime":
        text = np.char.replace(text, "T", " ")
    return np.where(np.isnat(values), "", text).astype(object)


def _write_parquet(df: pd.DataFrame, file: Path) -> None:
    import pyarrow as pa

    from custkit.partitioned import write_parquet

    # Without pandas' metadata the file holds only data and types: the schema restores dtypes.
    write_parquet(pa.Table.from_pandas(df, preserve_index=False), file)


def _build_manifest(shop: Shop, format: str, entries: dict[str, dict]) -> dict[str, Any]:
    config = shop.config.to_dict() if shop.config is not None else None
    return {
        "manifest_version": MANIFEST_VERSION,
        "custkit_version": __version__,
        "format": format,
        "config": config,
        "versions": library_versions(),
        "tables": entries,
    }


def library_versions() -> dict[str, str]:
    """Versions of Python and of the libraries whose output shapes a shop's files."""
    versions = {"python": platform.python_version()}
    for dist in ("numpy", "pandas", "Faker", "pyarrow"):
        try:
            versions[dist.lower()] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist.lower()] = "not installed"
    return versions


def _json_default(value: object) -> object:
    if isinstance(value, (date, datetime, pd.Timestamp)):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, Path):
        return str(value)
    raise CustkitError(
        f"The shop's config holds a {type(value).__name__} ({value!r}) that manifest.json cannot "
        f"store; ShopConfig.to_dict() must return plain numbers, strings, lists and dicts."
    )


def _dump_json(obj: object) -> str:
    return json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False, default=_json_default) + "\n"


def file_sha256(file: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    if not Path(file).is_file():
        raise DataIntegrityError(f"{file} is not a file; check the path.")
    digest = hashlib.sha256()
    with open(file, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ----------------------------------------------------------------------------------------------
# Loading
# ----------------------------------------------------------------------------------------------


def load_shop(path: str | Path | None = None, *, tables: Iterable[str] | None = None,
              columns: dict[str, Iterable[str]] | None = None) -> Shop:
    """Load a shop folder written by :func:`write_shop` or ``stream_shop``, checking it against its manifest.

    Parameters
    ----------
    path
        The folder. ``None`` loads the committed default shop (the classroom shop,
        ``ShopConfig()``) from the repository's ``datasets/`` folder.
    tables
        Names of the tables to read (``"truth"`` included); ``None``: every table, or when
        ``columns`` is given, the tables it names. Only their files are read and checked, so a
        large shop's analysis need not read its tens of millions of events.
    columns
        Per table, the columns to read (``{"orders": ["customer_id", "order_date", "net"]}``); a
        table not named here is read whole. On a Parquet folder the other columns are never decoded
        into memory (:mod:`custkit.partitioned`); every file read is still checked against its
        SHA-256 first.

    Returns
    -------
    Shop
        Tables with the dtypes of :data:`custkit.schema.PANDAS_DTYPE`, rows in id order, ``truth``
        when the folder has it (and it was asked for), ``config`` rebuilt with
        ``ShopConfig.from_dict`` when the manifest records one, and ``manifest``. A table that was
        not read is absent from ``shop.tables``, and asking for it names the fix.

    Raises
    ------
    CustkitError
        No folder at ``path``, or no default shop beside this installation; an unknown table.
    DataIntegrityError
        ``manifest.json`` is missing or unreadable, a listed file is missing, or a file's
        SHA-256 differs from the manifest (it was edited).
    SchemaError
        A file's columns differ from the schema, or a file cannot be read (bad CSV, bad date,
        text in a number column); a column asked for that the table does not have.
    """
    default = path is None
    if not default and not isinstance(path, (str, os.PathLike)):
        raise CustkitError(f"load_shop needs a folder path (str or Path) or None, got {type(path).__name__}.")
    folder = DEFAULT_DATASET_DIR if default else Path(path)
    if default and not (folder / MANIFEST).is_file():
        raise CustkitError(
            f"The default shop is not available: {folder} has no {MANIFEST}, so custkit was "
            f"installed without its datasets/ folder. Work from a clone of the repository "
            f"(pip install -e .) and run `make data`, or write a shop with "
            f"`custkit generate --out DIR` and call load_shop(DIR)."
        )
    if not folder.is_dir():
        raise CustkitError(
            f"No shop folder at {folder}; write one with shop.write({str(folder)!r}) or "
            f"`custkit generate --out {folder}`, or check the path."
        )
    manifest = _read_manifest(folder)
    restore = (
        "restore it with `git checkout -- datasets/` or regenerate it with `make data`"
        if default or folder.resolve() == DEFAULT_DATASET_DIR
        else f"regenerate the folder with `custkit generate --config {folder / MANIFEST} --out {folder} --force`"
    )
    entries = manifest["tables"]
    wanted = _wanted_tables(tables, columns, entries, folder)
    selected = {name: _wanted_columns(name, columns, entries[name]) for name in wanted}
    for name in wanted:
        _verify_files(folder, entries[name], restore)
    read = {name: _read_entry(folder, name, entries[name], selected[name]) for name in wanted}
    for name, df in read.items():
        if len(df) != entries[name]["rows"]:
            raise DataIntegrityError(
                f"{entries[name]['file']} has {len(df)} rows, {MANIFEST} says {entries[name]['rows']}; {restore}."
            )
    truth = read.pop("truth", None)
    config = None
    if manifest.get("config") is not None:
        from custkit.config import ShopConfig  # lazily: the simulator is not needed to read files

        config = ShopConfig.from_dict(manifest["config"])
    return Shop(tables=read, truth=truth, config=config, manifest=manifest)


def check_folder(path: str | Path | None = None) -> dict[str, Any]:
    """Verify a shop folder and return its manifest: what ``custkit check`` does.

    A folder of single files is loaded in full with :func:`load_shop`. A partitioned folder (a
    streamed large shop, tens of millions of rows) is checked without loading its rows: every
    part's SHA-256, and the columns and row count in each part's Parquet footer against the
    schema and the manifest.
    """
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise CustkitError(f"check_folder needs a folder path (str or Path) or None, got {type(path).__name__}.")
    folder = DEFAULT_DATASET_DIR if path is None else Path(path)
    if path is None or not folder.is_dir() or not (folder / MANIFEST).is_file():
        return load_shop(path).manifest
    manifest = _read_manifest(folder)
    if not any("parts" in entry for entry in manifest["tables"].values()):
        return load_shop(path).manifest
    import pyarrow.parquet as pq

    from custkit.partitioned import part_files

    restore = f"regenerate the folder with `custkit generate --config {folder / MANIFEST} --out {folder} --force`"
    for name, entry in manifest["tables"].items():
        _verify_files(folder, entry, restore)
        files = part_files(folder, entry) if "parts" in entry else [folder / entry["file"]]
        records = entry.get("parts", [entry])
        for file, record in zip(files, records):
            try:
                meta = pq.read_metadata(file)
            except _READ_ERRORS as exc:
                raise SchemaError(f"{file} (table {name!r}) is not a readable Parquet file ({exc}); {restore}.") from None
            names = list(meta.schema.names)
            _check_columns(names, name, where=str(file.relative_to(folder)))
            if "columns" in entry and names != entry["columns"]:
                raise SchemaError(f"{file} holds the columns {names}, {MANIFEST} lists {entry['columns']}; {restore}.")
            if meta.num_rows != record["rows"]:
                raise DataIntegrityError(f"{file} holds {meta.num_rows} rows, {MANIFEST} says {record['rows']}; {restore}.")
    if manifest.get("config") is not None:
        from custkit.config import ShopConfig

        ShopConfig.from_dict(manifest["config"])  # a ConfigError names a config that cannot make a shop
    return manifest


def _wanted_tables(tables: object, columns: object, entries: dict, folder: Path) -> list[str]:
    """The tables load_shop reads, in schema order (truth last), checked against the folder."""
    if columns is not None and not isinstance(columns, dict):
        raise CustkitError(f"columns must be a dict of table name -> list of columns, got {type(columns).__name__}.")
    if tables is None:
        names = list(columns) if columns else [t for t in ALL_TABLES if t in entries]
    elif isinstance(tables, str) or not isinstance(tables, Iterable):
        raise CustkitError(f"tables must be a list of table names such as ['customers', 'orders'], got {tables!r}.")
    else:
        names = list(tables) + [t for t in (columns or {}) if t not in tables]
    if not all(isinstance(t, str) for t in names):
        raise CustkitError(f"tables must be a list of table names such as ['customers', 'orders'], got {names!r}.")
    unknown = [t for t in names if t not in ALL_TABLES]
    if unknown:
        raise CustkitError(f"unknown table(s) {unknown}; the tables are {list(ALL_TABLES)}.")
    absent = [t for t in names if t not in entries]
    if absent:
        raise CustkitError(f"{folder} holds no {absent} table (a shop that was not simulated has no truth); "
                           f"leave it out of tables.")
    return [t for t in ALL_TABLES if t in names]


def _wanted_columns(table: str, columns: dict | None, entry: dict) -> list[str] | None:
    if not columns or table not in columns:
        return None
    from custkit.partitioned import check_columns

    stored = entry.get("columns") or [c.name for c in ALL_TABLES[table]]
    cols = columns[table]
    # any iterable of names (a list, a tuple, a pandas Index, a NumPy array); a lone string is refused
    return check_columns(table, list(cols) if isinstance(cols, Iterable) and not isinstance(cols, str) else cols,
                         stored)


def _verify_files(folder: Path, entry: dict, restore: str) -> None:
    """Every file of a manifest entry exists and has its recorded SHA-256."""
    if "parts" in entry:
        from custkit.partitioned import part_files

        files = list(zip(part_files(folder, entry), entry["parts"]))
    else:
        files = [(folder / entry["file"], entry)]
    for file, record in files:
        if not file.is_file():
            raise DataIntegrityError(f"{file} is listed in {MANIFEST} but missing; {restore}.")
        try:
            digest = file_sha256(file)
        except OSError as exc:
            raise DataIntegrityError(f"{file} cannot be read ({exc.strerror}); check its permissions.") from None
        if digest != record["sha256"]:
            raise DataIntegrityError(
                f"{file} was changed since it was written (its SHA-256 differs from {MANIFEST}); "
                f"{restore}. To analyse changed data, copy it elsewhere and read it with pandas."
            )


def _read_entry(folder: Path, table: str, entry: dict, columns: list[str] | None) -> pd.DataFrame:
    if "parts" in entry:
        from custkit.partitioned import read_partitioned

        try:
            return read_partitioned(folder, table, entry, columns)
        except _READ_ERRORS as exc:
            raise SchemaError(f"{folder / entry['file']} (table {table!r}) could not be read: {exc}. "
                              f"The folder is malformed; write the shop again from its source.") from None
    df = _read_table(folder / entry["file"], table)
    return df if columns is None else df[[c for c in df.columns if c in columns]]


def _read_manifest(folder: Path) -> dict[str, Any]:
    file = folder / MANIFEST
    if not file.is_file():
        raise DataIntegrityError(
            f"{folder} has no {MANIFEST}, so it is not a shop folder written by custkit (or the "
            f"manifest was deleted); write the shop again with shop.write(path, overwrite=True)."
        )
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataIntegrityError(f"{file} cannot be read ({exc.strerror}); check its permissions.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataIntegrityError(f"{file} is not valid JSON ({exc}); write the shop again.") from None
    tables = manifest.get("tables") if isinstance(manifest, dict) else None
    if not isinstance(tables, dict) or not all(
        isinstance(e, dict) and {"file", "rows", "sha256"} <= set(e) for e in tables.values()
    ):
        raise DataIntegrityError(
            f"{file} lacks a 'tables' entry with file, rows and sha256 for each table; "
            f"write the shop again with shop.write(path, overwrite=True)."
        )
    for name, e in tables.items():
        if not (isinstance(e["file"], str) and _plain_name(e["file"])):
            raise DataIntegrityError(
                f"{file}: table {name!r} names the file {e['file']!r}, which is not a plain file name "
                f"inside the folder; the manifest was edited: write the shop again."
            )
        if isinstance(e["rows"], bool) or not isinstance(e["rows"], int) or e["rows"] < 0:
            raise DataIntegrityError(f"{file}: table {name!r} has rows {e['rows']!r}, not a count; write the shop again.")
        if not (isinstance(e["sha256"], str) and len(e["sha256"]) == 64):
            raise DataIntegrityError(f"{file}: table {name!r} has no valid sha256; write the shop again.")
        parts = e.get("parts")
        if "parts" in e and not (isinstance(parts, list) and parts and all(
                isinstance(p, dict) and isinstance(p.get("file"), str) and _plain_name(p["file"])
                and isinstance(p.get("rows"), int) and not isinstance(p.get("rows"), bool)
                and isinstance(p.get("sha256"), str) and len(p["sha256"]) == 64 for p in parts)):
            raise DataIntegrityError(f"{file}: table {name!r} lists its parts wrongly (each needs a plain file "
                                     f"name, rows and sha256); the manifest was edited: write the shop again.")
        if "columns" in e and name in ALL_TABLES:  # (an unknown table is named below)
            cols = e["columns"]
            if not (isinstance(cols, list) and all(isinstance(c, str) for c in cols)):
                raise DataIntegrityError(f"{file}: table {name!r} has columns {cols!r}, not a list of its column "
                                         f"names; the manifest was edited: write the shop again.")
            _check_columns(cols, name, where=f"{file}: the column list of {name!r}")
        if parts is not None:
            if sum(p["rows"] for p in parts) != e["rows"]:
                raise DataIntegrityError(f"{file}: the parts of {name!r} hold {sum(p['rows'] for p in parts)} rows "
                                         f"but the table {e['rows']}; the manifest was edited: write the shop again.")
            from custkit.partitioned import parts_digest

            if parts_digest(parts) != e["sha256"]:
                raise DataIntegrityError(f"{file}: the parts listed for {name!r} are not those the shop was written "
                                         f"with (the table's sha256 differs); the manifest was edited: write the "
                                         f"shop again.")
    unknown = sorted(set(tables) - set(ALL_TABLES))
    missing = [t for t in TABLES if t not in tables]
    if unknown or missing:
        raise SchemaError(
            f"{file} lists table(s) {unknown} unknown to custkit.schema and lacks {missing}; "
            f"a shop folder holds {list(ALL_TABLES)} (truth optional)."
        )
    return manifest


def _read_table(file: Path, table: str) -> pd.DataFrame:
    try:
        if file.name.endswith(".parquet"):
            df = _read_parquet(file, table)
        else:
            df = _read_csv(file, table)
    except SchemaError:
        raise
    except _READ_ERRORS + (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SchemaError(
            f"{file.name} (table {table!r}) could not be read: {exc}. The file is malformed; "
            f"write the shop again from its source."
        ) from None
    return df


def _read_csv(file: Path, table: str) -> pd.DataFrame:
    header = list(pd.read_csv(file, nrows=0, encoding="utf-8").columns)
    columns = _check_columns(header, table, where=file.name)
    read_as = {c.name: "str" if c.kind in _DATE_KINDS else PANDAS_DTYPE[c.kind] for c in columns}
    df = pd.read_csv(
        file,
        dtype=read_as,
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
    )
    for col in columns:
        if col.kind in _DATE_KINDS:
            df[col.name] = _parse_dates(df[col.name], col, file)
    return df[[c.name for c in columns]]


def _parse_dates(s: pd.Series, col: Column, file: Path) -> pd.Series:
    _, fmt = _DATE_KINDS[col.kind]
    try:
        return pd.to_datetime(s, format=fmt, errors="raise").astype("datetime64[s]")
    except (ValueError, TypeError, OverflowError) as exc:
        example = "2024-01-31" if col.kind == "date" else "2024-01-31 14:05:00"
        raise SchemaError(
            f"{file.name}: column {col.name!r} must hold {col.kind}s like {example}; {exc}."
        ) from None


def _read_parquet(file: Path, table: str) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pq.read_table(file)
    columns = _check_columns(list(arrow.column_names), table, where=file.name)
    df = arrow.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    return df.astype({c.name: PANDAS_DTYPE[c.kind] for c in columns})[[c.name for c in columns]]


# --------------------------------------------------------------------------- notebooks

# What every notebook does first: its papermill ``parameters`` cell (``data_path``, ``preset``,
# ``seed`` and a few knobs) names a shop, and open_shop opens it, so that the same notebook runs on
# the committed classroom shop (whose stored outputs students see), on a shop written earlier, or
# on a freshly simulated preset.


def open_shop(data_path: str | Path | None = None, preset: str | None = None,
              seed: int | None = None, **knobs: Any) -> Shop:
    """Return the shop a notebook's parameters describe.

    Parameters
    ----------
    data_path
        A folder written by ``shop.write`` or ``custkit generate``. Used when ``preset`` is None;
        ``None`` means the committed classroom shop in ``datasets/``.
    preset
        A :meth:`ShopConfig.preset` name ("classroom", "customer_centric", "production_centric",
        "large"): simulate that shop instead of loading files.
    seed, knobs
        With ``preset``: changes to the preset's config (``seed=7, late_delivery_rate=0.3``).
        Knobs set to ``None`` are ignored, so a parameters cell can list them all.

    Raises
    ------
    CustkitError
        When both ``data_path`` and ``preset`` are given, or knobs are given without a preset.
    """
    from custkit.config import ShopConfig  # lazily: reading files needs no simulator
    from custkit.simulate import generate

    changes = {k: v for k, v in knobs.items() if v is not None}
    if seed is not None:
        changes["seed"] = seed
    if preset is None:
        if changes:
            raise CustkitError(
                f"parameters {sorted(changes)} change a simulated shop; set preset='classroom' "
                f"(or another preset) to simulate one, or leave them None to load data_path."
            )
        return load_shop(data_path)
    if data_path is not None:
        raise CustkitError(
            "give either data_path (load a shop from files) or preset (simulate one), not both."
        )
    return generate(ShopConfig.preset(preset).replace(**changes))


__all__ = ["DEFAULT_DATASET_DIR", "FORMATS", "check_folder", "check_output", "file_sha256", "library_versions", "load_shop",
           "open_shop", "table_filename", "write_shop"]
