"""tinygrad_es.vision: transforms (contra una referencia en NumPy) y datasets.MNIST."""
import numpy as np
import pytest

import tinygrad_es as tg
from tinygrad_es.datasets._base import ImageArrayDataset
from tinygrad_es.utils.data import DataLoader, default_collate
from tinygrad_es.vision import datasets, transforms

MEAN, STD = (0.1307,), (0.3081,)


def _images(n=9, shape=(28, 28), seed=0):
    return np.random.default_rng(seed).integers(0, 256, size=(n, *shape), dtype=np.uint8)


def _reference(img, mean=MEAN, std=STD):
    """ToTensor + Normalize de torchvision, escrito en NumPy (float32)."""
    x = img[:, :, None] if img.ndim == 2 else img
    x = x.transpose(2, 0, 1).astype(np.float32) / np.float32(255)
    m = np.asarray(mean, np.float32).reshape(-1, 1, 1)
    s = np.asarray(std, np.float32).reshape(-1, 1, 1)
    return (x - m) / s


# --- ToTensor -----------------------------------------------------------------------------

def test_to_tensor_gray_and_color():
    gray = _images(1)[0]
    t = transforms.ToTensor()(gray)
    assert t.dtype == tg.float32 and tuple(t.shape) == (1, 28, 28)
    np.testing.assert_array_equal(t.numpy()[0], gray.astype(np.float32) / np.float32(255))
    assert float(t.numpy().max()) <= 1.0 and float(t.numpy().min()) >= 0.0
    color = _images(1, shape=(5, 4, 3))[0]
    c = transforms.ToTensor()(color)
    assert tuple(c.shape) == (3, 5, 4)
    np.testing.assert_array_equal(c.numpy()[2], color[:, :, 2] / np.float32(255))


def test_to_tensor_keeps_other_dtypes_unscaled():
    x = np.linspace(0, 3, 12).reshape(3, 4)
    t = transforms.ToTensor()(x)
    assert t.dtype == tg.float64
    np.testing.assert_array_equal(t.numpy()[0], x)


def test_to_tensor_accepts_pil_images():
    Image = pytest.importorskip("PIL.Image")
    gray = _images(1)[0]
    np.testing.assert_array_equal(transforms.ToTensor()(Image.fromarray(gray)).numpy(),
                                  transforms.ToTensor()(gray).numpy())
    color = _images(1, shape=(6, 5, 3))[0]
    pil = transforms.ToTensor()(Image.fromarray(color, mode="RGB"))
    assert tuple(pil.shape) == (3, 6, 5)
    np.testing.assert_array_equal(pil.numpy(), transforms.ToTensor()(color).numpy())
    binary = Image.fromarray(gray > 127).convert("1")
    np.testing.assert_array_equal(transforms.ToTensor()(binary).numpy()[0],
                                  (gray > 127).astype(np.float32))


def test_to_tensor_errors():
    with pytest.raises(TypeError, match="ndarray"):
        transforms.ToTensor()(tg.zeros(1, 2, 2))
    with pytest.raises(ValueError, match="4 dimensiones"):
        transforms.ToTensor()(np.zeros((1, 2, 2, 1), np.uint8))


# --- Normalize, Compose, Lambda -----------------------------------------------------------

def test_normalize_matches_numpy_reference():
    img = _images(1, shape=(6, 7, 3))[0]
    mean, std = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    t = transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean, std)])
    out = t(img)
    assert out.dtype == tg.float32
    np.testing.assert_array_equal(out.numpy(), _reference(img, mean, std))


def test_normalize_inplace_and_errors():
    x = transforms.ToTensor()(_images(1)[0])
    before = x.numpy().copy()
    y = transforms.Normalize(MEAN, STD)(x)
    np.testing.assert_array_equal(x.numpy(), before)           # no cambia la entrada
    same = transforms.Normalize(MEAN, STD, inplace=True)(x)
    assert same is x
    np.testing.assert_array_equal(x.numpy(), y.numpy())
    with pytest.raises(ValueError, match="std vale 0"):
        transforms.Normalize((0.5,), (0.0,))(y)
    with pytest.raises(TypeError, match="punto flotante"):
        transforms.Normalize(MEAN, STD)(tg.zeros(1, 2, 2, dtype=tg.int64))
    with pytest.raises(ValueError, match="canales"):
        transforms.Normalize(MEAN, STD)(tg.zeros(2, 2))
    with pytest.raises(TypeError, match="ToTensor"):
        transforms.Normalize(MEAN, STD)(np.zeros((1, 2, 2), np.float32))


def test_normalize_keeps_gradient():
    x = tg.ones(1, 2, 2, requires_grad=True)
    transforms.Normalize((0.5,), (2.0,))(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full((1, 2, 2), 0.5, np.float32))


def test_compose_lambda_and_reprs():
    t = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD),
                            transforms.Lambda(lambda x: x.view(-1))])
    out = t(_images(1)[0])
    assert tuple(out.shape) == (784,)
    assert repr(t) == ("Compose(\n    ToTensor()\n    Normalize(mean=(0.1307,), std=(0.3081,))"
                       "\n    Lambda()\n)")
    with pytest.raises(TypeError, match="función"):
        transforms.Lambda(3)


# --- camino rápido del DataLoader: mismos números que muestra a muestra -------------------

def _per_item(ds, batch_size):
    return list(DataLoader(ds, batch_size=batch_size, collate_fn=lambda b: default_collate(b)))


@pytest.mark.parametrize("shape", [(28, 28), (5, 4, 3)])
def test_batched_transform_equals_per_item(monkeypatch, shape):
    images = _images(11, shape=shape)
    mean, std = ((0.2, 0.4, 0.6), (0.3, 0.2, 0.1)) if len(shape) == 3 else (MEAN, STD)
    t = transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean, std)])
    ds = ImageArrayDataset(images, np.arange(11) % 10, transform=t)
    slow = _per_item(ds, 4)
    monkeypatch.setattr(ImageArrayDataset, "__getitem__",
                        lambda self, i: pytest.fail("el camino rápido no se usó"))
    fast = list(DataLoader(ds, batch_size=4))
    assert len(fast) == len(slow) == 3
    for (xf, yf), (xs, ys) in zip(fast, slow):
        assert xf.dtype == xs.dtype == tg.float32 and yf.dtype == ys.dtype == tg.int64
        np.testing.assert_array_equal(xf.numpy(), xs.numpy())
        np.testing.assert_array_equal(yf.numpy(), ys.numpy())
    np.testing.assert_array_equal(fast[0][0].numpy()[1], _reference(images[1], mean, std))


def test_non_vectorisable_transform_falls_back_to_items():
    images = _images(6)
    t = transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda x: x.view(-1) * 2)])
    ds = ImageArrayDataset(images, np.zeros(6), transform=t)
    xb, yb = next(iter(DataLoader(ds, batch_size=6)))
    assert tuple(xb.shape) == (6, 784) and yb.tolist() == [0] * 6
    np.testing.assert_array_equal(xb.numpy()[5], images[5].reshape(-1) / np.float32(255) * 2)


def test_data_and_targets_can_be_reassigned():
    ds = ImageArrayDataset(_images(10), np.arange(10))
    ds.data, ds.targets = ds.data[:3], ds.targets[:3]       # truco habitual con torchvision
    assert len(ds) == 3 and ds[2][1] == 2
    xb, yb = next(iter(DataLoader(ds, batch_size=8)))
    assert tuple(xb.shape) == (3, 28, 28) and yb.tolist() == [0, 1, 2]


def test_target_transform_applied():
    ds = ImageArrayDataset(_images(4), np.arange(4), target_transform=lambda y: y + 10)
    _, yb = next(iter(DataLoader(ds, batch_size=4)))
    assert yb.tolist() == [10, 11, 12, 13]


# --- datasets.MNIST sobre los datos compartidos ---------------------------------------------

def test_vision_mnist_is_the_dataset_class():
    from tinygrad_es.datasets import MNIST
    assert datasets.MNIST is MNIST


def test_vision_mnist_on_shared_data(mnist_dir, tmp_path):
    t = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    raw = tmp_path / "datos" / "MNIST" / "raw"        # disposición de torchvision
    raw.mkdir(parents=True)
    for f in mnist_dir.iterdir():
        (raw / f.name).symlink_to(f)
    test_set = datasets.MNIST(tmp_path / "datos", train=False, transform=t)
    x0, y0 = test_set[0]
    assert tuple(x0.shape) == (1, 28, 28) and y0 == 7
    tg.manual_seed(0)
    loader = DataLoader(test_set, batch_size=1000, shuffle=True)
    seen, first = [], None
    for xb, yb in loader:
        first = first if first is not None else (xb, yb)
        seen += yb.tolist()
    assert len(loader) == 10 and len(seen) == 10000
    assert np.bincount(seen).tolist() == np.bincount(test_set.targets.numpy()).tolist()
    tg.manual_seed(0)
    xs, ys = next(iter(DataLoader(test_set, batch_size=1000, shuffle=True,
                                  collate_fn=lambda b: default_collate(b))))
    np.testing.assert_array_equal(first[0].numpy(), xs.numpy())
    np.testing.assert_array_equal(first[1].numpy(), ys.numpy())
