#!/usr/bin/env python3
"""Golden values from PyTorch for chains of Ansatz ops (read by GoldenOpsTest.java).

Run by hand from the repository root:  /usr/bin/python3 autograd/src/test/python/golden_ops.py
It rewrites autograd/src/test/resources/golden/ops/*.npz; the files are committed and the tests never
run Python.

Each case is a chain of ops on a few leaf tensors. For a case with outputs out_0..out_{k-1}, the file
holds, all in float64:
  in_<name>      the leaves (gradients are taken with respect to these)
  const_<name>   non-differentiable inputs: 0/1 masks (float64), labels and indices (int64)
  out_<k>        the forward outputs
  upstream_<k>   a random tensor of the same shape as out_<k>
  grad_<name>    d/d in_<name> of  sum_k sum(out_k * upstream_k)
All inputs and upstreams are rounded to float32 precision first, so that the Java float32 run starts
from exactly the same numbers and differs only by float32 arithmetic.
The Java test rebuilds every chain with Ansatz ops; keep the two in step when editing a case.
"""
import os
import zlib

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden", "ops")
CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Source:
    """Seeded float64 values rounded to float32 precision."""

    def __init__(self, name):
        self.g = torch.Generator().manual_seed(zlib.crc32(name.encode()))

    def randn(self, *shape, scale=1.0, shift=0.0):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], tuple) else shape
        return (torch.randn(tuple(shape), generator=self.g, dtype=torch.float64) * scale + shift).float().double()

    def uniform(self, lo, hi, *shape):
        return (lo + (hi - lo) * torch.rand(*shape, generator=self.g, dtype=torch.float64)).float().double()

    def integers(self, lo, hi, *shape):
        return torch.randint(lo, hi, shape, generator=self.g, dtype=torch.int64)


# ----------------------------------------------------------------------------------------- cases
# Each returns (inputs, consts, chain) where chain(inputs, consts) returns a list of outputs.


@case
def mlp_nll(s):
    """x@W1+b1 -> relu -> @W2 -> log_softmax -> pick the label's log-probability (nll-like)."""
    inputs = dict(x=s.randn(5, 4), w1=s.randn(4, 7), b1=s.randn(7, scale=0.1), w2=s.randn(7, 3))
    consts = dict(labels=torch.tensor([2, 0, 1, 1, 2]))

    def chain(i, c):
        h = torch.relu(i["x"] @ i["w1"] + i["b1"])
        logp = torch.log_softmax(h @ i["w2"], dim=1)
        picked = -logp[torch.arange(5), c["labels"]]
        return [picked, picked.mean()]

    return inputs, consts, chain


@case
def unary_smooth(s):
    """tanh, sigmoid, exact gelu, exp, log, sqrt chained."""
    inputs = dict(x=s.randn(3, 5), y=s.uniform(0.5, 2.0, 3, 5))

    def chain(i, c):
        x, y = i["x"], i["y"]
        a = torch.tanh(x) * torch.sigmoid(2 * x) + F.gelu(x)
        b = torch.exp(-a * a) + torch.log(y + x.abs()) - torch.sqrt(y * y + 0.5)
        return [a, b, torch.sigmoid(torch.tanh(b) * 3 - 1).log()]

    return inputs, consts_none(), chain


@case
def unary_kinks(s):
    """relu, leaky_relu, abs, clamp with inputs exactly at their kinks (0 and the clamp bounds)."""
    x = s.randn(4, 6)
    x.view(-1)[:5] = torch.tensor([0.0, -0.5, 0.75, 0.0, 0.75])
    inputs = dict(x=x)

    def chain(i, c):
        x = i["x"]
        return [torch.relu(x), F.leaky_relu(x, 0.1), x.abs(), x.clamp(-0.5, 0.75),
                torch.relu(F.leaky_relu(x, 0.2) * 2 - x.abs()).clamp(0.0, 1.0)]

    return inputs, consts_none(), chain


@case
def pow_chain(s):
    """Constant powers (integer, fractional, negative; negative bases for integer powers)."""
    inputs = dict(p=s.uniform(0.5, 2.0, 3, 4), z=s.randn(3, 4))

    def chain(i, c):
        p, z = i["p"], i["z"]
        return [p.pow(0.5) + p.pow(-1.5) - p.pow(2.5), z.pow(3) - z.pow(2) * 0.5 + z.pow(1),
                (z * z + p).pow(0.3).pow(2)]

    return inputs, consts_none(), chain


@case
def broadcast_binary(s):
    """add/sub/mul/div/maximum/minimum/pow between (4,1,3) and (2,3), with ties for max/min."""
    a = s.randn(4, 1, 3)
    b = s.randn(2, 3)
    a[1, 0, :] = b[0, :]  # ties: maximum/minimum split the gradient half and half
    a[2, 0, 1] = b[1, 1]
    inputs = dict(a=a, b=b, c=s.uniform(0.5, 1.5, 2, 3), d=s.randn(3), e=s.randn(()))

    def chain(i, c):
        a, b, cc, d, e = i["a"], i["b"], i["c"], i["d"], i["e"]
        return [a + b, a - b, a * b, a / cc, torch.maximum(a, b), torch.minimum(a, b),
                torch.pow(cc, a), (a * d - e) / (b * b + 1)]

    return inputs, consts_none(), chain


@case
def where_mask(s):
    """where with a stored mask, a computed mask and a broadcast mask."""
    inputs = dict(x=s.randn(3, 4), y=s.randn(3, 4), v=s.randn(4))
    consts = dict(mask=(torch.rand(3, 4, generator=s.g) > 0.5).double(),
                  rowmask=torch.tensor([[1.0], [0.0], [1.0]], dtype=torch.float64))

    def chain(i, c):
        x, y, v = i["x"], i["y"], i["v"]
        return [torch.where(c["mask"].bool(), x * 2, y.exp()),
                torch.where(x > y, x, y * v),
                torch.where(c["rowmask"].bool(), v, x.tanh())]

    return inputs, consts, chain


@case
def sum_mean_var(s):
    """sum/mean/var (unbiased and biased) over axis subsets, with and without keepdim."""
    inputs = dict(x=s.randn(3, 4, 5, scale=2.0, shift=1.0))

    def chain(i, c):
        x = i["x"]
        return [x.sum(dim=(0, 2), keepdim=True), x.sum(dim=-1), x.sum(),
                x.mean(dim=1), x.mean(dim=(0, 1), keepdim=True), x.mean(),
                x.var(dim=(0, 2), unbiased=True, keepdim=True), x.var(dim=1, unbiased=True),
                x.var(), x.var(dim=2, unbiased=False, keepdim=True)]

    return inputs, consts_none(), chain


@case
def layer_norm_chain(s):
    """(x - mean) / sqrt(biased var + eps) * g + b: mean and var feeding one another."""
    inputs = dict(x=s.randn(4, 6), g=s.randn(6), b=s.randn(6))

    def chain(i, c):
        x = i["x"]
        xhat = (x - x.mean(dim=1, keepdim=True)) / torch.sqrt(x.var(dim=1, unbiased=False, keepdim=True) + 1e-5)
        return [xhat * i["g"] + i["b"]]

    return inputs, consts_none(), chain


@case
def amax_ties(s):
    """amax/amin over axes, max over everything, max along a dim -- on integers, so with ties."""
    inputs = dict(x=s.integers(-3, 4, 3, 4, 5).double())

    def chain(i, c):
        x = i["x"]
        return [torch.amax(x, dim=(1, 2), keepdim=True), torch.amax(x, dim=0), torch.amax(x, dim=(0, 2)),
                x.max(), x.min(), torch.amin(x, dim=(0, 1)), torch.max(x, dim=1).values,
                torch.amax(x * i["x"].sigmoid(), dim=-1)]

    return inputs, consts_none(), chain


@case
def softmax_large_close(s):
    """logsumexp/softmax/log_softmax on logits near +-1e4 with small spread."""
    # Offsets on a 1/1024 grid keep every logit exactly representable in float32.
    off = torch.round(s.randn(4, 6) * 3 * 1024) / 1024
    sign = torch.tensor([[1.0], [-1.0], [1.0], [-1.0]], dtype=torch.float64)
    inputs = dict(z=1e4 * sign + off)

    def chain(i, c):
        z = i["z"]
        return [torch.logsumexp(z, dim=1), torch.softmax(z, dim=1), torch.log_softmax(z, dim=1),
                torch.logsumexp(z, dim=1, keepdim=True) - z.mean()]

    return inputs, consts_none(), chain


@case
def softmax_large_spread(s):
    """softmax/log_softmax on logits of magnitude 1e4 spread far apart (nearly one-hot)."""
    z = torch.round(s.randn(4, 6) * 1e4 * 16) / 16
    z[0, :] = torch.tensor([1e4, 1e4, -1e4, 1e4 - 1, 0.0, 1e4])  # tied maxima
    inputs = dict(z=z)

    def chain(i, c):
        z = i["z"]
        return [torch.logsumexp(z, dim=1), torch.softmax(z, dim=1), torch.log_softmax(z, dim=1),
                torch.log_softmax(z, dim=0), torch.softmax(z, dim=0)]

    return inputs, consts_none(), chain


@case
def matmul_batched(s):
    """Batched matmul with broadcast batch axes, transposed operands, vectors."""
    inputs = dict(a=s.randn(2, 1, 3, 4), b=s.randn(5, 4, 2), c=s.randn(2, 4, 3), d=s.randn(4, 5),
                  v=s.randn(4), m=s.randn(3, 4))

    def chain(i, c):
        a, b, cc, d, v, m = i["a"], i["b"], i["c"], i["d"], i["v"], i["m"]
        return [a @ b, cc.transpose(-1, -2) @ d, v @ d, m @ v, (m @ m.t()) @ m,
                cc.transpose(1, 2) @ cc]

    return inputs, consts_none(), chain


@case
def structure_chain(s):
    """reshape/permute/transpose/expand/narrow/index_select/cat/stack chained."""
    inputs = dict(x=s.randn(2, 3, 4), w=s.randn(4, 1), z=s.randn(4, 4), u=s.randn(12))
    consts = dict(idx=torch.tensor([3, 0, 3, 1]))

    def chain(i, c):
        x, w, z, u = i["x"], i["w"], i["z"], i["u"]
        a = x.permute(2, 0, 1)                      # (4, 2, 3)
        b = a.reshape(4, 6)
        cc = b.narrow(1, 1, 4)                      # (4, 4)
        d = cc.index_select(0, c["idx"])            # repeated index: gradients add up
        e = d.transpose(0, 1) * w.expand(4, 4)
        f = torch.cat([e, z.tanh(), x.reshape(4, 6).narrow(1, 2, 3)], dim=1)   # (4, 11)
        g = torch.stack([e, z, d], dim=1)           # (4, 3, 4)
        h = x.unsqueeze(1).expand(2, 5, 3, 4).reshape(10, 12) * u
        k = x.select(1, 2).t().index_select(1, torch.tensor([1, 1, 0]))
        return [f, g, h, k]

    return inputs, consts, chain


@case
def onehot_mse(s):
    """softmax -> MSE against one-hot targets, and MSE on the logits directly."""
    inputs = dict(x=s.randn(6, 5), w=s.randn(5, 4))
    consts = dict(labels=torch.tensor([0, 3, 1, 3, 2, 0]))

    def chain(i, c):
        logits = i["x"] @ i["w"]
        target = F.one_hot(c["labels"], 4).double()
        p = torch.softmax(logits, dim=1)
        return [((p - target) ** 2).mean(), ((logits - target) ** 2).mean(dim=0)]

    return inputs, consts, chain


def consts_none():
    return {}


# ----------------------------------------------------------------------------------------- main


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".npz"):
            os.remove(os.path.join(OUT, old))
    total = 0
    for name, make in CASES.items():
        s = Source(name)
        inputs, consts, chain = make(s)
        leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
        outs = chain(leaves, consts)
        ups = [s.randn(tuple(o.shape)) for o in outs]
        loss = sum((o * u).sum() for o, u in zip(outs, ups))
        grads = torch.autograd.grad(loss, list(leaves.values()), allow_unused=True)
        arrays = {}
        for k, v in inputs.items():
            arrays["in_" + k] = v.numpy()
        for k, v in consts.items():
            arrays["const_" + k] = v.numpy()
        for n, (o, u) in enumerate(zip(outs, ups)):
            arrays[f"out_{n}"] = o.detach().numpy()
            arrays[f"upstream_{n}"] = u.numpy()
        for k, g in zip(inputs, grads):
            arrays["grad_" + k] = (g if g is not None else torch.zeros_like(inputs[k])).numpy()
        for k, v in arrays.items():
            assert np.all(np.isfinite(v)), f"{name}: {k} is not finite"
        path = os.path.join(OUT, name + ".npz")
        np.savez_compressed(path, **arrays)
        total += os.path.getsize(path)
        print(f"{name}: {len(outs)} outputs, {os.path.getsize(path)} bytes")
    print(f"{len(CASES)} cases, {total} bytes in {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
