"""Starts llama.cpp's OpenAI-compatible server (llama-cpp-python[server]) for the suite.

Same arguments as `python -m llama_cpp.server`. One change: ggml's "extra buffer
types" (weight repacking for AMX and similar) are turned off. scripts/setup-llamacpp
builds with -march=native; on machines whose CPU reports AMX but whose kernel or
hypervisor does not let processes use the tile registers, the AMX matrix kernel
dies with SIGILL on the first prompt longer than a few tokens. The plain AVX
kernels give the same answers.
"""
import sys

import llama_cpp
import llama_cpp.llama

_default_params = llama_cpp.llama_model_default_params


def _params_without_extra_buffers():
    params = _default_params()
    params.use_extra_bufts = False
    return params


llama_cpp.llama_model_default_params = _params_without_extra_buffers
llama_cpp.llama.llama_cpp.llama_model_default_params = _params_without_extra_buffers

from llama_cpp.server.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
