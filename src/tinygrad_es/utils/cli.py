"""Un ``argparse.ArgumentParser`` con la ayuda y los errores en español.

Lo usan los ejemplos y los benchmarks del proyecto; sirve igual para los guiones de un curso::

    from tinygrad_es.utils.cli import ParserEs
    parser = ParserEs(description="Entrena mi red.")
"""
import argparse
import sys

_TRADUCCIONES = (
    ("the following arguments are required", "faltan los argumentos"),
    ("unrecognized arguments", "argumentos no reconocidos"),
    ("expected one argument", "se esperaba un valor"),
    ("invalid choice", "opción no válida"),
    ("choose from", "elige entre"),
    ("invalid int value", "entero no válido"),
    ("invalid float value", "número no válido"),
    ("argument ", "argumento "),
)


class _Formato(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "uso: " if prefix is None else prefix)


class ParserEs(argparse.ArgumentParser):
    """``ArgumentParser`` con la ayuda y los errores en español."""

    def __init__(self, **kwargs):
        super().__init__(add_help=False, formatter_class=_Formato, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opciones"
        self.add_argument("-h", "--help", action="help", help="muestra esta ayuda y termina")

    def error(self, message):
        for ingles, espanol in _TRADUCCIONES:
            message = message.replace(ingles, espanol)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")
