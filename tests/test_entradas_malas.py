"""Entradas malas (issue #14): cada una da un error claro en español que nombra el valor del
usuario, con la misma clase de excepción que PyTorch, y no se pierde nada por el camino.

Donde PyTorch importa, la clase se compara con la que lanza ``torch`` (fixture
``requiere_torch``). Nada usa la red: las descargas (con pooch) se sirven desde un servidor
HTTP local (``espejo_http`` en conftest.py).
"""
import functools
import gzip
import hashlib
import json
import os
import re
import resource
import struct
import warnings

import numpy as np
import pytest
import safetensors.numpy

import tinygrad_es as tg
from tinygrad_es import nn, viz
from tinygrad_es.datasets import _descarga, idx, mnist
from tinygrad_es.utils.data import Subset, TensorDataset
from tinygrad_es.vision import datasets as vision_datasets

NOMBRES_PRUEBA = mnist.FILES[False]   # (imágenes, etiquetas) de la partición de prueba


def clase_builtin(cls):
    """La primera clase incorporada de Python en la jerarquía (la que hay que igualar)."""
    return next(c for c in cls.__mro__ if c.__module__ == "builtins")


def clase_de_torch(llamada):
    try:
        llamada()
    except Exception as exc:   # noqa: BLE001 (queremos su clase, sea cual sea)
        return clase_builtin(type(exc))
    raise AssertionError("PyTorch no lanzó ningún error")


def error_de(llamada):
    with pytest.raises(Exception) as info:
        llamada()
    return info.value


def misma_clase_que_torch(torch, llamada, *textos):
    """Ejecuta ``llamada(modulo)`` en torch y en tinygrad_es: misma clase, textos en el mensaje."""
    esperada = clase_de_torch(lambda: llamada(torch))
    error = error_de(lambda: llamada(tg))
    assert isinstance(error, esperada), (type(error), esperada, error)
    mensaje = str(error)
    for texto in textos:
        assert texto in mensaje, (texto, mensaje)
    return error


# --- 1. enteros que no caben en int64 ------------------------------------------------------

@pytest.mark.parametrize("valor", [2 ** 63, -2 ** 63 - 1, 2 ** 64, 2 ** 100])
def test_entero_que_no_cabe_en_int64(valor, requiere_torch):
    misma_clase_que_torch(requiere_torch, lambda m: m.tensor([valor]), str(valor), "int64")
    misma_clase_que_torch(requiere_torch, lambda m: m.tensor(valor), str(valor))
    misma_clase_que_torch(requiere_torch, lambda m: m.tensor([1, valor], dtype=m.int64),
                          str(valor))
    # mezclado con otros enteros NumPy lo pasaría a float64 en silencio
    misma_clase_que_torch(requiere_torch, lambda m: m.tensor([[1, 2], [valor, 3]]), str(valor))


def test_enteros_limite_y_dtype_float_siguen_funcionando():
    assert tg.tensor([2 ** 63 - 1, -2 ** 63]).tolist() == [2 ** 63 - 1, -2 ** 63]
    t = tg.tensor([2 ** 63], dtype=tg.float32)     # PyTorch también lo acepta
    assert t.dtype == tg.float32 and t.item() == pytest.approx(2.0 ** 63)
    t = tg.tensor([-2 ** 63 - 1, 2 ** 100], dtype=tg.float64)
    assert t.tolist() == [float(-2 ** 63 - 1), float(2 ** 100)]
    t = tg.tensor([1, 2.5, 2 ** 63])                     # con un float: float32, como PyTorch
    assert t.dtype == tg.float32 and t[2].item() == pytest.approx(2.0 ** 63)


# --- 2. ndarrays de objetos y textos -------------------------------------------------------

def test_ndarray_de_objetos_con_un_texto(requiere_torch):
    datos = np.array([1, "a"], dtype=object)
    for fn in ("tensor", "as_tensor", "from_numpy"):
        error = misma_clase_que_torch(requiere_torch, lambda m: getattr(m, fn)(datos), "'a'",
                                      "object", "posición 1")
        assert fn + "()" in str(error) and "astype" in str(error)


def test_ndarray_de_objetos_con_numeros_como_df_values(requiere_torch):
    datos = np.array([[1, 2.5], [3, 4]], dtype=object)
    error = misma_clase_que_torch(requiere_torch, lambda m: m.tensor(datos), "(2, 2)",
                                  "dtype object")
    mensaje = str(error)
    assert "astype(np.float32)" in mensaje and "df.to_numpy(dtype='float32')" in mensaje
    assert "2.5" in mensaje    # enseña sus valores
    assert tg.tensor(datos.astype(np.float32)).tolist() == [[1.0, 2.5], [3.0, 4.0]]


def test_dataframe_mixto_nombra_la_columna(requiere_torch):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"edad": [20, 31], "ciudad": ["Lima", "Quito"]})
    error = misma_clase_que_torch(requiere_torch, lambda m: m.tensor(df.values), "'Lima'",
                                  "columna 1")
    assert "df.to_numpy(dtype='float32')" in str(error) and "df.dtypes" in str(error)


@pytest.mark.parametrize("datos", [["a", "b"], [["a", "b"]], ["a", 1], [1, "a"], "a",
                                   [None, 1]])
def test_listas_con_textos_o_none(datos, requiere_torch):
    textos = ["None"] if datos == [None, 1] else ["'a'"]
    misma_clase_que_torch(requiere_torch, lambda m: m.tensor(datos), *textos)


def test_ndarray_de_textos(requiere_torch):
    misma_clase_que_torch(requiere_torch, lambda m: m.tensor(np.array(["a", "b"])), "'a'",
                          "<U1")
    error = error_de(lambda: tg.tensor(np.array(["1.5", "2"])))
    assert "x.astype(np.float32)" in str(error)     # números escritos como texto


# --- 3. tamaños que no son enteros o son negativos; arange, linspace ------------------------

@pytest.mark.parametrize("llamada, textos", [
    (lambda m: m.nn.Linear(2.5, 2), ["2.5", "in_features", "//"]),
    (lambda m: m.nn.Linear(3, "2"), ["'2'", "out_features"]),
    (lambda m: m.nn.Linear(-1, 2), ["-1", "in_features"]),
    (lambda m: m.zeros(2.7), ["2.7", "zeros", "//"]),
    (lambda m: m.ones((2, 2.7)), ["2.7", "posición 1"]),
    (lambda m: m.randn(2.5), ["2.5", "randn"]),
    (lambda m: m.ones("a"), ["'a'"]),
    (lambda m: m.randn(-1), ["-1", "negativa"]),
    (lambda m: m.zeros(3, -2), ["-2", "(3, -2)"]),
    (lambda m: m.rand(-1), ["-1"]),
    (lambda m: m.randint(0, 5, (-1,)), ["-1"]),
    (lambda m: m.randperm(-1), ["-1"]),
    (lambda m: m.eye(-1), ["-1"]),
    (lambda m: m.arange(0, 1, 0), ["arange(0, 1, 0)", "paso"]),
    (lambda m: m.arange(0, 10, -1), ["arange(0, 10, -1)", "signo", "arange(0, 10, 1)"]),
    (lambda m: m.arange(10, 0, 1), ["arange(10, 0, 1)", "signo"]),
    (lambda m: m.arange(0, float("nan")), ["nan"]),
    (lambda m: m.arange(0, float("inf")), ["inf"]),
    (lambda m: m.linspace(0, 1, -1), ["-1", "steps"]),
    (lambda m: m.linspace(0, 1, 2.5), ["2.5", "steps"]),
])
def test_tamanos_y_rangos_malos(llamada, textos, requiere_torch):
    misma_clase_que_torch(requiere_torch, llamada, *textos)


def test_tamanos_buenos_siguen_funcionando():
    assert tuple(tg.zeros(np.int64(2), 3).shape) == (2, 3)
    assert tuple(tg.zeros(tg.tensor(3)).shape) == (3,)
    assert tuple(tg.zeros(tg.Size([2, 1])).shape) == (2, 1)
    assert tg.arange(5, 5).numel() == 0 and tg.arange(0, 1, 0.25).tolist() == [0, .25, .5, .75]
    assert tg.arange(3, 0, -1).tolist() == [3, 2, 1]
    assert tg.randperm(0).numel() == 0 and tuple(tg.randn(0, 2).shape) == (0, 2)
    capa = nn.Linear(np.int64(3), 2)
    assert capa.in_features == 3 and type(capa.in_features) is int


# --- 4. índices fuera de rango en Datasets --------------------------------------------------

def test_tensordataset_fuera_de_rango(requiere_torch):
    torch = requiere_torch
    esperada = clase_de_torch(
        lambda: torch.utils.data.TensorDataset(torch.zeros(10, 2), torch.zeros(10))[100])
    ds = TensorDataset(tg.zeros(10, 2), tg.zeros(10))
    for indice in (100, -11):
        error = error_de(lambda: ds[indice])
        assert isinstance(error, esperada)
        assert str(indice) in str(error) and "10 muestras" in str(error)
        assert "TensorDataset" in str(error)
    assert isinstance(error_de(lambda: ds[1.5]), IndexError)
    assert tuple(ds[-10][0].shape) == (2,)         # los índices buenos siguen valiendo


def test_subset_fuera_de_rango():
    sub = Subset(TensorDataset(tg.zeros(10, 2)), [1, 2, 3])
    error = error_de(lambda: sub[5])
    assert isinstance(error, IndexError) and "5" in str(error) and "3 muestras" in str(error)


def _mnist_falso(carpeta, monkeypatch, n=12):
    """Un 'MNIST de prueba' pequeño (partición de prueba, .gz) con sus MD5 ajustadas."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = (np.arange(n) % 10).astype(np.uint8)
    carpeta.mkdir(parents=True, exist_ok=True)
    for nombre, array in zip(NOMBRES_PRUEBA, (images, labels)):
        ruta = carpeta / (nombre + ".gz")
        idx.write_idx(ruta, array)
        monkeypatch.setitem(mnist.MD5, nombre, hashlib.md5(idx.to_idx_bytes(array)).hexdigest())
        monkeypatch.setitem(_descarga.REGISTRY, f"mnist/{nombre}.gz",
                            "md5:" + hashlib.md5(ruta.read_bytes()).hexdigest())
    return images, labels


def _espejos(monkeypatch, url, *carpetas):
    monkeypatch.setitem(_descarga.MIRRORS, "mnist", [f"{url}{c}/" for c in carpetas])


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    """Cada test con su propia caché vacía (nunca la del usuario)."""
    monkeypatch.setenv(mnist.ENV_VAR, str(tmp_path / "cache"))
    return tmp_path / "cache" / "mnist"


def test_mnist_indice_fuera_de_rango(tmp_path, monkeypatch):
    _mnist_falso(tmp_path / "datos", monkeypatch)
    ds = vision_datasets.MNIST(tmp_path / "datos", train=False)
    error = error_de(lambda: ds[10 ** 6])
    assert isinstance(error, IndexError)
    assert "1000000" in str(error) and "12 muestras" in str(error) and "MNIST" in str(error)
    assert ds[-12][1] == 0


# --- 5. archivos de MNIST malos: bomba gzip, cortados, descargas ----------------------------

@functools.lru_cache(maxsize=1)
def _ceros_comprimidos():
    """Un miembro gzip de 16 MiB de ceros (unos 16 KB comprimido)."""
    return gzip.compress(bytes(16 << 20), compresslevel=9, mtime=0)


def _bomba(path, contenido, mib=512):
    """``contenido`` válido seguido de ``mib`` MiB de ceros: varios miembros gzip seguidos."""
    path.write_bytes(gzip.compress(contenido, mtime=0) + _ceros_comprimidos() * (mib // 16))


def _pico_de_memoria_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_bomba_gzip_se_para_en_el_primer_byte_de_mas(tmp_path, monkeypatch):
    _, labels = _mnist_falso(tmp_path, monkeypatch)
    ruta = tmp_path / (NOMBRES_PRUEBA[1] + ".gz")
    _bomba(ruta, idx.to_idx_bytes(labels))                 # 512 MiB al descomprimirse
    assert ruta.stat().st_size < 1 << 20
    antes = _pico_de_memoria_mb()
    error = error_de(lambda: mnist.load_mnist(tmp_path, train=False))
    assert isinstance(error, mnist.ChecksumError) and isinstance(error, RuntimeError)
    assert str(ruta) in str(error) and "más datos de los anunciados" in str(error)
    assert "bórralo" in str(error).lower()
    assert _pico_de_memoria_mb() - antes < 100           # nunca se descomprimió entera


def test_cabecera_que_no_es_de_mnist_se_rechaza_sin_descomprimir(tmp_path, monkeypatch):
    _mnist_falso(tmp_path, monkeypatch)
    ruta = tmp_path / (NOMBRES_PRUEBA[0] + ".gz")
    cabecera = bytes([0, 0, 0x08, 3]) + np.array([10 ** 6, 28, 28], ">u4").tobytes()
    _bomba(ruta, cabecera, mib=64)
    error = error_de(lambda: mnist.load_mnist(tmp_path, train=False))
    assert isinstance(error, mnist.ChecksumError)
    assert "(1000000, 28, 28)" in str(error) and str(ruta) in str(error)


def test_idx_con_cabecera_imposible(tmp_path):
    ruta = tmp_path / "enorme.idx.gz"
    ruta.write_bytes(gzip.compress(bytes([0, 0, 0x08, 1]) + np.array([2 ** 31], ">u4").tobytes()))
    error = error_de(lambda: idx.read_idx(ruta))
    assert isinstance(error, ValueError) and str(ruta) in str(error)
    assert "(2147483648,)" in str(error)


@pytest.mark.parametrize("comprimido", [True, False])
def test_archivo_cortado_nombra_el_archivo(tmp_path, monkeypatch, cache, comprimido,
                                           espejo_http):
    images, _ = _mnist_falso(tmp_path, monkeypatch)
    ruta = tmp_path / (NOMBRES_PRUEBA[0] + ".gz")
    if comprimido:
        ruta.write_bytes(ruta.read_bytes()[:len(ruta.read_bytes()) // 2])
    else:
        ruta.unlink()
        ruta = tmp_path / NOMBRES_PRUEBA[0]
        ruta.write_bytes(idx.to_idx_bytes(images)[:-100])
    error = error_de(lambda: mnist.load_mnist(tmp_path, train=False))
    assert isinstance(error, mnist.ChecksumError)
    mensaje = str(error)
    assert str(ruta) in mensaje and "bórralo" in mensaje.lower() and "download=True" in mensaje
    # en la caché, download=True lo sustituye por uno bueno
    cache.mkdir(parents=True)
    os.replace(ruta, cache / ruta.name)
    carpeta, url = espejo_http
    _mnist_falso(carpeta / "espejo", monkeypatch)
    _espejos(monkeypatch, url, "espejo")
    X, _ = mnist.load_mnist(train=False, download=True)
    np.testing.assert_array_equal(X.numpy(), images)


def test_descarga_de_una_bomba_no_guarda_nada(monkeypatch, cache, espejo_http):
    carpeta, url = espejo_http
    images, labels = _mnist_falso(carpeta / "bueno", monkeypatch)
    malo = carpeta / "malo"
    malo.mkdir()
    (malo / (NOMBRES_PRUEBA[0] + ".gz")).write_bytes(
        (carpeta / "bueno" / (NOMBRES_PRUEBA[0] + ".gz")).read_bytes())
    _bomba(malo / (NOMBRES_PRUEBA[1] + ".gz"), idx.to_idx_bytes(labels), mib=256)
    _espejos(monkeypatch, url, "malo")
    antes = _pico_de_memoria_mb()
    error = error_de(lambda: mnist.load_mnist(train=False, download=True))
    # pooch compara la suma MD5 del .gz descargado (256 KB) con la conocida: no coincide y la
    # bomba se borra sin descomprimirla
    assert isinstance(error, mnist.ChecksumError) and "no se ha guardado nada" in str(error)
    assert "suma MD5" in str(error) and f"{url}malo/{NOMBRES_PRUEBA[1]}.gz" in str(error)
    assert _pico_de_memoria_mb() - antes < 64
    assert sorted(os.listdir(cache)) == [NOMBRES_PRUEBA[0] + ".gz"]   # solo el bueno
    _espejos(monkeypatch, url, "malo", "bueno")
    _, y = mnist.load_mnist(train=False, download=True)
    np.testing.assert_array_equal(y.numpy(), labels)


def test_los_espejos_son_https():
    espejos = [m for lista in _descarga.MIRRORS.values() for m in lista]
    assert len(espejos) == 5 and all(m.startswith("https://") for m in espejos)


# --- 6. serialización: metadatos anidados, carpetas, bfloat16 -------------------------------

def _safetensors_a_mano(path, tensores, metadata=None):
    """Escribe un safetensors byte a byte: ``{nombre: (dtype, forma, bytes)}``."""
    cabecera, datos = {}, b""
    if metadata is not None:
        cabecera["__metadata__"] = metadata
    for nombre, (dtype, forma, contenido) in tensores.items():
        cabecera[nombre] = {"dtype": dtype, "shape": list(forma),
                            "data_offsets": [len(datos), len(datos) + len(contenido)]}
        datos += contenido
    texto = json.dumps(cabecera).encode()
    texto += b" " * (-len(texto) % 8)
    path.write_bytes(struct.pack("<Q", len(texto)) + texto + datos)


@pytest.mark.parametrize("niveles", [100_000, 990])
def test_metadatos_anidados_sin_recursionerror(tmp_path, niveles):
    ruta = tmp_path / "anidado.pt"
    objeto = "[" * niveles + "]" * niveles
    safetensors.numpy.save_file({"w": np.zeros(2, np.float32)}, str(ruta), metadata={
        "format": "pt", "tinygrad_es": '{"version":1,"objeto":' + objeto + "}"})
    error = error_de(lambda: tg.load(ruta))
    assert type(error) is RuntimeError and not isinstance(error, RecursionError)
    assert str(ruta) in str(error) and "anidados" in str(error)


def test_cabecera_anidada_sin_recursionerror(tmp_path):
    ruta = tmp_path / "cabecera.safetensors"
    texto = ('{"x":' + "[" * 100_000 + "]" * 100_000 + "}").encode()
    ruta.write_bytes(struct.pack("<Q", len(texto)) + texto)
    error = error_de(lambda: tg.load(ruta))
    assert type(error) is RuntimeError and str(ruta) in str(error)


def test_guardar_objeto_que_se_contiene_a_si_mismo(tmp_path):
    lista = []
    lista.append(lista)
    error = error_de(lambda: tg.save(lista, tmp_path / "x.pt"))
    assert type(error) is RuntimeError and "anidado" in str(error)
    assert os.listdir(tmp_path) == []


def test_guardar_en_una_carpeta_nombra_la_carpeta(tmp_path, requiere_torch):
    torch = requiere_torch
    esperada = clase_de_torch(lambda: torch.save({"w": torch.zeros(2)}, str(tmp_path)))
    carpeta = tmp_path / "modelos"
    carpeta.mkdir()
    error = error_de(lambda: tg.save({"w": tg.zeros(2)}, carpeta))
    assert isinstance(error, esperada) and isinstance(error, IsADirectoryError)
    assert str(carpeta) in str(error) and ".tmp" not in str(error)
    assert "os.path.join" in str(error)
    assert sorted(os.listdir(tmp_path)) == ["modelos"] and os.listdir(carpeta) == []
    falta = tmp_path / "no_existe" / "m.pt"
    error = error_de(lambda: tg.save({"w": tg.zeros(2)}, falta))
    assert isinstance(error, esperada) and isinstance(error, FileNotFoundError)
    assert str(falta) in str(error)


def _bf16(valores):
    bits = np.asarray(valores, np.float32).view(np.uint32) >> 16
    esperado = (bits << 16).view(np.float32)
    return bits.astype("<u2").tobytes(), esperado


def test_safetensors_bfloat16_se_carga_como_float32(tmp_path):
    contenido, esperado = _bf16([1.5, -2.25, 3.0, 0.1, 1e-3, -7.0])
    ruta = tmp_path / "bf16.safetensors"
    _safetensors_a_mano(ruta, {"w": ("BF16", (2, 3), contenido),
                               "n": ("I64", (2,), np.array([4, 5], "<i8").tobytes())})
    pesos = tg.load(ruta)
    assert pesos["w"].dtype == tg.float32 and tuple(pesos["w"].shape) == (2, 3)
    np.testing.assert_array_equal(pesos["w"].numpy().ravel(), esperado)
    assert pesos["n"].tolist() == [4, 5] and pesos["n"].dtype == tg.int64
    pesos["w"].add_(1.0)                                  # se puede escribir en él


def test_safetensors_bfloat16_de_pytorch(tmp_path, requiere_torch):
    torch = requiere_torch
    import safetensors.torch
    original = torch.tensor([[1.5, -2.25], [3.0, 1e-3]]).bfloat16()
    ruta = tmp_path / "de_torch.safetensors"
    safetensors.torch.save_file({"capa.weight": original}, str(ruta))
    cargado = tg.load(ruta)["capa.weight"]
    assert cargado.dtype == tg.float32
    np.testing.assert_array_equal(cargado.numpy(), original.float().numpy())
    modelo = nn.Linear(2, 2, bias=False)
    modelo.load_state_dict({"weight": cargado})


def test_safetensors_tipo_desconocido_no_dice_danado(tmp_path):
    ruta = tmp_path / "f8.safetensors"
    _safetensors_a_mano(ruta, {"w": ("F8_E4M3", (2,), b"\x01\x02")})
    error = error_de(lambda: tg.load(ruta))
    assert isinstance(error, RuntimeError) and "'F8_E4M3'" in str(error)
    assert "'w'" in str(error) and "dañado" not in str(error)


# --- 7. viz.draw_graph respeta max_nodes y dice qué recortó ---------------------------------

_NODO = re.compile(r"^\s*(\w+) \[label=", re.M)
_ARISTA = re.compile(r"^\s*(\w+) -> (\w+)", re.M)


def _nodos_dibujados(fuente):
    return [n for n in _NODO.findall(fuente) if n != "leyenda"]


def _cadena(n):
    x = tg.ones(3, requires_grad=True)
    y = x
    for _ in range(n):
        y = y * 1.0001
    return y.sum()


def test_draw_graph_respeta_max_nodes_sin_modulos():
    salida = _cadena(300)
    with pytest.warns(UserWarning, match="max_nodes=20") as avisos:
        grafo = viz.draw_graph(salida, max_nodes=20)
    nodos = _nodos_dibujados(grafo.source)
    assert len(nodos) == 20 and "recorte" in nodos and "salida1" in nodos
    assert "op301" in nodos and "op1" not in nodos          # se queda lo cercano a la salida
    declarados = set(_NODO.findall(grafo.source))
    assert all(a in declarados and b in declarados for a, b in _ARISTA.findall(grafo.source))
    nota = grafo.recorte
    assert nota == str(avisos[0].message)
    assert "283 operaciones (entre la #1 y la #283)" in nota and "1 tensor hoja" in nota
    assert "max_nodes=None" in nota and "print_graph" in nota
    assert "recortado a 20 nodos" in grafo.source


def test_draw_graph_respeta_max_nodes_con_modulos():
    modelo = nn.Sequential(*[nn.Sequential(nn.Linear(2, 2), nn.Tanh()) for _ in range(40)])
    salida = modelo(tg.ones(1, 2)).sum()
    with pytest.warns(UserWarning, match="max_nodes=15"):
        grafo = viz.draw_graph(salida, model=modelo, max_nodes=15)
    nodos = _nodos_dibujados(grafo.source)
    assert len(nodos) == 15 and "recorte" in nodos
    assert "operaciones" in grafo.recorte and "tensores hoja" in grafo.recorte


def test_draw_graph_sin_recorte_no_avisa():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grafo = viz.draw_graph(_cadena(5), max_nodes=10)
    assert grafo.recorte is None and "recorte" not in _nodos_dibujados(grafo.source)
    assert viz.draw_graph(_cadena(300), max_nodes=None).recorte is None


@pytest.mark.parametrize("malo", [0, -3, 2.5, "10"])
def test_draw_graph_max_nodes_invalido(malo):
    error = error_de(lambda: viz.draw_graph(_cadena(2), max_nodes=malo))
    assert isinstance(error, ValueError) and repr(malo) in str(error)
