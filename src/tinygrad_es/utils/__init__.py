"""Utilidades con los nombres de ``torch.utils``: ``data`` (Dataset, DataLoader...) y ``summary``."""
from . import data
from .summary import summary
