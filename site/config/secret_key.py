"""A secret key generated once into the data folder and reused (`make run`'s local serving).

Production takes DJANGO_SECRET_KEY from the environment instead; this file is for a
server that has nobody to set one, so that it never runs on a key published in the
repository. The file is created atomically (written beside, then hard-linked into
place), readable by its owner only; concurrent first starts all end up with the one
key that won.
"""
import os
import secrets
import tempfile
from pathlib import Path

FILE_NAME = "secret_key"


def load_or_create(data_dir):
    """The key in ``data_dir/secret_key``, created there if it does not exist yet."""
    path = Path(data_dir) / FILE_NAME
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if len(key) >= 50:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".secret_key-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(50) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        if key:  # a damaged (short) file: replace it
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if another process created it meanwhile
            except FileExistsError:
                pass
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path.read_text(encoding="ascii").strip()
