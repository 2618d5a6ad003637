"""Los avisos de coma flotante de NumPy que nacen dentro de tinygrad_es no se muestran.

``log(0)``, ``1/0`` o ``exp(1000)`` dan ``-inf``, ``inf`` e ``inf`` también en PyTorch, que no
avisa de nada. NumPy, en cambio, avisa (en inglés: ``RuntimeWarning: divide by zero
encountered in log``) señalando una línea de tinygrad_es que el estudiante no escribió. Un
filtro de ``warnings`` los calla, pero solo los de NumPy (por su texto) y solo los que nacen en
módulos de tinygrad_es: los de tu código con NumPy siguen saliendo, y los avisos en español de
tinygrad_es (que señalan tu línea) también. No cuesta nada en cada operación: Python solo mira
los filtros cuando hay un aviso (``np.errstate`` costaría ~1 µs por operación).
"""
import warnings

FP_MESSAGES = r"(divide by zero|invalid value|overflow|underflow) encountered in"


def install():
    warnings.filterwarnings("ignore", message=FP_MESSAGES, category=RuntimeWarning,
                            module=r"tinygrad_es(\.|$)")
