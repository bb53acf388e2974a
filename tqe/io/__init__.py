"""Reading inputs and writing outputs safely."""

from tqe.io.table import read_table
from tqe.io.text import read_lines
from tqe.io.write import atomic_write, write_output

__all__ = ["atomic_write", "read_lines", "read_table", "write_output"]
