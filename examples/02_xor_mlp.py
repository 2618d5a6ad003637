"""XOR con un perceptrón multicapa 2-3-1 (sigmoide, error cuadrático medio, descenso de gradiente).

Es el ejemplo clásico del curso: un solo perceptrón no puede separar XOR, pero con una capa
oculta sí. Los pesos se actualizan a mano, como en los apuntes:

    with torch.no_grad():
        w -= lr * w.grad

Uso: python examples/02_xor_mlp.py [--epocas 3000] [--lr 0.5] [--semilla 0] [--salida salidas]
"""
import argparse
import pathlib

import tinygrad_es as torch


def entrenar(epocas=3000, lr=0.5, semilla=0, ocultas=3, informar_cada=500, imprimir=print):
    torch.manual_seed(semilla)
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    W1 = torch.randn(2, ocultas, requires_grad=True)
    b1 = torch.zeros(ocultas, requires_grad=True)
    W2 = torch.randn(ocultas, 1, requires_grad=True)
    b2 = torch.zeros(1, requires_grad=True)
    parametros = [W1, b1, W2, b2]
    historial = []
    for epoca in range(epocas):
        oculta = torch.sigmoid(X @ W1 + b1)
        salida = torch.sigmoid(oculta @ W2 + b2)
        perdida = ((salida - Y) ** 2).mean()
        perdida.backward()
        with torch.no_grad():
            for p in parametros:
                p -= lr * p.grad
                p.grad = None
        historial.append(perdida.item())
        if informar_cada and (epoca % informar_cada == 0 or epoca == epocas - 1):
            imprimir(f"época {epoca:5d}   pérdida (ECM) = {perdida:.4f}")
    return salida.detach(), historial


def guardar_curva(historial, ruta):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(historial)
    ax.set_xlabel("época")
    ax.set_ylabel("error cuadrático medio")
    ax.set_title("XOR: pérdida durante el entrenamiento")
    fig.tight_layout()
    fig.savefig(ruta, dpi=100)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Entrena un MLP 2-3-1 que aprende XOR.")
    parser.add_argument("--epocas", type=int, default=3000, help="número de épocas (3000)")
    parser.add_argument("--lr", type=float, default=0.5, help="tasa de aprendizaje (0.5)")
    parser.add_argument("--semilla", type=int, default=0, help="semilla aleatoria (0)")
    parser.add_argument("--salida", default="salidas", help="carpeta para la gráfica (salidas)")
    args = parser.parse_args(argv)

    salida, historial = entrenar(args.epocas, args.lr, args.semilla)
    print("\nentrada  objetivo  predicción")
    for (a, b), objetivo, pred in zip([(0, 0), (0, 1), (1, 0), (1, 1)], [0, 1, 1, 0],
                                      salida.flatten().tolist()):
        print(f" {a} {b}       {objetivo}       {pred:.3f}")
    aciertos = sum(int(p > 0.5) == o for p, o in zip(salida.flatten().tolist(), [0, 1, 1, 0]))
    print(f"\nexactitud: {100 * aciertos / 4:.0f}%")
    try:
        carpeta = pathlib.Path(args.salida)
        carpeta.mkdir(parents=True, exist_ok=True)
        guardar_curva(historial, carpeta / "xor_perdida.png")
        print(f"curva de pérdida guardada en {carpeta / 'xor_perdida.png'}")
    except ImportError:
        print("(instala matplotlib para guardar la curva de pérdida: pip install matplotlib)")


if __name__ == "__main__":
    main()
