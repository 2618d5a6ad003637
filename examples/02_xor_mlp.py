"""XOR con un perceptrón multicapa 2-3-1 (sigmoide, error cuadrático medio, descenso de gradiente).

Es el ejemplo clásico del curso: un solo perceptrón no puede separar XOR, pero con una capa
oculta sí. Los pesos se actualizan a mano, como en los apuntes:

    with torch.no_grad():
        w -= lr * w.grad

El script hace tres cosas y deja sus resultados en --salida (salidas/ por defecto):

1. Entrena la red (lr = 0.5, 3000 épocas), imprime sus predicciones y la exactitud y guarda la
   curva de pérdida (xor_perdida.png).
2. Estudio de la tasa de aprendizaje: la misma red desde los mismos pesos iniciales con
   lr = 0.05, 0.5 y 10, en una sola gráfica (xor_tasas_aprendizaje.png). Imprime en qué época
   la pérdida baja por primera vez de 0.05.
3. Mira dentro de la retropropagación de la red ya entrenada: imprime la traza de la regla de la
   cadena paso a paso y dibuja el grafo hacia delante (xor_forward.svg) y hacia atrás
   (xor_backward.svg, cada arista con el gradiente que viajó por ella). Dibujar necesita el
   programa `dot` de Graphviz; si falta, se explica cómo instalarlo y el script sigue.

Uso: python examples/02_xor_mlp.py [--epocas 3000] [--lr 0.5] [--ocultas 3] [--semilla 0]
     [--salida salidas] [--rapido] [--sin-grafos] [--formato texto|markdown|latex]
"""
import _comun
import tinygrad_es as torch
from tinygrad_es import viz

ENTRADAS = [(0, 0), (0, 1), (1, 0), (1, 1)]
OBJETIVOS = [0, 1, 1, 0]
TASAS_ESTUDIO = (0.05, 0.5, 10.0)
UMBRAL = 0.05   # «ha aprendido» cuando el error cuadrático medio baja de aquí


def datos():
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    return X, Y


def entrenar(epocas=3000, lr=0.5, semilla=0, ocultas=3, informar_cada=500, barra=True):
    """Entrena la red con actualizaciones manuales; devuelve (salida, historial, parámetros)."""
    torch.manual_seed(semilla)
    X, Y = datos()
    W1 = torch.randn(2, ocultas, requires_grad=True)
    b1 = torch.zeros(ocultas, requires_grad=True)
    W2 = torch.randn(ocultas, 1, requires_grad=True)
    b2 = torch.zeros(1, requires_grad=True)
    parametros = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    historial = []
    for epoca in _comun.epocas(epocas, f"XOR lr={lr:g}", activa=barra):
        oculta = torch.sigmoid(X @ W1 + b1)
        salida = torch.sigmoid(oculta @ W2 + b2)
        perdida = ((salida - Y) ** 2).mean()
        perdida.backward()                      # retropropagación: llena p.grad
        with torch.no_grad():                   # actualización manual, como en los apuntes
            for p in parametros.values():
                p -= lr * p.grad
                p.grad = None
        historial.append(perdida.item())
        if informar_cada and (epoca % informar_cada == 0 or epoca == epocas - 1):
            _comun.imprimir(f"época {epoca:5d}   pérdida (ECM) = {perdida:.4f}")
    return salida.detach(), historial, parametros


def exactitud(salida):
    aciertos = sum(int(p > 0.5) == o for p, o in zip(salida.flatten().tolist(), OBJETIVOS))
    return aciertos / len(OBJETIVOS)


def primera_epoca_bajo(historial, umbral=UMBRAL):
    """La primera época en que la pérdida es menor que ``umbral`` (o None si nunca)."""
    return next((epoca for epoca, valor in enumerate(historial) if valor < umbral), None)


def comentar_estudio(historiales):
    """Frases que resumen el estudio, sacadas de los números (no fijas de antemano)."""
    llegadas = {lr: primera_epoca_bajo(h) for lr, h in historiales.items()}
    lineas = []
    for lr, epoca in llegadas.items():
        if epoca is None:
            lineas.append(f"lr = {lr:g}: en {len(historiales[lr])} épocas no baja de {UMBRAL}: "
                          "con pasos tan cortos apenas se mueve")
            lineas.append("(o se quedó atascada en un mínimo local).")
    llegan = {lr: e for lr, e in llegadas.items() if e is not None}
    if llegan:
        rapida = min(llegan, key=llegan.get)
        lineas.append(f"lr = {rapida:g} es la que antes baja de {UMBRAL} (época {llegan[rapida]}). "
                      "En un problema tan pequeño un paso grande")
        lineas.append("funciona; en redes mayores un lr demasiado grande hace que la pérdida "
                      "oscile o diverja.")
    return lineas


def guardar_curva(historial, ruta, lr):
    plt = _comun.pyplot()
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.plot(historial)
    ax.set_xlabel("época")
    ax.set_ylabel("error cuadrático medio")
    ax.set_title(f"XOR: pérdida durante el entrenamiento (lr = {lr:g})")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    _comun.guardar_figura(fig, ruta)


def guardar_estudio(historiales, ruta):
    """Una sola gráfica: la pérdida por época con cada tasa de aprendizaje."""
    plt = _comun.pyplot()
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for (lr, historial), color in zip(historiales.items(), ("tab:orange", "tab:blue", "tab:red")):
        epoca = primera_epoca_bajo(historial)
        cuando = f"< {UMBRAL} en la época {epoca}" if epoca is not None else f"nunca < {UMBRAL}"
        ax.plot(historial, color=color, label=f"lr = {lr:g} ({cuando})")
        if epoca is not None:
            ax.plot([epoca], [historial[epoca]], "o", color=color)
    ax.axhline(UMBRAL, color="gray", linestyle="--", linewidth=1)
    ax.text(len(next(iter(historiales.values()))) * 0.99, UMBRAL, f"umbral {UMBRAL}",
            ha="right", va="bottom", color="gray")
    ax.set_xlabel("época")
    ax.set_ylabel("error cuadrático medio")
    ax.set_title("XOR: la misma red y los mismos pesos iniciales con tres tasas de aprendizaje")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    _comun.guardar_figura(fig, ruta)


def mirar_retropropagacion(parametros, carpeta, formato="texto"):
    """Traza del backward de un paso con la red entrenada y los dibujos de su grafo."""
    X, Y = datos()
    with viz.registrar():                       # guarda los valores intermedios para dibujarlos
        oculta = torch.sigmoid(X @ parametros["W1"] + parametros["b1"])
        salida = torch.sigmoid(oculta @ parametros["W2"] + parametros["b2"])
        perdida = ((salida - Y) ** 2).mean()
    nombres = {"X": X, "Y": Y, **parametros, "oculta": oculta, "salida": salida,
               "pérdida": perdida}
    print()
    viz.trace_backward(perdida, formato, params=nombres)   # hace el backward y lo imprime
    dibujos = (
        ("xor_forward.svg", viz.draw_graph(
            perdida, params=nombres,
            title="XOR ya entrenada: grafo de cómputo de un paso (valores y gradientes)")),
        ("xor_backward.svg", viz.draw_backward(
            perdida, params=nombres,
            title="XOR ya entrenada: el gradiente de la pérdida viaja hacia los pesos")),
    )
    for nombre, grafo in dibujos:
        try:
            (carpeta / nombre).write_bytes(grafo.pipe(format="svg"))
        except viz.GraphvizNoEncontrado as exc:
            print(f"\nNo se pudo dibujar {nombre}.\n{exc}")
            print("\nEl grafo como texto:")
            viz.print_graph(perdida, params=nombres)
            return
        print(f"grafo guardado en {carpeta / nombre}")


def main(argv=None):
    parser = _comun.crear_parser("Entrena un MLP 2-3-1 que aprende XOR, estudia la tasa de "
                                 "aprendizaje y dibuja la retropropagación.")
    parser.add_argument("--epocas", type=int, default=3000, help="número de épocas (3000)")
    parser.add_argument("--lr", type=float, default=0.5, help="tasa de aprendizaje (0.5)")
    parser.add_argument("--ocultas", type=int, default=3, choices=(2, 3, 4, 5),
                        help="neuronas en la capa oculta (3)")
    parser.add_argument("--sin-grafos", action="store_true",
                        help="no imprime la traza ni dibuja los grafos")
    parser.add_argument("--formato", default="texto", choices=("texto", "markdown", "latex"),
                        help="formato de la traza del backward (texto)")
    args = parser.parse_args(argv)
    carpeta = _comun.carpeta(args.salida)

    salida, historial, parametros = entrenar(args.epocas, args.lr, args.semilla, args.ocultas)
    print("\nentrada  objetivo  predicción")
    for (a, b), objetivo, pred in zip(ENTRADAS, OBJETIVOS, salida.flatten().tolist()):
        print(f" {a} {b}       {objetivo}       {pred:.3f}")
    print(f"\nexactitud: {_comun.porcentaje(exactitud(salida))}")
    print(f"pérdida final: {historial[-1]:.4f}")
    guardar_curva(historial, carpeta / "xor_perdida.png", args.lr)

    epocas_estudio = 2000 if args.rapido else args.epocas
    print(f"\nEstudio de la tasa de aprendizaje ({epocas_estudio} épocas, mismos pesos iniciales):")
    print(f"  {'lr':>5}  {'pérdida final':>13}  {'exactitud':>9}  primera época con pérdida < "
          f"{UMBRAL}")
    historiales = {}
    for lr in TASAS_ESTUDIO:
        if lr == args.lr and epocas_estudio == args.epocas:
            salida_lr, historial_lr = salida, historial       # ya entrenada arriba
        else:
            salida_lr, historial_lr, _ = entrenar(epocas_estudio, lr, args.semilla,
                                                  args.ocultas, informar_cada=0)
        historiales[lr] = historial_lr
        epoca = primera_epoca_bajo(historial_lr)
        print(f"  {lr:>5g}  {historial_lr[-1]:>13.4f}  "
              f"{_comun.porcentaje(exactitud(salida_lr)):>9}  "
              f"{epoca if epoca is not None else 'no llega'}")
    for linea in comentar_estudio(historiales):
        print(f"  {linea}")
    guardar_estudio(historiales, carpeta / "xor_tasas_aprendizaje.png")

    if not args.sin_grafos:
        mirar_retropropagacion(parametros, carpeta, args.formato)


if __name__ == "__main__":
    main()
