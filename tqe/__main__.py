"""``python -m tqe`` runs the command-line interface."""

from tqe.cli import main

if __name__ == "__main__":
    main()
