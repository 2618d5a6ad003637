"""La RedMNIST del curso aprende: > 90 % en MNIST real (si está) y en datos sintéticos."""
import numpy as np

import tinygrad_es as torch
import tinygrad_es.nn as nn
from tinygrad_es.datasets.idx import read_idx
from tinygrad_es.optim import Adam
from redmnist import RedMNIST


def train(model, x, y, epochs, batch_size=64, seed=0):
    torch.manual_seed(seed)
    optimizer = Adam(model.parameters(), lr=1e-3)
    criterion = nn.NLLLoss()
    n = x.shape[0]
    model.train()
    for _ in range(epochs):
        order = torch.randperm(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            optimizer.zero_grad()
            loss = criterion(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
    return loss.item()


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        pred = model(x).argmax(dim=1)
    return float((pred == y).float().mean())


def test_redmnist_learns_real_mnist(mnist_dir):
    images = read_idx(mnist_dir / "t10k-images-idx3-ubyte.gz").reshape(-1, 1, 28, 28)
    labels = read_idx(mnist_dir / "t10k-labels-idx1-ubyte.gz").astype(np.int64)
    assert images.shape == (10000, 1, 28, 28) and labels.shape == (10000,)
    x = torch.tensor(((images / 255.0 - 0.1307) / 0.3081).astype(np.float32))
    y = torch.tensor(labels)
    torch.manual_seed(0)
    model = RedMNIST()
    final_loss = train(model, x[:8000], y[:8000], epochs=2)
    assert np.isfinite(final_loss)
    assert all(p.dtype == torch.float32 for p in model.parameters())
    held_out = accuracy(model, x[8000:], y[8000:])
    assert held_out > 0.90, f"precisión en los 2000 ejemplos reservados: {held_out:.3f}"


def test_redmnist_learns_gaussian_blobs():
    rng = np.random.default_rng(0)
    centers = rng.standard_normal((10, 784)).astype(np.float32) * 0.15
    labels = rng.integers(0, 10, size=3000)
    points = centers[labels] + rng.standard_normal((3000, 784)).astype(np.float32)
    x = torch.tensor(points.reshape(-1, 1, 28, 28))
    y = torch.tensor(labels)
    torch.manual_seed(1)
    model = RedMNIST()
    train(model, x[:2000], y[:2000], epochs=4)
    held_out = accuracy(model, x[2000:], y[2000:])
    assert held_out > 0.90, f"precisión en los 1000 ejemplos reservados: {held_out:.3f}"
    chance = accuracy(RedMNIST(), x[2000:], y[2000:])
    assert chance < 0.3   # sin entrenar no acierta (la prueba puede fallar)
