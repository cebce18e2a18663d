"""Rembug: the workshop app. `streamlit run app.py` opens the default scenario, already run."""

import streamlit as st

from ui import state, views

st.set_page_config(page_title="Rembug", page_icon="💧", layout="wide")
state.start_session()
lang = views.top_bar()
views.sidebar(lang)  # first: an upload or a scenario change must reach the header of this same run
views.header(lang)
config, st.session_state["settings_problems"] = state.chosen_config()
views.problems(lang)
state.write_address(config)
runs = views.compute(config)
if runs is not None:
    views.main_area(runs, lang, present=bool(st.session_state.get("present")), config_json=config.model_dump_json())
