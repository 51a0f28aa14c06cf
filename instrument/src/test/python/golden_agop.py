#!/usr/bin/python3
"""PyTorch fixtures for the instrument module's AGOP tests (float32).

For small networks it saves the weights, the inputs and the per-layer AGOPs computed the direct
way with functorch (vmap over samples of jacrev of the sub-network that maps a layer's input to
the output): dense layers w.r.t. the layer input h_l, conv layers w.r.t. every input patch (the
im2col columns of the layer input). Nothing here uses the chain-rule form that Ansatz uses, so the
fixtures check it independently. Run from the repository root:

    /usr/bin/python3 instrument/src/test/python/golden_agop.py

Writes instrument/src/test/resources/golden/agop_{mlp,ntk_mlp,cnn}.npz with entries
    param.<name>   the model's parameters, Ansatz/PyTorch state-dict names (Sequential children 0, 1, ...)
    x              the inputs (n, ...)
    agop.<layer>   AGOP_l = (1/n) sum_i sum_k J_k(x_i)^T J_k(x_i) (patch AGOP for conv layers), float32
"""
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from functorch import jacrev, vmap

torch.manual_seed(20261123)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden")


class NtkLinear(nn.Linear):
    """z = x W^T / sqrt(in) + b, parameters N(0, 1): Ansatz's Parameterization.NTK."""

    def __init__(self, i, o, bias):
        super().__init__(i, o, bias=bias)
        with torch.no_grad():
            self.weight.normal_()
            if self.bias is not None:
                self.bias.normal_()

    def forward(self, x):
        return F.linear(x, self.weight) / math.sqrt(self.in_features) + (0 if self.bias is None else self.bias)


def dense_agops(model, x):
    """AGOP w.r.t. the input of every Linear child of a Sequential, per sample via jacrev."""
    out = {}
    children = list(model.children())
    for idx, layer in enumerate(children):
        if not isinstance(layer, nn.Linear):
            continue
        head = nn.Sequential(*children[:idx])
        tail = nn.Sequential(*children[idx:])
        with torch.no_grad():
            h = head(x)
        jac = vmap(jacrev(lambda v: tail(v.unsqueeze(0)).squeeze(0)))(h)  # (n, c, d_l)
        out[str(idx)] = torch.einsum("nka,nkb->ab", jac, jac) / x.shape[0]
    return out


def conv_patch_agop(model, x, idx):
    """Patch AGOP of conv child idx: Jacobian of the output w.r.t. the im2col columns of its input."""
    children = list(model.children())
    conv = children[idx]
    head = nn.Sequential(*children[:idx])
    rest = nn.Sequential(*children[idx + 1:])
    with torch.no_grad():
        h = head(x)
    kh, kw = conv.kernel_size
    cols = F.unfold(h, (kh, kw), stride=conv.stride, padding=conv.padding, dilation=conv.dilation)  # (n, C*kh*kw, L)
    oh = (h.shape[2] + 2 * conv.padding[0] - conv.dilation[0] * (kh - 1) - 1) // conv.stride[0] + 1
    ow = (h.shape[3] + 2 * conv.padding[1] - conv.dilation[1] * (kw - 1) - 1) // conv.stride[1] + 1
    wm = conv.weight.reshape(conv.out_channels, -1)

    def from_cols(c):
        z = (wm @ c).reshape(1, conv.out_channels, oh, ow)
        if conv.bias is not None:
            z = z + conv.bias.reshape(1, -1, 1, 1)
        return rest(z).squeeze(0)

    jac = vmap(jacrev(from_cols))(cols)  # (n, c, C*kh*kw, L)
    return torch.einsum("nkpl,nkql->pq", jac, jac) / x.shape[0]


def save(name, model, x, agops):
    arrays = {"param." + k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    arrays["x"] = x.numpy().astype(np.float32)
    for k, v in agops.items():
        arrays["agop." + k] = v.detach().numpy().astype(np.float32)
    path = os.path.join(OUT, "agop_%s.npz" % name)
    np.savez_compressed(path, **arrays)
    print(path, os.path.getsize(path), "bytes")


os.makedirs(OUT, exist_ok=True)

mlp = nn.Sequential(nn.Linear(8, 16, bias=True), nn.ReLU(), nn.Linear(16, 12, bias=False), nn.Tanh(), nn.Linear(12, 3, bias=True))
x = torch.randn(40, 8)
save("mlp", mlp, x, dense_agops(mlp, x))

ntk = nn.Sequential(NtkLinear(6, 10, True), nn.Tanh(), NtkLinear(10, 9, True), nn.ReLU(), NtkLinear(9, 2, False))
x = torch.randn(30, 6)
save("ntk_mlp", ntk, x, dense_agops(ntk, x))

cnn = nn.Sequential(nn.Conv2d(2, 4, 3, stride=1, padding=1, bias=True), nn.ReLU(),
                    nn.Conv2d(4, 5, 2, stride=2, padding=0, bias=False), nn.Tanh(),
                    nn.Flatten(), nn.Linear(5 * 3 * 3, 3, bias=True))
x = torch.randn(12, 2, 6, 6)
agops = {"0": conv_patch_agop(cnn, x, 0), "2": conv_patch_agop(cnn, x, 2)}
agops.update(dense_agops(cnn, x))
save("cnn", cnn, x, agops)
