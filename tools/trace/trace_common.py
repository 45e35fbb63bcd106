"""What the reference-trace scripts share: the DCGAN-style 32x32 pair of Models/DCGAN32.swift at a tiny width,
and a safetensors writer (F32 only). Imported by age_trace.py and ali_trace.py."""
import json, struct
import numpy as np
import torch
import torch.nn as nn


def generator(nc, nz, ngf):
    """g: [N, nz, 1, 1] -> [N, nc, 32, 32] (transposed convolutions, batch norm, ReLU, tanh)."""
    return nn.Sequential(
        nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(),
        nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(),
        nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(),
        nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh())


def encoder(nc, outputs, ndf):
    """e: [N, nc, 32, 32] -> [N, outputs, 1, 1] (convolutions, batch norm, LeakyReLU 0.2)."""
    return nn.Sequential(
        nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),
        nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2),
        nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2),
        nn.Conv2d(ndf * 4, outputs, 4, 1, 0, bias=True))


def write_safetensors(path, tensors, metadata):
    """safetensors: 8-byte little-endian header length, JSON header, F32 data in header order."""
    header, body, offset = {}, bytearray(), 0
    for k in sorted(tensors):
        a = np.ascontiguousarray(tensors[k], dtype="<f4")
        header[k] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        body += a.tobytes(); offset += a.nbytes
    rest = {k: v for k, v in metadata.items() if k != "source"}
    header["__metadata__"] = {"source": metadata["source"], "torch": torch.__version__, **rest}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - (8 + len(h)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + bytes(body))
    return 8 + len(h) + len(body)
