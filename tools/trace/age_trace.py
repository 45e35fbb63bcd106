#!/usr/bin/env python3
"""Writes the reference trace of one AGE iteration that Tests/ModelsTests/ReferenceTraceTests.swift
compares the Swift library with (in the manner of llm.c's test_gpt2: one fixed batch, identical initial
weights, the losses and the state after the update).

Run by hand (PyTorch is never a dependency of the build or the tests):
    python3 -m venv --system-site-packages /tmp/tv && /tmp/tv/bin/pip install --no-deps <torch CPU wheel>
    /tmp/tv/bin/python tools/trace/age_trace.py Tests/ModelsTests/Fixtures/age-trace.safetensors

The networks are the DCGAN-style 32x32 pair of Models/DCGAN32.swift (the network of the PyTorch yardstick
age_torch.py) at a tiny width. One iteration is the released code's (github.com/DmitryUlyanov/AGE, age.py):
one encoder update, then two generator updates, Adam(2e-4, betas 0.5, 0.999), mu = 10, lambda = 1000,
with either formula set:
  paper:         Delta = mean_j((s_j^2 + m_j^2)/2 - log s_j) - 1/2 (eq. 7), L_Z = mean (z - e(g(z)))^2;
  official-code: Delta = mean_j((v_j^2 + m_j^2)/2 - log v_j - 1/2) (src/losses.py KLN01Loss, v the variance),
                 L_Z = 2 - mean(normalize(z) * normalize(e(g(z)))) (src/utils.py match, 'cos').
The file (safetensors, F32) holds the initial parameters, the batch x and the three prior batches (encoder
step, generator steps 1 and 2), and per formula set the seven losses, the parameters, Adam's first and
second moments and the batch-norm running statistics after the iteration.
"""
import sys
import numpy as np
import torch
import torch.nn as nn

import trace_common

NC, NZ, NGF, NDF, B = 1, 8, 4, 4, 8
MU, LAMBDA, LR = 10.0, 1000.0, 2e-4
torch.manual_seed(0)
torch.set_num_threads(1)


def generator():
    return trace_common.generator(NC, NZ, NGF)


def encoder():
    return trace_common.encoder(NC, NZ, NDF)


def dcgan_init(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.normal_(m.bias, 0.0, 0.02)   # a non-zero bias, so its gradient is tested too
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.normal_(m.bias, 0.0, 0.02)


def sphere(n):
    z = torch.randn(n, NZ)
    return z / z.norm(dim=1, keepdim=True)


G0, E0 = generator(), encoder()
G0.apply(dcgan_init); E0.apply(dcgan_init)
x = torch.rand(B, NC, 32, 32) * 2 - 1
zs = [sphere(B) for _ in range(3)]


def delta(codes, variant):
    m = codes.mean(0)
    v = ((codes - m) ** 2).mean(0)
    if variant == "paper":
        return ((v + m * m) / 2 - 0.5 * torch.log(v)).mean() - 0.5
    return ((v * v + m * m) / 2 - torch.log(v) - 0.5).mean()


def latent_loss(egz, z, variant):
    if variant == "paper":
        return ((egz - z) ** 2).mean()
    return 2 - (nn.functional.normalize(egz, dim=1) * nn.functional.normalize(z, dim=1)).mean()


def iteration(variant):
    G, E = generator(), encoder()
    G.load_state_dict(G0.state_dict()); E.load_state_dict(E0.state_dict())
    enc = lambda t: nn.functional.normalize(E(t).view(t.shape[0], -1), dim=1)
    gen = lambda z: G(z.view(z.shape[0], NZ, 1, 1))
    optE = torch.optim.Adam(E.parameters(), lr=LR, betas=(0.5, 0.999))
    optG = torch.optim.Adam(G.parameters(), lr=LR, betas=(0.5, 0.999))
    # Encoder update (eq. 5): minimize Delta(e(x)) - Delta(e(g(z))) + mu |x - g(e(x))|_1, g frozen.
    for p in G.parameters(): p.requires_grad_(False)
    optE.zero_grad()
    ex = enc(x)
    kl_real = delta(ex, variant)
    recon_x = (gen(ex) - x).abs().mean()
    with torch.no_grad():
        fake = gen(zs[0])
    kl_fake_e = delta(enc(fake), variant)
    loss_e = kl_real + MU * recon_x - kl_fake_e
    loss_e.backward()
    optE.step()
    # Two generator updates (eq. 6): minimize Delta(e(g(z))) + lambda L_Z, e frozen.
    for p in G.parameters(): p.requires_grad_(True)
    for p in E.parameters(): p.requires_grad_(False)
    kl_g = rz = lg = 0.0
    for z in zs[1:]:
        optG.zero_grad()
        egz = enc(gen(z))
        kl = delta(egz, variant)
        r = latent_loss(egz, z, variant)
        loss_g = kl + LAMBDA * r
        loss_g.backward()
        optG.step()
        kl_g += kl.item() / 2; rz += r.item() / 2; lg += loss_g.item() / 2
    out = {f"{variant}.losses": np.array([kl_real.item(), kl_fake_e.item(), recon_x.item(), loss_e.item(), kl_g, rz, lg])}
    for name, net, opt in (("e", E, optE), ("g", G, optG)):
        for i, p in enumerate(net.parameters()):
            out[f"{variant}.{name}.{i}"] = p.detach().numpy()
            out[f"{variant}.{name}_exp_avg.{i}"] = opt.state[p]["exp_avg"].numpy()
            out[f"{variant}.{name}_exp_avg_sq.{i}"] = opt.state[p]["exp_avg_sq"].numpy()
        bns = [m for m in net.modules() if isinstance(m, nn.BatchNorm2d)]
        for j, bn in enumerate(bns):
            out[f"{variant}.{name}_running_mean.{j}"] = bn.running_mean.numpy()
            out[f"{variant}.{name}_running_var.{j}"] = bn.running_var.numpy()
    return out


tensors = {"x": x.numpy(), "z.e": zs[0].numpy(), "z.g0": zs[1].numpy(), "z.g1": zs[2].numpy()}
for name, net in (("e", E0), ("g", G0)):
    for i, p in enumerate(net.parameters()):
        tensors[f"init.{name}.{i}"] = p.detach().numpy()
for variant in ("paper", "official-code"):
    tensors.update(iteration(variant))

size = trace_common.write_safetensors(sys.argv[1], tensors, {"source": "tools/trace/age_trace.py", "nc": str(NC), "nz": str(NZ),
                                                                "ngf": str(NGF), "ndf": str(NDF), "batch": str(B)})
print(f"wrote {sys.argv[1]}: {len(tensors)} tensors, {size} bytes")
