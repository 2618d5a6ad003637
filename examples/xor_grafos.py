"""Ver la retropropagación en la red de XOR: el grafo, el gradiente de cada arista y la traza.

Entrena un MLP 2-3-1 (sigmoides, error cuadrático medio, SGD) hasta que aprende XOR y después
repite un paso con el registro de ``viz`` activado para dibujar:

- ``xor_forward.svg``: el grafo de cómputo, con las cajas de los módulos (``stack.0: Linear``),
  los valores de cada tensor y los gradientes de los parámetros;
- ``xor_backward.svg``: el mismo grafo recorrido hacia atrás; cada arista lleva la norma del
  gradiente que viajó por ella y su grosor crece con ella;

e imprime la traza de la regla de la cadena (la tabla que se escribe en la pizarra) y el
informe de salud de los gradientes.

Uso: python examples/xor_grafos.py [--epocas 3000] [--lr 2.0] [--semilla 0] [--salida salidas]
     [--rapido] [--png] [--formato texto|markdown|latex]
"""

import _comun
import tinygrad_es as torch
from tinygrad_es import nn, optim, viz

EPOCAS = 3000
EPOCAS_RAPIDO = 1500   # con lr 2.0 ya ha aprendido XOR (pérdida < 0.01)


class RedXOR(nn.Module):
    """2 entradas -> 3 neuronas ocultas (sigmoide) -> 1 salida (sigmoide)."""

    def __init__(self, ocultas=3):
        super().__init__()
        self.stack = nn.Sequential(nn.Linear(2, ocultas), nn.Sigmoid(),
                                   nn.Linear(ocultas, 1), nn.Sigmoid())

    def forward(self, x):
        return self.stack(x)


def datos():
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    return X, Y


def entrenar(epocas=3000, lr=2.0, semilla=0, informar_cada=500, imprimir=print):
    torch.manual_seed(semilla)
    X, Y = datos()
    modelo = RedXOR()
    criterio = nn.MSELoss()
    optimizador = optim.SGD(modelo.parameters(), lr=lr)
    for epoca in range(epocas):
        optimizador.zero_grad()
        perdida = criterio(modelo(X), Y)
        perdida.backward()
        optimizador.step()
        if informar_cada and (epoca % informar_cada == 0 or epoca == epocas - 1):
            imprimir(f"época {epoca:5d}   pérdida (ECM) = {perdida.item():.4f}")
    return modelo, criterio


def paso_registrado(modelo, criterio, formato="texto"):
    """Un forward registrado y el backward con traza; devuelve la pérdida (con su grafo)."""
    X, Y = datos()
    modelo.zero_grad()
    with viz.registrar():
        perdida = criterio(modelo(X), Y)
    nombres = {"X": X, "Y": Y, "pérdida": perdida}
    print()
    viz.trace_backward(perdida, formato, model=modelo, params=nombres)
    return perdida, nombres


def dibujos(perdida, modelo, nombres):
    """Los dos dibujos del paso registrado: hacia delante y hacia atrás."""
    adelante = viz.draw_graph(perdida, model=modelo, params=nombres, max_elements=8,
                              title="XOR: grafo de cómputo (forward) de un paso")
    atras = viz.draw_backward(perdida, model=modelo, params=nombres, max_elements=8,
                              title="XOR: el gradiente de la pérdida viaja hacia los pesos")
    return adelante, atras


def guardar(grafo, ruta, png=False):
    """Escribe el SVG (y el PNG si se pide); sin Graphviz escribe el texto DOT."""
    try:
        ruta.with_suffix(".svg").write_bytes(grafo.pipe(format="svg"))
        if png:
            ruta.with_suffix(".png").write_bytes(grafo.pipe(format="png"))
        return ruta.with_suffix(".svg")
    except viz.GraphvizNoEncontrado as exc:
        print(exc)
        ruta.with_suffix(".dot").write_text(grafo.source, encoding="utf-8")
        return ruta.with_suffix(".dot")


def main(argv=None):
    parser = _comun.crear_parser("Grafos de forward y backward de la red XOR, con la traza de la "
                                 "regla de la cadena.")
    parser.add_argument("--epocas", type=int, default=None,
                        help=f"épocas de entrenamiento ({EPOCAS}; {EPOCAS_RAPIDO} con --rapido)")
    parser.add_argument("--lr", type=float, default=2.0, help="tasa de aprendizaje de SGD (2.0)")
    parser.add_argument("--png", action="store_true", help="escribe también PNG")
    parser.add_argument("--formato", default="texto", choices=("texto", "markdown", "latex"),
                        help="formato de la traza (texto)")
    args = parser.parse_args(argv)
    if args.epocas is None:
        args.epocas = EPOCAS_RAPIDO if args.rapido else EPOCAS

    modelo, criterio = entrenar(args.epocas, args.lr, args.semilla)
    perdida, nombres = paso_registrado(modelo, criterio, args.formato)
    print(viz.gradient_report(modelo))

    carpeta = _comun.carpeta(args.salida)
    adelante, atras = dibujos(perdida, modelo, nombres)
    for grafo, nombre in ((adelante, "xor_forward"), (atras, "xor_backward")):
        print(f"grafo guardado en {guardar(grafo, carpeta / nombre, args.png)}")


if __name__ == "__main__":
    main()
