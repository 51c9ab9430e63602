"""jiuye-kg: knowledge graphs from Chinese public employment-service news."""
__version__ = "0.1.0"
