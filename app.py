"""Rembug: the workshop app. `streamlit run app.py` opens the guided story on the default village, already run."""

import streamlit as st

from ui import state, views

st.set_page_config(page_title="Rembug", page_icon="💧", layout="wide")
state.start_session()
if "room" in st.query_params:  # a live room: the facilitator's projector, joining, or a participant's seat
    from ui import room

    room.page(views.room_bar())
    st.stop()
lang, view = views.top_bar()
# The story's controls are on its page: its sidebar starts folded away (a projector's width goes to the story).
st.set_page_config(initial_sidebar_state="collapsed" if view == "story" else "auto")
present, expert = bool(st.session_state.get("present")), bool(st.session_state.get("expert"))
views.sidebar(lang, present)  # first: an upload or a scenario change must reach the header of this same run
views.header(lang, view, present)
config, st.session_state["settings_problems"] = state.chosen_config()
views.problems(lang)
state.write_address(config)
runs = views.compute(config) if view not in ("story", "learn") else None
views.main_area(runs, config, lang, view, present, expert, config.model_dump_json())
