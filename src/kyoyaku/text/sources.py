"""Which files of a folder are agreement texts: the one rule that `kyoyaku build` (pipeline.source_files)
and the corpus report (text.corpus) both follow — the entries whose suffix is in SOURCE_SUFFIXES,
sorted by name. Each is then read by the reader its content calls for (text.formats), whatever its
suffix; every other entry is skipped, with the reason (skip_reason)."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .formats import MAGIC

# a text, a 例規集 or CMS page saved from the browser, a PDF (with a text layer, or a scan read by OCR), an
# image (a scan) read by OCR, a Word document
SOURCE_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".docx")
SUFFIXES_SHOWN = ", ".join(f"*{s}" for s in SOURCE_SUFFIXES)
A_FOLDER_OF_TEXTS = f"a directory of agreement texts ({SUFFIXES_SHOWN})"


@dataclass
class Folder:
    texts: list[Path]  # the entries read as agreement texts, sorted by name
    others: list[Path]  # every other entry (an image, a subfolder …), sorted by name: never read


def is_source(path: Path) -> bool:
    return path.suffix.lower() in SOURCE_SUFFIXES


def read_folder(folder: Path) -> Folder:
    """The entries of `folder`, split into agreement texts and the rest. InputError when `folder` is
    not a directory this user can list, or holds no agreement text."""
    if not folder.is_dir():
        raise InputError(folder, None, A_FOLDER_OF_TEXTS,
                         "not a directory" if folder.exists() else "no such directory")
    try:
        entries = sorted(folder.iterdir())
    except OSError as e:
        raise InputError(folder, None, f"{A_FOLDER_OF_TEXTS} this user can list", e.strerror or str(e)) from None
    texts = [p for p in entries if is_source(p)]
    if not texts:
        raise InputError(folder, None, f"at least one agreement text ({SUFFIXES_SHOWN})", "none")
    return Folder(texts, [p for p in entries if not is_source(p)])


def skip_reason(path: Path) -> str:
    """Why the file `path` of a sources folder is not read: what it is (a PNG image, a named pipe …),
    else that its suffix is none of SOURCE_SUFFIXES."""
    if problem := _not_a_file(path):
        return problem
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as e:
        return e.strerror or str(e)
    kind = next((kind for magic, kind in MAGIC if head.startswith(magic)), None)
    return kind or f"not an agreement text ({SUFFIXES_SHOWN})"


def check_regular_file(path: Path) -> None:
    """InputError when the agreement text `path` is not a regular file (or a symlink to one): a
    dangling symlink, a directory, a named pipe … is refused by name, never skipped and never opened
    (a named pipe would block the reader)."""
    if problem := _not_a_file(path):
        raise InputError(path, None, "an agreement text: a regular file, or a symlink to one", problem)


def _not_a_file(path: Path) -> str | None:
    """What `path` is when it is not a regular file (or a symlink to one), else None."""
    try:
        mode = path.stat().st_mode
    except OSError as e:
        if e.errno == errno.ENOENT and path.is_symlink():
            return f"a dangling symlink (to {os.readlink(path)})"
        if e.errno == errno.ELOOP:
            return "a symlink loop"
        return e.strerror or str(e)
    if stat.S_ISREG(mode):
        return None
    kinds = {stat.S_ISDIR: "a directory", stat.S_ISCHR: "a device", stat.S_ISBLK: "a device",
             stat.S_ISFIFO: "a named pipe", stat.S_ISSOCK: "a socket"}
    return next((kind for test, kind in kinds.items() if test(mode)), "not a regular file")
