"""Tipos de la API pública (issue #21, punto 3): mypy pasa sobre el paquete y los ejemplos, los
tipos son de verdad (una llamada con un argumento de tipo equivocado da error en su línea) y
``py.typed`` va con el paquete. La configuración de mypy está en ``[tool.mypy]`` de
``pyproject.toml``; los tipos de ``Tensor`` en ``tinygrad_es/tensor.pyi`` (tools/tensor_pyi.py).
"""
import ast
import importlib.resources
import importlib.util
import inspect
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import tinygrad_es

RAIZ = Path(__file__).resolve().parent.parent
EN_CI = os.environ.get("CI", "").lower() == "true"


def _mypy(cache, *args):
    """``python -m mypy`` desde la raíz del repo (lee [tool.mypy]); (código, salida)."""
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache),
                           "--no-error-summary", *args],
                          cwd=RAIZ, capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """Carpeta de caché de mypy compartida por los tests (solo el primero la llena)."""
    if importlib.util.find_spec("mypy") is None:   # como requiere_torch en conftest.py
        como = "va en .[dev]: pip install -e '.[dev]'"
        if EN_CI:
            pytest.fail(f"En CI mypy es obligatorio y no está disponible ({como}).")
        pytest.skip(f"mypy no está disponible: {como}")
    return tmp_path_factory.mktemp("mypy_cache")


def test_mypy_pasa_sobre_el_paquete_y_los_ejemplos(cache):
    # sin argumentos: los archivos de [tool.mypy] (tinygrad_es y examples); ~6 s en frío
    code, out = _mypy(cache)
    assert code == 0, f"mypy encontró errores:\n{out}"
    assert out.strip() == ""


PRUEBA = '''\
import tinygrad_es as torch
from tinygrad_es import nn
from tinygrad_es.utils.data import DataLoader, TensorDataset

modelo = nn.Linear(10, 5)
x = torch.zeros(3, 10)
y = modelo(x).relu().sum(dim=1)
perdida = nn.MSELoss()(y, torch.ones(3))
perdida.backward()
opt = torch.optim.SGD(modelo.parameters(), lr=0.1)
opt.step()
opt.zero_grad()
total: float = perdida.item() + x.view(-1).max().item()
filas: int = x.shape[0] + x.size(1)
datos = DataLoader(TensorDataset(x, torch.arange(3)), batch_size=2)
indices = torch.max(x, dim=1).indices + torch.argmax(x, 1)
z = torch.cat([torch.exp(x), torch.sum(input=x, dim=0, keepdim=True)], dim=0)
torch.exp(x, out=torch.empty(3, 10))
'''
ERRONEAS = {   # línea añadida -> trozo del mensaje de mypy
    'capa = nn.Linear("10", 5)': 'Argument 1 to "Linear" has incompatible type "str"',
    'v = torch.zeros(3).view("a")': 'Argument 1 to "view" of "Tensor" has incompatible type',
    'z = torch.zeros(3) @ "x"': 'Unsupported operand types for @',
    'w = torch.ones(2).sum(keepdim="no")': 'Argument "keepdim" to "sum" of "Tensor"',
    'r = torch.randn("3")': 'Argument 1 to "randn" has incompatible type "str"',
    'o = torch.optim.Adam(modelo.parameters(), betas=0.9)': 'Argument "betas" to "Adam"',
    'e: str = torch.eye(3).item()': 'Incompatible types in assignment',
    's = torch.sum(x, dim="filas")': 'Argument "dim" to "sum" has incompatible type',
    'c = torch.cat(x, x)': 'Argument 1 to "cat" has incompatible type "Tensor"',
}


def test_una_llamada_correcta_no_da_error(cache, tmp_path):
    archivo = tmp_path / "bien.py"
    archivo.write_text(PRUEBA, encoding="utf-8")
    code, out = _mypy(cache, str(archivo))
    assert code == 0, out
    assert out.strip() == ""


def test_un_argumento_de_tipo_equivocado_da_error_en_su_linea(cache, tmp_path):
    archivo = tmp_path / "mal.py"
    lineas = PRUEBA.splitlines() + list(ERRONEAS)
    archivo.write_text("\n".join(lineas) + "\n", encoding="utf-8")
    code, out = _mypy(cache, str(archivo))
    assert code == 1, out
    errores = {}
    for linea in out.splitlines():
        m = re.match(r".*mal\.py:(\d+): error: (.*)", linea)
        if m:
            errores.setdefault(int(m.group(1)), []).append(m.group(2))
    primera = len(PRUEBA.splitlines()) + 1
    esperadas = {primera + i: trozo for i, trozo in enumerate(ERRONEAS.values())}
    assert set(errores) == set(esperadas), out   # ni una de más (las correctas) ni una de menos
    for n, trozo in esperadas.items():
        assert any(trozo in e for e in errores[n]), (n, errores[n])


def test_un_ejemplo_tipado_rechaza_un_argumento_equivocado(cache, tmp_path):
    """examples/03_mnist_mlp.py está anotado: usar su ``evaluar`` con un cargador que no es un
    DataLoader es un error de mypy en esa línea (y con los tipos correctos, ninguno)."""
    # «03_mnist_mlp» no es un nombre importable: se copia como ejemplo_03 (sus módulos
    # auxiliares, _comun y _mnist_datos, siguen en examples/, que va en MYPYPATH)
    (tmp_path / "ejemplo_03.py").write_text(
        (RAIZ / "examples" / "03_mnist_mlp.py").read_text(encoding="utf-8"), encoding="utf-8")
    uso = tmp_path / "uso.py"
    uso.write_text(
        "import tinygrad_es as torch\n"
        "from tinygrad_es import nn\n"
        "from tinygrad_es.utils.data import DataLoader, TensorDataset\n"
        "from ejemplo_03 import RedMNIST, evaluar\n"
        "datos = DataLoader(TensorDataset(torch.rand(4, 784), torch.arange(4)), batch_size=2)\n"
        "perdida, exactitud, predicho, real = evaluar(RedMNIST(), datos, nn.NLLLoss())\n"
        "evaluar(RedMNIST(), [torch.rand(4, 784)], nn.NLLLoss())\n"
        "RedMNIST().forward('imagen')\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache),
                           "--no-error-summary", str(uso)], cwd=RAIZ, capture_output=True,
                          text=True, timeout=300,
                          env={**os.environ, "MYPYPATH": f"{tmp_path}{os.pathsep}"
                                                        f"{RAIZ / 'examples'}"})
    out = proc.stdout + proc.stderr
    errores = re.findall(r"uso\.py:(\d+): error: (.*)", out)
    assert [int(n) for n, _ in errores] == [7, 8], out
    assert 'Argument 2 to "evaluar" has incompatible type "list[Tensor]"' in errores[0][1]
    assert 'Argument 1 to "forward" of "RedMNIST" has incompatible type "str"' in errores[1][1]


def test_py_typed_va_con_el_paquete():
    paquete = importlib.resources.files("tinygrad_es")
    assert (paquete / "py.typed").is_file()
    assert (paquete / "tensor.pyi").is_file()
    datos = tomllib.loads((RAIZ / "pyproject.toml").read_text(encoding="utf-8"))
    incluidos = datos["tool"]["setuptools"]["package-data"]["tinygrad_es"]
    assert "py.typed" in incluidos and "*.pyi" in incluidos


def test_los_stubs_estan_al_dia():
    """``tensor.pyi`` y ``functions.pyi`` son lo que genera tools/tensor_pyi.py del código actual:
    siguen a la clase Tensor y a las funciones de torch. (si no, mypy no vería un método nuevo)."""
    sys.path.insert(0, str(RAIZ / "tools"))
    try:
        import tensor_pyi
    finally:
        sys.path.pop(0)
    from tinygrad_es import functions
    for nombre, texto in (("tensor.pyi", tensor_pyi.generate(tinygrad_es.Tensor)),
                          ("functions.pyi", tensor_pyi.generate_functions(functions,
                                                                         tinygrad_es.Tensor))):
        guardado = (RAIZ / "src" / "tinygrad_es" / nombre).read_text(encoding="utf-8")
        assert texto == guardado, (
            f"{nombre} no sigue al código: ejecuta python tools/tensor_pyi.py")


def _nombres(params):
    marca = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return [marca.get(p.kind, "") + p.name for p in params]


def _nombres_stub(a):
    nombres = [x.arg for x in a.posonlyargs + a.args]
    nombres += ["*" + a.vararg.arg] if a.vararg else []
    nombres += [x.arg for x in a.kwonlyargs]
    return nombres + (["**" + a.kwarg.arg] if a.kwarg else [])


def test_las_firmas_tipadas_tienen_los_parametros_del_metodo_real():
    """Cada firma escrita a mano en el stub tiene los mismos parámetros que el método real."""
    arbol = ast.parse((RAIZ / "src" / "tinygrad_es" / "tensor.pyi").read_text(encoding="utf-8"))
    clase = next(n for n in arbol.body if isinstance(n, ast.ClassDef) and n.name == "Tensor")
    revisadas = 0
    for nodo in clase.body:
        if not isinstance(nodo, ast.FunctionDef):
            continue
        real = inspect.getattr_static(tinygrad_es.Tensor, nodo.name)
        if isinstance(real, (property, staticmethod, classmethod)):
            continue
        decoradores = [getattr(d, "id", None) for d in nodo.decorator_list]
        stub = _nombres_stub(nodo.args)[1:]
        reales = _nombres(inspect.signature(real).parameters.values())[1:]
        if "overload" in decoradores:   # cada sobrecarga: una parte de los parámetros reales
            assert stub == reales[:len(stub)], (nodo.name, stub, reales)
        else:
            assert stub == reales, (nodo.name, stub, reales)
        revisadas += 1
    assert revisadas > 300


def test_las_funciones_tipadas_tienen_los_parametros_de_la_real():
    """Lo mismo para ``functions.pyi``: ``torch.sum(input, dim, ..., out=)`` como la real."""
    from tinygrad_es import functions
    arbol = ast.parse((RAIZ / "src" / "tinygrad_es" / "functions.pyi").read_text(encoding="utf-8"))
    revisadas = 0
    for nodo in arbol.body:
        if not isinstance(nodo, ast.FunctionDef):
            continue
        stub = _nombres_stub(nodo.args)
        reales = _nombres(inspect.signature(getattr(functions, nodo.name)).parameters.values())
        if any(getattr(d, "id", None) == "overload" for d in nodo.decorator_list):
            reales = [n for n in reales if n in stub]   # cada sobrecarga: una parte
        assert stub == reales, (nodo.name, stub, reales)
        revisadas += 1
    assert revisadas > 100
