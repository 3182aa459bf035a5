#!/usr/bin/python3
"""Loads an exported weights.safetensors into the PyTorch reference (load_state_dict, strict) and writes
its logits for a text-only sequence, for ExportCommandTest to compare with the SameDiff graph's.

    python3 load_safetensors.py REFERENCE_DIR MODEL_DIR TOKENS(comma-separated) OUT.npy

The file is parsed here with json and numpy alone (the format is a JSON header and raw little-endian
tensors), so the check needs torch but not the safetensors package.
"""
import json, struct, sys
import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", (name, info["dtype"])
        begin, end = info["data_offsets"]
        out[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"])
    return out


def main(reference_dir, model_dir, tokens, out):
    sys.path.insert(0, reference_dir)
    import torch
    import transfusion_ref as ref
    with open(model_dir + "/config.json") as f:
        c = json.load(f)
    model = ref.Transfusion(c)
    state = {k: torch.from_numpy(v.copy()) for k, v in read_safetensors(model_dir + "/weights.safetensors").items()}
    model.load_state_dict(state, strict=True)   # every name and shape as the reference has them
    ids = torch.tensor([[int(t) for t in tokens.split(",")]])
    t = ids.shape[1]
    pdim = c["latent_channels"] * c["patch"] ** 2
    with torch.no_grad():
        logits, _ = model(ids, torch.zeros(1, t, dtype=torch.bool), torch.zeros(1, t, pdim),
                          torch.zeros(1, t, dtype=torch.long), torch.arange(t)[None],
                          torch.tril(torch.ones(t, t, dtype=torch.bool))[None])
    np.save(out, logits[0].numpy().astype("<f4"))


if __name__ == "__main__":
    main(*sys.argv[1:5])
