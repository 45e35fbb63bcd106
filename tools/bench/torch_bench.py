#!/usr/bin/env python3
"""PyTorch (CPU) side of `make bench`'s side-by-side comparison. Never a dependency of the build or tests:
`make bench TORCH_PYTHON=/path/to/python-with-torch` runs it alternately with our `bench`.

  age : one AGE iteration (Ulyanov et al. 2017, Section 2.3: one encoder step, two generator steps) on the
        DCGAN-style 32x32 pair of Benchmarks/Bench.swift's `mnist32` configuration (C = 1, M = 64,
        ngf = ndf = --width), batch --batch, Adam(2e-4, (0.5, 0.999)); prints "images/s: <median>".
  mlp : forward and backward of Wu et al.'s decoder MLP (10-64-256-256-1024-784, tanh; Models/MLP.swift) at
        batch --batch; prints "passes/s: <median>".
"""
import argparse, statistics, time

import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("what", choices=["age", "mlp"])
ap.add_argument("--width", type=int, default=64)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--batch", type=int, default=64)
ap.add_argument("--iters", type=int, default=20)
ap.add_argument("--warmup", type=int, default=5)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


class Generator(nn.Module):
    def __init__(self, nz, w, c):
        super().__init__()
        self.net = nn.Sequential(
            nn.ConvTranspose2d(nz, 4 * w, 4, 1, 0, bias=False), nn.BatchNorm2d(4 * w), nn.ReLU(True),
            nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.ReLU(True),
            nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(True),
            nn.ConvTranspose2d(w, c, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, z):
        return self.net(z.view(z.shape[0], -1, 1, 1))


class Encoder(nn.Module):
    def __init__(self, nz, w, c):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(c, w, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True),
            nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2, True),
            nn.Conv2d(2 * w, 4 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(4 * w), nn.LeakyReLU(0.2, True),
            nn.Conv2d(4 * w, nz, 4, 1, 0))

    def forward(self, x):
        z = self.net(x).view(x.shape[0], -1)
        return z / z.norm(dim=1, keepdim=True)


def dcgan_init(m):  # DCGAN's initialisation, as Models/DCGAN32.swift (dcganInit) and the released AGE code
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def kl(codes):  # eq. (7), averaged over dimensions
    m = codes.mean(0)
    s2 = ((codes - m) ** 2).mean(0)
    return ((s2 + m * m) / 2 - 0.5 * torch.log(s2)).mean() - 0.5


def sphere(n, nz):
    z = torch.randn(n, nz)
    return z / z.norm(dim=1, keepdim=True)


def timed(step):
    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.iters):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


if a.what == "age":
    nz, c = 64, 1
    g, e = Generator(nz, a.width, c), Encoder(nz, a.width, c)
    g.apply(dcgan_init); e.apply(dcgan_init)
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_e = torch.optim.Adam(e.parameters(), lr=2e-4, betas=(0.5, 0.999))
    data = torch.rand(8 * a.batch, c, 32, 32) * 2 - 1   # eight batches in turn, as Bench.swift
    turn = [0]

    def batch():
        turn[0] = (turn[0] + 1) % 8
        return data[turn[0] * a.batch:(turn[0] + 1) * a.batch]

    def frozen(net, flag):
        for p in net.parameters():
            p.requires_grad_(not flag)

    def step():  # e's step with g frozen, then g's steps with e frozen, as our AGETrainer
        frozen(g, True); frozen(e, False)
        opt_e.zero_grad(set_to_none=True)
        x = batch()
        ex = e(x)
        with torch.no_grad():
            fake = g(sphere(a.batch, nz))
        loss_e = kl(ex) - kl(e(fake)) + 10 * (x - g(ex)).abs().mean()
        loss_e.backward()
        opt_e.step()
        frozen(e, True); frozen(g, False)
        for _ in range(2):
            opt_g.zero_grad(set_to_none=True)
            z = sphere(a.batch, nz)
            ez = e(g(z))
            loss_g = kl(ez) + 1000 * ((z - ez) ** 2).mean()
            loss_g.backward()
            opt_g.step()

    print("images/s: %.1f" % (a.batch / timed(step)))
else:
    sizes = [10, 64, 256, 256, 1024, 784]
    layers = []
    for i in range(len(sizes) - 1):
        layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.Tanh()]
    mlp = nn.Sequential(*layers)
    z = torch.randn(a.batch, 10)

    def step():
        mlp.zero_grad(set_to_none=True)
        mlp(z).square().mean().backward()

    print("passes/s: %.1f" % (1 / timed(step)))
