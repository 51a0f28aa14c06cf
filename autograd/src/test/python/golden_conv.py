"""Golden fixtures for ansatz's im2col / col2im / maxPool2d / avgPool2d, computed by PyTorch.

Run from the repository root with /usr/bin/python3 (needs torch and numpy):

    /usr/bin/python3 autograd/src/test/python/golden_conv.py

For each case NAME it writes float64 .npy files to autograd/src/test/resources/golden/conv/:
  NAME_params.npy  [kh, kw, sh, sw, ph, pw, dh, dw, H, W]  (H, W: fold's output size; else unused)
  NAME_x.npy       the input
  NAME_y.npy       the forward output
  NAME_gy.npy      a fixed-seed upstream gradient dL/dy
  NAME_gx.npy      dL/dx = vector-Jacobian product of gy, from torch.autograd
The Java test ConvGoldenTest reads them; tests never run Python.
"""
import os
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden", "conv")


def save(name, array):
    """Writes one float64 C-order .npy atomically (temp file, then rename)."""
    array = np.ascontiguousarray(np.asarray(array, dtype="<f8"))
    fd, tmp = tempfile.mkstemp(dir=OUT, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        np.save(f, array)
    os.chmod(tmp, 0o644)
    os.replace(tmp, os.path.join(OUT, name + ".npy"))


def case(name, op, x, k, s, p, d=(1, 1), out_size=(0, 0)):
    gen = torch.Generator().manual_seed(sum(name.encode()))  # deterministic per case (str hash is not)
    x = x.clone().requires_grad_(True)
    if op == "unfold":
        y = F.unfold(x, k, dilation=d, padding=p, stride=s)
    elif op == "fold":
        y = F.fold(x, out_size, k, dilation=d, padding=p, stride=s)
    elif op == "max_pool2d":
        y = F.max_pool2d(x, k, stride=s, padding=p)
    elif op == "avg_pool2d":
        y = F.avg_pool2d(x, k, stride=s, padding=p)  # count_include_pad=True, ceil_mode=False
    gy = torch.randn(y.shape, generator=gen, dtype=torch.float64)
    (gx,) = torch.autograd.grad(y, x, gy)
    save(name + "_params", [k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], out_size[0], out_size[1]])
    save(name + "_x", x.detach().numpy())
    save(name + "_y", y.detach().numpy())
    save(name + "_gy", gy.numpy())
    save(name + "_gx", gx.numpy())


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    r = lambda *shape: torch.randn(*shape, dtype=torch.float64)
    case("unfold_a", "unfold", r(1, 3, 5, 6), k=(2, 3), s=(2, 1), p=(1, 0))
    case("unfold_b", "unfold", r(1, 2, 7, 7), k=(3, 3), s=(2, 2), p=(1, 1), d=(2, 2))
    # fold's input (N, C*kh*kw, L) with L = the window count of the output size
    case("fold_a", "fold", r(1, 3 * 6, 3 * 4), k=(2, 3), s=(2, 1), p=(1, 0), out_size=(5, 6))
    case("fold_b", "fold", r(1, 2 * 9, 3 * 3), k=(3, 3), s=(2, 2), p=(1, 1), d=(2, 2), out_size=(7, 7))
    case("maxpool_a", "max_pool2d", r(2, 2, 7, 8), k=(3, 3), s=(2, 2), p=(1, 1))
    case("maxpool_b", "max_pool2d", r(1, 3, 6, 5), k=(2, 3), s=(2, 1), p=(1, 1))
    # Many ties and only negative values: checks first-maximum tie breaking and -inf padding.
    ties = torch.randint(-3, 0, (1, 2, 6, 6), dtype=torch.int64).to(torch.float64)
    case("maxpool_ties", "max_pool2d", ties, k=(3, 3), s=(1, 1), p=(1, 1))
    case("avgpool_a", "avg_pool2d", r(2, 1, 7, 8), k=(3, 3), s=(2, 2), p=(1, 1))
    case("avgpool_b", "avg_pool2d", r(1, 3, 9, 9), k=(2, 3), s=(1, 2), p=(1, 0))


if __name__ == "__main__":
    main()
