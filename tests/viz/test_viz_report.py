"""gradient_report: normas, razones, ceros y neuronas ReLU muertas, con avisos en español."""
import numpy as np

import tinygrad_es as torch
import tinygrad_es.viz as viz
from tinygrad_es import nn


class Red(nn.Module):
    def __init__(self):
        super().__init__()
        self.stack = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))

    def forward(self, x):
        return self.stack(x)


def _red_entrenando(semilla=0):
    torch.manual_seed(semilla)
    modelo = Red()
    x = torch.randn(8, 3)
    modelo(x).pow(2).mean().backward()
    return modelo, x


def test_numeros_por_parametro():
    modelo, _ = _red_entrenando()
    informe = viz.gradient_report(modelo)
    filas = {f.nombre: f for f in informe.parametros}
    assert list(filas) == ["stack.0.weight", "stack.0.bias", "stack.2.weight", "stack.2.bias"]
    for nombre, p in modelo.named_parameters():
        g, w = p.grad.numpy(), p.detach().numpy()
        assert abs(filas[nombre].norma - np.linalg.norm(g.astype(np.float64))) < 1e-12
        np.testing.assert_allclose(filas[nombre].razon, np.abs(g).mean() / np.abs(w).mean(),
                                   rtol=1e-5)
        assert filas[nombre].ceros == np.count_nonzero(g == 0) / g.size
    texto = str(informe)
    assert texto.startswith("Informe de gradientes")
    assert "stack.0.weight  (4, 3)" in texto and "|grad|/|peso|" in texto


def test_neuronas_relu_muertas_con_un_lote():
    modelo, x = _red_entrenando()
    with torch.no_grad():
        modelo.stack[0].weight.fill_(0.0)
        modelo.stack[0].bias.copy_(torch.tensor([-1.0, -1.0, -1.0, 1.0]))
    informe = viz.gradient_report(modelo, input=x)
    (relu,) = informe.relus
    assert (relu.capa, relu.relu, relu.muertas, relu.total) == ("stack.0", "stack.1", 3, 4)
    assert "capa stack.0: 75% de neuronas ReLU muertas" in informe.avisos
    assert "stack.0 → stack.1 (ReLU): 3/4 muertas (75.0%)" in str(informe)
    assert not modelo.stack[1]._forward_hooks      # los ganchos temporales se quitaron


def test_vigilancia_persistente_del_ultimo_lote():
    modelo, x = _red_entrenando()
    primero = viz.gradient_report(modelo)
    assert primero.relus == [] and "próximo forward" in str(primero)
    assert viz.watch_relus(modelo) is viz.watch_relus(modelo)     # no duplica ganchos
    assert len(modelo.stack[1]._forward_hooks) == 1
    with torch.no_grad():
        modelo.stack[0].bias.fill_(-100.0)
    modelo(x)
    informe = viz.gradient_report(modelo)
    assert informe.relus[0].muertas == 4 and "capa stack.0: 100% de neuronas ReLU muertas" in \
        informe.avisos
    viz.watch_relus(modelo).remove()
    assert not modelo.stack[1]._forward_hooks


def test_avisos_de_gradientes():
    torch.manual_seed(0)
    modelo = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2))
    modelo[0].weight.grad = torch.full((2, 2), 1e-9)
    modelo[0].bias.grad = torch.full((2,), 1e4)
    modelo[1].weight.grad = torch.tensor([[0.0, 0.0], [0.0, 1.0]])
    modelo[1].bias.grad = torch.tensor([0.1, 0.2])
    informe = viz.gradient_report(modelo)
    avisos = "\n".join(informe.avisos)
    assert "0.weight: el gradiente se desvanece (‖grad‖ = 2e-9 < 1e-7)" in avisos
    assert "0.bias: el gradiente explota (‖grad‖ = 1.414e4 > 1000.0)" in avisos
    assert "1.weight: el 75% de sus gradientes son exactamente 0" in avisos
    assert "2.weight: sin gradiente (.grad es None)" in avisos
    assert "1.bias" not in avisos
    assert "sin .grad" in str(informe)


def test_informe_sano():
    modelo, x = _red_entrenando(1)
    with torch.no_grad():
        modelo.stack[0].bias.fill_(10.0)     # ninguna neurona muerta
    informe = viz.gradient_report(modelo, input=x)
    assert informe.avisos == [] and informe.relus[0].muertas == 0
    assert "Sin avisos: los gradientes parecen sanos." in str(informe)


def test_misma_api_de_ganchos_que_pytorch(requiere_torch):
    pt = requiere_torch
    modelo, x = _red_entrenando()
    with torch.no_grad():
        modelo.stack[0].bias.copy_(torch.tensor([-50.0, -50.0, 0.0, 0.0]))
    modelo.zero_grad()
    modelo(x).pow(2).mean().backward()
    gemela = pt.nn.Sequential(pt.nn.Linear(3, 4), pt.nn.ReLU(), pt.nn.Linear(4, 2))
    with pt.no_grad():
        for (_, p), (_, q) in zip(modelo.named_parameters(), gemela.named_parameters()):
            q.copy_(pt.from_numpy(p.detach().numpy().copy()))
    xt = pt.from_numpy(x.numpy().copy())
    gemela(xt).pow(2).mean().backward()
    nuestro = viz.gradient_report(modelo, input=x)
    suyo = viz.gradient_report(gemela, input=xt)
    for a, b in zip(nuestro.parametros, suyo.parametros):
        assert a.nombre.replace("stack.", "") == b.nombre
        np.testing.assert_allclose(a.norma, b.norma, rtol=1e-5)
        np.testing.assert_allclose(a.razon, b.razon, rtol=1e-5)
        assert a.ceros == b.ceros
    assert [(r.muertas, r.total) for r in nuestro.relus] == \
        [(r.muertas, r.total) for r in suyo.relus] == [(2, 4)]
