#!/usr/bin/env python3
"""Writes the small .npy/.npz fixtures that NpyFixturesTest reads (Java must read what NumPy writes).

Run by hand from the repository root:  /usr/bin/python3 autograd/src/test/python/make_npy_fixtures.py
The outputs are committed under autograd/src/test/resources/npy/; tests never run Python.

Every array's values follow a formula the Java test recomputes (no random numbers), so the test checks
values, not just shapes:
  floats:  value[i] = (i - 3) * 0.25 + 1/3     (i = row-major index)
  ints:    value[i] = (i - 3) * 1000003          (int64 also gets a value beyond 32 bits at i = 0)
Bad files are made from good ones by cutting or patching bytes.
"""
import io
import os
import zipfile

import numpy as np
from numpy.lib import format as npformat

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "npy")


def floats(shape, dtype):
    n = int(np.prod(shape, dtype=np.int64))
    return ((np.arange(n, dtype=np.float64) - 3) * 0.25 + 1.0 / 3).astype(dtype).reshape(shape)


def ints(shape, dtype):
    n = int(np.prod(shape, dtype=np.int64))
    a = (np.arange(n, dtype=np.int64) - 3) * 1000003
    if np.dtype(dtype) == np.int64 and n > 0:
        a[0] = -(2 ** 40) - 7  # needs all 64 bits
    return a.astype(dtype).reshape(shape)


def zip_entry(z, name, data):
    """Adds an entry with a fixed time, so that rerunning the script gives identical files."""
    z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)


def make(dtype, shape):
    return floats(shape, dtype) if np.dtype(dtype).kind == "f" else ints(shape, dtype)


def write_version(path, arr, version):
    with open(path, "wb") as f:
        npformat.write_array(f, arr, version=version)


def npy_bytes(arr, version=(1, 0)):
    buf = io.BytesIO()
    npformat.write_array(buf, arr, version=version)
    return buf.getvalue()


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        os.remove(os.path.join(OUT, old))

    # ---- good files: every dtype, format 1.0 and 2.0, several shapes
    shapes = {"2x3": (2, 3), "scalar": (), "empty": (0, 4), "vec5": (5,), "2x1x3": (2, 1, 3)}
    for dtype in ["<f4", "<f8", "<i4", "<i8"]:
        name = np.dtype(dtype).name
        for sname, shape in shapes.items():
            np.save(os.path.join(OUT, f"{name}_{sname}.npy"), make(dtype, shape))
        write_version(os.path.join(OUT, f"{name}_2x3_v2.npy"), make(dtype, (2, 3)), (2, 0))
    write_version(os.path.join(OUT, "float32_2x3_v3.npy"), make("<f4", (2, 3)), (3, 0))

    # ---- archives: savez (stored) and savez_compressed (deflated), every dtype, arrays in order
    archive = {
        "w": make("<f4", (3, 4)),
        "b": make("<f8", (4,)),
        "labels": make("<i8", (6,)),
        "counts": make("<i4", (2, 2)),
        "s": make("<f8", ()),
        "none": make("<f4", (0,)),
    }
    np.savez(os.path.join(OUT, "savez.npz"), **archive)
    np.savez_compressed(os.path.join(OUT, "savez_compressed.npz"), **archive)
    np.savez(os.path.join(OUT, "savez_positional.npz"), make("<f4", (2,)), make("<i4", (3,)))

    # ---- bad files
    good = npy_bytes(make("<f4", (3, 4)))
    header_len = len(good) - 48
    with open(os.path.join(OUT, "bad_truncated.npy"), "wb") as f:
        f.write(good[: header_len + 20])  # header says 48 data bytes, 20 present
    with open(os.path.join(OUT, "bad_truncated_header.npy"), "wb") as f:
        f.write(good[:30])
    with open(os.path.join(OUT, "bad_magic.npy"), "wb") as f:
        f.write(b"\x93NUMPZ" + good[6:])
    with open(os.path.join(OUT, "bad_version.npy"), "wb") as f:
        f.write(good[:6] + bytes([4, 0]) + good[8:])
    with open(os.path.join(OUT, "bad_trailing.npy"), "wb") as f:
        f.write(good + b"\x00\x00\x00\x00")
    np.save(os.path.join(OUT, "bad_fortran.npy"), np.asfortranarray(make("<f8", (3, 2))))
    np.save(os.path.join(OUT, "bad_complex.npy"), np.arange(3, dtype="<c16"))
    np.save(os.path.join(OUT, "bad_bigendian.npy"), make(">f4", (2, 2)))
    np.save(os.path.join(OUT, "bad_structured.npy"), np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))
    # shape (2, 5) = 40 bytes of float32, but only the 12 elements (48 bytes) of a (3, 4) follow
    patched = good.replace(b"(3, 4)", b"(2, 5)")
    assert patched != good
    with open(os.path.join(OUT, "bad_shape_mismatch.npy"), "wb") as f:
        f.write(patched)
    with open(os.path.join(OUT, "bad_header_syntax.npy"), "wb") as f:
        f.write(good.replace(b"'fortran_order': False", b"'fortran_order' False "))
    with open(os.path.join(OUT, "bad_not_zip.npz"), "wb") as f:
        f.write(good)
    with zipfile.ZipFile(os.path.join(OUT, "bad_entry_truncated.npz"), "w") as z:
        zip_entry(z, "ok.npy", npy_bytes(make("<f8", (2,))))
        zip_entry(z, "cut.npy", good[: header_len + 20])
    with zipfile.ZipFile(os.path.join(OUT, "bad_entry_not_npy.npz"), "w") as z:
        zip_entry(z, "ok.npy", npy_bytes(make("<f8", (2,))))
        zip_entry(z, "notes.txt", b"hello")

    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
