"""The Jupyter project's kernel conformance suite (jupyter_kernel_test, Debian's
python3-jupyter-kernel-test) on the scs-toolbox TypeScript kernel.

The kernelspec name comes from SCS_CONFORMANCE_KERNEL (the mocha test installs
our kernelspec under a temporary JUPYTER_PATH and sets it).

test_pager is skipped: TypeScript has no pager syntax (IPython's `obj?`), so
no cell of ours produces a "page" payload.
"""
import os
import unittest

import jupyter_kernel_test


class ScsKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("SCS_CONFORMANCE_KERNEL", "scs-toolbox")

    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world");'
    code_stderr = 'console.error("something went wrong");'

    completion_samples = [
        {"text": "tb.getXgmF", "matches": {"getXgmFormatted"}},
        {"text": "Math.PI", "matches": {"PI"}},
    ]

    complete_code_samples = [
        "1",
        "console.log(`hello`)",
        "const a = 1;",
        "function f(x: number) {\n  return x + 1;\n}",
        "const s = 'it\\'s';",
        "// a comment",
        "",
    ]
    incomplete_code_samples = [
        "console.log(`hello",
        "const s = 'abc",
        'const s = "abc',
        "function f(x: number) {",
        "const xs = [1, 2,",
        "console.log(1,",
        "/* a comment",
        "const t = `a ${1 +",
    ]
    invalid_code_samples = [
        "let x = )",
        "let = = 3;",
        "1 +* 2",
        "const = 1;\nconst y = 2;",
        "})",
    ]

    code_generate_error = 'throw new Error("boom");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"Hello, " + "world"', "result": "Hello, world"},
        {"code": "[1, 2, 3].map((v) => v * 2)", "result": "[ 2, 4, 6 ]"},
    ]
    code_display_data = [
        {"code": 'await tb.display("shown now");', "mime": "text/plain"},
        {"code": 'await tb.display(new tb.DataArray(new Float64Array([1, 2]), { dims: ["x"] }));', "mime": "text/html"},
    ]

    # matches "6 * 7" only (SQLite GLOB over the whole input, as IPython)
    code_history_pattern = "6 ?*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "tb.getXgm"

    code_clear_output = "tb.clearOutput({ wait: true });"

    def test_pager(self):
        raise unittest.SkipTest("TypeScript has no pager syntax (IPython's `obj?`)")


if __name__ == "__main__":
    unittest.main()
