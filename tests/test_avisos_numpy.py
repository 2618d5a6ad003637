"""Los avisos de coma flotante de NumPy (en inglés) no salen de las operaciones de tinygrad_es,
como PyTorch, que no avisa; los del código del usuario con NumPy, sí (``_fp_warnings.py``)."""
import subprocess
import sys

PROGRAMA = """
import numpy as np
import tinygrad_es as torch
x = torch.zeros(3, requires_grad=True)
y = [torch.log(x), torch.ones(3) / x, torch.exp(torch.full((3,), 1000.0)),
     torch.sigmoid(torch.full((3,), -1e4))]
torch.sqrt(x).sum().backward()
print([t[0].item() for t in y], x.grad.tolist())
np.log(np.zeros(1))   # el del usuario: este sí avisa
"""


def test_inf_y_nan_sin_avisos_de_numpy_salvo_los_del_usuario():
    proceso = subprocess.run([sys.executable, "-W", "default", "-c", PROGRAMA],
                             capture_output=True, text=True, timeout=60)
    assert proceso.returncode == 0, proceso.stderr
    assert proceso.stdout.strip() == "[-inf, inf, inf, 0.0] [inf, inf, inf]"   # como PyTorch
    avisos = [linea for linea in proceso.stderr.splitlines() if "Warning" in linea]
    assert len(avisos) == 1 and avisos[0].startswith("<string>:"), proceso.stderr
    assert "divide by zero encountered in log" in avisos[0]
