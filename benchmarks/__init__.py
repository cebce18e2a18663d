"""Scripts that print speed, load and memory figures (run them as `python benchmarks/<name>.py`).

The Streamlit helpers (`streamlit_server`, `streamlit_protocol`) are also imported by the tests, as
`benchmarks.streamlit_server` and `benchmarks.streamlit_protocol`.
"""
