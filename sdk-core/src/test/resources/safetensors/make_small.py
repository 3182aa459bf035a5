#!/usr/bin/python3
"""Writes small.safetensors as Hugging Face's safetensors library lays out a file, from the format's
description alone (json + struct, nothing of the project's code): the bytes SafeTensorsTest compares with.

    python3 make_small.py   # in this folder
"""
import json, struct

tensors = {  # name -> (shape, float32 values); written sorted by name as bytes, as the library does
    "layers.2.w": ([2], [0.25, -0.125]),
    "a.weight": ([2, 3], [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5]),
    "layers.10.w": ([1, 1], [7.0]),
    "b.bias": ([3], [1.5, -2.0, 3.25]),
}
header, data = {"__metadata__": {"format": "pt"}}, b""
for name in sorted(tensors, key=lambda n: n.encode()):
    shape, values = tensors[name]
    raw = struct.pack("<%df" % len(values), *values)
    header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * ((8 - len(text) % 8) % 8)
with open("small.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + data)

# mixed.safetensors: the other float dtypes a reader meets (no metadata), for reading only
mixed = [("d", "F64", "<3d", [1.0 / 3, -2.5, 1e-3]), ("h", "F16", "<3e", [0.5, -65504.0, 6.103515625e-05]),
         ("g", "BF16", None, [1.0, -3.0, 0.15625])]
header, data = {}, b""
for name, dtype, fmt, values in sorted(mixed, key=lambda m: m[0].encode()):
    if dtype == "BF16":  # the top half of each float32
        raw = b"".join(struct.pack("<f", v)[2:] for v in values)
    else:
        raw = struct.pack(fmt, *values)
    header[name] = {"dtype": dtype, "shape": [3], "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * ((8 - len(text) % 8) % 8)
with open("mixed.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + data)
