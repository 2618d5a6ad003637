"""La RedMNIST del curso aprende: > 90 % en MNIST real (si está) y en datos sintéticos."""
import gzip

import numpy as np

import tinygrad_es as torch
import tinygrad_es.nn as nn

try:
    from tinygrad_es.optim import Adam
except ImportError:   # pragma: no cover - mientras no exista tinygrad_es.optim
    Adam = None


class RedMNIST(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.stack = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                                   nn.Linear(64, 10))
        self.log_softmax = nn.LogSoftmax(dim=1)

    def forward(self, x):
        return self.log_softmax(self.stack(self.flatten(x)))


class SGDMomento:
    """SGD con momento escrito a mano (solo si tinygrad_es.optim no está disponible)."""

    def __init__(self, params, lr=0.05, momentum=0.9):
        self.params, self.lr, self.momentum = list(params), lr, momentum
        self.bufs = [None] * len(self.params)

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                g = p.grad
                self.bufs[i] = g.clone() if self.bufs[i] is None else self.bufs[i] * self.momentum + g
                p -= self.lr * self.bufs[i]


def make_optimizer(model):
    if Adam is not None:
        return Adam(model.parameters(), lr=1e-3)
    return SGDMomento(model.parameters())


def train(model, x, y, epochs, batch_size=64, seed=0):
    torch.manual_seed(seed)
    optimizer = make_optimizer(model)
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


def read_idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def test_redmnist_learns_real_mnist(mnist_dir):
    images = read_idx(mnist_dir / "t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)
    labels = read_idx(mnist_dir / "t10k-labels-idx1-ubyte.gz", 8).astype(np.int64)
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
