# Two entry points for a fresh machine: `make demo` and `make test`.
# Each creates its own virtual environment in .venv and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE := references

.PHONY: demo test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch 2.13.0 is the CPU build; an unpinned torch would pull a multi-GB CUDA build
	$(BIN)/python -m pip install -q "torch==2.13.0" "setuptools<81"
	$(BIN)/python -m pip install -q -e ".[comet,xlsx,ray,test]"
	touch $@

demo: $(BIN)/.installed
	$(BIN)/tqe report $(SAMPLE)/source.en.txt $(SAMPLE)/translation.v1.fr.txt -r $(SAMPLE)/reference.fr.txt \
		--glossary $(SAMPLE)/glossary.tsv --dnt $(SAMPLE)/dnt.txt -o reports/sample-v1.html
	$(BIN)/tqe report $(SAMPLE)/source.en.txt $(SAMPLE)/translation.v1.fr.txt -r $(SAMPLE)/reference.fr.txt \
		--glossary $(SAMPLE)/glossary.tsv --dnt $(SAMPLE)/dnt.txt -o reports/sample-v1.md
	$(BIN)/tqe compare $(SAMPLE)/translation.v1.fr.txt $(SAMPLE)/translation.v2.fr.txt --source $(SAMPLE)/source.en.txt \
		-r $(SAMPLE)/reference.fr.txt -m bleu,chrf -o reports/sample-v1-v2.html
	$(BIN)/tqe report $(SAMPLE)/sample.xlf -o reports/sample-reviewed.xlf

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_score.py

clean:
	rm -rf $(VENV)
