"""These tests talk to llama.cpp's real server (llama-cpp-python) running SmolLM2-135M-Instruct.

The session fixture `llama_base_url` (tests/conftest.py, shared with the browser test of the admin
provider page) starts one server on a free loopback port; `make .venv/.llama` installs the server
and the model. The server answers one request at a time.
"""
