"""An inter-sentence transformer over sentence vectors: BertSumExt's classifier, made small.

BertSumExt (Liu and Lapata 2019) puts two transformer layers over BERT's sentence vectors so that
each sentence is scored in the light of the rest of the story: what it repeats, what it adds,
where it stands. This head does the same over the frozen MiniLM vectors of
:mod:`nutgraf.select.accurate.encoder`: a sentence's vector plus a learned embedding of its
position go through ``layers`` post-norm transformer layers, and a linear layer gives the
logit that the extractive oracle picks it.

Training needs torch (it comes with the ``accurate`` extra); scoring does not: the forward pass
is a few small matrix products that numpy runs in well under a millisecond a story, so a loaded
model never imports torch. :func:`forward` is that numpy pass, and ``head_test.py`` checks it
against torch's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nutgraf.errors import ModelError

MAX_POSITION = 64
"""Sentences past this position share its embedding."""

Weights = dict[str, NDArray[np.float32]]


@dataclass(frozen=True)
class HeadParams:
    """Size and training schedule of the head."""

    width: int = 256
    layers: int = 2
    heads: int = 4
    ffn: int = 512
    dropout: float = 0.1
    epochs: int = 5
    batch_size: int = 32
    learning_rate: float = 5e-4
    seed: int = 0
    threads: int = 2


def _layer_norm(x: NDArray[np.float32], w: Weights, name: str) -> NDArray[np.float32]:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: NDArray[np.float32] = (x - mean) / np.sqrt(var + 1e-5) * w[f"{name}.weight"]
    return out + w[f"{name}.bias"]


def forward(
    w: Weights, vectors: NDArray[np.float32], positions: NDArray[np.int64]
) -> NDArray[np.float32]:
    """Logits for one story's read sentences (``vectors`` n x 384, in story order)."""
    if not len(vectors):
        return np.zeros(0, dtype=np.float32)
    heads = int(w["heads"][0])
    x = (
        vectors @ w["input.weight"].T
        + w["input.bias"]
        + w["position.weight"][np.minimum(positions, MAX_POSITION - 1)]
    )
    n, width = x.shape
    size = width // heads
    layer = 0
    while f"layer{layer}.qkv.weight" in w:
        p = f"layer{layer}"
        qkv = (x @ w[f"{p}.qkv.weight"].T + w[f"{p}.qkv.bias"]).reshape(n, 3, heads, size)
        q, k, v = (qkv[:, i].transpose(1, 0, 2) for i in range(3))
        logits = q @ k.transpose(0, 2, 1) / np.sqrt(size)
        logits = np.exp(logits - logits.max(-1, keepdims=True))
        attn = (logits / logits.sum(-1, keepdims=True)) @ v
        attn = (
            attn.transpose(1, 0, 2).reshape(n, width) @ w[f"{p}.out.weight"].T + w[f"{p}.out.bias"]
        )
        x = _layer_norm(x + attn, w, f"{p}.norm1")
        inner = np.maximum(x @ w[f"{p}.ffn1.weight"].T + w[f"{p}.ffn1.bias"], 0)
        x = _layer_norm(x + inner @ w[f"{p}.ffn2.weight"].T + w[f"{p}.ffn2.bias"], w, f"{p}.norm2")
        layer += 1
    logits = (x @ w["output.weight"].T + w["output.bias"])[:, 0]
    return np.asarray(logits, dtype=np.float32)


def require_torch() -> Any:
    """Import torch, which only training needs, or say which extra installs it."""
    try:
        import torch
    except ImportError as error:
        raise ModelError(
            'training the accurate model needs torch: pip install "nutgraf[accurate]"'
        ) from error
    return torch


def _module(params: HeadParams) -> Any:
    """Build the head as a torch module whose parameter names match :func:`forward`'s weights."""
    torch = require_torch()
    nn = torch.nn
    module: Any = nn.Module

    class Layer(module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.qkv = nn.Linear(params.width, 3 * params.width)
            self.out = nn.Linear(params.width, params.width)
            self.norm1 = nn.LayerNorm(params.width)
            self.ffn1 = nn.Linear(params.width, params.ffn)
            self.ffn2 = nn.Linear(params.ffn, params.width)
            self.norm2 = nn.LayerNorm(params.width)
            self.drop = nn.Dropout(params.dropout)

        def forward(self, x: Any, pad: Any) -> Any:
            b, n, width = x.shape
            size = width // params.heads
            qkv = self.qkv(x).view(b, n, 3, params.heads, size).permute(2, 0, 3, 1, 4)
            logits = qkv[0] @ qkv[1].transpose(-1, -2) / size**0.5
            logits = logits.masked_fill(pad[:, None, None, :], float("-inf"))
            attn = (logits.softmax(-1) @ qkv[2]).transpose(1, 2).reshape(b, n, width)
            x = self.norm1(x + self.drop(self.out(attn)))
            return self.norm2(x + self.drop(self.ffn2(torch.relu(self.ffn1(x)))))

    class Head(module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.input = nn.Linear(384, params.width)
            self.position = nn.Embedding(MAX_POSITION, params.width)
            for i in range(params.layers):
                self.add_module(f"layer{i}", Layer())
            self.output = nn.Linear(params.width, 1)

        def forward(self, x: Any, positions: Any, pad: Any) -> Any:
            x = self.input(x) + self.position(positions.clamp(max=MAX_POSITION - 1))
            for i in range(params.layers):
                x = getattr(self, f"layer{i}")(x, pad)
            return self.output(x)[..., 0]

    return Head()


def fit(
    vectors: Sequence[NDArray[np.float32]],
    positions: Sequence[NDArray[np.int64]],
    labels: Sequence[NDArray[np.float32]],
    params: HeadParams,
    progress: Callable[[str], None] = lambda _: None,
) -> Weights:
    """Train the head on stories' read sentences against the oracle's 0/1 labels."""
    torch = require_torch()
    torch.manual_seed(params.seed)
    torch.set_num_threads(params.threads)
    rng = np.random.default_rng(params.seed)
    model = _module(params)
    keep = [i for i, v in enumerate(vectors) if len(v)]
    steps = params.epochs * -(-len(keep) // params.batch_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=params.learning_rate, weight_decay=0.01)
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(  # linear warm-up, then linear decay to 0
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="sum")
    model.train()
    for epoch in range(params.epochs):
        order = rng.permutation(keep)
        total = 0.0
        for start in range(0, len(order), params.batch_size):
            batch = order[start : start + params.batch_size]
            width = max(len(vectors[i]) for i in batch)
            x = np.zeros((len(batch), width, 384), dtype=np.float32)
            pos = np.zeros((len(batch), width), dtype=np.int64)
            y = np.zeros((len(batch), width), dtype=np.float32)
            pad = np.ones((len(batch), width), dtype=bool)
            for row, i in enumerate(batch):
                n = len(vectors[i])
                x[row, :n], pos[row, :n], y[row, :n], pad[row, :n] = (
                    vectors[i],
                    positions[i],
                    labels[i],
                    False,
                )
            logits = model(torch.from_numpy(x), torch.from_numpy(pos), torch.from_numpy(pad))
            real = ~torch.from_numpy(pad)
            loss = loss_fn(logits[real], torch.from_numpy(y)[real]) / len(batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss.detach()) * len(batch)
        progress(f"head epoch {epoch + 1}/{params.epochs}: loss {total / max(1, len(keep)):.4f}")
    weights = {
        name: value.detach().numpy().astype(np.float32)
        for name, value in model.state_dict().items()
    }
    weights["heads"] = np.array([params.heads], dtype=np.float32)
    return weights
