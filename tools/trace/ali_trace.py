#!/usr/bin/env python3
"""Writes the reference trace of ALI's losses and gradients that Tests/ModelsTests/ALITraceTests.swift
compares the Swift library with (one fixed batch, identical initial weights, as age_trace.py does for AGE).

Run by hand (PyTorch is never a dependency of the build or the tests):
    python3 -m venv --system-site-packages /tmp/tv && /tmp/tv/bin/pip install --no-deps <torch CPU wheel>
    /tmp/tv/bin/python tools/trace/ali_trace.py Tests/ModelsTests/Fixtures/ali-trace.safetensors

The networks are chapter 3's ALI at a tiny width: the DCGAN-style 32x32 encoder (Models/DCGAN32.swift) giving
[mu, log sigma], the DCGAN-style generator, and ALI's joint discriminator D(x, z) (Models/Systems/
Discriminators.swift, after github.com/IshmaelBelghazi/ALI, experiments/ali_cifar10.py) with maxout over
consecutive channel pairs, evaluated without dropout. The losses are ALI's (ali/bricks.py, ALI.compute_losses):
with d = D(x, mu + sigma * eps) and s = D(G(z), z),
  L_D = mean softplus(-d) + mean softplus(s)        (gradient for D only)
  L_G = mean softplus(d) + mean softplus(-s)        (gradient for E and G, D frozen).
The file (safetensors, F32) holds the initial parameters, x, z, eps, both losses and every gradient.
"""
import sys
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import trace_common

NC, NZ, W, B = 3, 4, 4, 6
torch.manual_seed(0)
torch.set_num_threads(1)


class Maxout(nn.Module):
    def forward(self, x):
        s = x.shape
        return x.view(s[0], s[1] // 2, 2, *s[2:]).max(dim=2).values


def generator():
    return trace_common.generator(NC, NZ, W)


def encoder():
    return trace_common.encoder(NC, 2 * NZ, W)


class Joint(nn.Module):
    def __init__(self):
        super().__init__()
        self.dx = nn.Sequential(
            nn.Conv2d(NC, 2 * W, 4, 2, 1), Maxout(), nn.Conv2d(W, 4 * W, 4, 2, 1), Maxout(),
            nn.Conv2d(2 * W, 8 * W, 4, 2, 1), Maxout(), nn.Conv2d(4 * W, 8 * W, 4, 1, 0), Maxout(), nn.Flatten())
        self.dz = nn.Sequential(nn.Linear(NZ, 8 * W, bias=False), Maxout(), nn.Linear(4 * W, 8 * W, bias=False), Maxout())
        self.joint = nn.Sequential(nn.Linear(8 * W, 16 * W), Maxout(), nn.Linear(8 * W, 16 * W), Maxout(),
                                   nn.Linear(8 * W, 1))

    def forward(self, x, z):
        return self.joint(torch.cat([self.dx(x), self.dz(z)], dim=1))


def init(m):
    # Non-zero biases and scales wide enough that maxout's pieces and the softplus are not in a trivial regime.
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.2 if isinstance(m, nn.Linear) else 0.1)
        if m.bias is not None:
            nn.init.normal_(m.bias, 0.0, 0.05)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.1)
        nn.init.normal_(m.bias, 0.0, 0.05)


E, G, D = encoder(), generator(), Joint()
for net in (E, G, D):
    net.apply(init)
D.eval()                                   # ALI's dropout off: both sides see the same D
x = torch.rand(B, NC, 32, 32) * 2 - 1
z = torch.randn(B, NZ)
eps = torch.randn(B, NZ)
tensors = {"x": x.numpy(), "z": z.numpy(), "eps": eps.numpy()}
for name, net in (("e", E), ("g", G), ("d", D)):
    for i, p in enumerate(net.parameters()):
        tensors[f"init.{name}.{i}"] = p.detach().clone().numpy()

h = E(x).view(B, -1)
mu, log_sigma = h[:, :NZ], h[:, NZ:]
z_hat = mu + log_sigma.exp() * eps
x_tilde = G(z.view(B, NZ, 1, 1))
logits = D(torch.cat([x, x_tilde]), torch.cat([z_hat, z]))     # one forward pass over 2N pairs
d_enc, d_dec = logits[:B], logits[B:]
loss_d = F.softplus(-d_enc).mean() + F.softplus(d_dec).mean()
loss_g = F.softplus(d_enc).mean() + F.softplus(-d_dec).mean()
grads_d = torch.autograd.grad(loss_d, list(D.parameters()), retain_graph=True)
grads_eg = torch.autograd.grad(loss_g, list(E.parameters()) + list(G.parameters()))
ne = len(list(E.parameters()))
tensors["losses"] = np.array([loss_d.item(), loss_g.item()])
for i, gr in enumerate(grads_d):
    tensors[f"grad.d.{i}"] = gr.numpy()
for i, gr in enumerate(grads_eg[:ne]):
    tensors[f"grad.e.{i}"] = gr.numpy()
for i, gr in enumerate(grads_eg[ne:]):
    tensors[f"grad.g.{i}"] = gr.numpy()

size = trace_common.write_safetensors(sys.argv[1], tensors, {"source": "tools/trace/ali_trace.py", "nc": str(NC), "nz": str(NZ),
                                                                "width": str(W), "batch": str(B)})
print(f"wrote {sys.argv[1]}: {len(tensors)} tensors, {size} bytes, L_D {loss_d.item():.5f}, L_G {loss_g.item():.5f}")
