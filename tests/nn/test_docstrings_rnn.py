"""Los ejemplos de los docstrings de las capas recurrentes, nn.utils.rnn, rrelu, pixel_shuffle,
LazyLinear y sparse_ se ejecutan y dan lo que dicen (doctest)."""
import doctest
import importlib

import pytest

import tinygrad_es as torch
import tinygrad_es.nn as nn
import tinygrad_es.nn.functional as F
from tinygrad_es.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

MODULOS = ["tinygrad_es.nn.rnn", "tinygrad_es.nn._rnn_cells", "tinygrad_es.nn.utils.rnn",
           "tinygrad_es.nn._functional_shuffle_rrelu", "tinygrad_es.nn.pixelshuffle",
           "tinygrad_es.nn.lazy", "tinygrad_es.nn._init_extra", "tinygrad_es.nn.parameter"]


@pytest.mark.parametrize("nombre", MODULOS)
def test_los_ejemplos_de_los_docstrings_funcionan(nombre):
    modulo = importlib.import_module(nombre)
    globales = dict(torch=torch, nn=nn, F=F, pad_sequence=pad_sequence,
                    pack_padded_sequence=pack_padded_sequence,
                    pad_packed_sequence=pad_packed_sequence)
    resultado = doctest.testmod(modulo, extraglobs=globales, report=True,
                                optionflags=doctest.NORMALIZE_WHITESPACE)
    assert resultado.failed == 0
    assert resultado.attempted > 0


def test_el_ejemplo_de_rrelu_como_modulo():
    from tinygrad_es.nn import activation_extra
    prueba = doctest.DocTestFinder().find(activation_extra.RReLU, "RReLU",
                                           globs=dict(torch=torch, nn=nn))[0]
    assert doctest.DocTestRunner().run(prueba).failed == 0
