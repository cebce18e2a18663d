"""The Streamlit app's pieces: texts, controls, cached runs, figures, URL state and views (``app.py`` wires them)."""
