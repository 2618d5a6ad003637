"""DataLoader, Dataset, TensorDataset, Subset, ConcatDataset, random_split y default_collate."""
import collections
import warnings

import numpy as np
import pytest

import tinygrad_es as tg
from tinygrad_es.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset,
                                    RandomSampler, SequentialSampler, Subset,
                                    SubsetRandomSampler, TensorDataset, WeightedRandomSampler,
                                    default_collate, random_split)


def _dataset(n=10, features=3):
    X = tg.tensor(np.arange(n * features, dtype=np.float32).reshape(n, features))
    y = tg.arange(n)
    return TensorDataset(X, y)


def _labels(loader):
    return [yb.numpy().tolist() for _, yb in loader]


class Squares(Dataset):
    """Un Dataset propio (camino muestra a muestra)."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return {"x": np.full(2, i, dtype=np.float32), "y": i * i}


# --- lotes: formas, drop_last, len -------------------------------------------------------

def test_batch_shapes_and_len():
    loader = DataLoader(_dataset(10), batch_size=4)
    assert len(loader) == 3
    shapes = [(tuple(xb.shape), tuple(yb.shape)) for xb, yb in loader]
    assert shapes == [((4, 3), (4,)), ((4, 3), (4,)), ((2, 3), (2,))]
    xb, yb = next(iter(loader))
    assert xb.dtype == tg.float32 and yb.dtype == tg.int64
    np.testing.assert_array_equal(xb.numpy(), np.arange(12, dtype=np.float32).reshape(4, 3))
    assert _labels(loader) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_drop_last():
    loader = DataLoader(_dataset(10), batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert _labels(loader) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    shuffled = DataLoader(_dataset(10), batch_size=4, shuffle=True, drop_last=True)
    assert [len(b) for b in _labels(shuffled)] == [4, 4]
    assert len(DataLoader(_dataset(8), batch_size=4, drop_last=True)) == 2


def test_default_batch_size_is_one_and_iterator_has_len():
    loader = DataLoader(_dataset(3))
    it = iter(loader)
    assert len(it) == 3
    xb, yb = next(it)
    assert tuple(xb.shape) == (1, 3) and yb.tolist() == [0]


def test_positional_arguments_follow_torch_order():
    tg.manual_seed(0)
    loader = DataLoader(_dataset(50), 10, True)   # dataset, batch_size, shuffle
    order = sum(_labels(loader), [])
    assert sorted(order) == list(range(50)) and order != list(range(50))


# --- barajado: cada muestra una vez, reproducible ----------------------------------------

def test_every_sample_once_per_epoch_and_new_order_each_epoch():
    tg.manual_seed(1)
    loader = DataLoader(_dataset(23), batch_size=5, shuffle=True)
    epochs = [sum(_labels(loader), []) for _ in range(3)]
    for order in epochs:
        assert sorted(order) == list(range(23))
    assert epochs[0] != epochs[1] != epochs[2]


def test_shuffle_reproducible_with_manual_seed():
    loader = DataLoader(_dataset(30), batch_size=7, shuffle=True)
    tg.manual_seed(123)
    first = [_labels(loader) for _ in range(2)]
    tg.manual_seed(123)
    second = [_labels(loader) for _ in range(2)]
    assert first == second
    tg.manual_seed(124)
    assert [_labels(loader) for _ in range(2)] != first


def test_shuffle_with_own_generator_leaves_global_stream_alone():
    ds = _dataset(30)
    a = DataLoader(ds, batch_size=8, shuffle=True, generator=tg.Generator().manual_seed(5))
    b = DataLoader(ds, batch_size=8, shuffle=True, generator=tg.Generator().manual_seed(5))
    tg.manual_seed(0)
    before = tg.default_generator.get_state()
    assert _labels(a) == _labels(b)
    assert tg.default_generator.get_state().tolist() == before.tolist()


# --- camino rápido ------------------------------------------------------------------------

def _count_getitem(monkeypatch, cls):
    calls = []
    original = cls.__getitem__

    def counting(self, index):
        calls.append(index)
        return original(self, index)

    monkeypatch.setattr(cls, "__getitem__", counting)
    return calls


def test_tensordataset_batches_without_getitem(monkeypatch):
    calls = _count_getitem(monkeypatch, TensorDataset)
    ds = _dataset(20)
    tg.manual_seed(2)
    labels = sum(_labels(DataLoader(ds, batch_size=6, shuffle=True)), [])
    assert calls == []
    assert sorted(labels) == list(range(20))
    ds[3]
    assert calls == [3]    # el contador funciona


def test_subset_of_tensordataset_uses_fast_path(monkeypatch):
    calls = _count_getitem(monkeypatch, TensorDataset)
    ds = _dataset(20)
    sub = Subset(ds, [5, 3, 17, 11, 0])
    batches = list(DataLoader(sub, batch_size=2))
    assert calls == []
    assert [yb.tolist() for _, yb in batches] == [[5, 3], [17, 11], [0]]
    np.testing.assert_array_equal(batches[0][0].numpy(), ds.tensors[0].numpy()[[5, 3]])


def test_fast_path_matches_item_by_item_path():
    ds = _dataset(17, features=4)
    collate = (lambda batch: default_collate(batch))   # otro collate_fn -> muestra a muestra
    for kwargs in ({}, {"drop_last": True}):
        tg.manual_seed(9)
        fast = list(DataLoader(ds, batch_size=5, shuffle=True, **kwargs))
        tg.manual_seed(9)
        slow = list(DataLoader(ds, batch_size=5, shuffle=True, collate_fn=collate, **kwargs))
        assert len(fast) == len(slow)
        for (xf, yf), (xs, ys) in zip(fast, slow):
            assert xf.dtype == xs.dtype and yf.dtype == ys.dtype
            np.testing.assert_array_equal(xf.numpy(), xs.numpy())
            np.testing.assert_array_equal(yf.numpy(), ys.numpy())


def test_subclass_with_own_getitem_is_respected():
    class Doubled(TensorDataset):
        def __getitem__(self, index):
            x, y = super().__getitem__(index)
            return x * 2, y

    ds = Doubled(*_dataset(6).tensors)
    xb, yb = next(iter(DataLoader(ds, batch_size=6)))
    np.testing.assert_array_equal(xb.numpy(), 2 * np.arange(18, dtype=np.float32).reshape(6, 3))


def test_tensor_that_requires_grad_keeps_its_graph():
    w = tg.ones(4, 2, requires_grad=True)
    xb, = next(iter(DataLoader(TensorDataset(w), batch_size=4)))
    xb.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), np.ones((4, 2), np.float32))


def test_plain_tensor_as_dataset():
    X = tg.arange(12).reshape(6, 2)
    batches = list(DataLoader(X, batch_size=4))
    assert [tuple(b.shape) for b in batches] == [(4, 2), (2, 2)]
    np.testing.assert_array_equal(batches[1].numpy(), [[8, 9], [10, 11]])


def test_custom_dataset_with_dicts():
    batches = list(DataLoader(Squares(5), batch_size=2))
    assert [b["y"].tolist() for b in batches] == [[0, 1], [4, 9], [16]]
    assert batches[0]["x"].dtype == tg.float32 and tuple(batches[0]["x"].shape) == (2, 2)


# --- Dataset, TensorDataset, Subset, ConcatDataset ----------------------------------------

def test_tensordataset_items_and_errors():
    ds = _dataset(4)
    x, y = ds[2]
    assert x.tolist() == [6.0, 7.0, 8.0] and int(y) == 2 and len(ds) == 4
    with pytest.raises(RuntimeError, match=r"\(5, 3\).*\(4,\)"):
        TensorDataset(tg.zeros(5, 3), tg.zeros(4))
    with pytest.raises(TypeError, match="from_numpy"):
        TensorDataset(np.zeros((3, 2)))


def test_concat_dataset():
    a, b = _dataset(3), _dataset(4)
    both = a + b
    assert isinstance(both, ConcatDataset) and len(both) == 7
    assert [int(both[i][1]) for i in range(7)] == [0, 1, 2, 0, 1, 2, 3]
    assert int(both[-1][1]) == 3
    with pytest.raises(IndexError):
        both[7]
    assert sum(_labels(DataLoader(both, batch_size=3)), []) == [0, 1, 2, 0, 1, 2, 3]


def test_dataset_without_getitem_explains():
    with pytest.raises(TypeError, match="__getitem__"):
        Dataset()[0]


# --- random_split -------------------------------------------------------------------------

def test_random_split_sizes_disjoint_and_reproducible():
    ds = _dataset(50)
    tg.manual_seed(4)
    parts = random_split(ds, [30, 15, 5])
    assert [len(p) for p in parts] == [30, 15, 5]
    seen = [i for p in parts for i in p.indices]
    assert sorted(seen) == list(range(50))
    tg.manual_seed(4)
    assert [p.indices for p in random_split(ds, [30, 15, 5])] == [p.indices for p in parts]
    g = tg.Generator().manual_seed(1)
    again = random_split(ds, [0.5, 0.5], generator=tg.Generator().manual_seed(1))
    assert random_split(ds, [0.5, 0.5], generator=g)[0].indices == again[0].indices
    assert int(parts[0][0][1]) == parts[0].indices[0]


def test_random_split_fractions_like_torch(requiere_torch):
    torch = requiere_torch
    for n, fractions in [(11, [0.5, 0.3, 0.2]), (10, [0.7, 0.3]), (7, [1 / 3] * 3),
                         (5, [0.1, 0.9]), (5, [0.05, 0.05, 0.9])]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = [len(s) for s in torch.utils.data.random_split(range(n), fractions)]
            got = [len(s) for s in random_split(_dataset(n), fractions)]
        assert got == expected, (n, fractions)


def test_random_split_errors():
    with pytest.raises(ValueError, match="suman 9"):
        random_split(_dataset(10), [5, 4])
    with pytest.warns(UserWarning, match="vacía"):
        random_split(_dataset(5), [0.05, 0.05, 0.9])


# --- muestreadores y argumentos -----------------------------------------------------------

def test_sampler_arguments():
    ds = _dataset(10)
    with pytest.raises(ValueError, match="shuffle"):
        DataLoader(ds, sampler=SequentialSampler(ds), shuffle=True)
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(ds, batch_size=0)
    with pytest.raises(ValueError, match="batch_sampler"):
        DataLoader(ds, batch_size=4, batch_sampler=BatchSampler(SequentialSampler(ds), 2, False))
    loader = DataLoader(ds, batch_size=3, num_workers=2, pin_memory=True,
                        sampler=SubsetRandomSampler([1, 4, 7, 9]))
    assert sorted(sum(_labels(loader), [])) == [1, 4, 7, 9] and len(loader) == 2
    custom = DataLoader(ds, batch_sampler=[[9, 0], [5]])
    assert _labels(custom) == [[9, 0], [5]]


def test_batch_size_none_gives_single_samples():
    items = list(DataLoader(_dataset(3), batch_size=None))
    assert len(items) == 3 and isinstance(items[0], list)
    assert tuple(items[1][0].shape) == (3,) and int(items[1][1]) == 1


def test_random_and_weighted_samplers():
    ds = _dataset(6)
    tg.manual_seed(0)
    with_replacement = list(RandomSampler(ds, replacement=True, num_samples=40))
    assert len(with_replacement) == 40 and set(with_replacement) <= set(range(6))
    longer = list(RandomSampler(ds, num_samples=14))
    assert sorted(longer[:6]) == list(range(6)) and sorted(longer[6:12]) == list(range(6))
    assert list(WeightedRandomSampler([0.0, 0.0, 1.0], 5)) == [2] * 5
    assert list(BatchSampler(SequentialSampler(range(5)), 2, True)) == [[0, 1], [2, 3]]


# --- default_collate contra PyTorch -------------------------------------------------------

Point = collections.namedtuple("Point", "x y")

COLLATE_CASES = [
    [1.5, 2.0, -3.25],
    [1, 2, 3],
    [True, False],
    [1, 2.5],
    [np.float32(1.5), np.float32(2)],
    [np.int32(3), np.int32(4)],
    [np.array([1.0, 2.0]), np.array([3.0, 4.0])],
    [np.zeros((2, 2), np.uint8), np.ones((2, 2), np.uint8)],
    [(1, 2.0), (3, 4.0)],
    [[1, 2.0], [3, 4.0]],
    [{"a": 1, "b": (np.float32(0.5), "s")}, {"a": 2, "b": (np.float32(1.5), "t")}],
    [Point(1, 2.0), Point(3, 4.0)],
    ["a", "b"],
]


def _plain(x, tensor_type):
    if isinstance(x, tensor_type):
        return ("T", str(x.dtype).split(".")[-1], x.numpy().tolist())
    if isinstance(x, dict):
        return {k: _plain(v, tensor_type) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [_plain(v, tensor_type) for v in x])
    return x


@pytest.mark.parametrize("batch", COLLATE_CASES, ids=range(len(COLLATE_CASES)))
def test_default_collate_like_torch(batch, requiere_torch):
    torch = requiere_torch
    expected = torch.utils.data.default_collate(batch)
    got = default_collate(batch)
    assert _plain(got, tg.Tensor) == _plain(expected, torch.Tensor)


def test_collate_tensors_like_torch(requiere_torch):
    torch = requiere_torch
    data = [np.arange(6, dtype=np.float32).reshape(2, 3) + i for i in range(3)]
    got = default_collate([(tg.tensor(d), i) for i, d in enumerate(data)])
    expected = torch.utils.data.default_collate([(torch.tensor(d), i) for i, d in enumerate(data)])
    assert _plain(got, tg.Tensor) == _plain(expected, torch.Tensor)


def test_python_floats_collate_to_float64():
    assert default_collate([0.5, 1.5]).dtype == tg.float64


def test_collate_errors():
    with pytest.raises(RuntimeError, match="mismo número"):
        default_collate([(1, 2), (3,)])
    with pytest.raises(RuntimeError, match=r"\(2,\).*\(3,\)"):
        default_collate([tg.zeros(2), tg.zeros(3)])
    with pytest.raises(TypeError, match="collate_fn"):
        default_collate([object(), object()])
    with pytest.raises(TypeError, match="texto"):
        default_collate([np.array(["a"]), np.array(["b"])])
    with pytest.raises(KeyError, match="'b'"):
        default_collate([{"a": 1, "b": 2}, {"a": 3}])
